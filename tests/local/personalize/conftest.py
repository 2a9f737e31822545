"""Shared fixtures: moto S3 in-process, one emulator per session (reset per test), clients."""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:  # plain `pytest` does not put the repo root on sys.path
    sys.path.insert(0, str(ROOT))

from local.personalize import start_emulator  # noqa: E402

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


@pytest.fixture(scope="session")
def aws_session_env():
    """Fake credentials and moto's in-process S3 for the whole session, undone afterwards."""
    from moto import mock_aws

    with pytest.MonkeyPatch.context() as mp:
        for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
            mp.delenv(name, raising=False)
        mp.setenv("AWS_ACCESS_KEY_ID", "testing")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        mp.setenv("AWS_SESSION_TOKEN", "testing")
        mp.setenv("AWS_DEFAULT_REGION", REGION)
        mp.delenv("PERSONALIZE_EMULATOR_FAULTS", raising=False)
        mp.delenv("PERSONALIZE_EMULATOR_TIME_SCALE", raising=False)
        with mock_aws():
            boto3.client("s3", region_name=REGION).create_bucket(Bucket=BUCKET)
            yield


@pytest.fixture(scope="session")
def running(aws_session_env):
    with start_emulator(settings={"time_scale": TIME_SCALE}) as emulator:
        yield emulator


@pytest.fixture
def emulator(running):
    running.reset()
    yield running
    running.reset()


def make_client(service: str, url: str, **config):
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(**config) if config else None,
    )


@pytest.fixture
def personalize(emulator):
    return make_client("personalize", emulator.url)


@pytest.fixture
def events(emulator):
    return make_client("personalize-events", emulator.url)


@pytest.fixture
def runtime(emulator):
    return make_client("personalize-runtime", emulator.url)


@pytest.fixture
def s3(aws_session_env):
    return boto3.client("s3", region_name=REGION)


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


@pytest.fixture(scope="session")
def trained(running, aws_session_env):
    """A stack trained once for the read-only runtime tests (not reset between them)."""
    # Uses its own emulator so per-test resets of `running` do not remove it.
    with start_emulator(settings={"time_scale": TIME_SCALE}) as emu:
        personalize = make_client("personalize", emu.url)
        interactions, items, catalog = synthetic(cold_items=30)
        stack = Stack(personalize, boto3.client("s3", region_name=REGION), "shared")
        stack.build(interactions, items)
        stack.quiet = personalize.create_campaign(
            name="shared-quiet",
            solutionVersionArn=stack.version,
            campaignConfig={"itemExplorationConfig": {"explorationWeight": "0"}},
        )["campaignArn"]
        wait_for(lambda: personalize.describe_campaign(campaignArn=stack.quiet), "campaign")
        stack.filter = personalize.create_filter(
            name="by-emotion",
            datasetGroupArn=stack.dsg,
            filterExpression="INCLUDE ItemID WHERE Items.EMOTION IN ($EMOTION)",
        )["filterArn"]
        wait_for(lambda: personalize.describe_filter(filterArn=stack.filter), "filter")
        stack.seen_filter = personalize.create_filter(
            name="unseen",
            datasetGroupArn=stack.dsg,
            filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")',
        )["filterArn"]
        wait_for(lambda: personalize.describe_filter(filterArn=stack.seen_filter), "filter")
        tracker = personalize.create_event_tracker(name="shared", datasetGroupArn=stack.dsg)
        stack.tracking_id = tracker["trackingId"]
        wait_for(
            lambda: personalize.describe_event_tracker(eventTrackerArn=tracker["eventTrackerArn"]),
            "eventTracker",
        )
        stack.interactions_csv = interactions
        stack.url = emu.url
        stack.catalog = catalog
        stack.emulator = emu
        yield stack
