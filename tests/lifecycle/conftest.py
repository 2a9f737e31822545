"""Fixtures that run the real lifecycle ASL on moto's engine against the emulator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from local.stack.lifecycle_run import ExecutionResult, run_execution
from local.stack.offline import OfflineStack, offline_stack
from tests.conftest import load_event

# Resources become ACTIVE within about one 1-second poll; training takes a poll or two.
FAST_EMULATOR = {"time_scale": 0.5}


@pytest.fixture
def fresh_stack() -> Iterator[OfflineStack]:
    """An empty offline stack (in-process moto, its own emulator), catalogue loaded."""
    with offline_stack("inprocess", emulator_settings=FAST_EMULATOR) as offline:
        yield offline


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
    return {**load_event("lifecycle-offline.json"), **overrides}


def ssm_value(offline: OfflineStack, output: str) -> str:
    name = offline.outputs[output]
    return boto3.client("ssm").get_parameter(Name=name)["Parameter"]["Value"]


RunLifecycle = Callable[..., ExecutionResult]
