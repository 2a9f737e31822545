"""EnsureDatasets: the three schemas and the Interactions, Items and Users datasets."""

from __future__ import annotations

import json
from typing import Any

from recommender.clients import client
from recommender.exceptions import ResourceConflictError
from recommender.lifecycle.lookup import find_by_name, list_all
from recommender.lifecycle.polling import poll_outcome
from recommender.lifecycle.task import StepInput
from recommender.observability import logger
from recommender.schemas import SCHEMAS, describe_difference, schema_json

STEP = "EnsureDatasets"


def ensure_schema(personalize: Any, name: str, dataset_type: str) -> str:
    """Return the ARN of schema ``name``, creating it; fail if it exists with other fields."""
    found = find_by_name(personalize, "list_schemas", "schemas", name)
    if not found:
        arn = personalize.create_schema(name=name, schema=schema_json(dataset_type))["schemaArn"]
        logger.info("created schema", extra={"arn": arn})
        return arn
    arn = found["schemaArn"]
    existing = json.loads(personalize.describe_schema(schemaArn=arn)["schema"]["schema"])
    difference = describe_difference(SCHEMAS[dataset_type], existing)
    if difference:
        raise ResourceConflictError(f"{STEP}: schema {arn} differs from this app's: {difference}")
    return arn


def _ensure_dataset(
    personalize: Any, group_arn: str, name: str, dataset_type: str, schema_arn: str
) -> str:
    existing = {
        d["datasetType"].upper(): d
        for d in list_all(personalize, "list_datasets", "datasets", datasetGroupArn=group_arn)
    }
    if dataset_type in existing:
        arn = existing[dataset_type]["datasetArn"]
        actual = personalize.describe_dataset(datasetArn=arn)["dataset"]["schemaArn"]
        if actual != schema_arn:
            raise ResourceConflictError(
                f"{STEP}: dataset {arn} uses schema {actual}, expected {schema_arn}"
            )
        return arn
    arn = personalize.create_dataset(
        name=name, schemaArn=schema_arn, datasetGroupArn=group_arn, datasetType=dataset_type
    )["datasetArn"]
    logger.info("created dataset", extra={"arn": arn})
    return arn


def ensure_datasets(step: StepInput) -> dict[str, Any]:
    """Describe-or-create the schemas and datasets; ready when all three datasets are ACTIVE."""
    personalize = client("personalize")
    previous = step.previous("datasets")
    arns: dict[str, str] = previous.get("arns") or {}
    if not arns:
        group_arn = step.steps["datasetGroup"]["arn"]
        for dataset_type in SCHEMAS:
            suffix = dataset_type.lower()
            schema_arn = ensure_schema(personalize, step.config.name(suffix), dataset_type)
            arns[dataset_type] = _ensure_dataset(
                personalize, group_arn, step.config.name(suffix), dataset_type, schema_arn
            )
    statuses = {
        dataset_type: personalize.describe_dataset(datasetArn=arn)["dataset"]
        for dataset_type, arn in arns.items()
    }
    # The slowest dataset decides: report the first one that is not ACTIVE.
    pending = next((d for d in statuses.values() if d["status"] != "ACTIVE"), None)
    worst = pending or statuses["INTERACTIONS"]
    return poll_outcome(
        step.config,
        step=STEP,
        resource=f"dataset {worst['datasetArn']}",
        status=worst["status"],
        previous=previous,
        failure_reason=worst.get("failureReason"),
        arns=arns,
    )
