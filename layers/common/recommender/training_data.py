"""Where the import CSVs live in the data bucket, shared by the generator and the lifecycle."""

from __future__ import annotations

from recommender.config import optional_str, required


def data_bucket() -> str:
    """Name of the data bucket (DATA_BUCKET)."""
    return required("DATA_BUCKET")


def training_key(dataset_type: str) -> str:
    """S3 key of a dataset's import CSV, e.g. ``training/interactions.csv``."""
    prefix = optional_str("TRAINING_PREFIX", "training/")
    return f"{prefix.rstrip('/')}/{dataset_type.lower()}.csv"
