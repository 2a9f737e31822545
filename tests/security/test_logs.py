"""Logs never carry image bytes, face data or the tracking ID.

Drives POST /emotion (every body form, a photo without a face, refused images) and POST
/events (delivered, Personalize throttled, tracker not ready) through the offline HTTP API
while every log record of the process is captured: our logger at DEBUG, everything else at
INFO, plus whatever reached stdout and stderr.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator

import boto3
import pytest

from recommender.observability import logger as app_logger
from recommender.parameters import clear_settings_cache
from tests.api import images
from tests.api.conftest import Api

JPEG = {"content-type": "image/jpeg"}
# Keys of Rekognition's FaceDetail that locate or describe a face.
FACE_DATA = ("BoundingBox", "Landmarks", "Pose", "Quality", "FaceDetails", "AgeRange", "eyeLeft")


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        """Every record in full: message, arguments, extra keys and any traceback."""
        formatter = logging.Formatter()
        parts = []
        for record in self.records:
            parts.append(record.getMessage())
            parts.append(repr(vars(record)))
            if record.exc_info:
                parts.append(formatter.formatException(record.exc_info))
        return "\n".join(parts)


@pytest.fixture
def captured() -> Iterator[_Records]:
    handler = _Records()
    root = logging.getLogger()
    # Loggers that do not propagate (Powertools' own) get the handler directly.
    isolated = [
        lg
        for lg in logging.root.manager.loggerDict.values()
        if isinstance(lg, logging.Logger) and not lg.propagate
    ]
    levels = (root.level, app_logger.log_level)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for lg in isolated:
        lg.addHandler(handler)
    app_logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for lg in isolated:
            lg.removeHandler(handler)
        root.setLevel(levels[0])
        app_logger.setLevel(levels[1])


def _drive_emotion(api: Api) -> list[bytes]:
    photo = images.astronaut()
    png = images.astronaut(".png")
    assert api.post("/emotion", data=photo, headers=JPEG).status_code == 200
    assert api.post("/emotion", data=png, headers={"content-type": "image/png"}).ok
    text = images.data_url(photo).encode()
    assert api.post("/emotion", data=text, headers={"content-type": "text/plain"}).ok
    assert api.post("/emotion", json={"image": base64.b64encode(photo).decode()}).ok
    coffee = images.coffee()
    assert (
        api.post("/emotion", data=coffee, headers={"content-type": "image/png"}).status_code == 404
    )
    assert api.post("/emotion", data=photo[:3000], headers=JPEG).status_code == 400
    assert api.post("/emotion", json={"image": "data:image/jpeg;base64,@@@"}).status_code == 400
    return [photo, png, coffee]


def _drive_events(api: Api) -> None:
    like = {"userId": "log-user", "events": [{"eventType": "like", "itemId": "happy-001"}]}
    assert api.post("/events", json=like).status_code == 200
    api.faults({"throttle": {"PutEvents": 1.0}})
    assert api.post("/events", json=like).status_code == 202
    api.faults({})
    ssm = boto3.client("ssm")
    current = ssm.get_parameter(Name=api.tracking_parameter)["Parameter"]["Value"]
    ssm.put_parameter(Name=api.tracking_parameter, Value="NONE", Type="String", Overwrite=True)
    clear_settings_cache()  # as a cold function would read it
    try:
        assert api.post("/events", json=like).status_code == 202
    finally:
        ssm.put_parameter(Name=api.tracking_parameter, Value=current, Type="String", Overwrite=True)
    bad = {"userId": "log-user", "events": [{"eventType": "like", "properties": "not json"}]}
    assert api.post("/events", json=bad).status_code == 400
    assert api.replay()["sent"] >= 2


def _base64_fragments(data: bytes) -> list[str]:
    """Stretches of the image's base64 text, whatever offset it was cut at."""
    fragments = []
    for shift in range(3):
        encoded = base64.b64encode(data[shift:]).decode()
        fragments.extend(encoded[i : i + 40] for i in range(100, len(encoded) - 40, 4000))
    return fragments


def test_no_image_bytes_face_data_or_tracking_id_in_logs(
    api: Api, personalize_ready, captured, capfd
):
    photos = _drive_emotion(api)
    _drive_events(api)
    out, err = capfd.readouterr()
    logs = captured.text() + "\n" + out + "\n" + err

    assert captured.records, "nothing was logged: the capture is not working"
    assert "emotion read" in logs  # the milestone is there, with counts only
    assert personalize_ready["trackingId"] not in logs
    for key in FACE_DATA:
        assert key not in logs, key
    assert "data:image" not in logs
    for photo in photos:
        leaked = [f for f in _base64_fragments(photo) if f in logs]
        assert leaked == []
        assert repr(photo[100:140])[2:-1] not in logs  # raw bytes as Python would print them


def test_the_capture_would_see_a_leak(captured, capfd):
    photo = images.coffee()
    app_logger.debug("face", extra={"face": {"BoundingBox": {"Width": 0.4}}})
    logging.getLogger("botocore.endpoint").info("body %s", base64.b64encode(photo).decode())
    logs = captured.text() + capfd.readouterr().out
    assert "BoundingBox" in logs
    assert any(f in logs for f in _base64_fragments(photo))
