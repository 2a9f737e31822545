"""The DetectFaces stand-in answers boto3 the way Rekognition does, on real photos."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from local.rekognition import start_rekognition
from tests.api import images


@pytest.fixture(scope="module")
def stand_in():
    with start_rekognition() as running:
        yield running


@pytest.fixture
def rekognition(stand_in):
    stand_in.reset()
    return boto3.client(
        "rekognition",
        endpoint_url=stand_in.url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1}),
    )


def test_astronaut_has_one_smiling_face(rekognition):
    faces = rekognition.detect_faces(Image={"Bytes": images.astronaut()}, Attributes=["ALL"])
    [face] = faces["FaceDetails"]
    strongest = max(face["Emotions"], key=lambda e: e["Confidence"])
    assert strongest["Type"] == "HAPPY"
    assert face["Smile"]["Value"] is True
    box = face["BoundingBox"]
    assert 0 < box["Left"] < 1 and 0 < box["Top"] < 1 and 0 < box["Width"] < 0.5


def test_coffee_has_no_face(rekognition):
    assert rekognition.detect_faces(Image={"Bytes": images.coffee()})["FaceDetails"] == []


def test_three_faces_come_largest_first(rekognition):
    faces = rekognition.detect_faces(Image={"Bytes": images.three_faces()})["FaceDetails"]
    areas = [f["BoundingBox"]["Width"] * f["BoundingBox"]["Height"] for f in faces]
    assert len(faces) == 3 and areas == sorted(areas, reverse=True)


def test_without_attributes_all_there_are_no_emotions(rekognition):
    [face] = rekognition.detect_faces(Image={"Bytes": images.astronaut()})["FaceDetails"]
    assert "Emotions" not in face and "Gender" not in face


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({"Image": {"Bytes": b"plain text, not a picture"}}, "InvalidImageFormatException"),
        ({"Image": {"Bytes": b"\xff" * (5 * 1024 * 1024 + 1)}}, "ImageTooLargeException"),
        (
            {"Image": {"Bytes": b"\xff\xd8\xff"}, "Attributes": ["MOOD"]},
            "InvalidParameterException",
        ),
    ],
)
def test_errors_are_rekognitions_own(rekognition, arguments, code):
    with pytest.raises(ClientError) as caught:
        rekognition.detect_faces(**arguments)
    assert caught.value.response["Error"]["Code"] == code


def test_calls_are_recorded_without_image_bytes(rekognition, stand_in):
    rekognition.detect_faces(Image={"Bytes": images.astronaut()}, Attributes=["ALL"])
    assert stand_in.calls() == [
        {"operation": "DetectFaces", "attributes": ["ALL"], "source": "Bytes", "faces": 1}
    ]
