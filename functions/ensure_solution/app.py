"""Lifecycle state EnsureSolution: see recommender.lifecycle.solution."""

from recommender.lifecycle.solution import ensure_solution
from recommender.lifecycle.task import lifecycle_task

handler = lifecycle_task("EnsureSolution", ensure_solution)
