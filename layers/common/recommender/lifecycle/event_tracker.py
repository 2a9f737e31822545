"""EnsureEventTracker: one tracker per dataset group; its tracking ID goes to SSM at once."""

from __future__ import annotations

from typing import Any

from recommender.clients import client
from recommender.exceptions import ResourceConflictError
from recommender.lifecycle.lookup import list_all
from recommender.lifecycle.polling import poll_outcome
from recommender.lifecycle.task import StepInput
from recommender.observability import logger
from recommender.parameters import TRACKING_ID, write_setting

STEP = "EnsureEventTracker"


def _find_or_create(personalize: Any, group_arn: str, name: str) -> str:
    trackers = list_all(
        personalize, "list_event_trackers", "eventTrackers", datasetGroupArn=group_arn
    )
    for tracker in trackers:
        if tracker["name"] == name:
            return tracker["eventTrackerArn"]
    if trackers:
        # Personalize allows one tracker per dataset group: never adopt someone else's silently.
        other = trackers[0]
        raise ResourceConflictError(
            f"{STEP}: dataset group {group_arn} already has event tracker {other['name']} "
            f"({other['eventTrackerArn']}); expected one named {name}"
        )
    arn = personalize.create_event_tracker(name=name, datasetGroupArn=group_arn)["eventTrackerArn"]
    logger.info("created event tracker", extra={"arn": arn})
    return arn


def ensure_event_tracker(step: StepInput) -> dict[str, Any]:
    """Describe-or-create the tracker and write its tracking ID to SSM as soon as it is known."""
    personalize = client("personalize")
    previous = step.previous("eventTracker")
    arn = previous.get("arn")
    if not arn:
        group_arn = step.steps["datasetGroup"]["arn"]
        arn = _find_or_create(personalize, group_arn, step.config.name("tracker"))
    tracker = personalize.describe_event_tracker(eventTrackerArn=arn)["eventTracker"]
    tracking_id = tracker["trackingId"]
    parameter = previous.get("parameter")
    if previous.get("trackingId") != tracking_id:
        parameter = write_setting(TRACKING_ID, tracking_id)
        logger.info("tracking ID stored", extra={"arn": arn, "parameter": parameter})
    return poll_outcome(
        step.config,
        step=STEP,
        resource=f"event tracker {arn}",
        status=tracker["status"],
        previous=previous,
        failure_reason=tracker.get("failureReason"),
        arn=arn,
        trackingId=tracking_id,
        parameter=parameter,
    )
