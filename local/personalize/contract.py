"""The API contract, taken from botocore's own service models.

Requests are validated against the operation's input shape before any handling, and responses
are reduced to the output shape's members with timestamps as epoch-second floats.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import re
from typing import Any

import botocore.session

from .exceptions import InvalidInputException

SERVICES = ("personalize", "personalize-events", "personalize-runtime")

# Java-style classes used by the Personalize models, rewritten for Python's re.
_CLASS_REWRITES = {
    r"\p{ASCII}": r"\x00-\x7f",
    r"\p{L}": r"a-zA-Z\u00c0-\uffff",
    r"\p{Z}": r" \u00a0\u2000-\u200a\u2028\u2029\u3000",
    r"\p{N}": r"0-9",
}


@functools.cache
def service_model(service: str):
    return botocore.session.get_session().get_service_model(service)


@functools.cache
def _pattern(raw: str) -> re.Pattern:
    text = raw
    for java, py in _CLASS_REWRITES.items():
        if java == r"\p{ASCII}":
            text = text.replace(java + "{", "[" + py + "]{")
        text = text.replace(java, py)
    return re.compile(text, re.DOTALL)


@functools.cache
def rest_routes(service: str) -> dict[tuple[str, str], str]:
    """(method, path) -> operation name for a rest-json service."""
    model = service_model(service)
    routes = {}
    for name in model.operation_names:
        http = model.operation_model(name).http
        routes[(http["method"], http["requestUri"].split("?")[0])] = name
    return routes


def _fail(path: str, rule: str) -> None:
    raise InvalidInputException(
        f"1 validation error detected: Value at '{path}' failed to satisfy constraint: {rule}"
    )


def validate(shape, value: Any, path: str = "") -> None:
    """Raise InvalidInputException naming the member path and rule when value breaks shape."""
    kind = shape.type_name
    meta = shape.metadata
    where = path or "input"
    if kind == "structure":
        if not isinstance(value, dict):
            _fail(where, "Member must be a structure (JSON object)")
        for name in shape.required_members:
            if value.get(name) is None:
                _fail(_join(path, name), "Member must not be null")
        for key, item in value.items():
            if key not in shape.members:
                _fail(_join(path, key), "Member is not part of the request shape")
            if item is not None:
                validate(shape.members[key], item, _join(path, key))
    elif kind == "list":
        if not isinstance(value, list):
            _fail(where, "Member must be a list")
        _check_size(where, len(value), meta, "length")
        for index, item in enumerate(value):
            validate(shape.member, item, f"{where}[{index}]")
    elif kind == "map":
        if not isinstance(value, dict):
            _fail(where, "Member must be a map (JSON object)")
        _check_size(where, len(value), meta, "number of entries")
        for key, item in value.items():
            validate(shape.key, key, f"{where}.key({key})")
            validate(shape.value, item, f"{where}[{key}]")
    elif kind == "string":
        if not isinstance(value, str):
            _fail(where, "Member must be a string")
        _check_size(where, len(value), meta, "length")
        if "enum" in meta and value not in meta["enum"]:
            _fail(where, f"Member must satisfy enum value set: [{', '.join(meta['enum'])}]")
        if "pattern" in meta and not _pattern(meta["pattern"]).search(value):
            _fail(where, f"Member must satisfy regular expression pattern: {meta['pattern']}")
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            _fail(where, "Member must be an integer")
        _check_range(where, value, meta)
    elif kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            _fail(where, "Member must be a number")
        _check_range(where, value, meta)
    elif kind == "boolean":
        if not isinstance(value, bool):
            _fail(where, "Member must be a boolean")
    elif kind == "timestamp":
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            _fail(where, "Member must be a timestamp (epoch seconds)")
    elif kind == "blob":
        if not isinstance(value, str):
            _fail(where, "Member must be base64 text")
        try:
            base64.b64decode(value, validate=True)
        except ValueError:
            _fail(where, "Member must be valid base64")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _check_size(where: str, size: int, meta: dict, what: str) -> None:
    if "min" in meta and size < meta["min"]:
        _fail(where, f"Member must have {what} greater than or equal to {meta['min']}")
    if "max" in meta and size > meta["max"]:
        _fail(where, f"Member must have {what} less than or equal to {meta['max']}")


def _check_range(where: str, value: float, meta: dict) -> None:
    if "min" in meta and value < meta["min"]:
        _fail(where, f"Member must have value greater than or equal to {meta['min']}")
    if "max" in meta and value > meta["max"]:
        _fail(where, f"Member must have value less than or equal to {meta['max']}")


def shape_output(shape, value: Any) -> Any:
    """Keep only the members the output shape declares; timestamps become epoch floats."""
    if value is None or shape is None:
        return None
    kind = shape.type_name
    if kind == "structure":
        out = {}
        for name, member in shape.members.items():
            if value.get(name) is not None:
                shaped = shape_output(member, value[name])
                if shaped is not None:
                    out[name] = shaped
        return out
    if kind == "list":
        return [shape_output(shape.member, item) for item in value]
    if kind == "map":
        return {k: shape_output(shape.value, v) for k, v in value.items()}
    if kind == "timestamp":
        if isinstance(value, dt.datetime):
            return value.timestamp()
        return float(value)
    return value


def input_shape(service: str, operation: str):
    return service_model(service).operation_model(operation).input_shape


def output_shape(service: str, operation: str):
    return service_model(service).operation_model(operation).output_shape
