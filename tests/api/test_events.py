"""POST /events and the replay: log first, PutEvents in tens, stale IDs, nothing lost (P1, P2,
S1). Personalize is the emulator; its call counters prove what was really sent."""

from __future__ import annotations

import json
import time

import boto3
import pytest

from tests.api.conftest import Api, create_tracker

LIKE = {"eventType": "like", "itemId": "happy-001"}


@pytest.fixture(autouse=True)
def _ready(personalize_ready):
    return personalize_ready


def _post(api: Api, events: list, user: str = "female/happy", **extra) -> tuple[int, dict]:
    response = api.post("/events", json={"userId": user, "events": events, **extra})
    return response.status_code, response.json()


def _put_events(api: Api) -> int:
    return api.personalize_calls().get("PutEvents", 0)


def _unsent(api: Api, user: str) -> list[dict]:
    return [i for i in api.log(user) if "unsent" in i and i["eventKey"] != "#user"]


def test_sample_event_is_logged_and_sent(api: Api):
    before = _put_events(api)
    status, body = api.invoke_sample("http_api-post-events.json")
    assert status == 200, body
    assert (body["accepted"], body["sent"], body["pending"]) == (1, 1, 0)
    assert _put_events(api) == before + 1
    logged = [i for i in api.log("female/happy") if i.get("eventId") in body["eventIds"]]
    assert len(logged) == 1 and "unsent" not in logged[0] and "deliveredAt" in logged[0]


def test_properties_object_is_serialised_once_or_lifted(api: Api):
    events = [
        {"eventType": "like", "properties": {"itemId": "happy-002"}},
        {"eventType": "click", "properties": json.dumps(json.dumps({"itemId": "happy-003"}))},
        {"eventType": "view", "itemId": "happy-004", "properties": '{"eventValue": "2"}'},
    ]
    status, body = _post(api, events, user="p1-user")
    assert status == 200, body
    sent = [json.loads(i["event"]) for i in api.log("p1-user") if "event" in i]
    assert sorted(e["itemId"] for e in sent) == ["happy-002", "happy-003", "happy-004"]
    assert all("properties" not in e for e in sent)
    assert [e["eventValue"] for e in sent if e["itemId"] == "happy-004"] == [2.0]


@pytest.mark.parametrize(
    ("event", "field", "words"),
    [
        ({"eventType": "like", "properties": "not json"}, "events[0].properties", "JSON object"),
        ({"eventType": "like", "properties": '"a string"'}, "events[0].properties", "JSON"),
        ({**LIKE, "properties": {"colour": "red"}}, "events[0]", "properties.colour"),
        ({**LIKE, "eventValue": "4.5x"}, "events[0].eventValue", "must be a number"),
        ({**LIKE, "eventValue": True}, "events[0].eventValue", "not true or false"),
        ({**LIKE, "impression": [f"i{n}" for n in range(26)]}, "events[0].impression", "25"),
        ({**LIKE, "sentAt": 1_700_000_000_000}, "events[0].sentAt", "milliseconds"),
        ({"eventType": "purchase", "itemId": "happy-001"}, "events[0].eventType", "like"),
        ({"eventType": "like"}, "events[0]", "itemId is required"),
    ],
)
def test_invalid_events_are_400_naming_the_field_and_never_sent(api: Api, event, field, words):
    before = _put_events(api)
    status, body = _post(api, [event], user="invalid-user")
    assert status == 400, body
    assert field in [f["field"] for f in body["fields"]]
    assert words in body["message"]
    assert _put_events(api) == before
    assert api.log("invalid-user") == []  # refused before the log, too


def test_empty_event_list_is_400(api: Api):
    status, body = _post(api, [])
    assert status == 400 and body["fields"][0]["field"] == "events"


def test_shape_repairs_and_batches_of_ten(api: Api):
    events = [{**LIKE, "itemId": f"happy-{n:03d}"} for n in range(1, 12)]
    events[0] |= {"eventValue": "4.5", "impression": "happy-001|happy-002"}
    before = _put_events(api)
    status, body = _post(api, events, user="p2-user")  # eleven events, no sentAt anywhere
    assert status == 200, body
    assert body["sent"] == 11
    assert _put_events(api) == before + 2  # 10 + 1
    first = next(json.loads(i["event"]) for i in api.log("p2-user") if "happy-001" in i["event"])
    assert first["eventValue"] == 4.5
    assert first["impression"] == ["happy-001", "happy-002"]
    assert first["sentAt"] > 1_700_000_000


