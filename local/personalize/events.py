"""personalize-events: PutEvents, PutUsers, PutItems."""

from __future__ import annotations

import datetime as dt
import json
import re

from .exceptions import (
    InvalidInputException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from .store import ACTIVE, Store

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _properties(raw: str, where: str) -> dict:
    try:
        value = json.loads(raw)
    except ValueError:
        raise InvalidInputException(f"{where}.properties must be a JSON object string.") from None
    if not isinstance(value, dict):
        raise InvalidInputException(f"{where}.properties must hold one JSON object.")
    return value


def _epoch(value) -> float:
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value)
    except ValueError:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def put_events(store: Store, p: dict, region: str) -> dict:
    tracker_arn = store.trackers.get(p["trackingId"])
    tracker = store.resources.get(tracker_arn) if tracker_arn else None
    if tracker is None or tracker.deleting_at is not None:
        raise ResourceNotFoundException(f"No event tracker has trackingId {p['trackingId']}.")
    if store.status(tracker) != ACTIVE:
        raise InvalidInputException(f"Event tracker {tracker.arn} is not ACTIVE yet.")
    dataset = store.dataset_of(tracker.parent, "Interactions")
    if dataset is None:
        raise InvalidInputException(
            f"Dataset group {tracker.parent} has no Interactions dataset to record events in."
        )
    user = p.get("userId") or p["sessionId"]
    parsed = []
    for index, event in enumerate(p["eventList"]):
        where = f"eventList[{index}]"
        if "properties" in event:
            _properties(event["properties"], where)
        if len(event.get("impression", [])) > 25:
            raise InvalidInputException(f"{where}.impression may hold at most 25 item ids.")
        if not isinstance(event.get("eventValue", 0), int | float):
            raise InvalidInputException(f"{where}.eventValue must be a number.")
        parsed.append((event.get("itemId"), _epoch(event["sentAt"]), event["eventType"]))
    streamed = dataset.extra["streamed"]
    by_user = dataset.extra["streamed_by_user"]
    for item, ts, event_type in parsed:
        if not item:
            continue
        by_user.setdefault(user, []).append((len(streamed), item, event_type))
        streamed.append(user, item, ts, event_type)
    return {}


def _field_name(key: str, fields: dict[str, object]) -> str | None:
    upper = key.upper()
    if upper in fields:
        return upper
    snake = _CAMEL.sub("_", key).upper()
    return snake if snake in fields else None


def _put_records(store: Store, p: dict, list_key: str, id_key: str, kind: str) -> dict:
    dataset = store.get(p["datasetArn"], "dataset", "Dataset")
    if dataset.extra["type"] != kind:
        raise InvalidInputException(f"Dataset {dataset.arn} is not a {kind} dataset.")
    status = store.status(dataset)
    if status != ACTIVE:
        raise ResourceInUseException(f"Dataset {dataset.arn} is not ACTIVE ({status}).")
    fields = {f.name.upper(): f for f in dataset.extra["fields"]}
    field_id = "ITEM_ID" if kind == "Items" else "USER_ID"
    staged = {}
    for index, record in enumerate(p[list_key]):
        where = f"{list_key}[{index}]"
        props = _properties(record["properties"], where) if "properties" in record else {}
        values = {}
        for key, value in props.items():
            name = _field_name(key, fields)
            if name is None or name == field_id:
                raise InvalidInputException(
                    f"{where}.properties: {key!r} is not a field of the {kind} schema "
                    f"({', '.join(n for n in fields if n != field_id)})."
                )
            f = fields[name]
            if f.type in ("int", "long", "float", "double") and not (
                isinstance(value, int | float) or _numeric(value)
            ):
                raise InvalidInputException(f"{where}.properties.{key} must be a number.")
            if f.type == "boolean" and not isinstance(value, bool):
                raise InvalidInputException(f"{where}.properties.{key} must be true or false.")
            values[fields[name].name] = (
                str(value).lower() if isinstance(value, bool) else str(value)
            )
        staged[record[id_key]] = values
    records = dataset.extra["records"]
    for record_id, values in staged.items():
        records.setdefault(record_id, {}).update(values)
        records[record_id][field_id] = record_id
    dataset.extra["version"] += 1
    return {}


def _numeric(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def put_users(store: Store, p: dict, region: str) -> dict:
    return _put_records(store, p, "users", "userId", "Users")


def put_items(store: Store, p: dict, region: str) -> dict:
    return _put_records(store, p, "items", "itemId", "Items")
