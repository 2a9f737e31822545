"""The dataset generator and recommendations functions, invoked with their events/ files."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator

import boto3
import pytest

from local.stack.offline import OfflineStack, offline_stack
from recommender.config import EMOTIONS
from tests.support import FAST_EMULATOR, emulator_calls, load_event

FIXED_END = 1_767_225_600


@pytest.fixture(scope="module")
def stack() -> Iterator[OfflineStack]:
    with offline_stack("inprocess", emulator_settings=FAST_EMULATOR) as offline:
        yield offline


def _csv(offline: OfflineStack, name: str) -> tuple[str, list[dict[str, str]]]:
    body = (
        boto3.client("s3")
        .get_object(Bucket=offline.outputs["DataBucketName"], Key=f"training/{name}.csv")["Body"]
        .read()
        .decode("utf-8")
    )
    return body.splitlines()[0], list(csv.DictReader(io.StringIO(body)))


def test_generator_sample_event_writes_three_import_ready_csvs(stack):
    summary = stack.stack.invoke("DatasetGeneratorFunction", load_event("generate_dataset.json"))

    assert summary["counts"] == {"interactions": 3000, "users": 80, "items": 240}
    header, rows = _csv(stack, "interactions")
    # Unquoted header with the schema's field names; TIMESTAMP in epoch seconds (case D1).
    assert header == "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,IMPRESSION"
    assert all(1_000_000_000 < int(r["TIMESTAMP"]) < 10_000_000_000 for r in rows)
    assert _csv(stack, "users")[0] == "USER_ID,GENDER,EMOTION"
    assert _csv(stack, "items")[0] == "ITEM_ID,EMOTION,CREATION_TIMESTAMP"


def test_generated_users_mostly_like_their_own_emotion_but_not_everything(stack):
    stack.stack.invoke("DatasetGeneratorFunction", load_event("generate_dataset.json"))
    _, rows = _csv(stack, "interactions")
    _, users = _csv(stack, "users")
    emotion_of_user = {u["USER_ID"]: u["EMOTION"] for u in users}

    own = sum(r["ITEM_ID"].split("-")[0].upper() == emotion_of_user[r["USER_ID"]] for r in rows)
    per_user = Counter(r["USER_ID"] for r in rows)
    distinct = {u: len({r["ITEM_ID"] for r in rows if r["USER_ID"] == u}) for u in per_user}

    assert 0.8 < own / len(rows) < 0.97  # noise 0.1: mostly, never only
    assert {f"female/{e.lower()}" for e in EMOTIONS} <= set(per_user)
    assert min(per_user.values()) >= 2
    assert max(distinct.values()) < 240


def test_generator_is_deterministic_for_a_seed_and_end_time(stack):
    event = {**load_event("generate_dataset.json"), "endTime": FIXED_END}
    s3 = boto3.client("s3")
    bucket = stack.outputs["DataBucketName"]

    stack.stack.invoke("DatasetGeneratorFunction", event)
    first = s3.head_object(Bucket=bucket, Key="training/interactions.csv")["ETag"]
    stack.stack.invoke("DatasetGeneratorFunction", event)
    again = s3.head_object(Bucket=bucket, Key="training/interactions.csv")["ETag"]
    stack.stack.invoke("DatasetGeneratorFunction", {**event, "seed": 8})
    other = s3.head_object(Bucket=bucket, Key="training/interactions.csv")["ETag"]

    assert first == again != other


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"interactions": 0}, "event.interactions must be bigger than or equal to 1"),
        ({"noise": 1.5}, "event.noise must be smaller than or equal to 1"),
        ({"seed": "seven"}, "event.seed must be integer"),
        ({"rows": 10}, "event must not contain {'rows'}"),
        ({"endTime": 1_700_000_000_000}, "endTime must be epoch seconds (10 digits, not milli"),
        ({"endTime": 1}, "endTime must be epoch seconds"),
    ],
)
def test_generator_rejects_bad_settings_naming_the_field(stack, event, message):
    with pytest.raises(RuntimeError, match="InvalidInputError") as failure:
        stack.stack.invoke("DatasetGeneratorFunction", event)
    assert message in str(failure.value)


def test_recommendations_before_any_campaign_come_from_the_catalogue(stack):
    answer = stack.stack.invoke("RecommendationsFunction", load_event("get_recommendations.json"))

    assert answer["source"] == "catalogue"
    assert "still holds NONE" in answer["fallbackReason"]
    assert len(answer["items"]) == 10
    assert {item["emotion"] for item in answer["items"]} == {"HAPPY"}
    # Newest first, from the emotion index.
    created = [item["createdAt"] for item in answer["items"]]
    assert created == sorted(created, reverse=True)
    assert "GetRecommendations" not in emulator_calls(stack)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"userId": "u1", "emotion": "JOY"}, "emotion must be one of HAPPY, SURPRISED"),
        ({"emotion": "HAPPY"}, "userId must be a string"),
        ({"userId": "u1", "emotion": "HAPPY", "numResults": 0}, "numResults must be a whole"),
        ({"userId": "u1", "emotion": "HAPPY", "numResults": "ten"}, "numResults must be"),
        ({"userId": "u1", "emotion": "HAPPY", "numResults": 2.5}, "numResults must be"),
        ({"userId": "u1", "emotion": "HAPPY", "numResults": 101}, "from 1 to 100"),
    ],
)
def test_recommendations_reject_bad_input_naming_the_field(stack, event, message):
    answer = stack.stack.invoke("RecommendationsFunction", event)

    assert answer["error"] == "InvalidInput"
    assert message in answer["message"]
