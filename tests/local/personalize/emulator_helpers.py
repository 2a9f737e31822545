"""Helpers shared by the Personalize emulator tests (kept out of conftest.py so the test
modules can import them under a name no other test folder uses)."""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:  # plain `pytest` does not put the repo root on sys.path
    sys.path.insert(0, str(ROOT))

TIME_SCALE = 0.02
REGION = "us-east-1"
BUCKET = "emulator-test-data"
EMOTIONS = ["HAPPY", "SAD", "ANGRY", "CALM", "SURPRISED", "FEAR", "DISGUSTED", "CONFUSED"]

INTERACTIONS_SCHEMA = {
    "type": "record",
    "name": "Interactions",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {"name": "USER_ID", "type": "string"},
        {"name": "ITEM_ID", "type": "string"},
        {"name": "EVENT_TYPE", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"},
    ],
    "version": "1.0",
}
ITEMS_SCHEMA = {
    "type": "record",
    "name": "Items",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {"name": "ITEM_ID", "type": "string"},
        {"name": "EMOTION", "type": "string", "categorical": True},
    ],
    "version": "1.0",
}
USERS_SCHEMA = {
    "type": "record",
    "name": "Users",
    "fields": [
        {"name": "USER_ID", "type": "string"},
        {"name": "AGE", "type": ["null", "int"]},
    ],
}


def make_client(service: str, url: str, **config):
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(**config) if config else None,
    )


def put_csv(s3, key: str, text: str) -> str:
    s3.put_object(Bucket=BUCKET, Key=key, Body=text.encode())
    return f"s3://{BUCKET}/{key}"


def wait_for(describe, key: str, statuses=("ACTIVE", "CREATE FAILED"), timeout: float = 30):
    """Poll a Describe call until the resource reaches one of statuses; return the resource."""
    deadline = time.monotonic() + timeout
    while True:
        resource = describe()[key]
        if resource["status"] in statuses:
            return resource
        if time.monotonic() > deadline:
            raise AssertionError(f"still {resource['status']} after {timeout}s: {resource}")
        time.sleep(0.01)


def synthetic(n_users=60, n_items=200, per_user=25, seed=3, cold_items=0):
    """Interactions CSV where each user prefers one emotion's items, plus items CSV."""
    rng = random.Random(seed)
    items = {f"item-{i}": EMOTIONS[i % len(EMOTIONS)] for i in range(n_items)}
    by_emotion: dict[str, list[str]] = {}
    for item, emotion in items.items():
        by_emotion.setdefault(emotion, []).append(item)
    rows = ["USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP"]
    t0 = 1_700_000_000
    for u in range(n_users):
        liked = by_emotion[EMOTIONS[u % len(EMOTIONS)]]
        for k in range(per_user):
            item = rng.choice(liked) if rng.random() < 0.85 else rng.choice(list(items))
            rows.append(f"user-{u},{item},click,{t0 + u * 1000 + k}")
    for c in range(cold_items):
        items[f"cold-{c}"] = EMOTIONS[c % len(EMOTIONS)]
    item_rows = ["ITEM_ID,EMOTION"] + [f"{i},{e}" for i, e in items.items()]
    return "\n".join(rows) + "\n", "\n".join(item_rows) + "\n", items


class Stack:
    """Builds dataset group -> datasets -> imports -> solution -> version -> campaign."""

    def __init__(self, personalize, s3, name: str):
        self.p = personalize
        self.s3 = s3
        self.name = name

    def group(self):
        self.dsg = self.p.create_dataset_group(name=self.name)["datasetGroupArn"]
        wait_for(lambda: self.p.describe_dataset_group(datasetGroupArn=self.dsg), "datasetGroup")
        return self.dsg

    def dataset(self, kind: str, schema: dict):
        schema_arn = self.p.create_schema(
            name=f"{self.name}-{kind.lower()}", schema=json.dumps(schema)
        )["schemaArn"]
        arn = self.p.create_dataset(
            name=f"{self.name}-{kind.lower()}",
            datasetGroupArn=self.dsg,
            datasetType=kind,
            schemaArn=schema_arn,
        )["datasetArn"]
        wait_for(lambda: self.p.describe_dataset(datasetArn=arn), "dataset")
        return arn

    def import_csv(self, dataset_arn: str, key: str, text: str, job: str):
        location = put_csv(self.s3, key, text)
        arn = self.p.create_dataset_import_job(
            jobName=job,
            datasetArn=dataset_arn,
            dataSource={"dataLocation": location},
            roleArn="arn:aws:iam::123456789012:role/personalize",
        )["datasetImportJobArn"]
        return wait_for(
            lambda: self.p.describe_dataset_import_job(datasetImportJobArn=arn), "datasetImportJob"
        )

    def build(
        self,
        interactions: str,
        items: str | None = None,
        recipe="aws-user-personalization",
        campaign_config=None,
    ):
        self.group()
        self.interactions = self.dataset("Interactions", INTERACTIONS_SCHEMA)
        job = self.import_csv(
            self.interactions, f"{self.name}/i.csv", interactions, f"{self.name}-i"
        )
        assert job["status"] == "ACTIVE", job
        if items is not None:
            self.items = self.dataset("Items", ITEMS_SCHEMA)
            job = self.import_csv(self.items, f"{self.name}/items.csv", items, f"{self.name}-it")
            assert job["status"] == "ACTIVE", job
        self.solution = self.p.create_solution(
            name=self.name,
            datasetGroupArn=self.dsg,
            recipeArn=f"arn:aws:personalize:::recipe/{recipe}",
        )["solutionArn"]
        wait_for(lambda: self.p.describe_solution(solutionArn=self.solution), "solution")
        self.version = self.p.create_solution_version(solutionArn=self.solution)[
            "solutionVersionArn"
        ]
        version = wait_for(
            lambda: self.p.describe_solution_version(solutionVersionArn=self.version),
            "solutionVersion",
        )
        assert version["status"] == "ACTIVE", version
        kwargs = {"campaignConfig": campaign_config} if campaign_config else {}
        self.campaign = self.p.create_campaign(
            name=self.name, solutionVersionArn=self.version, minProvisionedTPS=1, **kwargs
        )["campaignArn"]
        wait_for(lambda: self.p.describe_campaign(campaignArn=self.campaign), "campaign")
        return self
