"""Lifecycle state EnsureDatasets: see recommender.lifecycle.datasets."""

from recommender.lifecycle.datasets import ensure_datasets
from recommender.lifecycle.task import lifecycle_task

handler = lifecycle_task("EnsureDatasets", ensure_datasets)
