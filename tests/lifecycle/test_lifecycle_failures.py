"""Lifecycle executions that must fail, clearly: the Fail state names step, resource, reason."""

from __future__ import annotations

import boto3

from tests.support import creates, emulator_calls, execute, generate, offline_input


def test_insufficient_data_fails_at_the_gate_with_the_counts(fresh_stack):
    # 16 segment users + 4 personas = 20 users, 900 interactions: below both minimums.
    generate(fresh_stack, interactions=900, personas=4)

    result = execute(fresh_stack, offline_input(), "too-little-data")

    assert result.status == "FAILED"
    assert result.error == "InsufficientDataError"
    assert "CheckDataSufficiency" in result.cause
    assert "900 of 1000 interactions" in result.cause
    assert "20 of 25 users with 2 or more interactions" in result.cause
    # The gate rechecked once (rechecks: 1) and never reached training.
    assert result.states_entered().count("CheckDataSufficiency") == 2
    assert "CreateSolution" not in emulator_calls(fresh_stack)


def test_import_that_ends_create_failed_names_the_job_and_the_reason(fresh_stack):
    generate(fresh_stack)
    bucket = fresh_stack.outputs["DataBucketName"]
    # Millisecond timestamps: a classic mistake the import must reject (case D1).
    bad = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,IMPRESSION\nu1,happy-001,1700000000000,like,\n"
    boto3.client("s3").put_object(Bucket=bucket, Key="training/interactions.csv", Body=bad)

    result = execute(fresh_stack, offline_input(), "bad-import")

    assert result.status == "FAILED"
    assert result.error == "ResourceFailedError"
    assert result.cause.startswith("ImportDatasets: import job arn:aws:personalize:")
    assert "CREATE FAILED" in result.cause
    assert "line 2" in result.cause
    assert "TIMESTAMP" in result.cause


def test_training_that_never_finishes_times_out_after_the_poll_limit(fresh_stack):
    generate(fresh_stack)
    # The solution version is named after the execution, so only the training is held.
    fresh_stack.services.emulator.set_faults({"hold": ["stuck-training"]})
    polling = {"initialSeconds": 1, "maxSeconds": 1, "maxPolls": 3}

    result = execute(fresh_stack, offline_input(polling=polling), "stuck-training")

    assert result.status == "FAILED"
    assert result.error == "ResourceWaitTimeoutError"
    assert "TrainSolutionVersion: timed out waiting for solution version" in result.cause
    assert "after 3 polls" in result.cause
    assert result.states_entered().count("WaitForTraining") == 3
    assert creates(emulator_calls(fresh_stack)).get("CreateSolutionVersion") == 1


def test_invalid_input_fails_before_any_resource_is_touched(fresh_stack):
    result = execute(fresh_stack, {"polling": {"maxPolls": 0}, "colour": "red"}, "bad-input")

    assert result.status == "FAILED"
    assert result.error == "InvalidInputError"
    assert result.cause.startswith("ValidateInput: input")
    assert creates(emulator_calls(fresh_stack)) == {}


def test_missing_training_data_fails_naming_the_object(fresh_stack):
    result = execute(fresh_stack, offline_input(), "no-data")

    assert result.status == "FAILED"
    assert result.error == "InvalidInputError"
    assert "no interactions data at s3://" in result.cause
    assert "training/interactions.csv" in result.cause


def test_input_that_is_not_an_object_fails_clearly_not_with_a_runtime_error(fresh_stack):
    for number, execution_input in enumerate(([], "x", 5, [{"trainingMode": "FULL"}])):
        result = execute(fresh_stack, execution_input, f"not-an-object-{number}")

        assert result.status == "FAILED"
        assert result.error == "InvalidInputError", (execution_input, result.cause)
        assert "input must be object" in result.cause
