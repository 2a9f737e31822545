"""ImportDatasets: import each dataset's CSV from the data bucket, once per version of the file.

Jobs are named after the objects' ETags, so a re-run with the same files finds its earlier
jobs and imports nothing twice, while a new file gets a new job. When PrepareTrainingData
exported the interactions log, it is added with an INCREMENTAL import once the main
interactions file (a FULL import, which replaces earlier bulk data) is in; both jobs are then
named after the pair of files, so a new export brings the main file back in first.
"""

from __future__ import annotations

import hashlib
from typing import Any

from recommender.clients import client
from recommender.config import required
from recommender.exceptions import InvalidInputError
from recommender.lifecycle.lookup import find_by_name
from recommender.lifecycle.polling import poll_outcome
from recommender.lifecycle.task import StepInput
from recommender.observability import logger
from recommender.training_data import data_bucket, log_key, object_etag, training_key

STEP = "ImportDatasets"
LOG_JOB = "INTERACTIONS_LOG"


def _pair(main: str, log: str) -> str:
    return hashlib.sha256(f"{main}:{log}".encode()).hexdigest()[:16]


def _ensure_job(step: StepInput, suffix: str, dataset_arn: str, uri: str, mode: str) -> str:
    personalize = client("personalize")
    name = step.config.name(suffix)
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
        importMode=mode,
    )["datasetImportJobArn"]
    logger.info("started import", extra={"arn": arn, "source": uri, "mode": mode})
    return arn


def _start_main_imports(step: StepInput, bucket: str, log_tag: str | None) -> dict[str, str]:
    jobs = {}
    for dataset_type, dataset_arn in step.steps["datasets"]["arns"].items():
        key = training_key(dataset_type)
        etag = object_etag(bucket, key)
        if etag is None:
            if dataset_type == "INTERACTIONS":
                raise InvalidInputError(
                    f"{STEP}: no interactions data at s3://{bucket}/{key}; "
                    "run the dataset generator first"
                )
            logger.info("no file for optional dataset", extra={"dataset": dataset_type})
            continue
        if dataset_type == "INTERACTIONS" and log_tag:
            etag = _pair(etag, log_tag)
        jobs[dataset_type] = _ensure_job(
            step, f"{dataset_type.lower()}-{etag}", dataset_arn, f"s3://{bucket}/{key}", "FULL"
        )
    return jobs


def import_datasets(step: StepInput) -> dict[str, Any]:
    """Start (or find) an import job per CSV present; ready when every job is ACTIVE.

    Raises InvalidInputError when the interactions CSV is missing from the bucket.
    """
    personalize = client("personalize")
    previous = step.previous("imports")
    jobs: dict[str, str] = dict(previous.get("jobs") or {})
    bucket = data_bucket()
    log_tag = previous.get("logTag")
    if not jobs:
        log_etag = object_etag(bucket, log_key())
        log_tag = None
        if log_etag:
            main = object_etag(bucket, training_key("INTERACTIONS")) or ""
            log_tag = _pair(main, log_etag)
        jobs = _start_main_imports(step, bucket, log_tag)
    described = {
        kind: personalize.describe_dataset_import_job(datasetImportJobArn=arn)["datasetImportJob"]
        for kind, arn in jobs.items()
    }
    log_waiting = bool(log_tag) and LOG_JOB not in jobs
    if log_waiting and described["INTERACTIONS"]["status"] == "ACTIVE":
        jobs[LOG_JOB] = _ensure_job(
            step,
            f"interactions-log-{log_tag}",
            step.steps["datasets"]["arns"]["INTERACTIONS"],
            f"s3://{bucket}/{log_key()}",
            "INCREMENTAL",
        )
        described[LOG_JOB] = personalize.describe_dataset_import_job(
            datasetImportJobArn=jobs[LOG_JOB]
        )["datasetImportJob"]
        log_waiting = False
    failed = [j for j in described.values() if j["status"].endswith("FAILED")]
    pending = [j for j in described.values() if j["status"] != "ACTIVE"]
    worst = (failed or pending or list(described.values()))[0]
    status = worst["status"]
    if log_waiting and not failed:
        status = "CREATE PENDING"  # the log's import starts after the main file's
    finished = max(j.get("lastUpdatedDateTime") for j in described.values())
    return poll_outcome(
        step.config,
        step=STEP,
        resource=f"import job {worst['datasetImportJobArn']}",
        status=status,
        previous=previous,
        failure_reason=worst.get("failureReason"),
        jobs=jobs,
        logTag=log_tag,
        lastImportedAt=finished.timestamp(),
    )
