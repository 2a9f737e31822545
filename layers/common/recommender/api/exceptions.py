"""Errors of the runtime API; each maps to one HTTP status (see ``status_of``)."""

from __future__ import annotations

from recommender.exceptions import InvalidInputError, NotReadyError, RecommenderError


class InvalidImageError(InvalidInputError):
    """The photo is not a JPEG or PNG of an accepted size (400)."""


class ImageTooLargeError(RecommenderError):
    """The photo is larger than the API accepts inline; it must go through S3 (413)."""


class NoFaceError(RecommenderError):
    """DetectFaces found no face with emotions in the photo (404)."""


class NotFoundError(RecommenderError):
    """The requested object does not exist (404)."""


class UnavailableError(RecommenderError):
    """A dependency (Rekognition, the tables) could not answer; the caller may retry (503)."""


_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (InvalidInputError, 400),
    (ImageTooLargeError, 413),
    (NoFaceError, 404),
    (NotFoundError, 404),
    (NotReadyError, 503),
    (UnavailableError, 503),
)


def status_of(error: Exception) -> int:
    """The HTTP status for one of our errors; 500 for anything unexpected."""
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return 500
