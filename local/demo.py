"""`make demo`: the whole system on one machine, from an empty stack to recommendations.

Starts moto and the Personalize emulator on loopback, deploys template.yaml, loads the
sample catalogue, runs the dataset generator, executes the lifecycle state machine (the
real ASL, the real handlers), then asks for recommendations for a segment user of every
emotion, prints a table and writes build/demo-report.json.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import boto3

from local.stack.deploy import REPO_ROOT
from local.stack.lifecycle_run import run_execution
from local.stack.offline import offline_stack

REPORT = REPO_ROOT / "build" / "demo-report.json"
EVENTS = REPO_ROOT / "events"
TOP = 10


def _load_event(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / name).read_text())


def _say(text: str) -> None:
    print(text, flush=True)


def _emulator_tracking_id() -> str | None:
    personalize = boto3.client("personalize")
    for tracker in personalize.list_event_trackers().get("eventTrackers", []):
        arn = tracker["eventTrackerArn"]
        return personalize.describe_event_tracker(eventTrackerArn=arn)["eventTracker"]["trackingId"]
    return None


def _recommendations(stack: Any) -> dict[str, Any]:
    from recommender.config import EMOTIONS

    table: dict[str, Any] = {}
    for emotion in EMOTIONS:
        user = f"female/{emotion.lower()}"
        answer = stack.invoke(
            "RecommendationsFunction", {"userId": user, "emotion": emotion, "numResults": TOP}
        )
        items = answer.get("items", [])
        table[emotion] = {
            "userId": user,
            "source": answer.get("source"),
            "items": [{"itemId": i["itemId"], "emotion": i.get("emotion")} for i in items],
            "matching": sum(1 for i in items if i.get("emotion") == emotion),
        }
    return table


def _print_table(table: dict[str, Any]) -> None:
    _say(f"\n{'emotion':<10} {'user':<18} {'source':<12} {'match':>5}  top items")
    for emotion, row in table.items():
        top = ", ".join(i["itemId"] for i in row["items"][:5])
        match = f"{row['matching']}/{len(row['items'])}"
        _say(f"{emotion:<10} {row['userId']:<18} {row['source']:<12} {match:>5}  {top}, ...")


def main() -> int:
    started = time.monotonic()
    _say("Starting moto and the Personalize emulator on 127.0.0.1, deploying template.yaml ...")
    with offline_stack(sys.argv[1] if len(sys.argv) > 1 else "server") as offline:
        stack = offline.stack
        _say(
            f"  stack {stack.name}: {len(stack.functions)} functions, "
            f"moto at {offline.services.moto_url}, Personalize at "
            f"{offline.services.personalize_url}"
        )
        _say("Generating training data (events/generate_dataset.json) ...")
        generated = stack.invoke("DatasetGeneratorFunction", _load_event("generate_dataset.json"))
        _say(f"  {generated['counts']}")
        _say("Running the lifecycle state machine (events/lifecycle-offline.json) ...")
        execution = run_execution(
            stack.outputs["LifecycleStateMachineArn"],
            _load_event("lifecycle-offline.json"),
            name="demo-full",
            progress=_say,
        )
        if execution.status != "SUCCEEDED":
            _say(f"Lifecycle {execution.status}: {execution.error}: {execution.cause}")
        parameter = stack.outputs["TrackingIdParameterName"]
        tracking_value = boto3.client("ssm").get_parameter(Name=parameter)["Parameter"]["Value"]
        table = _recommendations(stack)
        _print_table(table)
        report = {
            "execution": {
                "arn": execution.arn,
                "status": execution.status,
                "seconds": execution.seconds,
                "stateTransitions": execution.transitions,
                "error": execution.error,
                "cause": execution.cause,
                "output": execution.output,
            },
            "trackingIdParameter": {"name": parameter, "value": tracking_value},
            "emulatorTrackingId": _emulator_tracking_id(),
            "generated": generated["counts"],
            "recommendations": table,
            "demoSeconds": round(time.monotonic() - started, 2),
        }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2, default=str) + "\n")
    ok = execution.status == "SUCCEEDED" and report["emulatorTrackingId"] == tracking_value
    _say(
        f"\nExecution {execution.status} in {execution.seconds} s with "
        f"{execution.transitions} state transitions; tracking ID in {parameter} "
        f"{'matches' if ok else 'does NOT match'} the emulator's tracker."
    )
    _say(f"Report: {REPORT.relative_to(REPO_ROOT)} (whole demo {report['demoSeconds']} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
