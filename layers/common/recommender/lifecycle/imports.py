"""ImportDatasets: import each dataset's CSV from the data bucket, once per version of the file.

Jobs are named after the object's ETag, so a re-run with the same files finds its earlier
jobs and imports nothing twice, while a new file gets a new job.
"""

from __future__ import annotations

import re
from typing import Any

from botocore.exceptions import ClientError

from recommender.clients import client
from recommender.config import required
from recommender.exceptions import InvalidInputError
from recommender.lifecycle.lookup import find_by_name
from recommender.lifecycle.polling import poll_outcome
from recommender.lifecycle.task import StepInput
from recommender.observability import logger
from recommender.training_data import data_bucket, training_key

STEP = "ImportDatasets"


def _etag(bucket: str, key: str) -> str | None:
    try:
        head = client("s3").head_object(Bucket=bucket, Key=key)
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return re.sub(r"[^a-zA-Z0-9]", "", head["ETag"])[:16]


def _ensure_job(step: StepInput, dataset_type: str, dataset_arn: str, etag: str, uri: str) -> str:
    personalize = client("personalize")
    name = step.config.name(f"{dataset_type.lower()}-{etag}")
    found = find_by_name(
        personalize,
        "list_dataset_import_jobs",
        "datasetImportJobs",
        name,
        name_key="jobName",
        datasetArn=dataset_arn,
    )
    if found:
        return found["datasetImportJobArn"]
    arn = personalize.create_dataset_import_job(
        jobName=name,
        datasetArn=dataset_arn,
        dataSource={"dataLocation": uri},
        roleArn=required("PERSONALIZE_ROLE_ARN"),
    )["datasetImportJobArn"]
    logger.info("started import", extra={"arn": arn, "source": uri})
    return arn


def import_datasets(step: StepInput) -> dict[str, Any]:
    """Start (or find) an import job per CSV present; ready when every job is ACTIVE.

    Raises InvalidInputError when the interactions CSV is missing from the bucket.
    """
    personalize = client("personalize")
    previous = step.previous("imports")
    jobs: dict[str, str] = previous.get("jobs") or {}
    if not jobs:
        bucket = data_bucket()
        for dataset_type, dataset_arn in step.steps["datasets"]["arns"].items():
            key = training_key(dataset_type)
            etag = _etag(bucket, key)
            if etag is None:
                if dataset_type == "INTERACTIONS":
                    raise InvalidInputError(
                        f"{STEP}: no interactions data at s3://{bucket}/{key}; "
                        "run the dataset generator first"
                    )
                logger.info("no file for optional dataset", extra={"dataset": dataset_type})
                continue
            jobs[dataset_type] = _ensure_job(
                step, dataset_type, dataset_arn, etag, f"s3://{bucket}/{key}"
            )
    described = {
        dataset_type: personalize.describe_dataset_import_job(datasetImportJobArn=arn)[
            "datasetImportJob"
        ]
        for dataset_type, arn in jobs.items()
    }
    failed = [j for j in described.values() if j["status"].endswith("FAILED")]
    pending = [j for j in described.values() if j["status"] != "ACTIVE"]
    worst = (failed or pending or list(described.values()))[0]
    finished = max(j.get("lastUpdatedDateTime") for j in described.values())
    return poll_outcome(
        step.config,
        step=STEP,
        resource=f"import job {worst['datasetImportJobArn']}",
        status=worst["status"],
        previous=previous,
        failure_reason=worst.get("failureReason"),
        jobs=jobs,
        lastImportedAt=finished.timestamp(),
    )
