"""Teardown: delete this stack's Personalize resources in the order the service allows.

Campaigns, filters, solutions (stopping any training still running: it bills by the hour),
the event tracker, datasets, the dataset group, then schemas;
the state machine runs one stage at a time and moves on only when nothing of that kind is
left. A resource already in a DELETE state, or already gone, counts as progress. A delete
the service refuses for now (ResourceInUseException: an import still running, a campaign
still updating) is asked again after a backing-off wait. The last stage puts the SSM
settings back to NONE, so the functions fall back to the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from recommender.clients import client
from recommender.config import PLACEHOLDER
from recommender.exceptions import InvalidInputError, ResourceWaitTimeoutError
from recommender.lifecycle.lookup import find_by_name, list_all
from recommender.lifecycle.polling import next_wait_seconds
from recommender.lifecycle.task import StepInput
from recommender.observability import logger
from recommender.parameters import CAMPAIGN_ARN, FILTER_ARN, TRACKING_ID, write_setting
from recommender.schemas import SCHEMAS

STEP = "DeleteResources"
STAGES = (
    "campaigns",
    "filters",
    "solutions",
    "eventTrackers",
    "datasets",
    "datasetGroup",
    "schemas",
    "parameters",
)

# Stage -> (Delete operation, its ARN parameter, Describe operation, member of the answer).
DELETES = {
    "campaigns": ("delete_campaign", "campaignArn", "describe_campaign", "campaign"),
    "filters": ("delete_filter", "filterArn", "describe_filter", "filter"),
    "solutions": ("delete_solution", "solutionArn", "describe_solution", "solution"),
    "eventTrackers": (
        "delete_event_tracker",
        "eventTrackerArn",
        "describe_event_tracker",
        "eventTracker",
    ),
    "datasets": ("delete_dataset", "datasetArn", "describe_dataset", "dataset"),
    "datasetGroup": (
        "delete_dataset_group",
        "datasetGroupArn",
        "describe_dataset_group",
        "datasetGroup",
    ),
    "schemas": ("delete_schema", "schemaArn", "describe_schema", "schema"),
}


def _code(err: ClientError) -> str:
    return str(err.response.get("Error", {}).get("Code", ""))


def _group_arn(personalize: Any, prefix: str) -> str | None:
    found = find_by_name(personalize, "list_dataset_groups", "datasetGroups", prefix)
    return found["datasetGroupArn"] if found else None


def _remaining(personalize: Any, stage: str, prefix: str) -> list[str]:
    """ARNs of this stack's resources of one stage's kind that still exist."""
    if stage == "schemas":
        names = {f"{prefix}-{kind.lower()}" for kind in SCHEMAS}
        return [
            s["schemaArn"]
            for s in list_all(personalize, "list_schemas", "schemas")
            if s["name"] in names
        ]
    group = _group_arn(personalize, prefix)
    if group is None:
        return []
    if stage == "datasetGroup":
        return [group]
    listings: dict[str, Callable[[], list[str]]] = {
        "filters": lambda: [
            f["filterArn"]
            for f in list_all(personalize, "list_filters", "Filters", datasetGroupArn=group)
        ],
        "solutions": lambda: [
            s["solutionArn"]
            for s in list_all(personalize, "list_solutions", "solutions", datasetGroupArn=group)
        ],
        "eventTrackers": lambda: [
            t["eventTrackerArn"]
            for t in list_all(
                personalize, "list_event_trackers", "eventTrackers", datasetGroupArn=group
            )
        ],
        "datasets": lambda: [
            d["datasetArn"]
            for d in list_all(personalize, "list_datasets", "datasets", datasetGroupArn=group)
        ],
        "campaigns": lambda: [
            c["campaignArn"]
            for solution in list_all(
                personalize, "list_solutions", "solutions", datasetGroupArn=group
            )
            for c in list_all(
                personalize, "list_campaigns", "campaigns", solutionArn=solution["solutionArn"]
            )
        ],
    }
    return listings[stage]()


def _delete(personalize: Any, stage: str, arn: str) -> str:
    """Ask for one delete; return what happened: deleting, gone or blocked (with reason)."""
    delete, parameter, describe, member = DELETES[stage]
    try:
        status = getattr(personalize, describe)(**{parameter: arn})[member].get("status", "")
    except ClientError as err:
        if _code(err) == "ResourceNotFoundException":
            return "gone"
        raise
    if status.startswith("DELETE"):
        return "deleting"
    try:
        getattr(personalize, delete)(**{parameter: arn})
    except ClientError as err:
        if _code(err) == "ResourceNotFoundException":
            return "gone"
        if _code(err) == "ResourceInUseException":
            message = err.response.get("Error", {}).get("Message", "")
            logger.info("delete refused for now", extra={"arn": arn, "reason": message})
            return f"blocked: {message}"
        raise
    logger.info("delete started", extra={"arn": arn, "stage": stage})
    return "deleting"


def _stop_training(personalize: Any, solution_arns: list[str]) -> int:
    """Stop solution versions still training (billed by the hour) so the solutions can go."""
    stopped = 0
    for solution_arn in solution_arns:
        versions = list_all(
            personalize, "list_solution_versions", "solutionVersions", solutionArn=solution_arn
        )
        for version in versions:
            if version["status"] in ("CREATE PENDING", "CREATE IN_PROGRESS"):
                arn = version["solutionVersionArn"]
                personalize.stop_solution_version_creation(solutionVersionArn=arn)
                logger.info("training stopped", extra={"arn": arn})
                stopped += 1
    return stopped


def _reset_parameters() -> dict[str, Any]:
    names = [write_setting(env, PLACEHOLDER) for env in (TRACKING_ID, CAMPAIGN_ARN, FILTER_ARN)]
    logger.info("runtime settings reset", extra={"parameters": names})
    return {"ready": True, "polls": 0, "waitSeconds": 0, "reset": names}


def delete_stage(step: StepInput) -> dict[str, Any]:
    """Delete what is left of ``step.stage``; ready when none of it remains.

    Raises InvalidInputError for an unknown stage and ResourceWaitTimeoutError when
    resources are still there after the configured number of polls.
    """
    if step.stage not in STAGES:
        raise InvalidInputError(f"{STEP}: stage must be one of {', '.join(STAGES)}")
    if step.stage == "parameters":
        return _reset_parameters()
    personalize = client("personalize")
    previous = step.previous(step.stage)
    remaining = _remaining(personalize, step.stage, step.config.prefix)
    if step.stage == "solutions":
        _stop_training(personalize, remaining)
    outcomes = {arn: _delete(personalize, step.stage, arn) for arn in remaining}
    left = {arn: outcome for arn, outcome in outcomes.items() if outcome != "gone"}
    polls = int(previous.get("polls", 0))
    if not left:
        return {"ready": True, "polls": polls, "waitSeconds": 0, "deleted": len(outcomes)}
    polls += 1
    if polls > step.config.max_polls:
        raise ResourceWaitTimeoutError(
            f"{STEP}: timed out waiting for {step.stage} to be deleted after "
            f"{step.config.max_polls} polls: {left}"
        )
    return {
        "ready": False,
        "polls": polls,
        "waitSeconds": next_wait_seconds(step.config, polls),
        "left": left,
    }
