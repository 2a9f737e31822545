"""Avro schema checks as Personalize applies them to dataset schemas."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .exceptions import InvalidInputException

ALLOWED_TYPES = {"string", "int", "long", "float", "double", "boolean"}
REQUIRED_FIELDS = {
    "Interactions": {"USER_ID": {"string"}, "ITEM_ID": {"string"}, "TIMESTAMP": {"long"}},
    "Items": {"ITEM_ID": {"string"}},
    "Users": {"USER_ID": {"string"}},
}


@dataclass(frozen=True)
class Field:
    """One schema field: its Avro type, whether null is allowed, whether categorical."""

    name: str
    type: str
    nullable: bool
    categorical: bool


def parse_schema(text: str) -> list[Field]:
    """Parse an Avro record schema; raise InvalidInputException saying what is wrong."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise InvalidInputException(f"Schema is not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("type") != "record":
        raise InvalidInputException('Schema must be an Avro record ("type": "record").')
    if not isinstance(doc.get("name"), str) or not doc["name"]:
        raise InvalidInputException("Schema record must have a name.")
    raw_fields = doc.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        raise InvalidInputException("Schema record must have a non-empty list of fields.")
    fields: list[Field] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_fields):
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise InvalidInputException(f"Schema field {index} must be an object with a name.")
        name = raw["name"]
        if name.upper() in seen:
            raise InvalidInputException(f"Schema field {name} is declared twice.")
        seen.add(name.upper())
        kind, nullable = _field_type(name, raw.get("type"))
        categorical = raw.get("categorical", False)
        if not isinstance(categorical, bool):
            raise InvalidInputException(f"Field {name}: categorical must be true or false.")
        if categorical and kind != "string":
            raise InvalidInputException(
                f"Field {name}: categorical is only allowed on string fields, not {kind}."
            )
        fields.append(Field(name, kind, nullable, categorical))
    return fields


def _field_type(name: str, declared) -> tuple[str, bool]:
    if isinstance(declared, str):
        types = [declared]
    elif isinstance(declared, list) and all(isinstance(t, str) for t in declared):
        types = declared
    else:
        raise InvalidInputException(f"Field {name}: type must be a type name or a union of them.")
    nullable = "null" in types
    rest = [t for t in types if t != "null"]
    if len(rest) != 1 or rest[0] not in ALLOWED_TYPES:
        raise InvalidInputException(
            f"Field {name}: type {declared!r} is not supported; use one of "
            f"{sorted(ALLOWED_TYPES)}, optionally in a union with null."
        )
    return rest[0], nullable


def check_for_dataset_type(fields: list[Field], dataset_type: str) -> None:
    """Raise InvalidInputException unless the schema has the fields the dataset type needs."""
    by_name = {f.name: f for f in fields}
    for name, types in REQUIRED_FIELDS[dataset_type].items():
        field = by_name.get(name)
        if field is None:
            raise InvalidInputException(
                f"Schema for a {dataset_type} dataset must have a {name} field."
            )
        if field.type not in types or field.nullable:
            raise InvalidInputException(
                f"Field {name} of a {dataset_type} dataset must be a non-null "
                f"{' or '.join(sorted(types))}."
            )


def guess_dataset_type(fields: list[Field]) -> list[str]:
    """Dataset types this schema could serve."""
    out = []
    for dataset_type in REQUIRED_FIELDS:
        try:
            check_for_dataset_type(fields, dataset_type)
        except InvalidInputException:
            continue
        out.append(dataset_type)
    return out
