"""TrainSolutionVersion: train when needed, never start a second paid job for one execution.

Training is needed when the input asks for it (trainingMode UPDATE or forceTraining), when no
ACTIVE version exists, or when data was imported after the newest ACTIVE version. Before
creating, the step reuses any version of this solution still in progress, and any version
named after this execution: a retried task after Personalize accepted the call finds it.
"""

from __future__ import annotations

from typing import Any

from recommender.clients import client
from recommender.lifecycle.lookup import list_all
from recommender.lifecycle.polling import IN_FLIGHT, poll_outcome
from recommender.lifecycle.task import StepInput
from recommender.observability import logger

STEP = "TrainSolutionVersion"


# Summaries carry no name; describing the newest few finds one this execution created.
RECENT_TO_DESCRIBE = 5


def _created_by_execution(personalize: Any, step: StepInput, versions: list[dict]) -> dict | None:
    newest = sorted(versions, key=lambda v: v["creationDateTime"], reverse=True)
    for version in newest[:RECENT_TO_DESCRIBE]:
        described = personalize.describe_solution_version(
            solutionVersionArn=version["solutionVersionArn"]
        )["solutionVersion"]
        if described.get("name") == step.config.execution_name:
            return described
    return None


def _pick_existing(
    personalize: Any, step: StepInput, versions: list[dict]
) -> tuple[dict | None, str]:
    """A version to reuse instead of training, and why (or None)."""
    mine = _created_by_execution(personalize, step, versions)
    if mine:
        return mine, "created earlier by this execution"
    for version in versions:
        if version["status"] in IN_FLIGHT:
            return version, "already training"
    if step.config.training_mode == "UPDATE" or step.config.force_training:
        return None, "retraining was asked for"
    active = [v for v in versions if v["status"] == "ACTIVE"]
    if not active:
        return None, "no trained version yet"
    newest = max(active, key=lambda v: v["creationDateTime"])
    if newest["creationDateTime"].timestamp() < step.steps["imports"].get("lastImportedAt", 0):
        return None, "new data was imported since the last training"
    return newest, "no new data since the last training"


def _training_mode(step: StepInput, versions: list[dict]) -> str:
    if step.config.training_mode == "UPDATE" and not any(v["status"] == "ACTIVE" for v in versions):
        # UPDATE needs a FULL version to start from; train one instead of failing.
        logger.warning("UPDATE asked without an ACTIVE version; training FULL")
        return "FULL"
    return step.config.training_mode


def train_solution_version(step: StepInput) -> dict[str, Any]:
    """Reuse or create the solution version this execution deploys; ready when ACTIVE."""
    personalize = client("personalize")
    previous = step.previous("solutionVersion")
    arn = previous.get("arn")
    reason = previous.get("reason", "")
    created = bool(previous.get("created"))
    mode = previous.get("trainingMode", "")
    if not arn:
        solution_arn = step.steps["solution"]["arn"]
        versions = list_all(
            personalize, "list_solution_versions", "solutionVersions", solutionArn=solution_arn
        )
        existing, reason = _pick_existing(personalize, step, versions)
        if existing:
            arn, mode = existing["solutionVersionArn"], existing.get("trainingMode", "")
            logger.info("reusing solution version", extra={"arn": arn, "reason": reason})
        else:
            mode = _training_mode(step, versions)
            arn = personalize.create_solution_version(
                solutionArn=solution_arn, name=step.config.execution_name, trainingMode=mode
            )["solutionVersionArn"]
            created = True
            logger.info("training started", extra={"arn": arn, "mode": mode, "reason": reason})
    version = personalize.describe_solution_version(solutionVersionArn=arn)["solutionVersion"]
    return poll_outcome(
        step.config,
        step=STEP,
        resource=f"solution version {arn}",
        status=version["status"],
        previous=previous,
        failure_reason=version.get("failureReason"),
        arn=arn,
        created=created,
        reason=reason,
        trainingMode=mode or version.get("trainingMode", ""),
    )
