"""CheckDataSufficiency: stop before training unless Personalize's minimums are met.

Personalize needs at least 1000 interactions from at least 25 users with 2 or more each.
The gate counts the interactions CSV in the data bucket plus the events the app has logged in
its interactions table (those reach Personalize through PutEvents).
"""

from __future__ import annotations

import codecs
import csv
from collections import Counter
from typing import Any

from recommender.clients import client
from recommender.config import optional_str
from recommender.exceptions import InsufficientDataError
from recommender.lifecycle.task import StepInput
from recommender.observability import logger
from recommender.training_data import data_bucket, training_key

STEP = "CheckDataSufficiency"


def count_csv_interactions(bucket: str, key: str, per_user: Counter) -> int:
    """Add the CSV's rows to ``per_user``; return the number of rows. Streams the object."""
    body = client("s3").get_object(Bucket=bucket, Key=key)["Body"]
    reader = csv.DictReader(codecs.iterdecode(body.iter_lines(), "utf-8"))
    rows = 0
    for row in reader:
        per_user[row.get("USER_ID", "")] += 1
        rows += 1
    return rows


def count_logged_interactions(table_name: str, per_user: Counter) -> int:
    """Add the interactions table's events to ``per_user``; return how many there are."""
    paginator = client("dynamodb").get_paginator("scan")
    rows = 0
    pages = paginator.paginate(TableName=table_name, ProjectionExpression="userId")
    for page in pages:
        for item in page.get("Items", []):
            per_user[item["userId"]["S"]] += 1
            rows += 1
    return rows


def check_data_sufficiency(step: StepInput) -> dict[str, Any]:
    """Count interactions and users; ready when both minimums hold.

    When short, asks for a recheck after the configured wait, and raises InsufficientDataError
    with the counts once the rechecks are used up.
    """
    config = step.config
    previous = step.previous("sufficiency")
    per_user: Counter = Counter()
    bucket, key = data_bucket(), training_key("INTERACTIONS")
    interactions = count_csv_interactions(bucket, key, per_user)
    table = optional_str("INTERACTIONS_TABLE", "")
    if table:
        interactions += count_logged_interactions(table, per_user)
    users = sum(1 for count in per_user.values() if count >= 2)
    counts = {"interactions": interactions, "usersWithTwoOrMore": users, "users": len(per_user)}
    logger.info("training data counted", extra=counts)
    if interactions >= config.min_interactions and users >= config.min_users:
        return {**counts, "ready": True, "polls": int(previous.get("polls", 0)), "waitSeconds": 0}
    summary = (
        f"{interactions} of {config.min_interactions} interactions, {users} of "
        f"{config.min_users} users with 2 or more interactions (s3://{bucket}/{key}"
        f"{' plus table ' + table if table else ''})"
    )
    polls = int(previous.get("polls", 0)) + 1
    if polls > config.sufficiency_rechecks:
        raise InsufficientDataError(f"{STEP}: not enough training data: {summary}")
    logger.info("not enough data yet, will recheck", extra={"summary": summary, "polls": polls})
    return {
        **counts,
        "ready": False,
        "polls": polls,
        "waitSeconds": config.sufficiency_wait_seconds,
        "summary": summary,
    }
