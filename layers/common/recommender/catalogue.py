"""The items table: the catalogue of images, each with the emotion it shows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from recommender.clients import client

EMOTION_INDEX = "emotion-index"
_DESERIALIZE = TypeDeserializer().deserialize


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    values = {key: _DESERIALIZE(value) for key, value in item.items()}
    if "createdAt" in values:
        values["createdAt"] = int(values["createdAt"])
    return values


def scan_items(table: str) -> Iterator[dict[str, Any]]:
    """Every catalogue item, page by page (itemId, emotion, createdAt and metadata)."""
    for page in client("dynamodb").get_paginator("scan").paginate(TableName=table):
        for item in page.get("Items", []):
            yield _plain(item)


def recent_items(table: str, emotion: str, limit: int) -> list[dict[str, Any]]:
    """The newest ``limit`` items of one emotion, through the emotion index."""
    response = client("dynamodb").query(
        TableName=table,
        IndexName=EMOTION_INDEX,
        KeyConditionExpression="emotion = :emotion",
        ExpressionAttributeValues={":emotion": {"S": emotion}},
        ScanIndexForward=False,
        Limit=limit,
    )
    return [_plain(item) for item in response.get("Items", [])]


def get_items(table: str, item_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Items by id (BatchGetItem, 100 keys per call); unknown ids are simply absent."""
    wanted = list(dict.fromkeys(item_ids))
    found: dict[str, dict[str, Any]] = {}
    dynamodb = client("dynamodb")
    for start in range(0, len(wanted), 100):
        keys = [{"itemId": {"S": item_id}} for item_id in wanted[start : start + 100]]
        request = {table: {"Keys": keys}}
        while request:
            response = dynamodb.batch_get_item(RequestItems=request)
            for item in response.get("Responses", {}).get(table, []):
                plain = _plain(item)
                found[plain["itemId"]] = plain
            request = response.get("UnprocessedKeys") or {}
    return found


def put_items(table: str, items: Iterable[dict[str, Any]]) -> int:
    """Write catalogue items (batched); return how many were written."""
    import boto3  # resource API only here: batch_writer handles retries of unprocessed items

    resource = boto3.resource("dynamodb", endpoint_url=client("dynamodb").meta.endpoint_url)
    count = 0
    with resource.Table(table).batch_writer() as batch:
        for item in items:
            batch.put_item(Item=item)
            count += 1
    return count
