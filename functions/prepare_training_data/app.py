"""Lifecycle state PrepareTrainingData: see recommender.lifecycle.prepare."""

from recommender.lifecycle.prepare import prepare_training_data
from recommender.lifecycle.task import lifecycle_task

handler = lifecycle_task("PrepareTrainingData", prepare_training_data)
