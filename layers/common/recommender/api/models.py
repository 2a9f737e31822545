"""Request and response models of the HTTP API (pydantic; the OpenAPI document comes from them).

Request models refuse unknown fields and say which field broke which rule. The events model
repairs the faults people commonly make with PutEvents (shared/cases/handed.md P1, P2): a
``properties`` object or a twice-encoded properties string, a numeric string as eventValue, an
impression list sent as one "a|b" string, a missing sentAt. What cannot be repaired is refused.
"""

from __future__ import annotations

import json
import math
import re
import time
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from recommender.config import EMOTIONS, GENDERS
from recommender.event_log import MAX_EVENTS_PER_REQUEST, Interaction

MAX_IMPRESSION = 25
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,255}$"
ITEM_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
EARLIEST_SENT_AT = 946_684_800  # 2000-01-01: older timestamps are unit mistakes
FUTURE_SLACK_SECONDS = 86_400
# Fields of an event that may arrive inside ``properties`` and are moved to the top level.
LIFTED_PROPERTIES = ("itemId", "eventValue", "impression", "recommendationId")

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


def emotion_name(value: Any) -> str:
    """Upper-case emotion name; ValueError listing the valid ones otherwise."""
    if isinstance(value, str) and value.strip().upper() in EMOTIONS:
        return value.strip().upper()
    raise ValueError(f"must be one of {', '.join(EMOTIONS)}")


# ---------------------------------------------------------------- errors
class FieldError(BaseModel):
    field: str = Field(description="Where the problem is, e.g. events[0].eventValue")
    rule: str = Field(description="What the value must be")


class ErrorResponse(BaseModel):
    error: str = Field(description="Error kind, e.g. InvalidInput, NoFace, TooLarge")
    message: str
    fields: list[FieldError] = Field(default_factory=list)
    correlationId: str | None = None


# ---------------------------------------------------------------- /emotion
class EmotionRequest(BaseModel):
    """JSON form of POST /emotion: inline image (base64 or data: URL) or an uploaded S3 key."""

    model_config = _STRICT
    image: str | None = Field(default=None, description="base64 JPEG/PNG or a data: URL")
    s3Key: str | None = Field(
        default=None, description="key of an image uploaded under uploads/ in the data bucket"
    )

    @model_validator(mode="after")
    def _one_source(self) -> EmotionRequest:
        if (self.image is None) == (self.s3Key is None):
            raise ValueError("send exactly one of image and s3Key")
        return self


class AgeRange(BaseModel):
    low: int | None = None
    high: int | None = None


class EmotionResponse(BaseModel):
    emotion: str = Field(description="The emotion with the highest confidence")
    confidence: float
    emotions: dict[str, float] = Field(description="Every emotion's confidence, highest first")
    gender: str | None
    genderConfidence: float | None
    ageRange: AgeRange
    faceCount: int = Field(description="Faces seen; the largest one is analysed")
    userId: str = Field(description="Segment user id gender/emotion, lower case")


# -------------------------------------------------------- /recommendations
class RecommendedItem(BaseModel):
    model_config = ConfigDict(extra="allow")
    itemId: str
    emotion: str | None = None
    title: str | None = None
    imageKey: str | None = None
    imageUrl: str | None = None
    createdAt: int | None = None
    score: float | None = None


class RecommendationsResponse(BaseModel):
    userId: str
    emotion: str
    source: Literal["personalize", "catalogue"] = Field(
        description="personalize, or catalogue when the campaign is not ready or unavailable"
    )
    recommendationId: str = ""
    fallbackReason: str | None = None
    items: list[RecommendedItem]


