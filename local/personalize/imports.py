"""Dataset import: stream CSV files from S3 and check them against the dataset schema."""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass, field

import boto3

from .model import Interactions
from .schemas import Field

MAX_EPOCH_SECONDS = 10_000_000_000  # about year 2286; larger values are milliseconds
_INT = re.compile(r"^-?\d+$")


class ImportFailure(Exception):
    """The import cannot complete; the message becomes the job's failureReason."""


@dataclass
class ImportedData:
    """Interactions as columns, or Items/Users records keyed by id."""

    interactions: Interactions = field(default_factory=Interactions)
    records: dict[str, dict[str, str]] = field(default_factory=dict)
    rows: int = 0


def parse_location(location: str) -> tuple[str, str]:
    if not location.startswith("s3://"):
        raise ImportFailure(f"dataLocation must be an s3:// URL, not {location!r}.")
    bucket, _, key = location[5:].partition("/")
    if not bucket:
        raise ImportFailure(f"dataLocation {location!r} has no bucket name.")
    return bucket, key


def read_import(location: str, fields: list[Field], dataset_type: str) -> ImportedData:
    """Read one object or every object under a prefix ending in '/'."""
    bucket, key = parse_location(location)
    s3 = boto3.client("s3")
    try:
        if key.endswith("/") or key == "":
            keys = []
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key):
                contents = page.get("Contents", [])
                keys.extend(o["Key"] for o in contents if not o["Key"].endswith("/"))
            if not keys:
                raise ImportFailure(f"No files found under {location}.")
        else:
            keys = [key]
        out = ImportedData()
        for object_key in sorted(keys):
            body = s3.get_object(Bucket=bucket, Key=object_key)["Body"]
            try:
                lines = codecs.getreader("utf-8")(body)
                _read_csv(f"s3://{bucket}/{object_key}", lines, fields, dataset_type, out)
            finally:
                body.close()
    except ImportFailure:
        raise
    except UnicodeDecodeError:
        raise ImportFailure(f"{location} is not UTF-8 encoded text.") from None
    except Exception as exc:  # botocore errors: missing bucket/key, access denied
        raise ImportFailure(f"Could not read {location}: {exc}") from None
    return out


def _read_csv(name, lines, fields: list[Field], dataset_type: str, out: ImportedData) -> None:
    first = lines.readline()
    if not first.strip():
        raise ImportFailure(f"{name}: the file is empty; line 1 must be a header row.")
    header = [h.strip() for h in first.strip("\r\n\ufeff").split(",")]
    quoted = [h for h in header if '"' in h]
    if quoted:
        raise ImportFailure(
            f"{name} line 1: header column {quoted[0]} is quoted; header names must match "
            "the schema field names without quotes."
        )
    reader = csv.reader(lines)
    by_name = {f.name: f for f in fields}
    for column in header:
        if column not in by_name:
            raise ImportFailure(
                f"{name} line 1: header column {column!r} is not a field of the dataset schema "
                f"({', '.join(by_name)})."
            )
    for f in fields:
        if f.name not in header and not f.nullable:
            raise ImportFailure(f"{name} line 1: required column {f.name} is missing.")
    positions = [(i, by_name[c]) for i, c in enumerate(header)]
    id_field = {"Interactions": None, "Items": "ITEM_ID", "Users": "USER_ID"}[dataset_type]
    append = out.interactions.append
    for row in reader:
        line = reader.line_num + 1
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != len(header):
            raise ImportFailure(
                f"{name} line {line}: expected {len(header)} values, found {len(row)}."
            )
        values: dict[str, str] = {}
        for index, f in positions:
            values[f.name] = _check_value(name, line, f, row[index])
        out.rows += 1
        if id_field is None:
            append(
                values["USER_ID"],
                values["ITEM_ID"],
                float(values["TIMESTAMP"]),
                values.get("EVENT_TYPE") or "",
            )
        else:
            out.records[values[id_field]] = {k: v for k, v in values.items() if v != ""}
    if out.rows == 0:
        raise ImportFailure(f"{name}: the file has a header but no data rows.")


def _check_value(name: str, line: int, f: Field, raw: str) -> str:
    value = raw.strip()
    if value == "":
        if f.nullable:
            return ""
        raise ImportFailure(f"{name} line {line}: {f.name} is empty but the field is required.")
    if f.name == "TIMESTAMP":
        if not _INT.match(value):
            raise ImportFailure(
                f"{name} line {line}: TIMESTAMP {value!r} is not a Unix epoch time in seconds."
            )
        if int(value) >= MAX_EPOCH_SECONDS:
            raise ImportFailure(
                f"{name} line {line}: TIMESTAMP {value} looks like milliseconds; "
                "use Unix epoch seconds."
            )
        return value
    if f.type in ("int", "long") and not _INT.match(value):
        raise ImportFailure(f"{name} line {line}: {f.name} {value!r} is not an integer.")
    if f.type in ("float", "double"):
        try:
            float(value)
        except ValueError:
            raise ImportFailure(
                f"{name} line {line}: {f.name} {value!r} is not a number."
            ) from None
    if f.type == "boolean" and value.lower() not in ("true", "false"):
        raise ImportFailure(f"{name} line {line}: {f.name} {value!r} is not true or false.")
    return value
