"""Lifecycle state LogSolutionMetrics: see recommender.lifecycle.metrics."""

from recommender.lifecycle.metrics import log_solution_metrics
from recommender.lifecycle.task import lifecycle_task

handler = lifecycle_task("LogSolutionMetrics", log_solution_metrics)
