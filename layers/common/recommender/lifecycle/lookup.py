"""Find Personalize resources by name, so every "ensure" step can reuse what already exists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from recommender.observability import logger

# Resource kind -> (List paginator, member holding the summaries, ARN member).
LISTINGS = {
    "dataset group": ("list_dataset_groups", "datasetGroups", "datasetGroupArn"),
    "solution": ("list_solutions", "solutions", "solutionArn"),
    "filter": ("list_filters", "Filters", "filterArn"),
}


def find_by_name(
    personalize: Any,
    operation: str,
    list_key: str,
    name: str,
    *,
    name_key: str = "name",
    **filters: Any,
) -> dict[str, Any] | None:
    """Return the summary named ``name`` from a List operation's pages, or None.

    ``operation`` is the paginator name (e.g. "list_dataset_groups"), ``list_key`` the member
    holding the summaries (e.g. "datasetGroups") and ``name_key`` the summary's name member
    (import jobs call it "jobName").
    """
    for page in personalize.get_paginator(operation).paginate(**filters):
        for summary in page.get(list_key, []):
            if summary.get(name_key) == name:
                return summary
    return None


def list_all(personalize: Any, operation: str, list_key: str, **filters: Any) -> list[dict]:
    """Every summary a List operation returns, across pages."""
    found: list[dict] = []
    for page in personalize.get_paginator(operation).paginate(**filters):
        found.extend(page.get(list_key, []))
    return found


def find_or_create(
    personalize: Any, kind: str, name: str, create: Callable[[], str], **filters: Any
) -> str:
    """ARN of the ``kind`` resource named ``name``: found by its List operation, else created.

    ``create`` makes the resource and returns its ARN; it runs only when none exists.
    """
    operation, list_key, arn_key = LISTINGS[kind]
    found = find_by_name(personalize, operation, list_key, name, **filters)
    if found:
        logger.info(f"reusing {kind}", extra={"arn": found[arn_key]})
        return str(found[arn_key])
    arn = create()
    logger.info(f"created {kind}", extra={"arn": arn})
    return arn
