"""Lifecycle state EnsureCampaign: see recommender.lifecycle.campaign."""

from recommender.lifecycle.campaign import ensure_campaign
from recommender.lifecycle.task import lifecycle_task

handler = lifecycle_task("EnsureCampaign", ensure_campaign)
