"""The teardown state machine, executed for real after a lifecycle run (case L2)."""

from __future__ import annotations

import json
import threading
import time

import boto3

from local.stack.lifecycle_run import run_execution
from tests.support import execute, generate, load_event, offline_input, ssm_value

SETTINGS = ("TrackingIdParameterName", "CampaignArnParameterName", "FilterArnParameterName")


def _release_after_first_delete_dataset(emulator) -> None:
    # The first DeleteDatasets poll asks once for each of the three datasets; the interactions
    # dataset's delete is refused while its import runs. Release the import after that poll.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if emulator.calls().get("DeleteDataset", 0) >= 3:
            emulator.set_faults({})
            return
        time.sleep(0.05)


def _teardown(offline, name):
    return run_execution(
        offline.outputs["TeardownStateMachineArn"],
        load_event("teardown-offline.json"),
        name=name,
        timeout=120,
    )


def _leftovers(prefix: str) -> dict[str, list[str]]:
    personalize = boto3.client("personalize")
    return {
        "datasetGroups": [
            g["name"]
            for g in personalize.list_dataset_groups()["datasetGroups"]
            if g["name"] == prefix
        ],
        "schemas": [
            s["name"]
            for s in personalize.list_schemas()["schemas"]
            if s["name"].startswith(prefix + "-")
        ],
    }


def test_teardown_deletes_everything_in_order_and_resets_settings(fresh_stack):
    generate(fresh_stack)
    assert execute(fresh_stack, offline_input(), "to-delete").status == "SUCCEEDED"

    result = _teardown(fresh_stack, "teardown-1")

    assert result.status == "SUCCEEDED", (result.error, result.cause)
    assert _leftovers(fresh_stack.stack.name) == {"datasetGroups": [], "schemas": []}
    assert all(ssm_value(fresh_stack, name) == "NONE" for name in SETTINGS)
    entered = [s for s in result.states_entered() if s.startswith("Delete") and "Done" not in s]
    order = list(dict.fromkeys(entered))
    assert order == [
        "DeleteCampaigns",
        "DeleteFilters",
        "DeleteSolutions",
        "DeleteEventTrackers",
        "DeleteDatasets",
        "DeleteDatasetGroup",
        "DeleteSchemas",
    ]
    # The recommendations function falls back to the catalogue once the settings are NONE.
    answer = fresh_stack.stack.invoke(
        "RecommendationsFunction", load_event("get_recommendations.json")
    )
    assert answer["source"] == "catalogue"


def test_teardown_twice_and_on_an_empty_stack_succeeds(fresh_stack):
    first = _teardown(fresh_stack, "empty-1")
    second = _teardown(fresh_stack, "empty-2")

    assert (first.status, second.status) == ("SUCCEEDED", "SUCCEEDED")
    assert all(ssm_value(fresh_stack, name) == "NONE" for name in SETTINGS)


def test_teardown_waits_for_an_import_still_running(fresh_stack):
    generate(fresh_stack)
    assert execute(fresh_stack, offline_input(), "before-import").status == "SUCCEEDED"
    personalize = boto3.client("personalize")
    group = personalize.list_dataset_groups()["datasetGroups"][0]["datasetGroupArn"]
    dataset = group.replace(":dataset-group/", ":dataset/") + "/INTERACTIONS"
    emulator = fresh_stack.services.emulator
    emulator.set_faults({"hold": ["late-import"]})
    personalize.create_dataset_import_job(
        jobName="late-import",
        datasetArn=dataset,
        dataSource={"dataLocation": f"s3://{fresh_stack.outputs['DataBucketName']}/training/"},
        roleArn=fresh_stack.outputs["PersonalizeRoleArn"],
    )
    # The import finishes only after the teardown's first DeleteDataset was refused.
    release = threading.Thread(target=_release_after_first_delete_dataset, args=(emulator,))
    release.start()

    result = _teardown(fresh_stack, "with-import")
    release.join()

    assert result.status == "SUCCEEDED", (result.error, result.cause)
    assert result.states_entered().count("WaitForDeleteDatasets") >= 2
    history = json.dumps(result.history, default=str)
    refusals = history.count("blocked: Dataset")
    assert refusals, "the refused delete should show in the execution history"
    assert _leftovers(fresh_stack.stack.name) == {"datasetGroups": [], "schemas": []}


def test_teardown_stops_training_still_running_instead_of_paying_for_it(fresh_stack):
    generate(fresh_stack)
    assert execute(fresh_stack, offline_input(), "trained").status == "SUCCEEDED"
    personalize = boto3.client("personalize")
    solution = personalize.list_solutions()["solutions"][0]["solutionArn"]
    # A training that would never end by itself.
    fresh_stack.services.emulator.set_faults({"hold": ["endless-training"]})
    personalize.create_solution_version(solutionArn=solution, name="endless-training")

    result = _teardown(fresh_stack, "stop-training")

    assert result.status == "SUCCEEDED", (result.error, result.cause)
    assert fresh_stack.services.emulator.calls().get("StopSolutionVersionCreation") == 1
    assert _leftovers(fresh_stack.stack.name) == {"datasetGroups": [], "schemas": []}
