"""Registering catalogue images: the items table first, then Personalize PutItems.

An image is registered by ``POST /items`` or by uploading it under ``catalogue/<emotion>/`` in
the data bucket (the S3 notification calls ``item_from_key``). The table is the source of
truth; PutItems only tells a running Personalize about the item early, and the next lifecycle
import includes every item of the table anyway, so a failed PutItems loses nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from recommender.catalogue import EMOTION_INDEX
from recommender.config import EMOTIONS
from recommender.exceptions import InvalidInputError
from recommender.observability import logger

CATALOGUE_PREFIX = "catalogue/"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
URL_SECONDS = 3600


@dataclass(frozen=True)
class CatalogueItem:
    """One image of the catalogue."""

    item_id: str
    emotion: str
    image_key: str
    title: str = ""
    created_at: int = 0

    def table_item(self) -> dict[str, Any]:
        item = {
            "itemId": {"S": self.item_id},
            "emotion": {"S": self.emotion},
            "imageKey": {"S": self.image_key},
            "createdAt": {"N": str(self.created_at or int(time.time()))},
        }
        if self.title:
            item["title"] = {"S": self.title}
        return item


def item_from_key(key: str) -> CatalogueItem | None:
    """``catalogue/<emotion>/<name>.jpg`` -> item ``<name>`` of that emotion; None otherwise."""
    path = PurePosixPath(key)
    parts = path.parts
    if len(parts) != 3 or f"{parts[0]}/" != CATALOGUE_PREFIX:
        return None
    emotion = parts[1].upper()
    if emotion not in EMOTIONS or path.suffix.lower() not in IMAGE_SUFFIXES or not path.stem:
        return None
    return CatalogueItem(item_id=path.stem, emotion=emotion, image_key=key, title=path.stem)


def register_item(
    dynamodb: Any,
    events_client: Any,
    table: str,
    items_dataset_arn: str | None,
    item: CatalogueItem,
) -> str:
    """Write the item to the table, then PutItems; return "sent" or "pending" for Personalize.

    Table errors propagate (the item was not registered); Personalize errors do not.
    """
    record = item.table_item()
    dynamodb.put_item(TableName=table, Item=record)
    if not items_dataset_arn:
        return "pending"
    properties = {"emotion": item.emotion, "creationTimestamp": int(record["createdAt"]["N"])}
    try:
        events_client.put_items(
            datasetArn=items_dataset_arn,
            items=[{"itemId": item.item_id, "properties": json.dumps(properties)}],
        )
    except (ClientError, BotoCoreError) as err:
        logger.warning(
            "PutItems failed; the next import will carry the item", extra={"error": str(err)}
        )
        return "pending"
    return "sent"


def remove_item(dynamodb: Any, table: str, item_id: str) -> None:
    """Delete the item from the table (recommendations stop showing it at once).

    NOTE: Personalize has no per-item delete for the Items dataset; the item leaves the model
    at the next full import and retraining.
    """
    dynamodb.delete_item(TableName=table, Key={"itemId": {"S": item_id}})


def _encode_token(key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode()


def _decode_token(token: str, emotion: str) -> dict[str, Any]:
    try:
        key = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as err:
        raise InvalidInputError("nextToken: is not a token this API returned") from err
    valid = (
        isinstance(key, dict)
        and set(key) == {"itemId", "emotion", "createdAt"}
        and key.get("emotion") == {"S": emotion}
        and all(isinstance(v, dict) and len(v) == 1 for v in key.values())
    )
    if not valid:
        raise InvalidInputError("nextToken: belongs to another emotion's listing")
    return key


def list_items(
    dynamodb: Any, table: str, emotion: str, limit: int, next_token: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of an emotion's items, newest first, and the token of the next page (or None)."""
    request: dict[str, Any] = {
        "TableName": table,
        "IndexName": EMOTION_INDEX,
        "KeyConditionExpression": "emotion = :emotion",
        "ExpressionAttributeValues": {":emotion": {"S": emotion}},
        "ScanIndexForward": False,
        "Limit": limit,
    }
    if next_token:
        request["ExclusiveStartKey"] = _decode_token(next_token, emotion)
    page = dynamodb.query(**request)
    last = page.get("LastEvaluatedKey")
    return page.get("Items", []), _encode_token(last) if last else None


# Signing costs about 0.2 ms a URL; a warm function reuses a URL for a quarter of an hour, so
# every URL it hands out still has at least 45 minutes to run.
URL_REUSE_SECONDS = 900


@lru_cache(maxsize=4096)
def _presigned(s3: Any, bucket: str, key: str, window: int) -> str:
    return s3.generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=URL_SECONDS
    )


def image_url(s3: Any, bucket: str, key: str | None) -> str | None:
    """A presigned GET URL for the image (the bucket is private), valid for at least 45 min."""
    if not key:
        return None
    return _presigned(s3, bucket, key, int(time.time() // URL_REUSE_SECONDS))
