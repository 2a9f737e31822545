"""Start the AWS stand-ins on loopback: moto (S3, DynamoDB, SSM, Lambda, Step Functions,
CloudFormation, IAM), the Personalize emulator and the Rekognition DetectFaces stand-in, and
point boto3 at them.

Two ways to run moto: ``server`` (a real HTTP endpoint on 127.0.0.1, so the AWS CLI and other
processes can use the stack) and ``inprocess`` (moto's mock_aws, faster to reset in tests).
Either way the state machine engine is moto's own, executing the real ASL, and Lambda Invoke
runs the handlers in this process through the InProcessLambdaRunner.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock

from moto import mock_aws
from moto.core.config import default_user_config
from moto.server import ThreadedMotoServer

from local.personalize import start_emulator
from local.rekognition import start_rekognition
from local.stack.deploy import SHARED_CODE
from local.stack.lambda_runner import InProcessLambdaRunner

REGION = "us-east-1"
MOTO_CONFIG: dict[str, Any] = {
    "lambda": {"use_docker": False},
    "stepfunctions": {"execute_state_machine": True},
}
PERSONALIZE_SERVICES = ("PERSONALIZE", "PERSONALIZE_EVENTS", "PERSONALIZE_RUNTIME")
# moto takes any credentials; fake ones keep boto3 from looking for real ones.
FAKE_CREDENTIAL = "testing"


@dataclass
class OfflineServices:
    """Endpoints of the running stand-ins and the runner that executes the functions."""

    moto_url: str | None
    personalize_url: str
    emulator: Any
    runner: InProcessLambdaRunner
    rekognition_url: str | None = None
    rekognition: Any = None

    def environment(self) -> dict[str, str]:
        """Variables that point the AWS CLI or boto3 in another shell at this stack."""
        variables = {
            "AWS_ACCESS_KEY_ID": FAKE_CREDENTIAL,
            "AWS_SECRET_ACCESS_KEY": FAKE_CREDENTIAL,
            "AWS_DEFAULT_REGION": REGION,
        }
        if self.moto_url:
            variables["AWS_ENDPOINT_URL"] = self.moto_url
        for service in PERSONALIZE_SERVICES:
            variables[f"AWS_ENDPOINT_URL_{service}"] = self.personalize_url
        if self.rekognition_url:
            variables["AWS_ENDPOINT_URL_REKOGNITION"] = self.rekognition_url
        return variables


def _base_environment(personalize_url: str) -> dict[str, str]:
    variables = {
        "AWS_ACCESS_KEY_ID": FAKE_CREDENTIAL,
        "AWS_SECRET_ACCESS_KEY": FAKE_CREDENTIAL,
        "AWS_SECURITY_TOKEN": FAKE_CREDENTIAL,
        "AWS_SESSION_TOKEN": FAKE_CREDENTIAL,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        # X-Ray has no daemon here, and EMF metrics would only clutter the console.
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
    for service in PERSONALIZE_SERVICES:
        variables[f"AWS_ENDPOINT_URL_{service}"] = personalize_url
    return variables


@contextmanager
def offline_services(
    mode: str = "server",
    *,
    host: str = "127.0.0.1",
    moto_port: int = 0,
    personalize_port: int = 0,
    emulator_settings: dict[str, Any] | None = None,
    rekognition_port: int = 0,
) -> Iterator[OfflineServices]:
    """Run moto and the Personalize emulator until the block ends; restore the environment."""
    if mode not in ("server", "inprocess"):
        raise ValueError(f"mode must be 'server' or 'inprocess', got {mode!r}")
    runner = InProcessLambdaRunner(SHARED_CODE)
    # One line per moto request would drown the progress the demo prints.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with ExitStack() as stack:
        # Credentials and region first: the emulator and moto both read them.
        stack.enter_context(mock.patch.dict(os.environ, _base_environment("http://unset")))
        moto_url = None
        if mode == "server":
            stack.enter_context(mock.patch.dict(default_user_config, MOTO_CONFIG))
            server = ThreadedMotoServer(ip_address=host, port=moto_port, verbose=False)
            server.start()
            stack.callback(server.stop)
            bound_host, bound_port = server.get_host_and_port()
            moto_url = f"http://{bound_host}:{bound_port}"
            # MOTO_PORT tells moto's Step Functions engine where to send its Lambda calls.
            os.environ.update({"AWS_ENDPOINT_URL": moto_url, "MOTO_PORT": str(bound_port)})
        else:
            stack.enter_context(mock_aws(config=MOTO_CONFIG))
        emulator = stack.enter_context(
            start_emulator(host=host, port=personalize_port, settings=emulator_settings)
        )
        for service in PERSONALIZE_SERVICES:
            os.environ[f"AWS_ENDPOINT_URL_{service}"] = emulator.url
        rekognition = stack.enter_context(start_rekognition(host=host, port=rekognition_port))
        os.environ["AWS_ENDPOINT_URL_REKOGNITION"] = rekognition.url
        stack.enter_context(runner.serving_moto())
        _forget_cached_clients()
        yield OfflineServices(
            moto_url, emulator.url, emulator, runner, rekognition.url, rekognition
        )
        _forget_cached_clients()


def _forget_cached_clients() -> None:
    # The shared code caches clients and SSM values; endpoints just changed under it.
    from recommender.clients import reset_clients
    from recommender.parameters import clear_settings_cache

    reset_clients()
    clear_settings_cache()
