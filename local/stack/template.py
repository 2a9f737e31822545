"""Read template.yaml and turn it into what moto's CloudFormation can create.

The SAM translator (the same code `sam deploy` uses) expands the serverless resources. Two
things differ from a real deployment and are handled here: code is not packaged (CodeUri
points at a placeholder object, and the in-process runner loads the folder instead), and
state machines are created through the Step Functions API after the stack, because moto's
CloudFormation registers them where its executing engine cannot see them.
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

from samcli.yamlhelper import yaml_parse
from samtranslator.translator.transform import transform

PLACEHOLDER_CODE_BUCKET = "offline-stack-code"
PLACEHOLDER_CODE_KEY = "placeholder.zip"


@dataclass
class StateMachineSpec:
    """A state machine to create after the stack: its ASL and the outputs that fill it."""

    logical_id: str
    definition: str
    substitution_outputs: dict[str, str] = field(default_factory=dict)
    role_output: str = ""
    referring_outputs: list[str] = field(default_factory=list)
    skipped_resources: list[str] = field(default_factory=list)


@dataclass
class TranslatedTemplate:
    """The CloudFormation template for moto, plus what the stack alone cannot express."""

    cloudformation: dict[str, Any]
    code_dirs: dict[str, Path]
    handlers: dict[str, str]
    state_machines: list[StateMachineSpec]


class _NoManagedPolicies:
    """The translator asks for AWS managed policy ARNs only by name; this app names none."""

    def load(self) -> dict[str, str]:
        return {}


def load_sam_template(path: Path) -> dict[str, Any]:
    """Parse template.yaml with the SAM CLI's own YAML reader (short-form intrinsics)."""
    return yaml_parse(path.read_text())


def _placeholder_code(properties: dict[str, Any], key: str) -> None:
    properties[key] = {"Bucket": PLACEHOLDER_CODE_BUCKET, "Key": PLACEHOLDER_CODE_KEY}


def translate(template_path: Path, parameters: dict[str, str]) -> TranslatedTemplate:
    """Expand template.yaml for moto; remember each function's code folder and handler."""
    root = template_path.parent
    sam = copy.deepcopy(load_sam_template(template_path))
    code_dirs: dict[str, Path] = {}
    handlers: dict[str, str] = {}
    machines: dict[str, dict[str, Any]] = {}
    for logical_id, resource in sam["Resources"].items():
        properties = resource.setdefault("Properties", {})
        kind = resource["Type"]
        if kind == "AWS::Serverless::Function":
            code_dirs[logical_id] = (root / properties["CodeUri"]).resolve()
            handlers[logical_id] = properties["Handler"]
            _placeholder_code(properties, "CodeUri")
        elif kind == "AWS::Serverless::LayerVersion":
            _placeholder_code(properties, "ContentUri")
        elif kind == "AWS::Serverless::StateMachine":
            machines[logical_id] = copy.deepcopy(properties)
            # The translator wants an S3 URI or an inline definition; inline it.
            properties["Definition"] = json.loads(
                (root / properties.pop("DefinitionUri")).read_text()
            )
    # The translator insists on a region from a boto3 session, even offline.
    region = os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    with mock.patch.dict(os.environ, {"AWS_DEFAULT_REGION": region}):
        cloudformation = transform(sam, dict(parameters), _NoManagedPolicies())
    specs = [_detach_state_machine(cloudformation, lid, root, p) for lid, p in machines.items()]
    return TranslatedTemplate(cloudformation, code_dirs, handlers, specs)


def _detach_state_machine(
    cloudformation: dict[str, Any], logical_id: str, root: Path, sam_properties: dict[str, Any]
) -> StateMachineSpec:
    """Remove the state machine from the stack; expose its substitutions as outputs."""
    resources = cloudformation["Resources"]
    resources.pop(logical_id)
    outputs = cloudformation.setdefault("Outputs", {})
    spec = StateMachineSpec(
        logical_id=logical_id,
        definition=json.dumps(json.loads((root / sam_properties["DefinitionUri"]).read_text())),
    )
    for name, value in (sam_properties.get("DefinitionSubstitutions") or {}).items():
        output = f"OfflineSub{logical_id}{name}"
        outputs[output] = {"Value": value}
        spec.substitution_outputs[name] = output
    role = f"{logical_id}Role"
    if role in resources:
        spec.role_output = f"OfflineRole{logical_id}"
        outputs[spec.role_output] = {"Value": {"Fn::GetAtt": [role, "Arn"]}}
    # Outputs that referred to the state machine are answered by the stack wrapper instead.
    for name in [n for n, o in outputs.items() if _refers_to(o, logical_id)]:
        outputs.pop(name)
        spec.referring_outputs.append(name)
    # Resources built on the state machine (its schedules and their roles) have no offline
    # counterpart: moto would fail to resolve them, and nothing runs them on one machine.
    gone = {logical_id}
    while dependants := [
        name for name, body in resources.items() if any(_refers_to(body, g) for g in gone)
    ]:
        for name in dependants:
            resources.pop(name)
            spec.skipped_resources.append(name)
            gone.add(name)
    return spec


def _refers_to(node: Any, logical_id: str) -> bool:
    """Whether a template fragment uses ``logical_id`` (Ref, GetAtt, Sub or DependsOn)."""
    if isinstance(node, dict):
        if node.get("Ref") == logical_id:
            return True
        target = node.get("Fn::GetAtt")
        if isinstance(target, list) and target and target[0] == logical_id:
            return True
        if isinstance(target, str) and target.split(".")[0] == logical_id:
            return True
        sub = node.get("Fn::Sub")
        text = sub[0] if isinstance(sub, list) and sub else sub
        if isinstance(text, str) and (
            "${" + logical_id + "}" in text or "${" + logical_id + "." in text
        ):
            return True
        depends = node.get("DependsOn")
        if depends == logical_id or (isinstance(depends, list) and logical_id in depends):
            return True
        return any(_refers_to(v, logical_id) for v in node.values())
    if isinstance(node, list):
        return any(_refers_to(v, logical_id) for v in node)
    return False
