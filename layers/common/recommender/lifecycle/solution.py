"""EnsureSolution: find or create the solution with the configured recipe."""

from __future__ import annotations

from typing import Any

from recommender.clients import client
from recommender.exceptions import ResourceConflictError
from recommender.lifecycle.lookup import find_or_create
from recommender.lifecycle.polling import poll_outcome
from recommender.lifecycle.task import StepInput

STEP = "EnsureSolution"


def recipe_arn(recipe: str) -> str:
    """ARN of a Personalize-owned recipe."""
    return f"arn:aws:personalize:::recipe/{recipe}"


def ensure_solution(step: StepInput) -> dict[str, Any]:
    """Describe-or-create the solution; fail if it exists with another recipe."""
    personalize = client("personalize")
    previous = step.previous("solution")
    arn = previous.get("arn")
    wanted = recipe_arn(step.config.recipe)
    if not arn:
        group_arn = step.steps["datasetGroup"]["arn"]
        name = step.config.name("solution")
        arn = find_or_create(
            personalize,
            "solution",
            name,
            lambda: personalize.create_solution(
                name=name, datasetGroupArn=group_arn, recipeArn=wanted
            )["solutionArn"],
            datasetGroupArn=group_arn,
        )
    solution = personalize.describe_solution(solutionArn=arn)["solution"]
    if solution.get("recipeArn") != wanted:
        raise ResourceConflictError(
            f"{STEP}: solution {arn} uses recipe {solution.get('recipeArn')}, "
            f"but {wanted} was asked for; delete it or change the recipe"
        )
    return poll_outcome(
        step.config,
        step=STEP,
        resource=f"solution {arn}",
        status=solution["status"],
        previous=previous,
        failure_reason=solution.get("failureReason"),
        arn=arn,
    )
