"""Runs the template's Lambda functions in this process when moto is asked to invoke them.

moto's Docker-free Lambda backend answers every Invoke with a canned payload; this runner
takes its place, loads the handler from the function's CodeUri folder, applies the function's
environment as CloudFormation resolved it, and returns the handler's result, or a Lambda-style
error payload that Step Functions turns into the error's class name.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import threading
import traceback
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

from moto.awslambda_simple.models import LambdaSimpleBackend


@dataclass
class LocalFunction:
    """One deployed function: where its code is and what environment it runs with."""

    name: str
    arn: str
    code_dir: Path
    handler: str
    environment: dict[str, str]
    timeout: int = 60
    memory: int = 256


class LambdaContext:
    """The parts of the Lambda context object that Powertools and handlers read."""

    def __init__(self, function: LocalFunction):
        self.function_name = function.name
        self.function_version = "$LATEST"
        self.invoked_function_arn = function.arn
        self.memory_limit_in_mb = function.memory
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function.name}"
        self.log_stream_name = "offline"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


class InProcessLambdaRunner:
    """Registry of local functions plus the Invoke implementation moto calls."""

    def __init__(self, shared_code: list[Path]):
        self._functions: dict[str, LocalFunction] = {}
        self._modules: dict[str, ModuleType] = {}
        # One invocation at a time: handlers see their own environment in os.environ.
        self._lock = threading.RLock()
        self.invocations: dict[str, int] = {}
        for path in shared_code:
            if str(path) not in sys.path:
                sys.path.insert(0, str(path))

    def register(self, function: LocalFunction) -> None:
        self._functions[function.name] = function
        self._functions[function.arn] = function

    def function(self, name_or_arn: str) -> LocalFunction:
        found = self._functions.get(name_or_arn)
        if found is None:
            # A qualified ARN ("...:function:name:$LATEST") or a bare name inside an ARN.
            base = name_or_arn.split(":function:")[-1].split(":")[0]
            found = self._functions.get(base)
        if found is None:
            raise KeyError(f"no local function named {name_or_arn}")
        return found

    def invoke(self, name_or_arn: str, event: Any) -> tuple[Any, bool]:
        """Run the handler; return (result or error payload, whether it failed)."""
        function = self.function(name_or_arn)
        with self._lock, _environment(function.environment):
            self.invocations[function.name] = self.invocations.get(function.name, 0) + 1
            handler = self._handler(function)
            try:
                return handler(event, LambdaContext(function)), False
            except Exception as err:  # noqa: BLE001 - every error becomes a Lambda error payload
                return {
                    "errorType": type(err).__name__,
                    "errorMessage": str(err),
                    "stackTrace": traceback.format_exception(err),
                }, True

    def _handler(self, function: LocalFunction) -> Any:
        module_file, attribute = function.handler.rsplit(".", 1)
        module = self._modules.get(function.name)
        if module is None:
            path = function.code_dir / f"{module_file.replace('.', '/')}.py"
            spec = importlib.util.spec_from_file_location(f"offline_fn_{function.name}", path)
            if spec is None or spec.loader is None:
                raise FileNotFoundError(f"handler module {path} not found")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            self._modules[function.name] = module
        return getattr(module, attribute)

    @contextmanager
    def serving_moto(self) -> Iterator[None]:
        """While active, moto's Lambda Invoke runs the handlers here."""
        runner = self

        def invoke(backend, function_name, qualifier, body, headers, response_headers):  # noqa: ANN001
            event = json.loads(body) if body else {}
            result, failed = runner.invoke(function_name, event)
            if failed:
                response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps(result, default=str).encode()

        with mock.patch.object(LambdaSimpleBackend, "invoke", invoke):
            yield


@contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
    # Only the function's own keys change, so other threads never see a half-empty environment.
    saved = {key: os.environ.get(key) for key in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
