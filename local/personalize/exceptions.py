"""Errors the emulator answers with, one class per error name the services use."""

from __future__ import annotations


class PersonalizeError(Exception):
    """Base class: an error answered to the client in the AWS JSON error format."""

    code = "InternalFailure"
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def body(self) -> dict:
        return {"__type": self.code, "message": self.message}


class InvalidInputException(PersonalizeError):
    """A request member is missing, malformed or breaks a service rule."""

    code = "InvalidInputException"


class ResourceNotFoundException(PersonalizeError):
    """The named ARN (or tracking id) does not exist."""

    code = "ResourceNotFoundException"


class ResourceAlreadyExistsException(PersonalizeError):
    """A resource with the same name already exists."""

    code = "ResourceAlreadyExistsException"


class ResourceInUseException(PersonalizeError):
    """The resource is busy or still has dependents, or its parent is not ACTIVE."""

    code = "ResourceInUseException"


class LimitExceededException(PersonalizeError):
    """A per-account or per-parent quota would be exceeded."""

    code = "LimitExceededException"


class InvalidNextTokenException(PersonalizeError):
    """The pagination token was not issued by this emulator for this listing."""

    code = "InvalidNextTokenException"


class ThrottlingException(PersonalizeError):
    """Injected throttling; botocore retries this error code."""

    code = "ThrottlingException"


class NotImplementedOperationException(InvalidInputException):
    """A modelled operation the emulator does not implement (sent as InvalidInputException)."""


class UnknownOperationException(PersonalizeError):
    """The X-Amz-Target or path names no operation of the emulated services."""

    code = "UnknownOperationException"
    status = 404


class SerializationException(PersonalizeError):
    """The request body is not a JSON object."""

    code = "SerializationException"


class UnsupportedMediaTypeException(PersonalizeError):
    """The Content-Type is not a JSON media type."""

    code = "UnsupportedMediaTypeException"
    status = 415


class RequestEntityTooLargeException(PersonalizeError):
    """The request body exceeds the emulator's size limit."""

    code = "RequestEntityTooLargeException"
    status = 413
