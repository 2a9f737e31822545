"""The interactions log: every accepted event is written here first, then sent to Personalize.

The interactions table is the durable record (userId HASH, eventKey RANGE). An item that still
has to reach Personalize carries the attribute ``unsent`` ("event", or "user" for a PutUsers
registration), which puts it in the sparse ``unsent-index``. Delivery removes the attribute. If
Personalize cannot take the events now (tracker not created yet, service down, throttled), the
item simply keeps it, and ``replay_unsent`` sends it later, exactly once: replay claims each item
with a conditional write before sending and only touches items older than the request path can
still be working on.

Delivery order for one request: log (one transaction, all or nothing) -> PutEvents in batches of
at most 10 -> mark delivered. A stale tracking ID (the tracker was replaced) answers
ResourceNotFoundException: the ID is refetched from SSM bypassing the cache and the batch is
retried once.
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from recommender.api.exceptions import UnavailableError
from recommender.exceptions import NotReadyError
from recommender.observability import logger
from recommender.parameters import TRACKING_ID, read_setting

UNSENT_INDEX = "unsent-index"
PENDING_EVENT = "event"
PENDING_USER = "user"
USER_KEY = "#user"
PUT_EVENTS_BATCH = 10
PUT_USERS_BATCH = 10
MAX_EVENTS_PER_REQUEST = 100  # one DynamoDB transaction holds at most 100 writes
STALE_CLAIM_SECONDS = 900  # longer than any Lambda can run, so a live claim is never stolen


@dataclass(frozen=True)
class Interaction:
    """One validated event, ready for PutEvents (``sent_at`` in epoch seconds)."""

    event_type: str
    item_id: str
    sent_at: float
    event_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    event_value: float | None = None
    impression: tuple[str, ...] = ()
    recommendation_id: str | None = None

    def personalize_event(self) -> dict[str, Any]:
        """The eventList entry PutEvents takes; no ``properties``: every value has a field."""
        entry: dict[str, Any] = {
            "eventId": self.event_id,
            "eventType": self.event_type,
            "itemId": self.item_id,
            "sentAt": self.sent_at,
        }
        if self.event_value is not None:
            entry["eventValue"] = self.event_value
        if self.impression:
            entry["impression"] = list(self.impression)
        if self.recommendation_id:
            entry["recommendationId"] = self.recommendation_id
        return entry


@dataclass(frozen=True)
class LoggedEvent:
    """An event as it sits in the log: its key and the PutEvents entry."""

    user_id: str
    session_id: str
    event_key: str
    event: dict[str, Any]


@dataclass
class Delivery:
    """What happened to a set of logged events."""

    sent: int = 0
    pending: int = 0
    rejected: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, other: Delivery) -> None:
        self.sent += other.sent
        self.pending += other.pending
        self.rejected += other.rejected
        self.reasons.extend(r for r in other.reasons if r not in self.reasons)


def _event_key(received_ms: int, event_id: str) -> str:
    # Zero-padded receive time first, so keys sort by arrival and replay can cut by age.
    return f"{received_ms:014d}#{event_id}"


def _error_code(err: Exception) -> str:
    if isinstance(err, ClientError):
        return str(err.response.get("Error", {}).get("Code", ""))
    return type(err).__name__


def log_events(
    dynamodb: Any,
    table: str,
    user_id: str,
    session_id: str,
    interactions: Sequence[Interaction],
    *,
    now: float | None = None,
) -> list[LoggedEvent]:
    """Write the events to the log, all or none, each marked unsent.

    Raises UnavailableError when the table cannot be written (nothing was accepted then).
    """
    if not 1 <= len(interactions) <= MAX_EVENTS_PER_REQUEST:
        raise ValueError(f"log_events takes 1 to {MAX_EVENTS_PER_REQUEST} events")
    received_ms = int((time.time() if now is None else now) * 1000)
    logged, writes = [], []
    for interaction in interactions:
        event = interaction.personalize_event()
        key = _event_key(received_ms, interaction.event_id)
        logged.append(LoggedEvent(user_id, session_id, key, event))
        writes.append(
            {
                "Put": {
                    "TableName": table,
                    "Item": {
                        "userId": {"S": user_id},
                        "eventKey": {"S": key},
                        "sessionId": {"S": session_id},
                        "eventId": {"S": interaction.event_id},
                        "eventType": {"S": interaction.event_type},
                        "itemId": {"S": interaction.item_id},
                        "sentAt": {"N": repr(interaction.sent_at)},
                        "receivedAt": {"N": str(received_ms)},
                        "event": {"S": json.dumps(event, separators=(",", ":"))},
                        "unsent": {"S": PENDING_EVENT},
                    },
                    "ConditionExpression": "attribute_not_exists(eventKey)",
                }
            }
        )
    try:
        dynamodb.transact_write_items(TransactItems=writes)
    except (ClientError, BotoCoreError) as err:
        logger.exception("interactions log write failed", extra={"events": len(writes)})
        raise UnavailableError(
            f"the interactions log could not be written ({_error_code(err)}); nothing was "
            "accepted, retry the request"
        ) from err
    return logged


def _put_events(events_client: Any, **request: Any) -> str:
    """PutEvents with the tracking ID from SSM; returns the tracking ID that took them."""
    tracking_id = read_setting(TRACKING_ID)
    try:
        events_client.put_events(trackingId=tracking_id, **request)
        return tracking_id
    except ClientError as err:
        if _error_code(err) != "ResourceNotFoundException":
            raise
        # The tracker was replaced: the cached ID is stale. Ask SSM itself, then retry once.
        fresh = read_setting(TRACKING_ID, force_fetch=True)
        logger.warning(
            "tracking ID unknown to Personalize; refetched it from SSM",
            extra={"changed": fresh != tracking_id},
        )
        events_client.put_events(trackingId=fresh, **request)
        return fresh


def _mark(dynamodb: Any, table: str, keys: Sequence[tuple[str, str]], **values: str) -> None:
    """Remove ``unsent`` (and any claim) from the items; set ``values`` as string attributes."""
    names = {f"#{k}": k for k in values}
    expression = "REMOVE unsent, claimToken, claimedAt"
    if values:
        expression += " SET " + ", ".join(f"#{k} = :{k}" for k in values)
    updates = [
        {
            "Update": {
                "TableName": table,
                "Key": {"userId": {"S": user_id}, "eventKey": {"S": key}},
                "UpdateExpression": expression,
                **({"ExpressionAttributeNames": names} if names else {}),
                **(
                    {"ExpressionAttributeValues": {f":{k}": {"S": v} for k, v in values.items()}}
                    if values
                    else {}
                ),
            }
        }
        for user_id, key in keys
    ]
    dynamodb.transact_write_items(TransactItems=updates)


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def deliver(
    dynamodb: Any, events_client: Any, table: str, logged: Sequence[LoggedEvent]
) -> Delivery:
    """Send logged events with PutEvents (at most 10 per call, one user and session per call).

    Never raises for Personalize trouble: what could not be sent stays unsent in the log and
    is counted in ``pending``; what Personalize refuses as invalid is marked rejected (it would
    fail again on every replay) and counted in ``rejected``.
    """
    outcome = Delivery()
    groups: dict[tuple[str, str], list[LoggedEvent]] = {}
    for event in logged:
        groups.setdefault((event.user_id, event.session_id), []).append(event)
    unavailable = False
    for (user_id, session_id), events in groups.items():
        for batch in _chunks(events, PUT_EVENTS_BATCH):
            keys = [(e.user_id, e.event_key) for e in batch]
            if unavailable:  # no point knocking again in the same moment; the replay will
                outcome.pending += len(batch)
                continue
            try:
                tracker = _put_events(
                    events_client,
                    userId=user_id,
                    sessionId=session_id,
                    eventList=[e.event for e in batch],
                )
            except NotReadyError as err:
                outcome.pending += len(batch)
                outcome.reasons.append(f"event tracker not ready: {err}")
                unavailable = True
                continue
            except (ClientError, BotoCoreError) as err:
                code = _error_code(err)
                if code in ("InvalidInputException", "ValidationException"):
                    logger.error(
                        "Personalize refused events", extra={"code": code, "error": str(err)}
                    )
                    _mark(dynamodb, table, keys, rejected=str(err)[:500])
                    outcome.rejected += len(batch)
                    outcome.reasons.append(f"Personalize refused the events: {code}")
                else:
                    logger.warning("PutEvents failed; events stay unsent", extra={"code": code})
                    outcome.pending += len(batch)
                    outcome.reasons.append(f"Personalize unavailable: {code}")
                    unavailable = True
                continue
            try:
                # Which tracker took them tells a later FULL training whether the current
                # dataset group already has them (see lifecycle/prepare.py).
                _mark(dynamodb, table, keys, deliveredAt=str(int(time.time())), deliveredTo=tracker)
            except (ClientError, BotoCoreError):
                # NOTE: PutEvents succeeded but the log still says unsent, so the replay will
                # send these again (at least once, not exactly once, in this narrow case).
                logger.exception("could not mark events delivered", extra={"events": len(keys)})
            outcome.sent += len(batch)
    return outcome


def register_user(
    dynamodb: Any,
    events_client: Any,
    table: str,
    users_dataset_arn: str | None,
    user_id: str,
    profile: dict[str, str],
) -> str:
    """Register a user with PutUsers once; return "known", "registered" or "pending".

    The first request for a user writes a marker item (conditional, so only one request
    wins); the marker stays unsent until PutUsers succeeds, and the replay retries it.
    """
    item = {
        "userId": {"S": user_id},
        "eventKey": {"S": USER_KEY},
        "profile": {"S": json.dumps(profile, sort_keys=True)},
        "unsent": {"S": PENDING_USER},
        "receivedAt": {"N": str(int(time.time() * 1000))},
    }
    try:
        dynamodb.put_item(
            TableName=table, Item=item, ConditionExpression="attribute_not_exists(eventKey)"
        )
    except ClientError as err:
        if _error_code(err) == "ConditionalCheckFailedException":
            return "known"
        raise
    return (
        "registered"
        if _send_users(dynamodb, events_client, table, users_dataset_arn, [(user_id, profile)])
        else "pending"
    )


def _send_users(
    dynamodb: Any,
    events_client: Any,
    table: str,
    users_dataset_arn: str | None,
    users: Sequence[tuple[str, dict[str, str]]],
) -> bool:
    if not users_dataset_arn:
        return False
    try:
        events_client.put_users(
            datasetArn=users_dataset_arn,
            users=[
                {"userId": user_id, "properties": json.dumps(profile)} for user_id, profile in users
            ],
        )
    except (ClientError, BotoCoreError) as err:
        logger.warning("PutUsers failed; users stay unsent", extra={"code": _error_code(err)})
        return False
    _mark(dynamodb, table, [(user_id, USER_KEY) for user_id, _ in users])
    return True


def _claimable(dynamodb: Any, table: str, kind: str, before: str, limit: int) -> list[dict]:
    found: list[dict] = []
    request: dict[str, Any] = {
        "TableName": table,
        "IndexName": UNSENT_INDEX,
        "KeyConditionExpression": "unsent = :kind AND eventKey < :before",
        "ExpressionAttributeValues": {":kind": {"S": kind}, ":before": {"S": before}},
    }
    while len(found) < limit:
        page = dynamodb.query(**request, Limit=limit - len(found))
        found.extend(page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            break
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return found


def _claim(dynamodb: Any, table: str, item: dict, kind: str, token: str, now: int) -> bool:
    try:
        dynamodb.update_item(
            TableName=table,
            Key={"userId": item["userId"], "eventKey": item["eventKey"]},
            UpdateExpression="SET claimToken = :token, claimedAt = :now",
            ConditionExpression=(
                "unsent = :kind AND (attribute_not_exists(claimToken) OR claimedAt < :stale)"
            ),
            ExpressionAttributeValues={
                ":token": {"S": token},
                ":now": {"N": str(now)},
                ":stale": {"N": str(now - STALE_CLAIM_SECONDS)},
                ":kind": {"S": kind},
            },
        )
    except ClientError as err:
        if _error_code(err) == "ConditionalCheckFailedException":
            return False  # delivered or claimed by someone else meanwhile
        raise
    return True


def _release(dynamodb: Any, table: str, items: Sequence[dict]) -> None:
    for item in items:
        dynamodb.update_item(
            TableName=table,
            Key={"userId": item["userId"], "eventKey": item["eventKey"]},
            UpdateExpression="REMOVE claimToken, claimedAt",
        )


def replay_unsent(
    dynamodb: Any,
    events_client: Any,
    table: str,
    *,
    users_dataset_arn: str | None = None,
    min_age_seconds: int = 300,
    max_events: int = 1000,
    now: float | None = None,
) -> dict[str, Any]:
    """Send unsent events (and users) older than ``min_age_seconds``; each exactly once.

    Returns counts: {"found", "claimed", "sent", "pending", "rejected", "usersRegistered"}.
    """
    now = time.time() if now is None else now
    before = f"{int((now - min_age_seconds) * 1000):014d}"
    # One SSM read per run (runs are minutes apart): a tracker created since the last run is
    # used at once instead of after the cache window.
    with contextlib.suppress(NotReadyError):
        read_setting(TRACKING_ID, force_fetch=True)
    token = uuid.uuid4().hex
    claimed: list[dict] = []
    found = _claimable(dynamodb, table, PENDING_EVENT, before, max_events)
    for item in found:
        if _claim(dynamodb, table, item, PENDING_EVENT, token, int(now)):
            claimed.append(item)
    logged = [
        LoggedEvent(
            item["userId"]["S"],
            item["sessionId"]["S"],
            item["eventKey"]["S"],
            json.loads(item["event"]["S"]),
        )
        for item in claimed
    ]
    outcome = deliver(dynamodb, events_client, table, logged)
    if outcome.pending:
        # Let the next run take them at once instead of waiting for the claim to go stale.
        claimed_keys = {(e.user_id, e.event_key) for e in logged}
        still = _claimable(dynamodb, table, PENDING_EVENT, before, max_events)
        _release(
            dynamodb,
            table,
            [i for i in still if (i["userId"]["S"], i["eventKey"]["S"]) in claimed_keys],
        )
    users_registered = 0
    pending_users = _claimable(dynamodb, table, PENDING_USER, "~", max_events)
    mine = [u for u in pending_users if _claim(dynamodb, table, u, PENDING_USER, token, int(now))]
    for batch in _chunks(mine, PUT_USERS_BATCH):
        users = [(u["userId"]["S"], json.loads(u["profile"]["S"])) for u in batch]
        if _send_users(dynamodb, events_client, table, users_dataset_arn, users):
            users_registered += len(batch)
        else:
            _release(dynamodb, table, batch)
    result = {
        "found": len(found),
        "claimed": len(claimed),
        "sent": outcome.sent,
        "pending": outcome.pending,
        "rejected": outcome.rejected,
        "usersRegistered": users_registered,
        "usersPending": len(pending_users) - users_registered,
    }
    if outcome.reasons:
        result["reasons"] = outcome.reasons
    logger.info("replay finished", extra=result)
    return result
