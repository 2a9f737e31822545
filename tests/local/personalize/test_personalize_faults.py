"""Fault injection (throttle, fail, hold), the call counter and the admin endpoints."""

from __future__ import annotations

import json
import time

import pytest
from botocore.exceptions import ClientError
from emulator_helpers import INTERACTIONS_SCHEMA, Stack, make_client, synthetic, wait_for

from local.personalize import start_emulator


def test_throttling_is_retried_by_botocore(emulator):
    emulator.set_faults({"throttle": {"ListDatasetGroups": 1.0}})
    client = make_client(
        "personalize", emulator.url, retries={"mode": "standard", "total_max_attempts": 2}
    )
    with pytest.raises(ClientError) as info:
        client.list_dataset_groups()
    assert info.value.response["Error"]["Code"] == "ThrottlingException"
    retries = info.value.response["ResponseMetadata"]["RetryAttempts"]
    assert retries >= 1
    assert emulator.calls()["ListDatasetGroups"] == retries + 1  # retries reached the emulator
    client.list_schemas()  # other operations are unaffected


def test_throttle_rate_is_seeded(emulator):
    client = make_client(
        "personalize", emulator.url, retries={"mode": "standard", "total_max_attempts": 1}
    )

    def outcomes():
        emulator.set_faults({"throttle": {"*": 0.3}, "seed": 7})
        out = []
        for _ in range(30):
            try:
                client.list_recipes()
                out.append(True)
            except ClientError as err:
                assert err.response["Error"]["Code"] == "ThrottlingException"
                out.append(False)
        return out

    first = outcomes()
    assert first == outcomes()
    assert 3 <= first.count(False) <= 18


def test_fail_and_hold_named_resources(emulator, personalize, s3):
    faults = {"fail": {"broken": "Injected: disk on fire"}, "hold": ["stuck"]}
    assert emulator.set_faults(faults)["fail"] == faults["fail"]
    assert emulator.faults()["hold"] == ["stuck"]
    broken = personalize.create_dataset_group(name="broken")["datasetGroupArn"]
    group = wait_for(
        lambda: personalize.describe_dataset_group(datasetGroupArn=broken), "datasetGroup"
    )
    assert group["status"] == "CREATE FAILED"
    assert group["failureReason"] == "Injected: disk on fire"

    interactions, _, _ = synthetic(n_users=30, per_user=40)
    stack = Stack(personalize, s3, "stuck-group")
    stack.group()
    stack.interactions = stack.dataset("Interactions", INTERACTIONS_SCHEMA)
    stack.import_csv(stack.interactions, "stuck/i.csv", interactions, "stuck-i")
    solution = personalize.create_solution(
        name="stuck",
        datasetGroupArn=stack.dsg,
        recipeArn="arn:aws:personalize:::recipe/aws-user-personalization",
    )["solutionArn"]
    # The solution itself is held too (matched by name), so release it and hold by version.
    time.sleep(0.1)
    assert personalize.describe_solution(solutionArn=solution)["solution"]["status"] == (
        "CREATE IN_PROGRESS"
    )
    emulator.set_faults({})
    wait_for(lambda: personalize.describe_solution(solutionArn=solution), "solution")
    emulator.set_faults({"hold": ["stuck"]})  # solution versions match their solution's name
    version = personalize.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    time.sleep(0.3)  # much longer than training at this time scale
    status = personalize.describe_solution_version(solutionVersionArn=version)
    assert status["solutionVersion"]["status"] == "CREATE IN_PROGRESS"
    # A second version, held too, is stopped; stopping a finished one is refused.
    held = personalize.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    personalize.stop_solution_version_creation(solutionVersionArn=held)
    stopped = personalize.describe_solution_version(solutionVersionArn=held)["solutionVersion"]
    assert stopped["status"] == "CREATE STOPPED"
    with pytest.raises(personalize.exceptions.InvalidInputException, match="can be stopped"):
        personalize.stop_solution_version_creation(solutionVersionArn=held)
    emulator.set_faults({"fail": {version: "Injected training failure"}})
    failed = wait_for(
        lambda: personalize.describe_solution_version(solutionVersionArn=version), "solutionVersion"
    )
    assert failed["status"] == "CREATE FAILED"
    assert failed["failureReason"] == "Injected training failure"


def test_bad_fault_config_is_rejected(emulator):
    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as info:
        emulator.set_faults({"throttle": {"*": 3}})
    assert info.value.code == 400
    assert "throttle" in json.loads(info.value.read())["message"]


def test_call_counter_and_reset(emulator, personalize):
    personalize.list_dataset_groups()
    personalize.list_dataset_groups()
    with pytest.raises(personalize.exceptions.ResourceNotFoundException):
        personalize.describe_schema(schemaArn="arn:aws:personalize:us-east-1:123456789012:schema/x")
    personalize.create_dataset_group(name="counted")
    assert emulator.calls() == {
        "CreateDatasetGroup": 1,
        "DescribeSchema": 1,
        "ListDatasetGroups": 2,
    }
    emulator.set_faults({"hold": ["x"]})
    emulator.reset()
    assert emulator.calls() == {}
    assert emulator.faults()["hold"] == []
    assert personalize.list_dataset_groups()["datasetGroups"] == []


def test_faults_from_environment(aws_session_env, monkeypatch):
    monkeypatch.setenv(
        "PERSONALIZE_EMULATOR_FAULTS", json.dumps({"fail": {"env-dsg": "from env"}, "seed": 3})
    )
    with start_emulator(settings={"time_scale": 0.01}) as emu:
        assert emu.faults()["seed"] == 3
        client = make_client("personalize", emu.url)
        arn = client.create_dataset_group(name="env-dsg")["datasetGroupArn"]
        group = wait_for(lambda: client.describe_dataset_group(datasetGroupArn=arn), "datasetGroup")
        assert group["failureReason"] == "from env"


def test_concurrent_calls_do_not_break_the_server(emulator):
    import threading

    errors = []

    def worker(n):
        client = make_client("personalize", emulator.url)
        try:
            for i in range(10):
                client.create_dataset_group(name=f"c-{n}-{i}")
                client.list_dataset_groups(maxResults=5)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert emulator.calls()["CreateDatasetGroup"] == 60
