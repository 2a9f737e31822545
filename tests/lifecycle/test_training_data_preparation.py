"""PrepareTrainingData and scheduled retraining: the interactions log reaches Personalize.

Likes accepted while no tracker exists are replayed by the next lifecycle run; after a
teardown, the next FULL run exports the likes the new dataset group lacks and imports them
(INCREMENTAL, after the main file), so training sees the whole history, once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import pytest

from local.api.gateway import http_event
from local.stack.lifecycle_run import run_execution
from local.stack.offline import OfflineStack, offline_stack
from local.stack.template import load_sam_template, translate
from tests.support import (
    FAST_EMULATOR,
    REPO,
    emulator_calls,
    execute,
    generate,
    load_event,
    offline_input,
)

LIKES = 7


@pytest.fixture
def stack() -> Iterator[OfflineStack]:
    with offline_stack(
        "inprocess", emulator_settings=FAST_EMULATOR, parameters={"ReplayMinAgeSeconds": "0"}
    ) as offline:
        yield offline


def _like(offline: OfflineStack, user: str, items: list[str]) -> int:
    body = {"userId": user, "events": [{"eventType": "like", "itemId": i} for i in items]}
    event = http_event(
        "POST", "/events", {"content-type": "application/json"}, json.dumps(body).encode()
    )
    answer = offline.stack.invoke("HttpApiFunction", event)
    return answer["statusCode"]


def _import_jobs() -> list[dict]:
    personalize = boto3.client("personalize")
    group = personalize.list_dataset_groups()["datasetGroups"][0]["datasetGroupArn"]
    dataset = group.replace(":dataset-group/", ":dataset/") + "/INTERACTIONS"
    summaries = personalize.list_dataset_import_jobs(datasetArn=dataset)["datasetImportJobs"]
    return [
        personalize.describe_dataset_import_job(datasetImportJobArn=s["datasetImportJobArn"])[
            "datasetImportJob"
        ]
        for s in summaries
    ]


def test_likes_kept_before_any_tracker_are_sent_by_the_next_lifecycle_run(stack):
    generate(stack)
    assert _like(stack, "early-bird", [f"happy-00{n}" for n in range(1, LIKES + 1)]) == 202

    result = execute(stack, offline_input(), "first-with-backlog")

    assert result.status == "SUCCEEDED", (result.error, result.cause)
    prepared = json.loads(
        next(
            e["stateExitedEventDetails"]["output"]
            for e in result.history
            if e.get("stateExitedEventDetails", {}).get("name") == "PrepareTrainingData"
        )
    )["steps"]["prepare"]
    assert prepared["replay"]["sent"] == LIKES
    # Sent through the current tracker, so the dataset group has them: nothing to export.
    assert prepared["export"] == {
        "exported": 0,
        "alreadyInDatasetGroup": LIKES,
        "skippedRejected": 0,
    }
    assert emulator_calls(stack)["PutEvents"] >= 1
    assert all(job.get("importMode", "FULL") == "FULL" for job in _import_jobs())


def test_after_a_teardown_full_training_imports_the_history_once(stack):
    generate(stack)
    assert execute(stack, offline_input(), "before-teardown").status == "SUCCEEDED"
    assert _like(stack, "loyal-user", [f"sad-00{n}" for n in range(1, LIKES + 1)]) == 200
    teardown = run_execution(
        stack.outputs["TeardownStateMachineArn"],
        load_event("teardown-offline.json"),
        name="teardown",
        timeout=120,
    )
    assert teardown.status == "SUCCEEDED"

    rebuilt = execute(stack, offline_input(), "after-teardown")
    again = execute(stack, offline_input(), "after-teardown-again")

    assert rebuilt.status == "SUCCEEDED", (rebuilt.error, rebuilt.cause)
    modes = sorted(job.get("importMode", "FULL") for job in _import_jobs())
    assert modes == ["FULL", "INCREMENTAL"]
    log = (
        boto3.client("s3")
        .get_object(Bucket=stack.outputs["DataBucketName"], Key="training/interactions-log.csv")[
            "Body"
        ]
        .read()
        .decode()
    )
    assert log.splitlines()[0] == "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,IMPRESSION"
    assert sum(line.startswith("loyal-user,") for line in log.splitlines()) == LIKES
    # The second run finds the same two files and imports nothing new.
    assert again.status == "SUCCEEDED"
    assert len(_import_jobs()) == 2


def test_scheduled_retraining_is_declared_off_by_default_and_asks_for_update():
    template = load_sam_template(REPO / "template.yaml")
    machine = template["Resources"]["LifecycleStateMachine"]["Properties"]

    (schedule,) = machine["Events"].values()

    assert schedule["Type"] == "ScheduleV2"
    assert schedule["Properties"]["State"] == {"Ref": "RetrainingScheduleState"}
    assert template["Parameters"]["RetrainingScheduleState"]["Default"] == "DISABLED"
    assert json.loads(schedule["Properties"]["Input"]) == {"trainingMode": "UPDATE"}
    # SAM turns it into an EventBridge Scheduler schedule; offline, nothing fires it.
    (spec,) = [
        m
        for m in translate(REPO / "template.yaml", {}).state_machines
        if m.logical_id == "LifecycleStateMachine"
    ]
    assert any(name.endswith("ScheduledRetraining") for name in spec.skipped_resources)
