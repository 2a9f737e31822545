"""Lifecycle state EnsureDatasetGroup: see recommender.lifecycle.dataset_group."""

from recommender.lifecycle.dataset_group import ensure_dataset_group
from recommender.lifecycle.task import lifecycle_task

handler = lifecycle_task("EnsureDatasetGroup", ensure_dataset_group)