def _wait_until_gone(personalize, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while personalize.list_event_trackers()["eventTrackers"]:
        assert time.monotonic() < deadline, "the old event tracker was never deleted"
        time.sleep(0.02)


def test_stale_tracking_id_is_refetched_and_the_like_is_not_lost(api: Api, personalize_ready):
    personalize = boto3.client("personalize")
    ssm = boto3.client("ssm")
    # GIVEN a warm function that has cached the tracking ID OLD
    status, _ = _post(api, [LIKE], user="s1-user")
    assert status == 200
    old = ssm.get_parameter(Name=api.tracking_parameter)["Parameter"]["Value"]
    # WHEN the tracker is replaced and SSM now holds NEW (the function's cache still has OLD)
    for tracker in personalize.list_event_trackers()["eventTrackers"]:
        personalize.delete_event_tracker(eventTrackerArn=tracker["eventTrackerArn"])
    _wait_until_gone(personalize)
    new = create_tracker(personalize, personalize_ready["group"], "s1-replacement")
    assert new != old
    ssm.put_parameter(Name=api.tracking_parameter, Value=new, Type="String", Overwrite=True)
    before = _put_events(api)
    status, body = _post(api, [{**LIKE, "itemId": "happy-009"}], user="s1-user")
    # THEN PutEvents failed once with OLD and succeeded with NEW: the like was delivered
    assert status == 200, body
    assert (body["sent"], body["pending"]) == (1, 0)
    assert _put_events(api) == before + 2
    assert _unsent(api, "s1-user") == []


def test_personalize_down_keeps_events_unsent_then_replay_sends_them_exactly_once(api: Api):
    api.faults({"throttle": {"PutEvents": 1.0}})
    status, body = _post(api, [{**LIKE, "itemId": f"happy-{n:03d}"} for n in range(1, 24)], "down")
    assert status == 202, body
    assert (body["accepted"], body["sent"], body["pending"]) == (23, 0, 23)
    assert any("ThrottlingException" in r for r in body["pendingReasons"])
    assert len(_unsent(api, "down")) == 23
    api.faults({})
    before = _put_events(api)
    first = api.replay()
    assert first["sent"] >= 23 and first["pending"] == 0
    assert _unsent(api, "down") == []
    assert _put_events(api) - before >= 3  # 23 events: 10 + 10 + 3
    second = api.replay()
    assert (second["found"], second["sent"]) == (0, 0)  # exactly once


def test_replay_leaves_young_events_to_the_request_that_logged_them(api: Api):
    api.faults({"throttle": {"PutEvents": 1.0}})
    assert _post(api, [LIKE], user="young")[0] == 202
    api.faults({})
    assert api.replay(minAgeSeconds=3600)["found"] == 0
    assert len(_unsent(api, "young")) == 1
    assert api.replay()["sent"] >= 1
    assert _unsent(api, "young") == []


def test_tracker_not_ready_is_202_and_nothing_is_lost(api: Api):
    ssm = boto3.client("ssm")
    current = ssm.get_parameter(Name=api.tracking_parameter)["Parameter"]["Value"]
    ssm.put_parameter(Name=api.tracking_parameter, Value="NONE", Type="String", Overwrite=True)
    try:
        status, body = _post(api, [LIKE], user="early")
        assert status == 202, body
        assert "not ready" in body["pendingReasons"][0]
        assert api.replay()["pending"] >= 1  # still NONE: stays unsent
        assert len(_unsent(api, "early")) == 1
    finally:
        ssm.put_parameter(Name=api.tracking_parameter, Value=current, Type="String", Overwrite=True)
    assert api.replay()["sent"] >= 1
    assert _unsent(api, "early") == []


def test_missing_tracking_parameter_is_a_clear_answer_not_a_traceback(api: Api):
    ssm = boto3.client("ssm")
    current = ssm.get_parameter(Name=api.tracking_parameter)["Parameter"]["Value"]
    ssm.delete_parameter(Name=api.tracking_parameter)
    try:
        status, body = _post(api, [LIKE], user="no-parameter")
        assert status == 202, body
        assert "could not be read" in body["pendingReasons"][0]
    finally:
        ssm.put_parameter(Name=api.tracking_parameter, Value=current, Type="String")
    assert api.replay()["sent"] >= 1


def test_new_users_are_registered_once(api: Api):
    before = api.personalize_calls().get("PutUsers", 0)
    first = _post(api, [LIKE], user="male/sad")[1]
    second = _post(api, [LIKE], user="male/sad")[1]
    own = _post(api, [LIKE], user="person-7", gender="female", emotion="calm")[1]
    anonymous = _post(api, [LIKE], user="person-8")[1]
    assert (first["userRegistration"], second["userRegistration"]) == ("registered", "known")
    assert own["userRegistration"] == "registered"
    assert anonymous.get("userRegistration") is None
    assert api.personalize_calls().get("PutUsers", 0) == before + 2


def test_malformed_json_and_wrong_content_type_name_the_problem(api: Api):
    broken = api.post(
        "/events",
        data=b'{"userId": "u1", "events": [',
        headers={"content-type": "application/json"},
    )
    as_text = api.post(
        "/events",
        data=b'{"userId": "u1", "events": [{"eventType": "like", "itemId": "happy-001"}]}',
        headers={"content-type": "text/plain"},
    )

    assert broken.status_code == 400
    assert broken.json()["fields"][0]["field"] == "body"
    assert broken.json()["fields"][0]["rule"].startswith("must be valid JSON")
    assert as_text.status_code == 415
    assert as_text.json()["fields"] == [
        {"field": "content-type", "rule": "must be application/json for this route"}
    ]
    assert api.log("u1") == []
