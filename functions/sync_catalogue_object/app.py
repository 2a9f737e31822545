"""Catalogue sync: an image created under catalogue/<emotion>/ (put, POST, copy or multipart
upload) is registered (items table + PutItems); a deleted one leaves the items table.

Input: the EventBridge event S3 sends for the data bucket ("Object Created" / "Object
Deleted", see events/sync_catalogue_object.json); an S3 notification with ``Records`` works
too. Keys that do not follow catalogue/<emotion>/<itemId>.jpg|.jpeg|.png are skipped.
"""

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_plus

from recommender.clients import client
from recommender.config import optional_str, required
from recommender.item_registry import item_from_key, register_item, remove_item
from recommender.observability import logger, tracer

CREATED, REMOVED = "created", "removed"


def _changes(event: dict[str, Any]) -> Iterator[tuple[str | None, str]]:
    """(created | removed | None, key) for each object the event is about."""
    if "detail-type" in event:
        kinds = {"Object Created": CREATED, "Object Deleted": REMOVED}
        key = (event.get("detail") or {}).get("object", {}).get("key", "")
        yield kinds.get(str(event["detail-type"])), str(key)
        return
    for record in event.get("Records", []):
        name = str(record.get("eventName", ""))
        kind = (
            CREATED
            if name.startswith("ObjectCreated:")
            else REMOVED
            if name.startswith("ObjectRemoved:")
            else None
        )
        # S3 notifications URL-encode keys (a space arrives as +); EventBridge does not.
        yield kind, unquote_plus(record.get("s3", {}).get("object", {}).get("key", ""))


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    table = required("ITEMS_TABLE")
    dataset = optional_str("ITEMS_DATASET_ARN", "") or None
    counts = {"registered": 0, "removed": 0, "skipped": 0}
    for kind, key in _changes(event if isinstance(event, dict) else {}):
        item = item_from_key(key)
        if item is None or kind is None:
            logger.info("not a catalogue image change; skipped", extra={"key": key})
            counts["skipped"] += 1
        elif kind == CREATED:
            register_item(client("dynamodb"), client("personalize-events"), table, dataset, item)
            counts["registered"] += 1
        else:
            remove_item(client("dynamodb"), table, item.item_id)
            counts["removed"] += 1
    logger.info("catalogue synced", extra=counts)
    return counts
