"""Every lifecycle handler, invoked through the Lambda API with its own file from events/.

The files are what the state machine passes each task (and what `sam local invoke -e` sends).
Walking them in order against the emulator deploys a campaign, as an execution would.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from local.stack.offline import OfflineStack, offline_stack
from tests.support import FAST_EMULATOR, creates, emulator_calls, load_event

WALK = [
    ("EnsureDatasetGroupFunction", "ensure_dataset_group", "datasetGroup"),
    ("EnsureDatasetsFunction", "ensure_datasets", "datasets"),
    ("EnsureEventTrackerFunction", "ensure_event_tracker", "eventTracker"),
    ("PrepareTrainingDataFunction", "prepare_training_data", "prepare"),
    ("ImportDatasetsFunction", "import_datasets", "imports"),
    ("CheckDataSufficiencyFunction", "check_data_sufficiency", "sufficiency"),
    ("EnsureSolutionFunction", "ensure_solution", "solution"),
    ("TrainSolutionVersionFunction", "train_solution_version", "solutionVersion"),
    ("LogSolutionMetricsFunction", "log_solution_metrics", "metrics"),
    ("EnsureEmotionFilterFunction", "ensure_emotion_filter", "filter"),
    ("EnsureCampaignFunction", "ensure_campaign", "campaign"),
]


def _until_ready(offline: OfflineStack, function: str, event: dict[str, Any], key: str) -> dict:
    """Invoke like the state machine does: again with the last result until it is ready."""
    for _ in range(40):
        result = offline.stack.invoke(function, event)
        if result["ready"]:
            return result
        assert result["waitSeconds"] >= 1
        event["steps"][key] = result
        time.sleep(0.3)
    raise AssertionError(f"{function} never became ready: {result}")


@pytest.fixture(scope="module")
def walked() -> Iterator[tuple[OfflineStack, dict[str, dict]]]:
    with offline_stack("inprocess", emulator_settings=FAST_EMULATOR) as offline:
        offline.stack.invoke("DatasetGeneratorFunction", load_event("generate_dataset.json"))
        results: dict[str, dict] = {}
        for function, event_file, key in WALK:
            event = load_event(f"{event_file}.json")
            # The sample files carry ARNs of a real account; names match, generated ids don't.
            if "arn" in results.get("solutionVersion", {}):
                event["steps"]["solutionVersion"]["arn"] = results["solutionVersion"]["arn"]
            results[key] = _until_ready(offline, function, event, key)
        yield offline, results


def test_sample_events_walk_from_dataset_group_to_campaign(walked):
    offline, results = walked

    assert all(result["ready"] for result in results.values())
    campaign = boto3.client("personalize").describe_campaign(
        campaignArn=results["campaign"]["arn"]
    )["campaign"]
    assert campaign["status"] == "ACTIVE"
    assert campaign["solutionVersionArn"] == results["solutionVersion"]["arn"]
    assert results["sufficiency"]["interactions"] == 3000
    ssm = boto3.client("ssm")
    stored = ssm.get_parameter(Name=offline.outputs["CampaignArnParameterName"])
    assert stored["Parameter"]["Value"] == results["campaign"]["arn"]


def test_event_tracker_handler_stores_the_tracking_id_at_once(walked):
    offline, results = walked

    stored = boto3.client("ssm").get_parameter(Name=offline.outputs["TrackingIdParameterName"])
    assert stored["Parameter"]["Value"] == results["eventTracker"]["trackingId"]
    assert results["eventTracker"]["parameter"] == offline.outputs["TrackingIdParameterName"]


def test_retried_training_task_reuses_the_version_it_started(walked):
    offline, results = walked
    event = load_event("train_solution_version.json")
    event["config"]["execution_name"] = "retried-execution"
    before = creates(emulator_calls(offline)).get("CreateSolutionVersion", 0)
    event["config"]["force_training"] = True

    first = offline.stack.invoke("TrainSolutionVersionFunction", event)
    # Step Functions retries the task with the same input after a timeout.
    retried = offline.stack.invoke("TrainSolutionVersionFunction", event)

    assert retried["arn"] == first["arn"]
    assert retried["reason"] == "created earlier by this execution"
    assert creates(emulator_calls(offline))["CreateSolutionVersion"] == before + 1


def test_polling_backs_off_to_the_cap_then_times_out(walked):
    offline, _ = walked
    offline.services.emulator.set_faults({"hold": ["slow-training"]})
    event = load_event("train_solution_version.json")
    event["config"].update(
        execution_name="slow-training",
        force_training=True,
        poll_initial_seconds=15,
        poll_max_seconds=300,
        max_polls=8,
    )
    waits = []
    for _ in range(8):
        result = offline.stack.invoke("TrainSolutionVersionFunction", event)
        waits.append(result["waitSeconds"])
        event["steps"]["solutionVersion"] = result

    assert waits == [15, 30, 60, 120, 240, 300, 300, 300]
    with pytest.raises(RuntimeError, match="ResourceWaitTimeoutError: .*after 8 polls"):
        offline.stack.invoke("TrainSolutionVersionFunction", event)
    offline.services.emulator.set_faults({})


def test_validate_handler_with_its_sample_event(walked):
    offline, _ = walked

    state = offline.stack.invoke(
        "ValidateLifecycleInputFunction", load_event("validate_lifecycle_input.json")
    )

    assert state["config"]["training_mode"] == "FULL"
    assert state["config"]["execution_name"] == "sample-execution"
    assert set(state["steps"]) == {key for _, _, key in WALK}


@pytest.mark.parametrize(
    ("execution_input", "message"),
    [
        ({"trainingMode": "SOMETIMES"}, "input.trainingMode must be one of"),
        ({"polling": {"maxPolls": 5000}}, "input.polling.maxPolls must be smaller than"),
        ({"polling": {"maxPolls": 250}}, "could write 20010 history events; keep it under 20000"),
        ({"polling": {"initialSeconds": 60, "maxSeconds": 10}}, "maxSeconds must be at least"),
        ({"recipe": "aws-hrnn"}, "input.recipe must be one of"),
        ({"sufficiency": {"minInteractions": 5}}, "bigger than or equal to 1000"),
        ({"unknown": 1}, "input must not contain {'unknown'}"),
    ],
)
def test_validate_handler_names_the_field_and_rule(walked, execution_input, message):
    offline, _ = walked

    with pytest.raises(RuntimeError, match="InvalidInputError") as failure:
        offline.stack.invoke(
            "ValidateLifecycleInputFunction", {"input": execution_input, "executionName": "x"}
        )
    assert message in str(failure.value)


def test_report_failure_handler_with_its_sample_event(walked):
    offline, _ = walked

    report = offline.stack.invoke(
        "ReportLifecycleFailureFunction", load_event("report_lifecycle_failure.json")
    )

    assert report["error"] == "ResourceFailedError"
    assert report["cause"].startswith("ImportDatasets: import job arn:aws:personalize:")
    assert "TIMESTAMP must be a long" in report["cause"]


def test_generator_can_stream_the_likes_through_put_events(walked):
    offline, _ = walked
    before = emulator_calls(offline).get("PutEvents", 0)
    event = {**load_event("generate_dataset.json"), "interactions": 40, "personas": 4}

    summary = offline.stack.invoke("DatasetGeneratorFunction", {**event, "sendEvents": True})

    assert summary["eventsSent"] == 40
    calls = emulator_calls(offline)["PutEvents"] - before
    # 20 users with 2 likes each; a PutEvents call carries one user's events (at most 10).
    assert calls == 20


def test_teardown_handler_with_its_sample_event_deletes_the_campaign(walked):
    # Last in this module: it removes the campaign the walk deployed.
    offline, results = walked
    event = load_event("delete_personalize_resources.json")

    first = offline.stack.invoke("DeletePersonalizeResourcesFunction", event)
    for _ in range(40):
        if first["ready"]:
            break
        time.sleep(0.3)
        event["steps"]["campaigns"] = first
        first = offline.stack.invoke("DeletePersonalizeResourcesFunction", event)

    assert first["ready"]
    assert boto3.client("personalize").list_campaigns()["campaigns"] == []
    with pytest.raises(RuntimeError, match="InvalidInputError: DeleteResources: stage must be"):
        offline.stack.invoke("DeletePersonalizeResourcesFunction", {**event, "stage": "everything"})
