"""ValidateInput: the first state; checks the execution input before any resource is touched."""

from __future__ import annotations

from typing import Any

from recommender.lifecycle.config import build_config

# Every result slot exists from the start, so no later JSONPath can hit a missing key
# (a States.Runtime error that no Catch can handle).
STEP_KEYS = (
    "datasetGroup",
    "datasets",
    "eventTracker",
    "imports",
    "sufficiency",
    "solution",
    "solutionVersion",
    "metrics",
    "filter",
    "campaign",
)


def validate_input(event: dict[str, Any]) -> dict[str, Any]:
    """Return the execution's state: the validated config and an empty slot per step.

    Raises InvalidInputError naming the field and the rule.
    """
    config = build_config(event.get("input"), event.get("executionName") or "manual")
    return {"config": config.to_dict(), "steps": {key: {"polls": 0} for key in STEP_KEYS}}
