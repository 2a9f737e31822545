"""template.yaml: valid for SAM and cfn-lint, least privilege, and every function has events."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from local.stack.template import load_sam_template, translate
from tests.support import EVENTS, REPO

TEMPLATE = REPO / "template.yaml"
BIN = Path(sys.executable).parent


def _statements(node: Any) -> list[dict[str, Any]]:
    """Every IAM policy statement anywhere in a translated template."""
    found = []
    if isinstance(node, dict):
        if "Statement" in node and isinstance(node["Statement"], list):
            found.extend(s for s in node["Statement"] if isinstance(s, dict))
        for value in node.values():
            found.extend(_statements(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_statements(value))
    return found


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement.get("Action", [])
    return [actions] if isinstance(actions, str) else list(actions)


def test_sam_validate_lint_passes():
    result = subprocess.run(
        [str(BIN / "sam"), "validate", "--lint", "--template-file", str(TEMPLATE)],
        capture_output=True,
        text=True,
        env={**os.environ, "SAM_CLI_TELEMETRY": "0"},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_cfn_lint_passes():
    result = subprocess.run(
        [str(BIN / "cfn-lint"), str(TEMPLATE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_iam_statement_allows_a_wildcard_action():
    translated = translate(TEMPLATE, {}).cloudformation
    statements = _statements(translated["Resources"])

    assert len(statements) > 20
    wild = [
        (statement.get("Sid"), action)
        for statement in statements
        if statement.get("Effect") == "Allow"
        for action in _actions(statement)
        if "*" in action
    ]
    assert wild == []


def test_wildcard_check_would_catch_one():
    statement = {"Effect": "Allow", "Action": ["s3:Get*"], "Resource": "*"}
    assert [a for a in _actions(statement) if "*" in a] == ["s3:Get*"]


FUNCTIONS = {
    logical_id: resource["Properties"]
    for logical_id, resource in load_sam_template(TEMPLATE)["Resources"].items()
    if resource["Type"] == "AWS::Serverless::Function"
}


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_every_function_has_its_code_and_a_sample_event(logical_id):
    properties = FUNCTIONS[logical_id]
    folder = REPO / properties["CodeUri"]
    module, attribute = properties["Handler"].rsplit(".", 1)

    source = (folder / f"{module}.py").read_text()
    assert f"{attribute} =" in source or f"def {attribute}(" in source
    samples = list(EVENTS.glob(f"{folder.name}*.json"))
    assert samples, f"no events/{folder.name}*.json for {logical_id}"
