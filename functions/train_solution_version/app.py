"""Lifecycle state TrainSolutionVersion: see recommender.lifecycle.solution_version."""

from recommender.lifecycle.solution_version import train_solution_version
from recommender.lifecycle.task import lifecycle_task

handler = lifecycle_task("TrainSolutionVersion", train_solution_version)
