"""Lifecycle state EnsureEmotionFilter: see recommender.lifecycle.filter."""

from recommender.lifecycle.filter import ensure_filter
from recommender.lifecycle.task import lifecycle_task

handler = lifecycle_task("EnsureEmotionFilter", ensure_filter)
