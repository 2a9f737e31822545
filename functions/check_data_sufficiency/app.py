"""Lifecycle state CheckDataSufficiency: see recommender.lifecycle.sufficiency."""

from recommender.lifecycle.sufficiency import check_data_sufficiency
from recommender.lifecycle.task import lifecycle_task

handler = lifecycle_task("CheckDataSufficiency", check_data_sufficiency)