# ---------------------------------------------------------------- /events
def _epoch_seconds(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("must be epoch seconds or an ISO 8601 time")
    if (
        isinstance(value, int | float)
        or isinstance(value, str)
        and re.fullmatch(r"\d+(\.\d+)?", value.strip())
    ):
        seconds = float(value)
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as err:
            raise ValueError("must be epoch seconds or an ISO 8601 time") from err
        if parsed.tzinfo is None:
            raise ValueError("an ISO 8601 time needs a time zone (e.g. Z)")
        seconds = parsed.timestamp()
    else:
        raise ValueError("must be epoch seconds or an ISO 8601 time")
    if not math.isfinite(seconds) or seconds < EARLIEST_SENT_AT:
        raise ValueError("must be epoch seconds after 2000-01-01 (milliseconds are not accepted)")
    if seconds > time.time() + FUTURE_SLACK_SECONDS:
        raise ValueError("must not be more than a day in the future (is it in milliseconds?)")
    return seconds


def _properties_object(value: Any) -> dict[str, Any]:
    # A string may hold the object once, or (the common fault) hold it JSON-encoded twice.
    for _ in range(2):
        if not isinstance(value, str):
            break
        try:
            value = json.loads(value)
        except ValueError as err:
            raise ValueError("must be a JSON object or a string holding one") from err
    if not isinstance(value, dict):
        raise ValueError("must be a JSON object or a string holding one")
    return value


def _to_number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError) as err:
        raise ValueError('must be a number (e.g. 4.5 or "4.5")') from err
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    return number


def _to_impression(value: Any) -> Any:
    if isinstance(value, str):
        value = [part.strip() for part in value.split("|")]
    if isinstance(value, list):
        if len(value) > MAX_IMPRESSION:
            raise ValueError(f"may hold at most {MAX_IMPRESSION} item ids")
        if not all(isinstance(v, str) and re.fullmatch(ITEM_ID_PATTERN, v) for v in value):
            raise ValueError("must hold item ids (letters, digits, . _ -)")
    return value


def _lift(name: str, value: Any) -> Any:
    """Validate a value found in ``properties`` as the top-level field ``name`` would be."""
    try:
        if name == "eventValue":
            return _to_number(value)
        if name == "impression":
            lifted = _to_impression(value)
            if not isinstance(lifted, list):
                raise ValueError("must be a list of item ids or one 'a|b' string")
            return lifted
        if not isinstance(value, str):
            raise ValueError("must be a string")
        if name == "itemId" and not re.fullmatch(ITEM_ID_PATTERN, value):
            raise ValueError("must be an item id (letters, digits, . _ -)")
        return value
    except ValueError as err:
        raise ValueError(f"properties.{name} {err}") from err


