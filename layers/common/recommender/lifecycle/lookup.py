"""Find Personalize resources by name, so every "ensure" step can reuse what already exists."""

from __future__ import annotations

from typing import Any


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
