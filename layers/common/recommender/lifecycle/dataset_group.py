"""EnsureDatasetGroup: find or create this stack's dataset group and wait until it is ACTIVE."""

from __future__ import annotations

from typing import Any

from recommender.clients import client
from recommender.lifecycle.lookup import find_or_create
from recommender.lifecycle.polling import poll_outcome
from recommender.lifecycle.task import StepInput

STEP = "EnsureDatasetGroup"


def ensure_dataset_group(step: StepInput) -> dict[str, Any]:
    """Describe-or-create the dataset group named after the stack."""
    personalize = client("personalize")
    previous = step.previous("datasetGroup")
    arn = previous.get("arn")
    if not arn:
        name = step.config.prefix
        arn = find_or_create(
            personalize,
            "dataset group",
            name,
            lambda: personalize.create_dataset_group(name=name)["datasetGroupArn"],
        )
    group = personalize.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
    return poll_outcome(
        step.config,
        step=STEP,
        resource=f"dataset group {arn}",
        status=group["status"],
        previous=previous,
        failure_reason=group.get("failureReason"),
        arn=arn,
    )
