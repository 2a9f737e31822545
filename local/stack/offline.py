"""One call that brings the whole offline stack up: services, stack, sample catalogue."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from local.stack.deploy import DeployedStack, deploy_stack
from local.stack.services import OfflineServices, offline_services

STACK_NAME = "emotion-recommender-local"

# Template parameters for one machine: short polls so a lifecycle takes seconds, not an hour.
OFFLINE_PARAMETERS = {
    "Stage": "dev",
    "PollInitialSeconds": "1",
    "PollMaxSeconds": "2",
    "PollMaxAttempts": "60",
    "SufficiencyRechecks": "1",
    "SufficiencyWaitSeconds": "1",
    "LogLevel": "WARNING",
}


@dataclass
class OfflineStack:
    """The running services and the deployed stack."""

    services: OfflineServices
    stack: DeployedStack

    @property
    def outputs(self) -> dict[str, str]:
        return self.stack.outputs


@contextmanager
def offline_stack(
    mode: str = "server",
    *,
    stack_name: str = STACK_NAME,
    parameters: dict[str, str] | None = None,
    emulator_settings: dict[str, Any] | None = None,
    load_catalogue: bool = True,
    moto_port: int = 0,
    personalize_port: int = 0,
) -> Iterator[OfflineStack]:
    """Start moto and the emulator, deploy template.yaml, load the sample catalogue."""
    with offline_services(
        mode,
        moto_port=moto_port,
        personalize_port=personalize_port,
        emulator_settings=emulator_settings,
    ) as services:
        with warnings.catch_warnings():
            # moto skips the bucket policy (it has no CloudFormation support for it) and says so.
            warnings.simplefilter("ignore", UserWarning)
            stack = deploy_stack(
                stack_name, {**OFFLINE_PARAMETERS, **(parameters or {})}, services.runner
            )
        if load_catalogue:
            from local.sample_catalogue import sample_items
            from recommender.catalogue import put_items

            put_items(stack.outputs["ItemsTableName"], sample_items())
        yield OfflineStack(services, stack)
