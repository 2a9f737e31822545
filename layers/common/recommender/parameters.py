"""Runtime settings held in SSM: the tracking ID, the campaign ARN and the filter ARN.

Reads go through Powertools' parameters utility, cached for PARAMETER_CACHE_SECONDS, so a warm
function pays one SSM call per cache window. A value of ``NONE`` is the placeholder the stack
creates: it means "the lifecycle has not got that far yet" and raises NotReadyError.
"""

from __future__ import annotations

from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

from recommender.clients import client
from recommender.config import PLACEHOLDER, optional_int, required
from recommender.exceptions import NotReadyError

TRACKING_ID = "TRACKING_ID_PARAMETER"
CAMPAIGN_ARN = "CAMPAIGN_ARN_PARAMETER"
FILTER_ARN = "FILTER_ARN_PARAMETER"


def _provider() -> parameters.SSMProvider:
    # Built on the shared client so tests and the offline stack reach the same endpoint.
    return parameters.SSMProvider(boto3_client=client("ssm"))


def read_setting(env_name: str, *, force_fetch: bool = False) -> str:
    """Return the value of the SSM parameter whose name is in ``env_name``.

    Raises NotReadyError when the parameter is missing or still holds the placeholder.
    """
    name = required(env_name)
    max_age = optional_int("PARAMETER_CACHE_SECONDS", 300)
    try:
        value = _cached_provider().get(name, max_age=max_age, force_fetch=force_fetch)
    except GetParameterError as err:
        raise NotReadyError(f"SSM parameter {name} could not be read: {err}") from err
    if not value or value == PLACEHOLDER:
        raise NotReadyError(f"SSM parameter {name} still holds {PLACEHOLDER}: run the lifecycle")
    return str(value)


def write_setting(env_name: str, value: str) -> str:
    """Overwrite the SSM parameter named in ``env_name`` with ``value``; return its name."""
    name = required(env_name)
    client("ssm").put_parameter(Name=name, Value=value, Type="String", Overwrite=True)
    _cached_provider().clear_cache()
    return name


_PROVIDER: parameters.SSMProvider | None = None


def _cached_provider() -> parameters.SSMProvider:
    global _PROVIDER
    if _PROVIDER is None:
        _PROVIDER = _provider()
    return _PROVIDER


def clear_settings_cache() -> None:
    """Drop cached values and the provider (tests call this between cases)."""
    global _PROVIDER
    _PROVIDER = None
