"""Errors raised by the shared code.

Class names double as Step Functions error names (the Lambda errorType), so a state machine
can catch them one by one; messages always name the step, the resource and the reason.
"""


class RecommenderError(Exception):
    """Base class of every error this project raises on purpose."""


class ConfigurationError(RecommenderError):
    """A required environment variable is missing or malformed."""


class InvalidInputError(RecommenderError):
    """Input failed validation; the message names the field and the rule."""


class NotReadyError(RecommenderError):
    """A runtime setting (tracking ID, campaign or filter ARN) is still the NONE placeholder."""


class ResourceFailedError(RecommenderError):
    """A Personalize resource ended CREATE FAILED; the message carries its failureReason."""


class ResourceConflictError(RecommenderError):
    """A resource exists under the expected name but its settings differ from those asked."""


class ResourceWaitTimeoutError(RecommenderError):
    """A resource did not become ACTIVE within the configured number of polls."""


class InsufficientDataError(RecommenderError):
    """The training data is below Personalize's minimums after every recheck."""
