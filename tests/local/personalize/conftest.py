"""Shared fixtures: moto S3 in-process, one emulator per module (reset per test), clients.

Module scope, not session: a session-wide mock_aws would stay active under every later test
module in the same process, so their own in-process stacks would not start empty.
"""

from __future__ import annotations

import boto3
import pytest
from emulator_helpers import BUCKET, REGION, TIME_SCALE, Stack, make_client, synthetic, wait_for

from local.personalize import start_emulator


@pytest.fixture(scope="module")
def aws_session_env():
    """Fake credentials and moto's in-process S3 for this module, undone afterwards."""
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


@pytest.fixture(scope="module")
def running(aws_session_env):
    with start_emulator(settings={"time_scale": TIME_SCALE}) as emulator:
        yield emulator


@pytest.fixture
def emulator(running):
    running.reset()
    yield running
    running.reset()


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


@pytest.fixture(scope="module")
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
