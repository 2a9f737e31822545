"""Dataset imports from S3 (moto) and the data-sufficiency rule for training."""

from __future__ import annotations

import pytest
from emulator_helpers import INTERACTIONS_SCHEMA, ITEMS_SCHEMA, Stack, put_csv, wait_for

HEADER = "USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\n"


@pytest.fixture
def stack(personalize, s3):
    stack = Stack(personalize, s3, "imp")
    stack.group()
    stack.interactions = stack.dataset("Interactions", INTERACTIONS_SCHEMA)
    return stack


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '"USER_ID","ITEM_ID","EVENT_TYPE","TIMESTAMP"\nu1,i1,click,1700000000\n',
            ["line 1", "quoted"],
        ),
        (
            HEADER + "u1,i1,click,1700000000\nu1,i2,click,2023-11-14T22:13:20Z\n",
            ["line 3", "TIMESTAMP", "epoch"],
        ),
        (HEADER + "u1,i1,click,1700000000000\n", ["line 2", "milliseconds"]),
        (HEADER + "u1,,click,1700000000\n", ["line 2", "ITEM_ID", "empty"]),
        ("USER_ID,ITEM_ID,TIMESTAMP,COLOR\nu1,i1,1700000000,red\n", ["line 1", "COLOR"]),
        ("USER_ID,EVENT_TYPE,TIMESTAMP\nu1,click,1700000000\n", ["line 1", "ITEM_ID"]),
        (HEADER + "u1,i1,click\n", ["line 2", "expected 4 values"]),
        ("", ["empty"]),
    ],
    ids=[
        "quoted-header",
        "iso-timestamp",
        "ms-timestamp",
        "empty-required",
        "unknown-column",
        "missing-column",
        "short-row",
        "empty-file",
    ],
)
def test_bad_csv_fails_with_reason_naming_the_line(stack, body, expected):
    job = stack.import_csv(stack.interactions, "imp/bad.csv", body, "imp-bad")
    assert job["status"] == "CREATE FAILED"
    for text in expected:
        assert text in job["failureReason"], job["failureReason"]
    assert "s3://emulator-test-data/imp/bad.csv" in job["failureReason"]


def test_missing_object_and_bad_location(stack, personalize):
    job = stack.import_csv(stack.interactions, "imp/exists.csv", HEADER + "u,i,c,1\n", "ok-job")
    assert job["status"] == "ACTIVE"
    arn = personalize.create_dataset_import_job(
        jobName="missing",
        datasetArn=stack.interactions,
        dataSource={"dataLocation": "s3://emulator-test-data/imp/none.csv"},
    )["datasetImportJobArn"]
    job = wait_for(
        lambda: personalize.describe_dataset_import_job(datasetImportJobArn=arn), "datasetImportJob"
    )
    assert job["status"] == "CREATE FAILED" and "Could not read" in job["failureReason"]
    with pytest.raises(personalize.exceptions.InvalidInputException):
        personalize.create_dataset_import_job(
            jobName="ftp",
            datasetArn=stack.interactions,
            dataSource={"dataLocation": "ftp://x/y.csv"},
        )
    with pytest.raises(personalize.exceptions.ResourceAlreadyExistsException):
        personalize.create_dataset_import_job(
            jobName="ok-job",
            datasetArn=stack.interactions,
            dataSource={"dataLocation": "s3://emulator-test-data/imp/exists.csv"},
        )
    jobs = personalize.list_dataset_import_jobs(datasetArn=stack.interactions)
    assert {j["jobName"] for j in jobs["datasetImportJobs"]} == {"ok-job", "missing"}


def test_prefix_import_and_typed_items(stack, personalize, s3):
    put_csv(s3, "imp/parts/a.csv", HEADER + "u1,i1,click,1700000000\n")
    put_csv(s3, "imp/parts/b.csv", HEADER + "u2,i2,click,1700000001\n")
    arn = personalize.create_dataset_import_job(
        jobName="prefix",
        datasetArn=stack.interactions,
        dataSource={"dataLocation": "s3://emulator-test-data/imp/parts/"},
        importMode="INCREMENTAL",
    )["datasetImportJobArn"]
    job = wait_for(
        lambda: personalize.describe_dataset_import_job(datasetImportJobArn=arn), "datasetImportJob"
    )
    assert job["status"] == "ACTIVE" and job["importMode"] == "INCREMENTAL"
    typed = dict(ITEMS_SCHEMA, fields=ITEMS_SCHEMA["fields"] + [{"name": "PRICE", "type": "float"}])
    items = stack.dataset("Items", typed)
    job = stack.import_csv(
        items, "imp/items.csv", "ITEM_ID,EMOTION,PRICE\ni1,HAPPY,cheap\n", "items-bad"
    )
    assert job["status"] == "CREATE FAILED"
    assert "line 2" in job["failureReason"] and "PRICE" in job["failureReason"]


def _rows(users: int, per_user: int) -> str:
    lines = [HEADER.strip()]
    for u in range(users):
        for k in range(per_user):
            lines.append(f"user-{u},item-{(u + k) % 50},click,{1700000000 + u * 100 + k}")
    return "\n".join(lines) + "\n"


def test_insufficient_data_fails_training_with_counts(stack, personalize):
    job = stack.import_csv(stack.interactions, "imp/small.csv", _rows(20, 45), "small")
    assert job["status"] == "ACTIVE"
    solution = personalize.create_solution(
        name="small",
        datasetGroupArn=stack.dsg,
        recipeArn="arn:aws:personalize:::recipe/aws-user-personalization",
    )["solutionArn"]
    wait_for(lambda: personalize.describe_solution(solutionArn=solution), "solution")
    arn = personalize.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    version = wait_for(
        lambda: personalize.describe_solution_version(solutionVersionArn=arn), "solutionVersion"
    )
    assert version["status"] == "CREATE FAILED"
    reason = version["failureReason"]
    assert "900 interactions (minimum 1000)" in reason
    assert "20 users with at least 2 interactions (minimum 25)" in reason
    with pytest.raises(personalize.exceptions.ResourceInUseException):
        personalize.create_campaign(name="small", solutionVersionArn=arn)
    with pytest.raises(personalize.exceptions.ResourceInUseException):
        personalize.get_solution_metrics(solutionVersionArn=arn)
