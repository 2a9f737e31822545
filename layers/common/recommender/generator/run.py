"""Generate the three import CSVs from the items table, and optionally stream the events."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from recommender.catalogue import scan_items
from recommender.clients import client
from recommender.generator.synthetic import (
    GeneratorSettings,
    InteractionSampler,
    synthetic_users,
)
from recommender.generator.writer import write_csv
from recommender.observability import logger
from recommender.parameters import TRACKING_ID, read_setting
from recommender.schemas import header
from recommender.training_data import training_key

PUT_EVENTS_BATCH = 10  # Personalize's limit per PutEvents call


def _catalogue(items_table: str) -> tuple[dict[str, list[str]], list[tuple[str, str, int]]]:
    by_emotion: dict[str, list[str]] = {}
    rows = []
    for item in scan_items(items_table):
        emotion = str(item.get("emotion", "")).upper()
        by_emotion.setdefault(emotion, []).append(item["itemId"])
        rows.append((item["itemId"], emotion, int(item.get("createdAt", 0))))
    return by_emotion, sorted(rows)


def generate_dataset(
    settings: GeneratorSettings, bucket: str, items_table: str, *, send_events: bool = False
) -> dict[str, Any]:
    """Write interactions, users and items CSVs to the bucket; return counts and locations.

    Raises InvalidInputError when a setting is out of range or the catalogue is empty.
    """
    if not settings.end_time:
        settings = GeneratorSettings(**{**settings.__dict__, "end_time": int(time.time())})
    settings.check()
    by_emotion, item_rows = _catalogue(items_table)
    sampler = InteractionSampler(by_emotion, settings)
    users = synthetic_users(settings.personas, settings.seed)
    started = time.perf_counter()
    locations = {}
    counts = {}
    for dataset, chunks in (
        ("INTERACTIONS", sampler.chunks(users)),
        ("USERS", [[(u.user_id, u.gender, u.emotion) for u in users]]),
        ("ITEMS", [item_rows]),
    ):
        key = training_key(dataset)
        counts[dataset.lower()] = write_csv(bucket, key, header(dataset), chunks)
        locations[dataset.lower()] = f"s3://{bucket}/{key}"
    summary: dict[str, Any] = {
        "counts": counts,
        "locations": locations,
        "seed": settings.seed,
        "endTime": settings.end_time,
        "seconds": round(time.perf_counter() - started, 3),
    }
    logger.info("training data written", extra=summary)
    if send_events:
        summary["eventsSent"] = send_generated_events(sampler.chunks(users))
    return summary


def _batches(chunks: Iterator[list[tuple]]) -> Iterator[list[tuple]]:
    for rows in chunks:
        for start in range(0, len(rows), PUT_EVENTS_BATCH):
            yield rows[start : start + PUT_EVENTS_BATCH]


def send_generated_events(chunks: Iterator[list[tuple]]) -> int:
    """Send the generated likes through PutEvents, 10 per call, as the seed's generator did."""
    tracking_id = read_setting(TRACKING_ID)
    events = client("personalize-events")
    sent = 0
    for batch in _batches(chunks):
        by_user: dict[str, list[dict[str, Any]]] = {}
        for user_id, item_id, timestamp, event_type, impression in batch:
            by_user.setdefault(user_id, []).append(
                {
                    "eventType": event_type,
                    "itemId": item_id,
                    "sentAt": timestamp,
                    "impression": impression.split("|"),
                    "properties": json.dumps({"itemId": item_id}),
                }
            )
        for user_id, user_events in by_user.items():
            events.put_events(
                trackingId=tracking_id,
                userId=user_id,
                sessionId=f"generator-{user_id}",
                eventList=user_events,
            )
            sent += len(user_events)
    return sent
