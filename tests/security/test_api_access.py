"""ApiAuth: the HTTP API's data routes carry the chosen authorizer, and only when asked.

The template is translated by the SAM translator (local/stack/template.py) and its conditions
decided as CloudFormation would for each ApiAuth value; the routes come from the function
events in template.yaml, so a route added without the authorizer fails here.
"""

from __future__ import annotations

import pytest

from local.api.gateway import http_api_routes
from tests.security.conditions import TEMPLATE, Deployed

# The OpenAPI document and Swagger UI describe the API; they hold no data and stay public.
PUBLIC_ROUTES = {("GET", "/openapi.json"), ("GET", "/swagger")}
ROUTES = set(http_api_routes(TEMPLATE))
DATA_ROUTES = ROUTES - PUBLIC_ROUTES
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example"
ORIGIN = "https://app.example.com"


def _api_body(parameters: dict[str, str]) -> dict:
    deployed = Deployed(parameters)
    return deployed.resources()["HttpApi"]["Properties"]["Body"]


def _security(body: dict) -> dict[tuple[str, str], list | None]:
    return {
        (method.upper(), path): operation.get("security")
        for path, operations in body["paths"].items()
        for method, operation in operations.items()
    }


def test_the_data_routes_are_the_ones_users_call():
    assert {path for _, path in DATA_ROUTES} >= {"/emotion", "/recommendations", "/events"}
    assert PUBLIC_ROUTES <= ROUTES


def test_default_is_no_authorizer():
    body = _api_body({})
    assert set(_security(body)) == ROUTES
    assert all(security is None for security in _security(body).values())
    assert body.get("components", {}).get("securitySchemes", {}) == {}


def test_jwt_puts_the_jwt_authorizer_on_every_data_route():
    # GIVEN ApiAuth JWT with an issuer and two audiences
    body = _api_body(
        {"ApiAuth": "JWT", "ApiJwtIssuer": ISSUER, "ApiJwtAudience": "client-a,client-b"}
    )
    # THEN every data route needs a token, the docs routes stay open
    security = _security(body)
    assert {route: security[route] for route in DATA_ROUTES} == {
        route: [{"JwtAuthorizer": []}] for route in DATA_ROUTES
    }
    assert all(security[route] is None for route in PUBLIC_ROUTES)
    # AND the authorizer validates tokens of the configured issuer and audiences
    schemes = body["components"]["securitySchemes"]
    assert set(schemes) == {"JwtAuthorizer"}
    authorizer = schemes["JwtAuthorizer"]["x-amazon-apigateway-authorizer"]
    assert authorizer["type"] == "jwt"
    assert authorizer["identitySource"] == "$request.header.Authorization"
    assert authorizer["jwtConfiguration"] == {
        "issuer": {"Ref": "ApiJwtIssuer"},
        "audience": {"Ref": "ApiJwtAudience"},
    }


def test_iam_puts_sigv4_on_every_data_route():
    body = _api_body({"ApiAuth": "IAM"})
    security = _security(body)
    assert all(security[route] == [{"AWS_IAM": []}] for route in DATA_ROUTES)
    assert all(security[route] is None for route in PUBLIC_ROUTES)
    schemes = body["components"]["securitySchemes"]
    assert set(schemes) == {"AWS_IAM"}
    assert schemes["AWS_IAM"]["x-amazon-apigateway-authtype"] == "awsSigv4"


@pytest.mark.parametrize("mode", ["NONE", "IAM", "JWT"])
def test_cors_stays_limited_to_the_configured_origin(mode):
    parameters = {"ApiAuth": mode, "CorsAllowOrigins": ORIGIN}
    if mode == "JWT":
        parameters |= {"ApiJwtIssuer": ISSUER, "ApiJwtAudience": "client-a"}
    cors = _api_body(parameters)["x-amazon-apigateway-cors"]
    # The translator writes the list parameter's text; CloudFormation splits it at the commas.
    assert cors["allowOrigins"] in (ORIGIN, [ORIGIN])
    assert "allowCredentials" not in cors


def test_jwt_without_issuer_or_audience_is_refused_before_deploying():
    rule = Deployed({}).cloudformation["Rules"]["JwtAuthNeedsIssuerAndAudience"]
    assert rule["RuleCondition"] == {"Fn::Equals": [{"Ref": "ApiAuth"}, "JWT"]}
    asserted = [a["Assert"] for a in rule["Assertions"]]
    assert {"Fn::Not": [{"Fn::Equals": [{"Ref": "ApiJwtIssuer"}, ""]}]} in asserted
    assert {"Fn::Not": [{"Fn::Contains": [{"Ref": "ApiJwtAudience"}, ""]}]} in asserted
