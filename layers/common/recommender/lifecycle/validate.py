"""ValidateInput: the first state; checks the execution input before any resource is touched."""

from __future__ import annotations

from typing import Any

from recommender.exceptions import InvalidInputError
from recommender.lifecycle.config import build_config
from recommender.lifecycle.input_schema import LIFECYCLE_INPUT_SCHEMA, TEARDOWN_INPUT_SCHEMA
from recommender.lifecycle.teardown import STAGES
from recommender.training_data import data_bucket, object_etag, training_key

# Every result slot exists from the start, so no later JSONPath can hit a missing key
# (a States.Runtime error that no Catch can handle).
STEP_KEYS = (
    "datasetGroup",
    "datasets",
    "eventTracker",
    "prepare",
    "imports",
    "sufficiency",
    "solution",
    "solutionVersion",
    "metrics",
    "filter",
    "campaign",
)


def _require_training_data() -> None:
    bucket, key = data_bucket(), training_key("INTERACTIONS")
    if object_etag(bucket, key) is None:
        raise InvalidInputError(
            f"ValidateInput: no interactions data at s3://{bucket}/{key}; run the dataset "
            "generator (or upload your CSV) first"
        )


# State machine -> (input schema, result slots).
KINDS = {
    "lifecycle": (LIFECYCLE_INPUT_SCHEMA, STEP_KEYS),
    "teardown": (TEARDOWN_INPUT_SCHEMA, STAGES),
}


def validate_input(event: dict[str, Any]) -> dict[str, Any]:
    """Return the execution's state: the validated config and an empty slot per step.

    ``event["kind"]`` names the state machine ("lifecycle" unless given). Raises
    InvalidInputError naming the field and the rule.
    """
    kind = event.get("kind", "lifecycle")
    if kind not in KINDS:
        raise InvalidInputError(f"ValidateInput: kind must be one of {', '.join(KINDS)}")
    schema, slots = KINDS[kind]
    config = build_config(event.get("input"), event.get("executionName") or "manual", schema)
    if kind == "lifecycle":
        _require_training_data()
    return {"config": config.to_dict(), "steps": {key: {"polls": 0} for key in slots}}
