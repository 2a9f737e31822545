"""EnsureCampaign: create the campaign, or update it to this execution's solution version.

A campaign bills for every hour it exists at its minProvisionedTPS; the teardown state
machine removes it.
"""

from __future__ import annotations

from typing import Any

from recommender.clients import client
from recommender.lifecycle.lookup import find_by_name
from recommender.lifecycle.polling import IN_FLIGHT, poll_outcome
from recommender.lifecycle.task import StepInput
from recommender.observability import logger
from recommender.parameters import CAMPAIGN_ARN, write_setting

STEP = "EnsureCampaign"


def _campaign_config(step: StepInput) -> dict[str, Any]:
    weight = f"{step.config.exploration_weight:g}"
    return {"itemExplorationConfig": {"explorationWeight": weight}}


def _deployed(campaign: dict[str, Any]) -> dict[str, Any]:
    """The settings the campaign has or is moving to (an update in progress counts)."""
    update = campaign.get("latestCampaignUpdate") or {}
    if update.get("status") in IN_FLIGHT or update.get("status") == "ACTIVE":
        return {**campaign, **{k: v for k, v in update.items() if v is not None}}
    return campaign


def _needs_update(step: StepInput, campaign: dict[str, Any], version_arn: str) -> list[str]:
    current = _deployed(campaign)
    changes = []
    if current.get("solutionVersionArn") != version_arn:
        changes.append("solutionVersionArn")
    if current.get("minProvisionedTPS") != step.config.min_provisioned_tps:
        changes.append("minProvisionedTPS")
    weight = (
        (current.get("campaignConfig") or {})
        .get("itemExplorationConfig", {})
        .get("explorationWeight")
    )
    explores = step.config.recipe.startswith("aws-user-personalization")
    if explores and weight is not None and float(weight) != step.config.exploration_weight:
        changes.append("explorationWeight")
    return changes


def _create_or_update(step: StepInput, version_arn: str) -> tuple[str, str]:
    personalize = client("personalize")
    name = step.config.name("campaign")
    solution_arn = step.steps["solution"]["arn"]
    settings: dict[str, Any] = {"minProvisionedTPS": step.config.min_provisioned_tps}
    if step.config.recipe.startswith("aws-user-personalization"):
        settings["campaignConfig"] = _campaign_config(step)
    found = find_by_name(personalize, "list_campaigns", "campaigns", name, solutionArn=solution_arn)
    if not found:
        arn = personalize.create_campaign(name=name, solutionVersionArn=version_arn, **settings)[
            "campaignArn"
        ]
        logger.info("created campaign", extra={"arn": arn, "solutionVersion": version_arn})
        return arn, "created"
    arn = found["campaignArn"]
    campaign = personalize.describe_campaign(campaignArn=arn)["campaign"]
    changes = _needs_update(step, campaign, version_arn)
    if not changes:
        return arn, "unchanged"
    personalize.update_campaign(campaignArn=arn, solutionVersionArn=version_arn, **settings)
    logger.info("updating campaign", extra={"arn": arn, "changes": changes})
    return arn, "updated " + ", ".join(changes)


def ensure_campaign(step: StepInput) -> dict[str, Any]:
    """Deploy the solution version; store the campaign ARN in SSM once ACTIVE."""
    personalize = client("personalize")
    previous = step.previous("campaign")
    version_arn = step.steps["solutionVersion"]["arn"]
    arn, action = previous.get("arn"), previous.get("action", "")
    if not arn:
        arn, action = _create_or_update(step, version_arn)
    campaign = personalize.describe_campaign(campaignArn=arn)["campaign"]
    update = campaign.get("latestCampaignUpdate") or {}
    status = campaign["status"]
    reason = campaign.get("failureReason")
    if status == "ACTIVE" and update.get("status") and update["status"] != "ACTIVE":
        status, reason = update["status"], update.get("failureReason")
    result = poll_outcome(
        step.config,
        step=STEP,
        resource=f"campaign {arn}",
        status=status,
        previous=previous,
        failure_reason=reason,
        arn=arn,
        action=action,
        solutionVersionArn=version_arn,
    )
    if result["ready"]:
        result["parameter"] = write_setting(CAMPAIGN_ARN, arn)
    return result
