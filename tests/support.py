"""Helpers shared by the test modules: sample events, the offline stack, emulator counts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from local.stack.lifecycle_run import ExecutionResult, run_execution
from local.stack.offline import OfflineStack

REPO = Path(__file__).resolve().parents[1]
EVENTS = REPO / "events"

# Resources become ACTIVE within about one 1-second poll; training takes a poll or two.
FAST_EMULATOR = {"time_scale": 0.5}


def load_event(name: str) -> dict[str, Any]:
    """A sample event from events/, exactly as `sam local invoke -e` would send it."""
    return json.loads((EVENTS / name).read_text())


def emulator_calls(offline: OfflineStack) -> dict[str, int]:
    """How many calls of each operation the Personalize emulator has served."""
    return dict(offline.services.emulator.calls())


def creates(calls: dict[str, int]) -> dict[str, int]:
    """Only the calls that create or change a resource."""
    return {op: n for op, n in calls.items() if op.startswith(("Create", "Update"))}


def generate(offline: OfflineStack, **overrides: Any) -> dict[str, Any]:
    """Run the dataset generator function with events/generate_dataset.json (+ overrides)."""
    event = {**load_event("generate_dataset.json"), **overrides}
    return offline.stack.invoke("DatasetGeneratorFunction", event)


def execute(offline: OfflineStack, execution_input: dict[str, Any], name: str) -> ExecutionResult:
    """Start the lifecycle state machine and wait for the end of the execution."""
    return run_execution(
        offline.outputs["LifecycleStateMachineArn"], execution_input, name=name, timeout=120
    )


def offline_input(**overrides: Any) -> dict[str, Any]:
    """events/lifecycle-offline.json with some keys replaced."""
    return {**load_event("lifecycle-offline.json"), **overrides}


def ssm_value(offline: OfflineStack, output: str) -> str:
    """Value of the SSM parameter whose name is the stack output ``output``."""
    name = offline.outputs[output]
    return boto3.client("ssm").get_parameter(Name=name)["Parameter"]["Value"]
