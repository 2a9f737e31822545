"""Where the import CSVs live in the data bucket, shared by the generator and the lifecycle."""

from __future__ import annotations

import re

from botocore.exceptions import ClientError

from recommender.clients import client
from recommender.config import optional_str, required


def data_bucket() -> str:
    """Name of the data bucket (DATA_BUCKET)."""
    return required("DATA_BUCKET")


def _prefix() -> str:
    return optional_str("TRAINING_PREFIX", "training/").rstrip("/")


def training_key(dataset_type: str) -> str:
    """S3 key of a dataset's import CSV, e.g. ``training/interactions.csv``."""
    return f"{_prefix()}/{dataset_type.lower()}.csv"


def log_key() -> str:
    """S3 key of the interactions log export that FULL training adds to the interactions."""
    return f"{_prefix()}/interactions-log.csv"


def object_etag(bucket: str, key: str) -> str | None:
    """The object's ETag as a short name-safe tag, or None when there is no such object."""
    try:
        head = client("s3").head_object(Bucket=bucket, Key=key)
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return re.sub(r"[^a-zA-Z0-9]", "", head["ETag"])[:16]
