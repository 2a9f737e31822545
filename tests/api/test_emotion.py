"""POST /emotion through the HTTP layer, DetectFaces served by the OpenCV stand-in (R1, R2, T1)."""

from __future__ import annotations

import base64

import boto3
import numpy as np
import pytest

from local.rekognition.detector import EMOTION_ORDER
from tests.api import images
from tests.api.conftest import Api

JPEG = {"content-type": "image/jpeg"}


def test_sample_event_reads_a_happy_face(api: Api):
    before = len(api.rekognition_calls())
    status, body = api.invoke_sample("http_api-post-emotion.json")
    assert status == 200, body
    assert body["emotion"] == "HAPPY"
    assert body["faceCount"] == 1
    assert body["userId"] == "female/happy"
    calls = api.rekognition_calls()[before:]
    assert [c["attributes"] for c in calls] == [["ALL"]]  # T1 + R1: the call happened, with ALL


def test_astronaut_is_happy_and_the_strongest_emotion_wins_not_the_first(api: Api):
    response = api.post("/emotion", data=images.astronaut(), headers=JPEG)
    assert response.status_code == 200, response.text
    body = response.json()
    # The stand-in lists CALM first; the answer must be the maximum, HAPPY.
    assert EMOTION_ORDER[0] != "HAPPY"
    assert body["emotion"] == "HAPPY"
    assert body["confidence"] == max(body["emotions"].values())
    assert set(body["emotions"]) == set(EMOTION_ORDER)
    assert body["gender"] == "female" and body["ageRange"] == {"low": 25, "high": 40}
    assert response.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(
    ("content_type", "encode"),
    [
        ("text/plain", lambda b: base64.b64encode(b)),
        ("text/plain", lambda b: images.data_url(b).encode()),
        ("application/json", lambda b: b'{"image": "' + images.data_url(b).encode() + b'"}'),
        ("application/json", lambda b: b'{"image": "' + base64.b64encode(b) + b'"}'),
        ("image/png", lambda b: b),
    ],
    ids=["base64", "data-url", "json-data-url", "json-base64", "raw-png"],
)
def test_every_body_form_is_read(api: Api, content_type, encode):
    photo = images.astronaut(".png" if content_type == "image/png" else ".jpg")
    response = api.post("/emotion", data=encode(photo), headers={"content-type": content_type})
    assert response.status_code == 200, response.text
    assert response.json()["emotion"] == "HAPPY"


def test_no_face_is_404_after_a_real_call(api: Api):
    before = len(api.rekognition_calls())
    response = api.post("/emotion", data=images.coffee(), headers={"content-type": "image/png"})
    assert response.status_code == 404
    assert response.json()["message"] == "no face found in the image"
    assert response.json()["error"] == "NoFace"
    assert api.rekognition_calls()[before:][0]["faces"] == 0


def test_several_faces_use_the_largest_and_count_them(api: Api):
    response = api.post("/emotion", data=images.three_faces(), headers=JPEG)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["faceCount"] == 3
    assert body["emotion"] == "HAPPY"  # only the large face smiles for the detector
    again = api.post("/emotion", data=images.three_faces(), headers=JPEG).json()
    assert again == body  # deterministic


@pytest.mark.parametrize(
    ("photo", "status", "words"),
    [
        (lambda: images.encode(np.zeros((40, 40), np.uint8), ".png"), 400, "at least 80 px"),
        (lambda: images.encode(np.zeros((5400, 10800), np.uint8)), 400, "exceed 10000 px"),
        (lambda: b"this is a text file, not a photo\n" * 10, 400, "JPEG or PNG"),
    ],
    ids=["40x40-png", "10800x5400-jpeg", "text-file"],
)
def test_image_limits_are_checked_before_rekognition(api: Api, photo, status, words):
    before = len(api.rekognition_calls())
    response = api.post("/emotion", data=photo(), headers=JPEG)
    assert response.status_code == status, response.text
    body = response.json()
    assert words in body["message"]
    assert body["fields"][0]["field"] == "body"
    assert len(api.rekognition_calls()) == before  # refused before the paid call


def _six_megabyte_jpeg() -> bytes:
    noise = np.random.default_rng(7).integers(0, 256, (1800, 1800, 3), dtype=np.uint8)
    photo = images.encode(noise, quality=100)
    assert 5 * 1024 * 1024 < len(photo) < 7 * 1024 * 1024
    return photo


def test_six_megabyte_jpeg_is_413_saying_to_use_s3(api: Api):
    photo = _six_megabyte_jpeg()
    before = len(api.rekognition_calls())
    # The handler itself, as if the gateway let it through ...
    result = api.invoke(api.request_event("POST", "/emotion", dict(JPEG), photo))
    assert result["statusCode"] == 413
    assert "s3Key" in result["body"]
    # ... and through the gateway, which stops it at the Lambda payload limit.
    through_gateway = api.post("/emotion", data=photo, headers=JPEG)
    assert through_gateway.status_code == 413
    assert through_gateway.json()["fields"][0]["field"] == "body"
    assert len(api.rekognition_calls()) == before


def test_large_photos_go_through_s3(api: Api):
    bucket = api.offline.outputs["DataBucketName"]
    boto3.client("s3").put_object(Bucket=bucket, Key="uploads/me.jpg", Body=images.astronaut())
    before = len(api.rekognition_calls())
    response = api.post("/emotion", json={"s3Key": "uploads/me.jpg"})
    assert response.status_code == 200, response.text
    assert response.json()["emotion"] == "HAPPY"
    assert api.rekognition_calls()[before:][0]["source"] == "S3Object"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"s3Key": "catalogue/happy/happy-001.jpg"}, 400, "s3Key"),
        ({"s3Key": "uploads/../training/x.jpg"}, 400, "s3Key"),
        ({"s3Key": "uploads/missing.jpg"}, 404, None),
        ({"image": "bm90IGFuIGltYWdl", "s3Key": "uploads/me.jpg"}, 400, "body"),
        ({"picture": "x"}, 400, "picture"),
    ],
)
def test_bad_json_bodies_name_the_field(api: Api, body, status, field):
    response = api.post("/emotion", json=body)
    assert response.status_code == status, response.text
    if field:
        assert field in {f["field"] for f in response.json()["fields"]}


def test_rekognition_down_is_503_not_500(api: Api, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_REKOGNITION", "http://127.0.0.1:9")
    from recommender.clients import reset_clients

    reset_clients()
    response = api.post("/emotion", data=images.astronaut(), headers=JPEG)
    assert response.status_code == 503, response.text
    assert response.json()["error"] == "Unavailable"
