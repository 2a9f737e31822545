"""Evaluate a translated template's Conditions and Fn::If the way CloudFormation does at deploy.

Only what template.yaml uses: Fn::Equals, Fn::Not, Fn::And, Fn::Or and Condition over Ref of
parameters; then Fn::If and Ref AWS::NoValue anywhere in a fragment. Other intrinsics are left
as they are, so a test sees the value CloudFormation would pass to the resource.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from local.stack.template import load_sam_template, translate
from tests.support import REPO

TEMPLATE = REPO / "template.yaml"
NO_VALUE = object()


class Deployed:
    """A translated template seen with one set of parameter values."""

    def __init__(self, parameters: dict[str, str], template: Path = TEMPLATE):
        self.cloudformation = translate(template, parameters).cloudformation
        # translate() leaves out what is built on the state machines (the offline stack creates
        # those separately); plain CloudFormation resources reach CloudFormation as written.
        for name, resource in load_sam_template(template)["Resources"].items():
            if not resource["Type"].startswith("AWS::Serverless::"):
                self.cloudformation["Resources"].setdefault(name, resource)
        declared = self.cloudformation.get("Parameters", {})
        self.parameters = {
            name: parameters.get(name, str(spec.get("Default", "")))
            for name, spec in declared.items()
        }
        self.conditions: dict[str, bool] = {}
        for name in self.cloudformation.get("Conditions", {}):
            self.condition(name)

    def condition(self, name: str) -> bool:
        if name not in self.conditions:
            self.conditions[name] = bool(self._value(self.cloudformation["Conditions"][name]))
        return self.conditions[name]

    def _value(self, node: Any) -> Any:
        if isinstance(node, dict) and len(node) == 1:
            ((key, args),) = node.items()
            if key == "Ref" and args in self.parameters:
                return self.parameters[args]
            if key == "Fn::Equals":
                return self._value(args[0]) == self._value(args[1])
            if key == "Fn::Not":
                return not self._value(args[0])
            if key == "Fn::And":
                return all(self._value(a) for a in args)
            if key == "Fn::Or":
                return any(self._value(a) for a in args)
            if key == "Condition":
                return self.condition(args)
        return node

    def resolve(self, node: Any) -> Any:
        """``node`` with every Fn::If decided and every AWS::NoValue removed."""
        if isinstance(node, dict):
            if set(node) == {"Fn::If"}:
                name, when_true, when_false = node["Fn::If"]
                return self.resolve(when_true if self.condition(name) else when_false)
            if node == {"Ref": "AWS::NoValue"}:
                return NO_VALUE
            resolved = {k: self.resolve(v) for k, v in node.items()}
            return {k: v for k, v in resolved.items() if v is not NO_VALUE}
        if isinstance(node, list):
            return [v for v in (self.resolve(v) for v in node) if v is not NO_VALUE]
        return node

    def resources(self) -> dict[str, Any]:
        """The resources CloudFormation would create: conditions applied, Fn::If resolved."""
        return {
            name: self.resolve(resource)
            for name, resource in self.cloudformation["Resources"].items()
            if "Condition" not in resource or self.condition(resource["Condition"])
        }
