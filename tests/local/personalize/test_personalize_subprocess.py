"""The README's promise: `python -m local.personalize` plus boto3, end to end, moto server S3."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest
from emulator_helpers import INTERACTIONS_SCHEMA, ROOT, synthetic

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait(describe, key, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        resource = describe()[key]
        if resource["status"] in ("ACTIVE", "CREATE FAILED"):
            return resource
        time.sleep(0.05)
    raise AssertionError(f"{key} did not finish")


def test_standalone_server_walkthrough(tmp_path):
    from moto.server import ThreadedMotoServer

    moto_port, port = free_port(), free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port)
    moto.start()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PERSONALIZE_EMULATOR_"))
    }
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL_S3=f"http://127.0.0.1:{moto_port}",
        PERSONALIZE_EMULATOR_TIME_SCALE="0.05",
        PYTHONPATH=str(ROOT),
    )
    log = (tmp_path / "emulator.log").open("w+")
    proc = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "local.personalize", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        banner = proc.stdout.readline()
        url = f"http://127.0.0.1:{port}"
        assert url in banner
        clients = {
            name: boto3.client(
                name,
                endpoint_url=endpoint,
                region_name="us-east-1",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
            for name, endpoint in [
                ("personalize", url),
                ("personalize-runtime", url),
                ("s3", f"http://127.0.0.1:{moto_port}"),
            ]
        }
        p, s3 = clients["personalize"], clients["s3"]
        interactions, _, _ = synthetic(n_users=30, per_user=40)
        s3.create_bucket(Bucket="walk")
        s3.put_object(Bucket="walk", Key="interactions.csv", Body=interactions.encode())

        dsg = p.create_dataset_group(name="walk")["datasetGroupArn"]
        wait(lambda: p.describe_dataset_group(datasetGroupArn=dsg), "datasetGroup")
        schema = p.create_schema(name="walk", schema=json.dumps(INTERACTIONS_SCHEMA))["schemaArn"]
        dataset = p.create_dataset(
            name="walk", datasetGroupArn=dsg, datasetType="Interactions", schemaArn=schema
        )["datasetArn"]
        wait(lambda: p.describe_dataset(datasetArn=dataset), "dataset")
        job = p.create_dataset_import_job(
            jobName="walk",
            datasetArn=dataset,
            dataSource={"dataLocation": "s3://walk/interactions.csv"},
            roleArn="arn:aws:iam::123456789012:role/walk",
        )["datasetImportJobArn"]
        done = wait(
            lambda: p.describe_dataset_import_job(datasetImportJobArn=job), "datasetImportJob"
        )
        assert done["status"] == "ACTIVE", done
        solution = p.create_solution(
            name="walk",
            datasetGroupArn=dsg,
            recipeArn="arn:aws:personalize:::recipe/aws-user-personalization",
        )["solutionArn"]
        wait(lambda: p.describe_solution(solutionArn=solution), "solution")
        version = p.create_solution_version(solutionArn=solution)["solutionVersionArn"]
        trained = wait(
            lambda: p.describe_solution_version(solutionVersionArn=version), "solutionVersion"
        )
        assert trained["status"] == "ACTIVE", trained
        campaign = p.create_campaign(name="walk", solutionVersionArn=version)["campaignArn"]
        wait(lambda: p.describe_campaign(campaignArn=campaign), "campaign")
        out = clients["personalize-runtime"].get_recommendations(
            campaignArn=campaign, userId="user-1", numResults=7
        )
        assert len(out["itemList"]) == 7
        with urllib.request.urlopen(url + "/_emulator/calls", timeout=5) as response:  # noqa: S310
            calls = json.loads(response.read())
        assert calls["GetRecommendations"] == 1 and calls["CreateCampaign"] == 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        moto.stop()
    log.seek(0)
    assert "GetRecommendations" in log.read()  # one info line per request
