"""Offline stand-in for Amazon Rekognition's DetectFaces, built on OpenCV's Haar cascades."""

from .server import RunningRekognition, start_rekognition

__all__ = ["RunningRekognition", "start_rekognition"]
