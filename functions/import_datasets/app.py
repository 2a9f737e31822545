"""Lifecycle state ImportDatasets: see recommender.lifecycle.imports."""

from recommender.lifecycle.imports import import_datasets
from recommender.lifecycle.task import lifecycle_task

handler = lifecycle_task("ImportDatasets", import_datasets)