class EventIn(BaseModel):
    """One like, click or view of an item."""

    model_config = _STRICT
    eventType: Literal["like", "click", "view"]
    itemId: str | None = Field(default=None, pattern=ITEM_ID_PATTERN)
    eventId: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")
    eventValue: float | None = Field(default=None, description="A number; numeric strings too")
    sentAt: float | None = Field(
        default=None, description="Epoch seconds or ISO 8601; the time of receipt when absent"
    )
    impression: list[str] | None = Field(
        default=None, description=f"Item ids shown (at most {MAX_IMPRESSION}); 'a|b' also works"
    )
    recommendationId: str | None = Field(default=None, max_length=256)
    properties: dict[str, Any] | None = Field(
        default=None,
        description=f"Only {', '.join(LIFTED_PROPERTIES)}; moved to the top-level fields",
    )

    @field_validator("eventType", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("eventValue", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        return _to_number(value)

    @field_validator("sentAt", mode="before")
    @classmethod
    def _sent_at(cls, value: Any) -> Any:
        return None if value is None else _epoch_seconds(value)

    @field_validator("impression", mode="before")
    @classmethod
    def _impression(cls, value: Any) -> Any:
        return _to_impression(value)

    @field_validator("properties", mode="before")
    @classmethod
    def _properties(cls, value: Any) -> Any:
        return None if value is None else _properties_object(value)

    @model_validator(mode="after")
    def _lift_properties(self) -> EventIn:
        properties = dict(self.properties or {})
        unknown = sorted(set(properties) - set(LIFTED_PROPERTIES))
        if unknown:
            raise ValueError(
                f"properties.{unknown[0]} is not a field of the Interactions schema "
                f"(properties may hold {', '.join(LIFTED_PROPERTIES)})"
            )
        for name in LIFTED_PROPERTIES:
            if name not in properties:
                continue
            lifted = _lift(name, properties[name])
            current = getattr(self, name)
            if current is not None and current != lifted:
                raise ValueError(f"properties.{name} differs from {name}; send it once")
            object.__setattr__(self, name, lifted)
        object.__setattr__(self, "properties", None)
        if not self.itemId:
            raise ValueError("itemId is required (top level or in properties)")
        return self

    def interaction(self, received_at: float) -> Interaction:
        extra = {"event_id": self.eventId} if self.eventId else {}
        return Interaction(
            event_type=self.eventType,
            item_id=str(self.itemId),
            sent_at=self.sentAt if self.sentAt is not None else received_at,
            event_value=self.eventValue,
            impression=tuple(self.impression or ()),
            recommendation_id=self.recommendationId,
            **extra,
        )


class EventsRequest(BaseModel):
    """Events of one user in one session, with an optional profile for PutUsers."""

    model_config = _STRICT
    userId: str = Field(pattern=ID_PATTERN, description="e.g. female/happy, or your own user id")
    sessionId: str | None = Field(
        default=None, pattern=ID_PATTERN, description="Generated when absent"
    )
    gender: Literal["female", "male"] | None = Field(
        default=None, description="With emotion: registers a new user (PutUsers) once"
    )
    emotion: str | None = None
    events: list[EventIn] = Field(min_length=1, max_length=MAX_EVENTS_PER_REQUEST)

    @field_validator("gender", mode="before")
    @classmethod
    def _gender(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("emotion", mode="before")
    @classmethod
    def _emotion(cls, value: Any) -> Any:
        return None if value is None else emotion_name(value)

    def profile(self) -> dict[str, str] | None:
        """GENDER and EMOTION for the Users dataset, from the fields or a segment user id."""
        gender, emotion = self.gender, self.emotion
        segment = self.userId.split("/")
        if len(segment) == 2 and segment[0] in GENDERS and segment[1].upper() in EMOTIONS:
            gender = gender or segment[0]
            emotion = emotion or segment[1].upper()
        if not gender or not emotion:
            return None
        return {"gender": gender.upper(), "emotion": emotion}


class EventsResponse(BaseModel):
    accepted: int = Field(description="Events written to the interactions log")
    sent: int = Field(description="Events delivered to Personalize now")
    pending: int = Field(description="Events kept unsent; the scheduled replay sends them")
    rejected: int = Field(default=0, description="Events Personalize refused as invalid")
    eventIds: list[str]
    sessionId: str
    userRegistration: Literal["known", "registered", "pending"] | None = None
    pendingReasons: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------- /items
class ItemIn(BaseModel):
    model_config = _STRICT
    itemId: str = Field(pattern=ITEM_ID_PATTERN)
    emotion: str
    imageKey: str = Field(
        pattern=r"^catalogue/[A-Za-z0-9._/-]{1,900}$", description="Key under catalogue/"
    )
    title: str | None = Field(default=None, max_length=200)

    @field_validator("emotion", mode="before")
    @classmethod
    def _emotion(cls, value: Any) -> Any:
        return emotion_name(value)

    @field_validator("imageKey")
    @classmethod
    def _no_parent(cls, value: str) -> str:
        if ".." in value.split("/"):
            raise ValueError("must not contain '..'")
        return value


class ItemOut(BaseModel):
    itemId: str
    emotion: str
    imageKey: str | None = None
    imageUrl: str | None = None
    title: str | None = None
    createdAt: int | None = None


class ItemCreated(BaseModel):
    item: ItemOut
    personalize: Literal["sent", "pending"] = Field(
        description="pending: PutItems failed or the Items dataset is not ready; the next "
        "import carries the item"
    )


class ItemsPage(BaseModel):
    emotion: str
    items: list[ItemOut]
    nextToken: str | None = Field(default=None, description="Pass back to get the next page")
