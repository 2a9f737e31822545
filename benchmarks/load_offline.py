"""Bounded offline load run: likes and recommendation reads against the offline HTTP API.

`make load` (or `python -m benchmarks.load_offline`). Starts the offline stack on loopback
(moto server, the Personalize emulator, the HTTP API twin of `make api`), trains a campaign with
the lifecycle, then lets a few client threads send POST /events likes and GET /recommendations
reads until the request budget or the time limit is spent, whichever comes first. Afterwards it
runs the replay until nothing is held, and counts, for every like the API accepted (200/202),
whether the interactions log says it was delivered, still holds it unsent, or lost it; the
emulator's own event store must hold each delivered like exactly once.

Optionally a share of PutEvents calls is throttled during the run (``--throttle 0.3``), so
that likes are held and the replay has work. Writes build/load.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from benchmarks.common import BUILD, percentile, use_repository_paths

EMOTIONS = ("HAPPY", "SAD", "CALM", "ANGRY", "SURPRISED", "FEAR", "CONFUSED", "DISGUSTED")


@dataclass
class Tally:
    """What the clients saw, shared between their threads under one lock."""

    budget: int
    deadline: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"like": [], "read": []})
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    accepted: dict[str, str] = field(default_factory=dict)  # eventId -> userId
    held_at_once: int = 0

    def take(self) -> bool:
        with self.lock:
            if self.budget <= 0 or time.monotonic() >= self.deadline:
                return False
            self.budget -= 1
            return True


def _client(url: str, tally: Tally, seed: int, users: list[str], read_share: float) -> None:
    import requests

    rng = random.Random(seed)
    session = requests.Session()
    while tally.take():
        user = rng.choice(users)
        emotion = rng.choice(EMOTIONS)
        kind = "read" if rng.random() < read_share else "like"
        started = time.perf_counter()
        try:
            if kind == "read":
                response = session.get(
                    f"{url}/recommendations",
                    params={"userId": user, "emotion": emotion, "numResults": 10},
                    timeout=10,
                )
            else:
                item = f"{emotion.lower()}-{rng.randint(1, 24):03d}"
                response = session.post(
                    f"{url}/events",
                    json={
                        "userId": user,
                        "sessionId": f"load-{seed}",
                        "events": [{"eventType": "like", "itemId": item}],
                    },
                    timeout=10,
                )
        except requests.RequestException as err:
            with tally.lock:
                tally.errors.append(f"{kind}: {type(err).__name__}")
            continue
        elapsed = time.perf_counter() - started
        with tally.lock:
            tally.latencies[kind].append(elapsed)
            tally.statuses[f"{kind} {response.status_code}"] += 1
            expected = (200,) if kind == "read" else (200, 202)
            if response.status_code not in expected:
                tally.errors.append(f"{kind}: HTTP {response.status_code}")
            elif kind == "like":
                body = response.json()
                tally.held_at_once += body["pending"]
                for event_id in body["eventIds"]:
                    tally.accepted[event_id] = user


def _train(offline: Any) -> str:
    from local.stack.lifecycle_run import run_execution

    stack = offline.stack
    stack.invoke("DatasetGeneratorFunction", json.loads(_event("generate_dataset.json")))
    result = run_execution(
        stack.outputs["LifecycleStateMachineArn"],
        json.loads(_event("lifecycle-offline.json")),
        name="load-setup",
    )
    if result.status != "SUCCEEDED":
        raise RuntimeError(f"lifecycle {result.status}: {result.error}: {result.cause}")
    return result.status


def _event(name: str) -> str:
    from benchmarks.common import REPO_ROOT

    return (REPO_ROOT / "events" / name).read_text()


def _replay_until_empty(offline: Any, rounds: int = 10) -> list[dict[str, Any]]:
    runs = []
    for _ in range(rounds):
        result = offline.stack.invoke(
            "ReplayUnsentEventsFunction", {"minAgeSeconds": 0, "maxEvents": 10_000}
        )
        runs.append(result)
        if result["found"] == 0:
            break
    return runs


def _log_state(offline: Any, accepted: dict[str, str]) -> Counter:
    """For each accepted like: delivered, held (unsent) or missing, from the interactions log."""
    import boto3

    table = offline.outputs["InteractionsTableName"]
    found: dict[str, str] = {}
    pages = boto3.client("dynamodb").get_paginator("scan").paginate(TableName=table)
    for page in pages:
        for item in page["Items"]:
            event_id = item.get("eventId", {}).get("S")
            if event_id in accepted:
                found[event_id] = "held" if "unsent" in item else "delivered"
    states = Counter(found.values())
    states["lost"] = len(accepted) - len(found)
    return states


def _streamed(offline: Any, users: set[str]) -> int:
    """Events the emulator recorded for the load users (exactly once: equals delivered)."""
    store = offline.services.emulator.emulator.store
    with store.lock:
        total = 0
        for arn, resource in store.resources.items():
            if ":dataset/" in arn and arn.endswith("/INTERACTIONS"):
                by_user = resource.extra.get("streamed_by_user", {})
                total += sum(len(by_user.get(user, [])) for user in users)
        return total


def run(args: argparse.Namespace) -> dict[str, Any]:
    use_repository_paths()
    from local.api.gateway import start_gateway
    from local.stack.offline import offline_stack

    users = [f"load-user-{n:03d}" for n in range(args.users)]
    with (
        offline_stack("server", emulator_settings={"time_scale": 0.2}) as offline,
        start_gateway(offline, "127.0.0.1", 0) as gateway,
    ):
        setup_started = time.monotonic()
        _train(offline)
        setup_seconds = time.monotonic() - setup_started
        if args.throttle:
            offline.services.emulator.set_faults(
                {"throttle": {"PutEvents": args.throttle}, "seed": args.seed}
            )
        calls_before = offline.services.emulator.calls().get("PutEvents", 0)
        tally = Tally(budget=args.requests, deadline=time.monotonic() + args.seconds)
        started = time.monotonic()
        threads = [
            threading.Thread(
                target=_client, args=(gateway.url, tally, args.seed + n, users, args.read_share)
            )
            for n in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 30)
        wall = time.monotonic() - started
        offline.services.emulator.set_faults({})
        held_before_replay = _log_state(offline, tally.accepted)
        replays = _replay_until_empty(offline)
        states = _log_state(offline, tally.accepted)
        streamed = _streamed(offline, set(users))
        put_events = offline.services.emulator.calls().get("PutEvents", 0) - calls_before
    served = sum(tally.statuses.values())
    every = tally.latencies["like"] + tally.latencies["read"]

    def ms(values: list[float], q: float) -> float | None:
        return round(percentile(values, q) * 1000, 1) if values else None

    return {
        "settings": vars(args),
        "setupSeconds": round(setup_seconds, 1),
        "wallSeconds": round(wall, 1),
        "requestsServed": served,
        "requestsPerSecond": round(served / wall, 1) if wall else None,
        "statuses": dict(sorted(tally.statuses.items())),
        "errors": len(tally.errors),
        "errorKinds": dict(Counter(tally.errors)),
        "latencyMs": {
            "all": {"p50": ms(every, 50), "p99": ms(every, 99)},
            "like": {
                "p50": ms(tally.latencies["like"], 50),
                "p99": ms(tally.latencies["like"], 99),
            },
            "read": {
                "p50": ms(tally.latencies["read"], 50),
                "p99": ms(tally.latencies["read"], 99),
            },
        },
        "likesAccepted": len(tally.accepted),
        "likesHeldByTheRequest": tally.held_at_once,
        "heldBeforeReplay": held_before_replay.get("held", 0),
        "replays": [{k: r[k] for k in ("found", "sent", "pending")} for r in replays],
        "likesDelivered": states.get("delivered", 0),
        "likesStillHeld": states.get("held", 0),
        "eventsLost": states.get("lost", 0),
        "emulatorEventsForLoadUsers": streamed,
        "putEventsCalls": put_events,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load_offline", description=__doc__)
    parser.add_argument("--requests", type=int, default=2000, help="request budget (all clients)")
    parser.add_argument("--seconds", type=float, default=120.0, help="time limit of the run")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--read-share", type=float, default=0.5)
    parser.add_argument("--throttle", type=float, default=0.0, help="share of PutEvents throttled")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", default=str(BUILD / "load.json"))
    args = parser.parse_args(argv)
    if not (1 <= args.requests <= 100_000 and 0 < args.seconds <= 900 and 1 <= args.clients <= 32):
        parser.error("--requests 1..100000, --seconds up to 900, --clients 1..32")
    report = run(args)
    BUILD.mkdir(exist_ok=True)
    with open(args.output, "w") as out:
        json.dump(report, out, indent=2)
    print(json.dumps(report, indent=2))
    ok = (
        report["eventsLost"] == 0
        and report["emulatorEventsForLoadUsers"] == report["likesDelivered"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
