"""One offline stack per test module, served on loopback by the HTTP API twin.

Rekognition and Personalize are never moto here: DetectFaces is the OpenCV stand-in, and
Personalize is the emulator, whose call counters prove that a call really happened.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
import requests

from local.api import start_gateway
from local.api.gateway import http_event
from local.stack.offline import STACK_NAME, OfflineStack, offline_stack
from tests.support import load_event

FAST = {"time_scale": 0.02}


@dataclass
class Api:
    """The running stack plus helpers to call the HTTP API as a client would."""

    offline: OfflineStack
    url: str

    def get(self, path: str, **params: Any) -> requests.Response:
        return requests.get(self.url + path, params=params, timeout=30)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return requests.post(self.url + path, timeout=30, **kwargs)

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        """Run the HTTP API function on an API Gateway event, as Lambda would."""
        name = self.offline.stack.function_name("HttpApiFunction")
        result, failed = self.offline.services.runner.invoke(name, event)
        assert not failed, result
        return result

    def invoke_sample(self, name: str) -> tuple[int, Any]:
        """Invoke with events/<name>; return (status, parsed JSON body or the text)."""
        result = self.invoke(load_event(name))
        body = result.get("body", "")
        try:
            return result["statusCode"], json.loads(body)
        except ValueError:
            return result["statusCode"], body

    def request_event(self, method: str, target: str, headers: dict, body: bytes) -> dict:
        return http_event(method, target, headers, body)

    def personalize_calls(self) -> dict[str, int]:
        return dict(self.offline.services.emulator.calls())

    def rekognition_calls(self) -> list[dict[str, Any]]:
        return self.offline.services.rekognition.calls()

    def faults(self, faults: dict[str, Any]) -> None:
        self.offline.services.emulator.set_faults(faults)

    @property
    def interactions_table(self) -> str:
        return self.offline.outputs["InteractionsTableName"]

    @property
    def items_table(self) -> str:
        return self.offline.outputs["ItemsTableName"]

    @property
    def tracking_parameter(self) -> str:
        return self.offline.outputs["TrackingIdParameterName"]

    def log(self, user_id: str) -> list[dict[str, Any]]:
        """The user's items in the interactions log (plain values)."""
        items = boto3.client("dynamodb").query(
            TableName=self.interactions_table,
            KeyConditionExpression="userId = :u",
            ExpressionAttributeValues={":u": {"S": user_id}},
        )["Items"]
        return [{k: next(iter(v.values())) for k, v in item.items()} for item in items]

    def replay(self, **event: Any) -> dict[str, Any]:
        payload = {**load_event("replay_unsent_events.json"), **event}
        return self.offline.stack.invoke("ReplayUnsentEventsFunction", payload)


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with (
        offline_stack("inprocess", emulator_settings=FAST) as offline,
        start_gateway(offline) as gateway,
    ):
        yield Api(offline, gateway.url)


def _wait_active(describe: Any, key: str) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while True:
        resource = describe()[key]
        if resource["status"] == "ACTIVE":
            return resource
        assert time.monotonic() < deadline, f"still {resource['status']}: {resource}"
        time.sleep(0.02)


def create_tracker(personalize: Any, group_arn: str, name: str) -> str:
    """Create an event tracker, wait until ACTIVE, return its tracking ID."""
    created = personalize.create_event_tracker(name=name, datasetGroupArn=group_arn)
    arn = created["eventTrackerArn"]
    _wait_active(lambda: personalize.describe_event_tracker(eventTrackerArn=arn), "eventTracker")
    return created["trackingId"]


@pytest.fixture(scope="module")
def personalize_ready(api: Api) -> dict[str, str]:
    """What the lifecycle would leave: the stack's dataset group, three datasets, a tracker
    whose tracking ID is in SSM. Built directly (seconds faster than a full lifecycle run)."""
    from recommender.schemas import SCHEMAS, schema_json

    personalize = boto3.client("personalize")
    group = personalize.create_dataset_group(name=STACK_NAME)["datasetGroupArn"]
    _wait_active(lambda: personalize.describe_dataset_group(datasetGroupArn=group), "datasetGroup")
    datasets = {}
    for kind in SCHEMAS:
        schema = personalize.create_schema(
            name=f"{STACK_NAME}-{kind.lower()}", schema=schema_json(kind)
        )["schemaArn"]
        arn = personalize.create_dataset(
            name=f"{STACK_NAME}-{kind.lower()}",
            datasetGroupArn=group,
            datasetType=kind,
            schemaArn=schema,
        )["datasetArn"]
        _wait_active(lambda arn=arn: personalize.describe_dataset(datasetArn=arn), "dataset")
        datasets[kind] = arn
    tracking_id = create_tracker(personalize, group, f"{STACK_NAME}-tracker")
    boto3.client("ssm").put_parameter(
        Name=api.tracking_parameter, Value=tracking_id, Type="String", Overwrite=True
    )
    return {"group": group, "trackingId": tracking_id, **datasets}


@pytest.fixture(autouse=True)
def _no_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "api" in request.fixturenames:
        request.getfixturevalue("api").faults({})
