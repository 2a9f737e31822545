"""PrepareTrainingData: before importing, make the interactions log count.

1. Replay: events the app accepted but could not send yet (tracker not ready, Personalize
   down) are sent now, each exactly once (recommender.event_log.replay_unsent).
2. On FULL training, export the log's events that the current dataset group does not
   already have, to ``training/interactions-log.csv``, for ImportDatasets to add after the
   main file. An event delivered through the current event tracker is already in the dataset
   group and is left out; events delivered to an earlier tracker (before a teardown) or never
   delivered are exported, so Personalize trains on the whole history without duplicates.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from recommender.clients import client
from recommender.config import optional_int, optional_str
from recommender.event_log import USER_KEY, replay_unsent
from recommender.exceptions import NotReadyError
from recommender.generator.writer import write_csv
from recommender.lifecycle.task import StepInput
from recommender.observability import logger
from recommender.parameters import TRACKING_ID, read_setting
from recommender.schemas import header
from recommender.training_data import data_bucket, log_key

STEP = "PrepareTrainingData"
EXPORT_CHUNK = 1000


def _current_tracking_id() -> str | None:
    try:
        return read_setting(TRACKING_ID, force_fetch=True)
    except NotReadyError:
        return None


def _rows(table: str, current_tracker: str | None, counts: dict[str, int]) -> Iterator[list]:
    """Import rows of the logged events Personalize's current dataset group lacks, in chunks."""
    chunk: list[tuple[str, str, int, str, str]] = []
    pages = client("dynamodb").get_paginator("scan").paginate(TableName=table)
    for page in pages:
        for item in page.get("Items", []):
            if item["eventKey"]["S"] == USER_KEY or "event" not in item:
                continue
            if "rejected" in item:  # Personalize refused it once; it would fail the import too
                counts["skippedRejected"] += 1
                continue
            if current_tracker and item.get("deliveredTo", {}).get("S") == current_tracker:
                counts["alreadyInDatasetGroup"] += 1
                continue
            event = json.loads(item["event"]["S"])
            chunk.append(
                (
                    item["userId"]["S"],
                    event["itemId"],
                    int(float(event["sentAt"])),
                    event["eventType"],
                    "|".join(event.get("impression", [])),
                )
            )
            if len(chunk) >= EXPORT_CHUNK:
                counts["exported"] += len(chunk)
                yield chunk
                chunk = []
    if chunk:
        counts["exported"] += len(chunk)
        yield chunk


def export_interactions_log(table: str, bucket: str) -> dict[str, int]:
    """Write the log's missing events as an import CSV; remove a stale export when none."""
    counts = {"exported": 0, "alreadyInDatasetGroup": 0, "skippedRejected": 0}
    key = log_key()
    rows = list(_rows(table, _current_tracking_id(), counts))
    if rows:
        write_csv(bucket, key, header("INTERACTIONS"), rows)
    else:
        # An export from an earlier run would otherwise be imported again.
        client("s3").delete_object(Bucket=bucket, Key=key)
    return counts


def prepare_training_data(step: StepInput) -> dict[str, Any]:
    """Replay unsent events; on FULL training, export what the dataset group lacks."""
    table = optional_str("INTERACTIONS_TABLE", "")
    if not table:
        return {"ready": True, "polls": 0, "waitSeconds": 0, "skipped": "no interactions table"}
    replay = replay_unsent(
        client("dynamodb"),
        client("personalize-events"),
        table,
        users_dataset_arn=optional_str("USERS_DATASET_ARN", "") or None,
        min_age_seconds=optional_int("REPLAY_MIN_AGE_SECONDS", 300),
    )
    result: dict[str, Any] = {"ready": True, "polls": 0, "waitSeconds": 0, "replay": replay}
    if step.config.training_mode == "FULL":
        result["export"] = export_interactions_log(table, data_bucket())
    logger.info("training data prepared", extra={k: result.get(k) for k in ("replay", "export")})
    return result
