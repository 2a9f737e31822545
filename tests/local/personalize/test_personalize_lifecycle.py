"""Lifecycle: status transitions, deletes, dependencies, training modes, campaign updates."""

from __future__ import annotations

import json
import time

import pytest
from emulator_helpers import (
    INTERACTIONS_SCHEMA,
    Stack,
    make_client,
    synthetic,
    wait_for,
)

from local.personalize import start_emulator


def test_pending_states_are_observable(aws_session_env):
    # Real-ish timing (0.1 s per stage) so the intermediate states can be seen by polling.
    with start_emulator(
        settings={"time_scale": 1.0, "stage_seconds": 0.1, "delete_seconds": 0.1}
    ) as emu:
        client = make_client("personalize", emu.url)
        arn = client.create_dataset_group(name="slow")["datasetGroupArn"]
        seen = []
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            status = client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"]
            if not seen or seen[-1] != status:
                seen.append(status)
            if status == "ACTIVE":
                break
            time.sleep(0.01)
        assert seen == ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]
        # A child of a parent that is not ACTIVE yet: ResourceInUseException, as the service.
        other = client.create_dataset_group(name="slow-2")["datasetGroupArn"]
        with pytest.raises(client.exceptions.ResourceInUseException, match="not in ACTIVE"):
            client.create_solution(
                name="early",
                datasetGroupArn=other,
                recipeArn="arn:aws:personalize:::recipe/aws-user-personalization",
            )
        client.delete_dataset_group(datasetGroupArn=arn)
        status = client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"]
        assert status == "DELETE PENDING"
        time.sleep(0.15)
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.describe_dataset_group(datasetGroupArn=arn)


def test_time_scale_env_var(aws_session_env, monkeypatch):
    monkeypatch.setenv("PERSONALIZE_EMULATOR_TIME_SCALE", "100")
    with start_emulator() as emu:
        client = make_client("personalize", emu.url)
        arn = client.create_dataset_group(name="frozen")["datasetGroupArn"]
        time.sleep(0.05)
        status = client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"]
        assert status == "CREATE PENDING"  # 0.3 s * 100


def test_deletes_with_children_are_resource_in_use(personalize, s3):
    interactions, items, _ = synthetic(n_users=30, per_user=40)
    stack = Stack(personalize, s3, "deps").build(interactions, items)
    p = personalize
    with pytest.raises(p.exceptions.ResourceInUseException, match="still has"):
        p.delete_dataset_group(datasetGroupArn=stack.dsg)
    with pytest.raises(p.exceptions.ResourceInUseException, match="campaign"):
        p.delete_solution(solutionArn=stack.solution)
    schema_arn = p.describe_dataset(datasetArn=stack.interactions)["dataset"]["schemaArn"]
    with pytest.raises(p.exceptions.ResourceInUseException, match="used by dataset"):
        p.delete_schema(schemaArn=schema_arn)
    # Tear down in order: campaign -> solution -> datasets -> group.
    p.delete_campaign(campaignArn=stack.campaign)
    _gone(lambda: p.describe_campaign(campaignArn=stack.campaign), p)
    p.delete_solution(solutionArn=stack.solution)
    _gone(lambda: p.describe_solution(solutionArn=stack.solution), p)
    with pytest.raises(p.exceptions.ResourceNotFoundException):
        p.describe_solution_version(solutionVersionArn=stack.version)
    p.delete_dataset(datasetArn=stack.interactions)
    p.delete_dataset(datasetArn=stack.items)
    _gone(lambda: p.describe_dataset(datasetArn=stack.items), p)
    _gone(lambda: p.describe_dataset(datasetArn=stack.interactions), p)
    p.delete_schema(schemaArn=schema_arn)
    p.delete_dataset_group(datasetGroupArn=stack.dsg)
    _gone(lambda: p.describe_dataset_group(datasetGroupArn=stack.dsg), p)
    with pytest.raises(p.exceptions.ResourceNotFoundException):
        p.delete_dataset_group(datasetGroupArn=stack.dsg)


