"""Avro schemas of the three Personalize datasets and the CSV headers that match them."""

from __future__ import annotations

import json
from typing import Any

NAMESPACE = "com.amazonaws.personalize.schema"


def _record(name: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "record",
        "name": name,
        "namespace": NAMESPACE,
        "fields": fields,
        "version": "1.0",
    }


INTERACTIONS = _record(
    "Interactions",
    [
        {"name": "USER_ID", "type": "string"},
        {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"},
        {"name": "EVENT_TYPE", "type": "string"},
        {"name": "IMPRESSION", "type": ["null", "string"]},
    ],
)
USERS = _record(
    "Users",
    [
        {"name": "USER_ID", "type": "string"},
        {"name": "GENDER", "type": "string", "categorical": True},
        {"name": "EMOTION", "type": "string", "categorical": True},
    ],
)
ITEMS = _record(
    "Items",
    [
        {"name": "ITEM_ID", "type": "string"},
        {"name": "EMOTION", "type": "string", "categorical": True},
        {"name": "CREATION_TIMESTAMP", "type": "long"},
    ],
)

# Dataset type (as Personalize spells it) -> schema.
SCHEMAS = {"INTERACTIONS": INTERACTIONS, "USERS": USERS, "ITEMS": ITEMS}


def header(dataset_type: str) -> list[str]:
    """Field names of a dataset, in the order the import CSV's header row lists them."""
    return [field["name"] for field in SCHEMAS[dataset_type]["fields"]]


def schema_json(dataset_type: str) -> str:
    """The schema as the compact JSON string CreateSchema takes."""
    return json.dumps(SCHEMAS[dataset_type], separators=(",", ":"))


def describe_difference(expected: dict[str, Any], actual: dict[str, Any]) -> str:
    """One line naming how two schemas differ ("" when they are the same)."""
    want = {f["name"]: f for f in expected.get("fields", [])}
    have = {f["name"]: f for f in actual.get("fields", [])}
    parts = []
    if missing := sorted(set(want) - set(have)):
        parts.append(f"missing fields {missing}")
    if extra := sorted(set(have) - set(want)):
        parts.append(f"unexpected fields {extra}")
    for name in sorted(set(want) & set(have)):
        if want[name] != have[name]:
            parts.append(f"field {name} is {have[name]} instead of {want[name]}")
    return "; ".join(parts)
