"""EnsureEmotionFilter: the filter that keeps recommendations to the asked emotion."""

from __future__ import annotations

from typing import Any

from recommender.clients import client
from recommender.exceptions import ResourceConflictError
from recommender.lifecycle.lookup import find_or_create
from recommender.lifecycle.polling import poll_outcome
from recommender.lifecycle.task import StepInput
from recommender.parameters import FILTER_ARN, write_setting

STEP = "EnsureEmotionFilter"
EMOTION_FILTER = "INCLUDE ItemID WHERE Items.EMOTION IN ($EMOTION)"


def ensure_filter(step: StepInput) -> dict[str, Any]:
    """Describe-or-create the emotion filter; store its ARN in SSM once ACTIVE."""
    personalize = client("personalize")
    previous = step.previous("filter")
    arn = previous.get("arn")
    if not arn:
        group_arn = step.steps["datasetGroup"]["arn"]
        name = step.config.name("emotion")
        arn = find_or_create(
            personalize,
            "filter",
            name,
            lambda: personalize.create_filter(
                name=name, datasetGroupArn=group_arn, filterExpression=EMOTION_FILTER
            )["filterArn"],
            datasetGroupArn=group_arn,
        )
    described = personalize.describe_filter(filterArn=arn)["filter"]
    if described.get("filterExpression") != EMOTION_FILTER:
        raise ResourceConflictError(
            f"{STEP}: filter {arn} has expression {described.get('filterExpression')!r}, "
            f"expected {EMOTION_FILTER!r}"
        )
    result = poll_outcome(
        step.config,
        step=STEP,
        resource=f"filter {arn}",
        status=described["status"],
        previous=previous,
        failure_reason=described.get("failureReason"),
        arn=arn,
    )
    if result["ready"]:
        result["parameter"] = write_setting(FILTER_ARN, arn)
    return result
