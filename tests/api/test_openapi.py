"""The OpenAPI document generated from the code, Swagger UI, and a bounded fuzz pass."""

from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.api.conftest import Api

ROUTES = {
    ("post", "/emotion"),
    ("get", "/recommendations"),
    ("post", "/events"),
    ("get", "/items"),
    ("post", "/items"),
}


def test_sample_openapi_event_serves_every_route(api: Api):
    status, document = api.invoke_sample("http_api-get-openapi.json")
    assert status == 200
    served = {(m, p) for p, ops in document["paths"].items() for m in ops}
    assert served == ROUTES
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "422" not in operation["responses"], (method, path)
            assert "400" in operation["responses"], (method, path)


def test_swagger_ui_is_served(api: Api):
    status, page = api.invoke_sample("http_api-get-swagger.json")
    assert status == 200
    assert "swagger" in page.lower()


@pytest.fixture(scope="module")
def fuzz_schema(api: Api, personalize_ready):
    document = requests.get(api.url + "/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(document)
    schema.config.update(base_url=api.url)
    return schema


@pytest.mark.parametrize(("method", "path"), sorted(ROUTES))
def test_fuzzing_the_document_finds_no_server_error(fuzz_schema, method, path):
    """Cases generated from the OpenAPI document (valid and not) never get a 5xx."""
    operation = fuzz_schema[path][method.upper()]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        case.call_and_validate(checks=[not_a_server_error])

    call()
