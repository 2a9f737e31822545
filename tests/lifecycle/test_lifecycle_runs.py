"""The lifecycle state machine, executed for real: full run, re-run, retraining.

GIVEN an offline stack with generated training data, WHEN the lifecycle ASL runs on moto's
Step Functions engine with the real handlers against the Personalize emulator, THEN a
campaign serves emotion-filtered recommendations, a re-run creates nothing, and retraining
updates the campaign to a new solution version.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from local.stack.offline import OfflineStack, offline_stack
from recommender.config import EMOTIONS
from tests.support import (
    FAST_EMULATOR,
    creates,
    emulator_calls,
    execute,
    generate,
    load_event,
    offline_input,
    ssm_value,
)


@pytest.fixture(scope="module")
def trained() -> Iterator[tuple[OfflineStack, Any]]:
    """One stack, trained once; the tests below build on that first execution."""
    with offline_stack("inprocess", emulator_settings=FAST_EMULATOR) as offline:
        generate(offline)
        first = execute(offline, offline_input(), "first-run")
        yield offline, first


def _tracker(offline: OfflineStack) -> dict[str, Any]:
    personalize = boto3.client("personalize")
    (summary,) = personalize.list_event_trackers()["eventTrackers"]
    return personalize.describe_event_tracker(eventTrackerArn=summary["eventTrackerArn"])[
        "eventTracker"
    ]


def test_full_run_succeeds_and_stores_every_runtime_setting(trained):
    offline, first = trained

    assert first.status == "SUCCEEDED", (first.error, first.cause)
    assert ssm_value(offline, "TrackingIdParameterName") == _tracker(offline)["trackingId"]
    assert ssm_value(offline, "CampaignArnParameterName") == first.output["campaignArn"]
    assert ssm_value(offline, "FilterArnParameterName") == first.output["filterArn"]
    assert first.output["interactions"] == load_event("generate_dataset.json")["interactions"]
    assert set(first.output["metrics"]) >= {"coverage", "precision_at_10"}


def test_full_run_polls_pending_resources_through_wait_states(trained):
    _, first = trained

    entered = first.states_entered()
    # Each asynchronous resource answered CREATE PENDING at least once before ACTIVE.
    for wait in ("WaitForDatasetGroup", "WaitForTraining", "WaitForCampaign"):
        assert wait in entered
    assert first.transitions < 200


def test_recommendations_after_the_run_match_each_emotion(trained):
    offline, _ = trained

    for emotion in EMOTIONS:
        answer = offline.stack.invoke(
            "RecommendationsFunction",
            {"userId": f"male/{emotion.lower()}", "emotion": emotion, "numResults": 10},
        )
        assert answer["source"] == "personalize"
        emotions = [item["emotion"] for item in answer["items"]]
        assert len(emotions) == 10
        assert sum(e == emotion for e in emotions) >= 8


def test_second_run_with_same_input_creates_nothing(trained):
    offline, first = trained
    before = emulator_calls(offline)

    second = execute(offline, offline_input(), "second-run")

    assert second.status == "SUCCEEDED", (second.error, second.cause)
    assert creates(emulator_calls(offline)) == creates(before)
    assert second.output["campaignArn"] == first.output["campaignArn"]
    assert second.output["solutionVersionArn"] == first.output["solutionVersionArn"]
    assert second.output["campaignAction"] == "unchanged"


def test_retraining_trains_an_update_and_moves_the_campaign(trained):
    offline, first = trained

    retrain = execute(offline, offline_input(**load_event("lifecycle-retrain.json")), "retrain")

    assert retrain.status == "SUCCEEDED", (retrain.error, retrain.cause)
    new_version = retrain.output["solutionVersionArn"]
    assert new_version != first.output["solutionVersionArn"]
    personalize = boto3.client("personalize")
    described = personalize.describe_solution_version(solutionVersionArn=new_version)
    assert described["solutionVersion"]["trainingMode"] == "UPDATE"
    assert retrain.output["campaignAction"].startswith("updated")
    campaign = personalize.describe_campaign(campaignArn=retrain.output["campaignArn"])["campaign"]
    assert campaign["solutionVersionArn"] == new_version
    assert ssm_value(offline, "CampaignArnParameterName") == retrain.output["campaignArn"]
