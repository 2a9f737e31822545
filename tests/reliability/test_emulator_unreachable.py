"""Personalize unreachable while likes arrive: every like is kept, then sent exactly once.

Not a throttle (tests/api/test_events.py injects ThrottlingException, an answer): here nothing
answers at all. The events endpoint points at a closed loopback port, as when the service or
the network is down, so PutEvents fails to connect. After the endpoint comes back, the replay
sends every held like once; the emulator's call counter and its per-user event store prove it.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest

from recommender.clients import reset_clients
from tests.api.conftest import Api

USER = "outage-user"
SESSION = "outage-session"
LIKES = 25


@pytest.fixture(autouse=True)
def _ready(personalize_ready):
    return personalize_ready


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there any more


@contextmanager
def personalize_events_unreachable() -> Iterator[None]:
    """PutEvents and PutUsers connect to a port nobody listens on until the block ends."""
    with mock.patch.dict(os.environ, {"AWS_ENDPOINT_URL_PERSONALIZE_EVENTS": _closed_port_url()}):
        reset_clients()  # cached clients keep the endpoint they were built with
        try:
            yield
        finally:
            reset_clients()
    reset_clients()


def _like(api: Api, n: int):
    return api.post(
        "/events",
        json={
            "userId": USER,
            "sessionId": SESSION,
            "events": [{"eventType": "like", "itemId": f"happy-{n:03d}"}],
        },
    )


def _unsent(api: Api) -> list[dict]:
    return [i for i in api.log(USER) if "unsent" in i and i["eventKey"] != "#user"]


def _streamed(api: Api, group_arn: str) -> list:
    """Events the emulator recorded for USER (its store: PutEvents has no read API)."""
    store = api.offline.services.emulator.emulator.store
    with store.lock:
        dataset = store.dataset_of(group_arn, "Interactions")
        return list(dataset.extra["streamed_by_user"].get(USER, []))


def test_likes_during_an_outage_are_kept_and_later_sent_exactly_once(api: Api, personalize_ready):
    put_events = api.personalize_calls().get("PutEvents", 0)
    # GIVEN Personalize cannot be reached
    with personalize_events_unreachable():
        # WHEN likes arrive one request at a time
        answers = [_like(api, n) for n in range(1, LIKES + 1)]
    # THEN each is accepted (202), held unsent in the log, and none reached Personalize
    assert [a.status_code for a in answers] == [202] * LIKES
    bodies = [a.json() for a in answers]
    assert all((b["accepted"], b["sent"], b["pending"]) == (1, 0, 1) for b in bodies)
    assert all("Personalize unavailable" in b["pendingReasons"][0] for b in bodies)
    assert len(_unsent(api)) == LIKES
    assert api.personalize_calls().get("PutEvents", 0) == put_events
    assert _streamed(api, personalize_ready["group"]) == []

    # WHEN Personalize is back and the replay runs
    replayed = api.replay()
    # THEN every held like is sent once, ten to a call (one user, one session)
    assert (replayed["found"], replayed["sent"], replayed["pending"]) == (LIKES, LIKES, 0)
    assert api.personalize_calls().get("PutEvents", 0) == put_events + 3  # 10 + 10 + 5
    assert _unsent(api) == []
    streamed = _streamed(api, personalize_ready["group"])
    assert sorted(item for _, item, _ in streamed) == [f"happy-{n:03d}" for n in range(1, 26)]
    logged = {json.loads(i["event"])["eventId"] for i in api.log(USER) if "event" in i}
    assert logged == {b["eventIds"][0] for b in bodies}
    assert all("deliveredAt" in i for i in api.log(USER) if "event" in i)

    # AND a second replay finds nothing: exactly once
    again = api.replay()
    assert (again["found"], again["sent"]) == (0, 0)
    assert api.personalize_calls().get("PutEvents", 0) == put_events + 3
    assert len(_streamed(api, personalize_ready["group"])) == LIKES


def test_likes_after_the_outage_go_straight_through(api: Api):
    with personalize_events_unreachable():
        assert _like(api, 30).status_code == 202
    answer = _like(api, 31)
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["sent"], answer.json()["pending"]) == (1, 0)
    api.replay()  # leave nothing held for the next test
