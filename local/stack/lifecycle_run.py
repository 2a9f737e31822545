"""Start a lifecycle execution on the offline stack and follow it, printing progress."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3


@dataclass
class ExecutionResult:
    """How an execution ended, with the figures the demo report and tests need."""

    arn: str
    status: str
    seconds: float
    transitions: int
    output: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    cause: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    def states_entered(self) -> list[str]:
        return [
            e["stateEnteredEventDetails"]["name"]
            for e in self.history
            if "stateEnteredEventDetails" in e
        ]


def _history(sfn: Any, arn: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for page in sfn.get_paginator("get_execution_history").paginate(executionArn=arn):
        events.extend(page["events"])
    return events


def run_execution(
    state_machine_arn: str,
    execution_input: dict[str, Any],
    *,
    name: str | None = None,
    timeout: float = 300.0,
    progress: Callable[[str], None] | None = None,
) -> ExecutionResult:
    """Start an execution and wait for it to finish (or raise TimeoutError after ``timeout``)."""
    sfn = boto3.client("stepfunctions")
    name = name or f"run-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
    started = time.monotonic()
    arn = sfn.start_execution(
        stateMachineArn=state_machine_arn, name=name, input=json.dumps(execution_input)
    )["executionArn"]
    seen = 0
    while True:
        described = sfn.describe_execution(executionArn=arn)
        if progress:
            history = _history(sfn, arn)
            for event in history[seen:]:
                line = _progress_line(event, time.monotonic() - started)
                if line:
                    progress(line)
            seen = len(history)
        if described["status"] != "RUNNING":
            break
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"execution {arn} still RUNNING after {timeout:.0f} s")
        time.sleep(0.2)
    history = _history(sfn, arn)
    return ExecutionResult(
        arn=arn,
        status=described["status"],
        seconds=round(time.monotonic() - started, 2),
        transitions=sum(1 for e in history if e["type"].endswith("StateEntered")),
        output=json.loads(described.get("output") or "{}"),
        error=described.get("error"),
        cause=described.get("cause"),
        history=history,
    )


def _progress_line(event: dict[str, Any], elapsed: float) -> str | None:
    kind = event["type"]
    if kind == "TaskStateExited":
        details = event["stateExitedEventDetails"]
        output = json.loads(details.get("output") or "{}")
        step = _last_step(output, details["name"])
        status = f" {step.get('status')}" if step.get("status") else ""
        return f"  [{elapsed:5.1f}s] {details['name']}{status}"
    if kind == "WaitStateEntered":
        name = event["stateEnteredEventDetails"]["name"]
        return f"  [{elapsed:5.1f}s]   {name} ..."
    if kind in ("ExecutionSucceeded", "ExecutionFailed"):
        return f"  [{elapsed:5.1f}s] {kind.removeprefix('Execution').upper()}"
    return None


STEP_OF_STATE = {
    "EnsureDatasetGroup": "datasetGroup",
    "EnsureDatasets": "datasets",
    "EnsureEventTracker": "eventTracker",
    "PrepareTrainingData": "prepare",
    "ImportDatasets": "imports",
    "CheckDataSufficiency": "sufficiency",
    "EnsureSolution": "solution",
    "TrainSolutionVersion": "solutionVersion",
    "LogSolutionMetrics": "metrics",
    "EnsureEmotionFilter": "filter",
    "EnsureCampaign": "campaign",
}


def _last_step(output: dict[str, Any], state: str) -> dict[str, Any]:
    key = STEP_OF_STATE.get(state)
    if not key:
        return {}
    return (output.get("steps") or {}).get(key) or {}
