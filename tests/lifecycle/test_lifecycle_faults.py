"""Faults the lifecycle must survive or report, then recover from on a re-run (issue 5)."""

from __future__ import annotations

import boto3

from tests.support import creates, emulator_calls, execute, generate, offline_input


def test_lifecycle_succeeds_while_every_personalize_call_is_throttled_30_percent(fresh_stack):
    generate(fresh_stack)
    fresh_stack.services.emulator.set_faults({"throttle": {"*": 0.3}, "seed": 11})

    result = execute(fresh_stack, offline_input(), "throttled")

    assert result.status == "SUCCEEDED", (result.error, result.cause)
    # Nothing was created twice because of a retried call.
    made = creates(emulator_calls(fresh_stack))
    answered = {op: n for op, n in made.items() if op in ("CreateDatasetGroup", "CreateCampaign")}
    assert answered and all(n >= 1 for n in answered.values())
    personalize = boto3.client("personalize")
    assert len(personalize.list_dataset_groups()["datasetGroups"]) == 1
    assert len(personalize.list_campaigns()["campaigns"]) == 1


def test_failed_training_names_the_version_and_a_fixed_rerun_reuses_the_rest(fresh_stack):
    generate(fresh_stack)
    emulator = fresh_stack.services.emulator
    emulator.set_faults({"fail": {"doomed-training": "Out of memory on the training host"}})

    failed = execute(fresh_stack, offline_input(), "doomed-training")

    assert failed.status == "FAILED"
    assert failed.error == "ResourceFailedError"
    assert failed.cause.startswith("TrainSolutionVersion: solution version arn:aws:personalize:")
    assert failed.cause.endswith("ended CREATE FAILED: Out of memory on the training host")

    emulator.set_faults({})
    rerun = execute(fresh_stack, offline_input(), "after-fix")

    assert rerun.status == "SUCCEEDED", (rerun.error, rerun.cause)
    made = creates(emulator_calls(fresh_stack))
    assert made["CreateDatasetGroup"] == 1
    assert made["CreateDataset"] == 3
    assert made["CreateSolution"] == 1
    assert made["CreateSolutionVersion"] == 2  # the failed one and its replacement
    assert made["CreateDatasetImportJob"] == 3  # same files: imported once


def test_failed_import_then_fixed_data_imports_again_and_succeeds(fresh_stack):
    generate(fresh_stack)
    bucket = fresh_stack.outputs["DataBucketName"]
    iso = (
        "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,IMPRESSION\nu1,happy-001,2026-01-01T00:00:00Z,like,\n"
    )
    boto3.client("s3").put_object(Bucket=bucket, Key="training/interactions.csv", Body=iso)

    failed = execute(fresh_stack, offline_input(), "iso-dates")

    assert failed.error == "ResourceFailedError"
    assert "ImportDatasets: import job" in failed.cause and "TIMESTAMP" in failed.cause

    generate(fresh_stack)
    rerun = execute(fresh_stack, offline_input(), "good-dates")

    assert rerun.status == "SUCCEEDED", (rerun.error, rerun.cause)
    made = creates(emulator_calls(fresh_stack))
    assert made["CreateDatasetGroup"] == 1
    assert made["CreateDataset"] == 3
    # The new interactions file gets a new job; users and items were imported once.
    assert made["CreateDatasetImportJob"] == 4