def _gone(describe, client, timeout=5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            describe()
        except client.exceptions.ResourceNotFoundException:
            return
        time.sleep(0.01)
    raise AssertionError("resource was not deleted")


def test_dataset_with_import_in_progress_cannot_be_deleted(emulator, personalize, s3):
    emulator.set_faults({"hold": ["held-import"]})
    stack = Stack(personalize, s3, "busy")
    stack.group()
    dataset = stack.dataset("Interactions", INTERACTIONS_SCHEMA)
    s3.put_object(
        Bucket="emulator-test-data",
        Key="busy.csv",
        Body=b"USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\nu,i,click,1700000000\n",
    )
    personalize.create_dataset_import_job(
        jobName="held-import",
        datasetArn=dataset,
        dataSource={"dataLocation": "s3://emulator-test-data/busy.csv"},
    )
    with pytest.raises(personalize.exceptions.ResourceInUseException, match="in progress"):
        personalize.delete_dataset(datasetArn=dataset)


def test_training_modes_and_campaign_update(emulator, personalize, s3):
    interactions, items, _ = synthetic(n_users=30, per_user=40)
    stack = Stack(personalize, s3, "modes")
    stack.group()
    stack.interactions = stack.dataset("Interactions", INTERACTIONS_SCHEMA)
    stack.import_csv(stack.interactions, "modes/i.csv", interactions, "modes-i")
    solution = personalize.create_solution(
        name="modes",
        datasetGroupArn=stack.dsg,
        performHPO=False,
        recipeArn="arn:aws:personalize:::recipe/aws-user-personalization-v2",
    )["solutionArn"]
    wait_for(lambda: personalize.describe_solution(solutionArn=solution), "solution")
    with pytest.raises(personalize.exceptions.InvalidInputException, match="trainingMode FULL"):
        personalize.create_solution_version(solutionArn=solution, trainingMode="UPDATE")
    full = personalize.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    assert full.startswith(solution + "/") and len(full.rsplit("/", 1)[1]) == 8
    version = wait_for(
        lambda: personalize.describe_solution_version(solutionVersionArn=full), "solutionVersion"
    )
    assert version["status"] == "ACTIVE" and version["trainingMode"] == "FULL"
    update = personalize.create_solution_version(solutionArn=solution, trainingMode="UPDATE")
    update_arn = update["solutionVersionArn"]
    version = wait_for(
        lambda: personalize.describe_solution_version(solutionVersionArn=update_arn),
        "solutionVersion",
    )
    assert version["status"] == "ACTIVE" and version["trainingMode"] == "UPDATE"
    listed = personalize.list_solution_versions(solutionArn=solution)["solutionVersions"]
    assert {v["solutionVersionArn"] for v in listed} == {full, update_arn}
    latest = personalize.describe_solution(solutionArn=solution)["solution"]
    assert latest["latestSolutionVersion"]["solutionVersionArn"] == update_arn

    campaign = personalize.create_campaign(
        name="modes",
        solutionVersionArn=full,
        minProvisionedTPS=2,
        campaignConfig={"itemExplorationConfig": {"explorationWeight": "0.1"}},
    )["campaignArn"]
    described = wait_for(lambda: personalize.describe_campaign(campaignArn=campaign), "campaign")
    assert described["minProvisionedTPS"] == 2
    assert described["campaignConfig"]["itemExplorationConfig"]["explorationWeight"] == "0.1"
    with pytest.raises(personalize.exceptions.ResourceAlreadyExistsException):
        personalize.create_campaign(name="modes", solutionVersionArn=full)
    emulator.set_faults({"hold": ["modes"]})  # keep the update in progress until released
    personalize.update_campaign(
        campaignArn=campaign,
        solutionVersionArn=update_arn,
        campaignConfig={"itemExplorationConfig": {"explorationWeight": "0.5"}},
    )
    first = personalize.describe_campaign(campaignArn=campaign)["campaign"]
    assert first["latestCampaignUpdate"]["status"] in ("CREATE PENDING", "CREATE IN_PROGRESS")
    assert first["solutionVersionArn"] == full
    with pytest.raises(personalize.exceptions.ResourceInUseException, match="update"):
        personalize.update_campaign(campaignArn=campaign, minProvisionedTPS=3)
    assert personalize.describe_campaign(campaignArn=campaign)["campaign"]["status"] == "ACTIVE"
    emulator.set_faults({})
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        current = personalize.describe_campaign(campaignArn=campaign)["campaign"]
        if current["latestCampaignUpdate"]["status"] == "ACTIVE":
            break
        time.sleep(0.01)
    assert current["solutionVersionArn"] == update_arn
    assert current["campaignConfig"]["itemExplorationConfig"]["explorationWeight"] == "0.5"
    assert current["latestCampaignUpdate"]["solutionVersionArn"] == update_arn
    listed = personalize.list_campaigns(solutionArn=solution)["campaigns"]
    assert [c["campaignArn"] for c in listed] == [campaign]


def test_event_tracker_one_per_group_and_filters_listed(personalize, s3):
    stack = Stack(personalize, s3, "trk")
    stack.group()
    stack.dataset("Interactions", INTERACTIONS_SCHEMA)
    created = personalize.create_event_tracker(name="trk", datasetGroupArn=stack.dsg)
    assert ":event-tracker/" in created["eventTrackerArn"]
    assert len(created["trackingId"]) == 36
    with pytest.raises(personalize.exceptions.LimitExceededException):
        personalize.create_event_tracker(name="trk2", datasetGroupArn=stack.dsg)
    tracker = wait_for(
        lambda: personalize.describe_event_tracker(eventTrackerArn=created["eventTrackerArn"]),
        "eventTracker",
    )
    assert tracker["trackingId"] == created["trackingId"]
    assert tracker["accountId"] == "123456789012"
    listed = personalize.list_event_trackers(datasetGroupArn=stack.dsg)["eventTrackers"]
    assert [t["eventTrackerArn"] for t in listed] == [created["eventTrackerArn"]]
    schema_arn = personalize.list_schemas()["schemas"][0]["schemaArn"]
    assert json.loads(personalize.describe_schema(schemaArn=schema_arn)["schema"]["schema"])
