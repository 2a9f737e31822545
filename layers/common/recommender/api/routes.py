"""Routes of the HTTP API on Powertools' APIGatewayHttpResolver, validated with pydantic.

OpenAPI: ``GET /openapi.json`` (generated from these routes and recommender.api.models) and
Swagger UI at ``GET /swagger``. Every error answers ``ErrorResponse`` JSON: 400 names the field
and the rule, 404 no face / unknown object, 413 image too large, 503 a dependency not ready.
"""

import base64
import binascii
import json
import os
import re
import time
import uuid
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.metrics import MetricUnit
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from recommender.api.exceptions import (
    ImageTooLargeError,
    InvalidImageError,
    NoFaceError,
    NotFoundError,
    UnavailableError,
    status_of,
)
from recommender.api.models import (
    EmotionRequest,
    EmotionResponse,
    ErrorResponse,
    EventsRequest,
    EventsResponse,
    FieldError,
    ItemCreated,
    ItemIn,
    ItemOut,
    ItemsPage,
    RecommendationsResponse,
    emotion_name,
)
from recommender.clients import client
from recommender.config import EMOTIONS, required
from recommender.event_log import deliver, log_events, register_user
from recommender.exceptions import InvalidInputError, RecommenderError
from recommender.faces import (
    MAX_S3_BYTES,
    FaceAnalysis,
    decode_image_text,
    detect_emotion,
    inspect_image,
)
from recommender.item_registry import CatalogueItem, image_url, list_items, register_item
from recommender.observability import logger, metrics
from recommender.recommendations import MAX_RESULTS, RecommendationRequest, recommend
from recommender.request_clients import fast_client

UPLOAD_PREFIX = "uploads/"
HEADER_BYTES = 256 * 1024  # enough to reach a JPEG frame header behind large EXIF blocks
OPENAPI_PATH = "/openapi.json"
_NAMED_FIELD = re.compile(r"^(?P<field>[A-Za-z][\w.\[\]]*): (?P<rule>.+)$", re.S)
TITLE = "Emotion image recommender"
VERSION = "1.0.0"
JSON = "application/json"


