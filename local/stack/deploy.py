"""Create the stack that template.yaml declares on moto, and register its functions locally."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from local.stack.lambda_runner import InProcessLambdaRunner, LocalFunction
from local.stack.template import (
    PLACEHOLDER_CODE_BUCKET,
    PLACEHOLDER_CODE_KEY,
    StateMachineSpec,
    translate,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = REPO_ROOT / "template.yaml"
SHARED_CODE = [REPO_ROOT / "layers" / "common"]


@dataclass
class DeployedStack:
    """What a user of the offline stack needs: outputs, functions and state machines."""

    name: str
    outputs: dict[str, str]
    functions: dict[str, LocalFunction]
    state_machines: dict[str, str]
    runner: InProcessLambdaRunner
    parameters: dict[str, str] = field(default_factory=dict)

    def function_name(self, logical_id: str) -> str:
        return self.functions[logical_id].name

    def invoke(self, logical_id: str, event: Any) -> Any:
        """Invoke a function through the Lambda API, as `aws lambda invoke` would."""
        response = boto3.client("lambda").invoke(
            FunctionName=self.function_name(logical_id), Payload=json.dumps(event).encode()
        )
        payload = json.loads(response["Payload"].read() or b"null")
        if response.get("FunctionError"):
            raise RuntimeError(
                f"{logical_id} failed: {payload.get('errorType')}: {payload.get('errorMessage')}"
            )
        return payload


def _upload_placeholder_code() -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=PLACEHOLDER_CODE_BUCKET)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("README.txt", "Code runs in-process from the repository folders.")
    s3.put_object(Bucket=PLACEHOLDER_CODE_BUCKET, Key=PLACEHOLDER_CODE_KEY, Body=archive.getvalue())


def _create_state_machine(stack: str, spec: StateMachineSpec, outputs: dict[str, str]) -> str:
    definition = spec.definition
    for name, output in spec.substitution_outputs.items():
        definition = definition.replace("${" + name + "}", outputs[output])
    response = boto3.client("stepfunctions").create_state_machine(
        name=f"{stack}-{spec.logical_id}",
        definition=definition,
        roleArn=outputs.get(spec.role_output, "arn:aws:iam::123456789012:role/offline"),
        type="STANDARD",
    )
    return response["stateMachineArn"]


def deploy_stack(
    stack_name: str,
    parameters: dict[str, str],
    runner: InProcessLambdaRunner,
    template: Path = TEMPLATE,
) -> DeployedStack:
    """Translate and create the stack on moto; returns once everything exists."""
    translated = translate(template, parameters)
    # moto has no CloudFormation handler for some resources (the bucket policy, the HTTP API,
    # CloudFront) and logs each; the offline stack serves those parts itself, or not at all.
    logging.getLogger("moto").setLevel(logging.ERROR)
    _upload_placeholder_code()
    cloudformation = boto3.client("cloudformation")
    cloudformation.create_stack(
        StackName=stack_name,
        TemplateBody=json.dumps(translated.cloudformation),
        Parameters=[{"ParameterKey": k, "ParameterValue": str(v)} for k, v in parameters.items()],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    if stack["StackStatus"] != "CREATE_COMPLETE":
        raise RuntimeError(
            f"offline stack {stack_name} ended {stack['StackStatus']}: "
            f"{stack.get('StackStatusReason')}"
        )
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    functions = _register_functions(stack_name, translated.code_dirs, translated.handlers, runner)
    machines = {}
    for spec in translated.state_machines:
        machines[spec.logical_id] = _create_state_machine(stack_name, spec, outputs)
        for output in spec.referring_outputs:
            outputs[output] = machines[spec.logical_id]
    visible = {k: v for k, v in outputs.items() if not k.startswith("Offline")}
    return DeployedStack(stack_name, visible, functions, machines, runner, dict(parameters))


def _register_functions(
    stack_name: str,
    code_dirs: dict[str, Path],
    handlers: dict[str, str],
    runner: InProcessLambdaRunner,
) -> dict[str, LocalFunction]:
    lambda_client = boto3.client("lambda")
    functions: dict[str, LocalFunction] = {}
    pages = boto3.client("cloudformation").get_paginator("list_stack_resources")
    for page in pages.paginate(StackName=stack_name):
        for resource in page["StackResourceSummaries"]:
            logical_id = resource["LogicalResourceId"]
            if resource["ResourceType"] != "AWS::Lambda::Function" or logical_id not in code_dirs:
                continue
            config = lambda_client.get_function_configuration(
                FunctionName=resource["PhysicalResourceId"]
            )
            function = LocalFunction(
                name=config["FunctionName"],
                arn=config["FunctionArn"],
                code_dir=code_dirs[logical_id],
                handler=handlers[logical_id],
                environment={
                    k: str(v) for k, v in config.get("Environment", {}).get("Variables", {}).items()
                },
                timeout=config.get("Timeout", 60),
                memory=config.get("MemorySize", 256),
            )
            runner.register(function)
            functions[logical_id] = function
    return functions
