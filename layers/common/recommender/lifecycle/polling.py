"""Bounded, backing-off polling of asynchronous Personalize resources.

A step never raises to mean "still pending": it returns ``ready: false`` with the number of
seconds the state machine's Wait state should sleep. Waits double from the initial value up
to the cap; after ``max_polls`` the step fails with ResourceWaitTimeoutError.
"""

from __future__ import annotations

from typing import Any

from recommender.exceptions import ResourceFailedError, ResourceWaitTimeoutError
from recommender.lifecycle.config import LifecycleConfig

ACTIVE = "ACTIVE"
FAILED = "CREATE FAILED"
STOPPED = ("CREATE STOPPING", "CREATE STOPPED")
IN_FLIGHT = ("CREATE PENDING", "CREATE IN_PROGRESS", "UPDATE PENDING", "UPDATE IN_PROGRESS")


def next_wait_seconds(config: LifecycleConfig, polls: int) -> int:
    """Seconds to wait before poll number ``polls + 1`` (doubling, capped)."""
    return min(config.poll_initial_seconds * 2 ** max(polls - 1, 0), config.poll_max_seconds)


def poll_outcome(
    config: LifecycleConfig,
    *,
    step: str,
    resource: str,
    status: str,
    previous: dict[str, Any],
    failure_reason: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """Turn a resource's status into this step's result.

    Returns ``ready: true`` when ACTIVE, else a result asking for another poll.
    Raises ResourceFailedError on CREATE FAILED and ResourceWaitTimeoutError past the limit.
    """
    if status in STOPPED:
        raise ResourceFailedError(f"{step}: {resource} was stopped ({status}) before it was done")
    if status == FAILED or status.endswith("FAILED"):
        raise ResourceFailedError(
            f"{step}: {resource} ended {status}: {failure_reason or 'no failureReason given'}"
        )
    polls = int(previous.get("polls", 0))
    if status == ACTIVE:
        return {**fields, "status": status, "ready": True, "polls": polls, "waitSeconds": 0}
    polls += 1
    if polls > config.max_polls:
        raise ResourceWaitTimeoutError(
            f"{step}: timed out waiting for {resource} after {config.max_polls} polls "
            f"(last status {status})"
        )
    return {
        **fields,
        "status": status,
        "ready": False,
        "polls": polls,
        "waitSeconds": next_wait_seconds(config, polls),
    }
