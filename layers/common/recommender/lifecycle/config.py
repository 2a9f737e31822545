"""The lifecycle's configuration: template defaults from the environment, overridden by input."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from aws_lambda_powertools.utilities.validation import SchemaValidationError, validate

from recommender.config import optional_int, optional_str, required
from recommender.exceptions import InvalidInputError
from recommender.lifecycle.input_schema import LIFECYCLE_INPUT_SCHEMA

# Step Functions Standard workflows stop at 25,000 history events. One poll round trip
# (Task, Choice, Wait) writes about 10; refuse settings whose worst case comes near the limit.
HISTORY_EVENT_LIMIT = 25_000
EVENTS_PER_POLL = 10
POLLED_STEPS = 8
HISTORY_SAFETY_MARGIN = 0.8
# The longest resource name is "<prefix>-interactions-log-<16 hex>" (imports.py).
MAX_PREFIX = 63 - len("-interactions-log-") - 16


@dataclass(frozen=True)
class LifecycleConfig:
    """Everything a lifecycle step needs to know besides the results of earlier steps."""

    prefix: str
    execution_name: str
    training_mode: str
    force_training: bool
    recipe: str
    min_provisioned_tps: int
    exploration_weight: float
    min_interactions: int
    min_users: int
    sufficiency_rechecks: int
    sufficiency_wait_seconds: int
    poll_initial_seconds: int
    poll_max_seconds: int
    max_polls: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LifecycleConfig:
        return cls(**data)

    def name(self, suffix: str) -> str:
        """Name of one of this stack's Personalize resources."""
        return f"{self.prefix}-{suffix}"


def _defaults() -> dict[str, Any]:
    return {
        "recipe": optional_str("RECIPE", "aws-user-personalization"),
        "minProvisionedTPS": optional_int("MIN_PROVISIONED_TPS", 1),
        "sufficiency": {
            "minInteractions": optional_int("MIN_INTERACTIONS", 1000),
            "minUsers": optional_int("MIN_USERS", 25),
            "rechecks": optional_int("SUFFICIENCY_RECHECKS", 3),
            "waitSeconds": optional_int("SUFFICIENCY_WAIT_SECONDS", 600),
        },
        "polling": {
            "initialSeconds": optional_int("POLL_INITIAL_SECONDS", 40),
            "maxSeconds": optional_int("POLL_MAX_SECONDS", 600),
            "maxPolls": optional_int("POLL_MAX_ATTEMPTS", 120),
        },
    }


def _execution_name(raw: str) -> str:
    # Personalize names allow [a-zA-Z0-9][a-zA-Z0-9-_]* up to 63 characters.
    cleaned = re.sub(r"[^a-zA-Z0-9\-_]", "-", raw).lstrip("-_") or "manual"
    return cleaned[:63]


def build_config(
    execution_input: Any, execution_name: str, schema: dict[str, Any] = LIFECYCLE_INPUT_SCHEMA
) -> LifecycleConfig:
    """Validate the execution input and merge it over the template's defaults.

    Raises InvalidInputError naming the field and the rule; nothing has been touched yet.
    """
    if execution_input is None:
        execution_input = {}
    try:
        validate(event=execution_input, schema=schema)
    except SchemaValidationError as err:
        rule = str(err.validation_message or err.message).replace("data", "input", 1)
        raise InvalidInputError(f"ValidateInput: {rule}") from err
    defaults = _defaults()
    sufficiency = {**defaults["sufficiency"], **execution_input.get("sufficiency", {})}
    polling = {**defaults["polling"], **execution_input.get("polling", {})}
    if polling["maxSeconds"] < polling["initialSeconds"]:
        raise InvalidInputError(
            "ValidateInput: input.polling.maxSeconds must be at least polling.initialSeconds"
        )
    worst_case = (polling["maxPolls"] * POLLED_STEPS + sufficiency["rechecks"]) * EVENTS_PER_POLL
    if worst_case > HISTORY_EVENT_LIMIT * HISTORY_SAFETY_MARGIN:
        raise InvalidInputError(
            f"ValidateInput: input.polling.maxPolls={polling['maxPolls']} could write "
            f"{worst_case} history events; keep it under {int(HISTORY_EVENT_LIMIT * 0.8)}"
        )
    prefix = required("RESOURCE_PREFIX")
    if len(prefix) > MAX_PREFIX or not re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9\-_]*", prefix):
        raise InvalidInputError(
            f"ValidateInput: the stack name {prefix!r} names every Personalize resource; it "
            f"must be 1 to {MAX_PREFIX} letters, digits, - or _ (Personalize names stop at 63 "
            "characters and the longest suffix is 34)"
        )
    return LifecycleConfig(
        prefix=prefix,
        execution_name=_execution_name(execution_name),
        training_mode=execution_input.get("trainingMode", "FULL"),
        force_training=bool(execution_input.get("forceTraining", False)),
        recipe=execution_input.get("recipe", defaults["recipe"]),
        min_provisioned_tps=execution_input.get("minProvisionedTPS", defaults["minProvisionedTPS"]),
        exploration_weight=float(execution_input.get("explorationWeight", 0.3)),
        min_interactions=sufficiency["minInteractions"],
        min_users=sufficiency["minUsers"],
        sufficiency_rechecks=sufficiency["rechecks"],
        sufficiency_wait_seconds=sufficiency["waitSeconds"],
        poll_initial_seconds=polling["initialSeconds"],
        poll_max_seconds=polling["maxSeconds"],
        max_polls=polling["maxPolls"],
    )