class _Resolver(APIGatewayHttpResolver):
    """Powertools' resolver, documenting the 400 this API answers instead of Powertools' 422."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in (schema.paths or {}).values():
            for method in ("get", "post", "put", "delete", "patch"):
                operation = getattr(path, method, None)
                if operation is not None and operation.responses:
                    operation.responses.pop(422, None)
        if schema.components and schema.components.schemas:
            for name in ("HTTPValidationError", "ValidationError"):
                schema.components.schemas.pop(name, None)
        return schema


app = _Resolver(enable_validation=True)
app.enable_swagger(path="/swagger", title=TITLE, version=VERSION)


def _error_body(error: str, message: str, fields: list[FieldError] | None = None) -> str:
    body = ErrorResponse(
        error=error,
        message=message,
        fields=fields or [],
        correlationId=logger.get_correlation_id(),
    )
    return body.model_dump_json(exclude_none=True)


def _json(status: int, model: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(
        status_code=status,
        content_type=JSON,
        body=model.model_dump_json(exclude_none=True),
        headers=headers,
    )


def _responses(ok: int, model: Any, **errors: str) -> dict[int, Any]:
    documented: dict[int, Any] = {
        ok: {"description": "Success", "content": {JSON: {"model": model}}},
        400: {"description": "Invalid input", "content": {JSON: {"model": ErrorResponse}}},
    }
    for status, description in errors.items():
        code = int(status.removeprefix("s"))
        documented[code] = {"description": description, "content": {JSON: {"model": ErrorResponse}}}
    return documented


# ----------------------------------------------------------------- error handling
def _field_name(location: tuple[Any, ...]) -> str:
    name = ""
    for part in location:
        if part in ("body", "query", "path", "header"):
            continue
        if isinstance(part, int):
            name += f"[{part}]"
        elif isinstance(part, str) and not part.startswith(("function-after", "function-before")):
            name += f".{part}" if name else part
    return name or "body"


def _rule(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "is invalid"))
    return message.removeprefix("Value error, ")


def _field_error(error: dict[str, Any]) -> FieldError:
    location = tuple(error.get("loc", ()))
    if error.get("type") == "json_invalid":
        # The location's number is a character offset in the body, not a list index.
        reason = (error.get("ctx") or {}).get("error", "not JSON")
        offset = location[-1] if location else None
        where = f" at character {offset}" if isinstance(offset, int) else ""
        return FieldError(field="body", rule=f"must be valid JSON ({reason}{where})")
    return FieldError(field=_field_name(location), rule=_rule(error))


def _field_errors(errors: Any) -> list[FieldError]:
    return [_field_error(e) for e in errors]


@app.exception_handler(RequestValidationError)
def _invalid_request(error: RequestValidationError) -> Response:
    fields = _field_errors(error.errors())
    message = "; ".join(f"{f.field}: {f.rule}" for f in fields) or "the request is invalid"
    metrics.add_metric(name="InvalidRequests", unit=MetricUnit.Count, value=1)
    return Response(400, JSON, _error_body("InvalidInput", message, fields))


@app.exception_handler(RequestUnsupportedContentType)
def _unsupported_content_type(error: RequestUnsupportedContentType) -> Response:
    rule = "must be application/json for this route"
    fields = [FieldError(field="content-type", rule=rule)]
    return Response(415, JSON, _error_body("UnsupportedMediaType", f"content-type: {rule}", fields))


@app.exception_handler(RecommenderError)
def _known_error(error: RecommenderError) -> Response:
    status = status_of(error)
    kind = {
        400: "InvalidInput",
        404: "NotFound",
        413: "TooLarge",
        503: "Unavailable",
    }.get(status, "Error")
    if isinstance(error, NoFaceError):
        kind = "NoFace"  # a 404 of its own kind: the photo was fine, it shows no face
    if status >= 500:
        logger.warning("dependency not ready", extra={"error": str(error)})
    # Our messages read "field: rule"; say which field in ``fields`` too.
    fields = []
    named = _NAMED_FIELD.match(str(error))
    if status in (400, 413) and named:
        fields = [FieldError(field=named["field"], rule=named["rule"])]
    return Response(status, JSON, _error_body(kind, str(error), fields))


@app.exception_handler(Exception)
def _unexpected(error: Exception) -> Response:
    logger.exception("unhandled error")
    message = "internal error; quote the correlation id when reporting it"
    return Response(500, JSON, _error_body("InternalError", message))


def _validated(model: Any, data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as err:
        fields = _field_errors(err.errors())
        raise InvalidInputError("; ".join(f"{f.field}: {f.rule}" for f in fields)) from err


# ----------------------------------------------------------------- POST /emotion
EMOTION_BODY = {
    "required": True,
    "description": "A JPEG or PNG photo: raw bytes (image/jpeg, image/png), base64 or a data: "
    "URL as text/plain, or JSON {image} / {s3Key} (s3Key: an upload under uploads/, for photos "
    "above 5 MB).",
    "content": {
        "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
        "image/png": {"schema": {"type": "string", "format": "binary"}},
        "text/plain": {"schema": {"type": "string"}},
        JSON: {"schema": EmotionRequest.model_json_schema()},
    },
}


def _raw_body() -> bytes:
    event = app.current_event
    body = event.body or ""
    if event.is_base64_encoded:
        try:
            return base64.b64decode(body)
        except (binascii.Error, ValueError) as err:
            raise InvalidImageError("body: the request body is not valid base64") from err
    return body.encode("utf-8", "surrogateescape")


def _image_source() -> dict[str, Any]:
    """The ``Image`` argument for DetectFaces, after every check that can run before it."""
    content_type = (app.current_event.headers.get("content-type") or "").split(";")[0].strip()
    data = _raw_body()
    if not data:
        raise InvalidImageError("body: send a JPEG or PNG photo (see the OpenAPI document)")
    if content_type == JSON or (not content_type and data.lstrip()[:1] == b"{"):
        request = _validated(EmotionRequest, _json_object(data))
        if request.s3Key is not None:
            return _uploaded_image(request.s3Key)
        data = decode_image_text(str(request.image))
    elif content_type.startswith("text/") or not data.startswith((b"\x89PNG", b"\xff\xd8")):
        if content_type.startswith("image/") or content_type == "application/octet-stream":
            inspect_image(data)  # raises: not a JPEG or PNG
        data = decode_image_text(data.decode("utf-8", "replace"))
    inspect_image(data)
    return {"Bytes": data}


def _json_object(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError as err:
        raise InvalidInputError("body: is not valid JSON") from err


def _uploaded_image(key: str) -> dict[str, Any]:
    if not key.startswith(UPLOAD_PREFIX) or ".." in key.split("/") or len(key) > 1024:
        raise InvalidInputError(f"s3Key: must be a key under {UPLOAD_PREFIX} (without '..')")
    bucket = required("DATA_BUCKET")
    s3 = fast_client("s3")
    try:
        head = s3.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{HEADER_BYTES - 1}")
    except ClientError as err:
        code = err.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchKey", "404", "NotFound"):
            raise NotFoundError(f"s3Key: no object {key} in the data bucket") from err
        raise UnavailableError(f"the data bucket could not be read ({code})") from err
    except BotoCoreError as err:
        raise UnavailableError("the data bucket could not be read") from err
    size = int(str(head.get("ContentRange", "")).rpartition("/")[2] or head["ContentLength"])
    if size > MAX_S3_BYTES:
        raise ImageTooLargeError(f"s3Key: the image is {size} bytes; at most {MAX_S3_BYTES}")
    # The header is all the checks need; the size limit is the S3 one (15 MB), not 5 MB.
    inspect_image(head["Body"].read(), max_bytes=MAX_S3_BYTES)
    return {"S3Object": {"Bucket": bucket, "Name": key}}


def _rekognition_error(err: ClientError) -> RecommenderError:
    code = err.response.get("Error", {}).get("Code", "")
    message = err.response.get("Error", {}).get("Message", "")
    if code in ("InvalidImageFormatException", "InvalidParameterException"):
        return InvalidImageError(f"body: Rekognition refused the image ({code}: {message})")
    if code == "ImageTooLargeException":
        return ImageTooLargeError(f"body: the image is too large for Rekognition ({message})")
    if code == "InvalidS3ObjectException":
        return NotFoundError(f"s3Key: Rekognition could not read the object ({message})")
    logger.error("DetectFaces failed", extra={"code": code})
    return UnavailableError(f"face analysis is unavailable right now ({code})")


@app.post(
    "/emotion",
    summary="The strongest emotion on the largest face of a photo",
    responses=_responses(
        200, EmotionResponse, s404="No face found", s413="Image too large", s503="Unavailable"
    ),
    openapi_extensions={"requestBody": EMOTION_BODY},
    tags=["emotion"],
)
def post_emotion():
    image = _image_source()
    try:
        analysis: FaceAnalysis = detect_emotion(fast_client("rekognition"), image)
    except ClientError as err:
        raise _rekognition_error(err) from err
    except BotoCoreError as err:
        raise UnavailableError("face analysis is unavailable right now") from err
    finally:
        metrics.add_metric(name="FaceAnalyses", unit=MetricUnit.Count, value=1)
    logger.info(
        "emotion read", extra={"faceCount": analysis.face_count, "emotion": analysis.emotion}
    )
    answer = EmotionResponse(
        emotion=analysis.emotion,
        confidence=analysis.confidence,
        emotions=analysis.emotions,
        gender=analysis.gender,
        genderConfidence=analysis.gender_confidence,
        ageRange={"low": analysis.age_low, "high": analysis.age_high},
        faceCount=analysis.face_count,
        userId=analysis.segment_user_id,
    )
    return _json(200, answer)


# -------------------------------------------------------- GET /recommendations
@app.get(
    "/recommendations",
    summary="Images of one emotion ranked for one user",
    responses=_responses(200, RecommendationsResponse),
    tags=["recommendations"],
)
def get_recommendations(
    userId: Annotated[str, Query(min_length=1, max_length=256)],  # noqa: N803 - the API's name
    emotion: Annotated[str, Query(description=f"One of {', '.join(EMOTIONS)}")],
    numResults: Annotated[int, Query(ge=1, le=MAX_RESULTS)] = 25,  # noqa: N803
):
    try:
        request = RecommendationRequest.parse(
            {"userId": userId, "emotion": emotion, "numResults": numResults}
        )
    except InvalidInputError as err:
        raise InvalidInputError(str(err).replace("emotion must", "emotion: must", 1)) from err
    answer = recommend(request)
    if answer["source"] != "personalize":
        metrics.add_metric(name="RecommendationFallbacks", unit=MetricUnit.Count, value=1)
    bucket = required("DATA_BUCKET")
    s3 = client("s3")
    for item in answer["items"]:
        item["imageUrl"] = image_url(s3, bucket, item.get("imageKey"))
    return _json(200, RecommendationsResponse.model_validate(answer))


# ----------------------------------------------------------------- POST /events
@app.post(
    "/events",
    summary="Record likes, clicks or views; they reach Personalize now or by the replay",
    responses={
        **_responses(200, EventsResponse, s503="The interactions log could not be written"),
        202: {
            "description": "Logged; some events wait for the replay (see pendingReasons)",
            "content": {JSON: {"model": EventsResponse}},
        },
    },
    tags=["events"],
)
def post_events(request: Annotated[EventsRequest, Body()]):
    table = required("INTERACTIONS_TABLE")
    now = time.time()
    session_id = request.sessionId or f"api-{uuid.uuid4().hex}"
    interactions = [event.interaction(now) for event in request.events]
    dynamodb = client("dynamodb")
    events_client = fast_client("personalize-events")
    logged = log_events(dynamodb, table, request.userId, session_id, interactions, now=now)
    outcome = deliver(dynamodb, events_client, table, logged)
    registration = None
    profile = request.profile()
    if profile:
        registration = register_user(
            dynamodb,
            events_client,
            table,
            _optional_env("USERS_DATASET_ARN"),
            request.userId,
            profile,
        )
    metrics.add_metric(name="EventsAccepted", unit=MetricUnit.Count, value=len(logged))
    if outcome.pending:
        metrics.add_metric(name="UnsentEvents", unit=MetricUnit.Count, value=outcome.pending)
    answer = EventsResponse(
        accepted=len(logged),
        sent=outcome.sent,
        pending=outcome.pending,
        rejected=outcome.rejected,
        eventIds=[e.event["eventId"] for e in logged],
        sessionId=session_id,
        userRegistration=registration,
        pendingReasons=outcome.reasons,
    )
    return _json(202 if outcome.pending or outcome.rejected else 200, answer)


def _optional_env(name: str) -> str | None:
    return os.environ.get(name) or None


# ----------------------------------------------------------------- /items
def _item_out(item: dict[str, Any], s3: Any, bucket: str) -> ItemOut:
    plain = {k: next(iter(v.values())) for k, v in item.items()}
    return ItemOut(
        itemId=plain["itemId"],
        emotion=plain.get("emotion", ""),
        imageKey=plain.get("imageKey"),
        imageUrl=image_url(s3, bucket, plain.get("imageKey")),
        title=plain.get("title"),
        createdAt=int(plain["createdAt"]) if "createdAt" in plain else None,
    )


@app.get(
    "/items",
    summary="The catalogue's images of one emotion, newest first, page by page",
    responses=_responses(200, ItemsPage),
    tags=["items"],
)
def get_items(
    emotion: Annotated[str, Query(description=f"One of {', '.join(EMOTIONS)}")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    nextToken: Annotated[str | None, Query(max_length=2048)] = None,  # noqa: N803
):
    try:
        name = emotion_name(emotion)
    except ValueError as err:
        raise InvalidInputError(f"emotion: {err}") from err
    items, token = list_items(
        client("dynamodb"), required("ITEMS_TABLE"), name, limit, nextToken or None
    )
    bucket = required("DATA_BUCKET")
    s3 = client("s3")
    page = ItemsPage(emotion=name, items=[_item_out(i, s3, bucket) for i in items], nextToken=token)
    return _json(200, page)


@app.post(
    "/items",
    summary="Register a catalogue image (items table, then Personalize PutItems)",
    responses=_responses(201, ItemCreated),
    tags=["items"],
)
def post_items(item: Annotated[ItemIn, Body()]):
    created = CatalogueItem(
        item_id=item.itemId,
        emotion=item.emotion,
        image_key=item.imageKey,
        title=item.title or "",
        created_at=int(time.time()),
    )
    status = register_item(
        client("dynamodb"),
        fast_client("personalize-events"),
        required("ITEMS_TABLE"),
        _optional_env("ITEMS_DATASET_ARN"),
        created,
    )
    s3 = client("s3")
    out = _item_out(created.table_item(), s3, required("DATA_BUCKET"))
    return _json(201, ItemCreated(item=out, personalize=status), {"Location": "/items"})


# ----------------------------------------------------------------- OpenAPI
@app.get(OPENAPI_PATH, include_in_schema=False)
def get_openapi():
    document = app.get_openapi_json_schema(title=TITLE, version=VERSION)
    return Response(HTTPStatus.OK.value, JSON, document)
