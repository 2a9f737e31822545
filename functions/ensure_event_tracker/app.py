"""Lifecycle state EnsureEventTracker: see recommender.lifecycle.event_tracker."""

from recommender.lifecycle.event_tracker import ensure_event_tracker
from recommender.lifecycle.task import lifecycle_task

handler = lifecycle_task("EnsureEventTracker", ensure_event_tracker)
