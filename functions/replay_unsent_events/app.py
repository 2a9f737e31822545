"""Replay: send the events (and user registrations) that Personalize could not take at once.

Runs on a schedule. Input (all optional): {"minAgeSeconds": 300, "maxEvents": 1000}. Only
events older than minAgeSeconds are replayed, so a request still delivering its own events is
never raced; each event is claimed with a conditional write before it is sent, so it is sent
exactly once. Output: counts of found, claimed, sent, pending and rejected events.
"""

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from recommender.clients import client
from recommender.config import optional_str, required
from recommender.event_log import replay_unsent
from recommender.exceptions import InvalidInputError
from recommender.observability import logger, metrics, tracer


def _bounded(event: dict[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = event.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInputError(f"{key} must be a whole number from {low} to {high}")
    return value


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def _handle(event: dict[str, Any] | None, context: Any) -> dict[str, Any]:
    event = event if isinstance(event, dict) else {}
    result = replay_unsent(
        client("dynamodb"),
        client("personalize-events"),
        required("INTERACTIONS_TABLE"),
        users_dataset_arn=optional_str("USERS_DATASET_ARN", "") or None,
        min_age_seconds=_bounded(event, "minAgeSeconds", 300, 0, 86_400),
        max_events=_bounded(event, "maxEvents", 1000, 1, 10_000),
    )
    metrics.add_metric(name="ReplayedEvents", unit=MetricUnit.Count, value=result["sent"])
    metrics.add_metric(name="UnsentEvents", unit=MetricUnit.Count, value=result["pending"])
    return result


def handler(event: dict[str, Any] | None, context: Any) -> dict[str, Any]:
    try:
        return _handle(event, context)
    finally:
        metrics.clear_metrics()  # see functions/http_api/app.py: only matters offline
