"""Teardown state DeleteResources: see recommender.lifecycle.teardown.

Input: {"config": ..., "steps": ..., "stage": "campaigns" | "filters" | ... | "parameters"}.
"""

from recommender.lifecycle.task import lifecycle_task
from recommender.lifecycle.teardown import delete_stage

handler = lifecycle_task("DeleteResources", delete_stage)
