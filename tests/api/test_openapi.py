"""The OpenAPI document: public, valid, and naming exactly the operations the app serves."""

from __future__ import annotations

import re

import pytest
import schemathesis
from flask import Flask

from intranet_social.api.openapi import build_document

RULE_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
API_PREFIX = "/api/v1"


def documented_operations() -> dict[tuple[str, str], str]:
    return {
        (method.upper(), path): op["operationId"]
        for path, operations in build_document()["paths"].items()
        for method, op in operations.items()
    }


def routed_operations(app: Flask) -> dict[tuple[str, str], str]:
    """(method, path) -> view function name for every route of the api blueprint."""
    routes = {}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        assert rule.rule.startswith(API_PREFIX)
        path = RULE_ARGUMENT.sub(r"{\1}", rule.rule.removeprefix(API_PREFIX))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes[(method, path)] = rule.endpoint.rsplit(".", 1)[-1]
    return routes


def test_document_and_routes_name_the_same_operations(app: Flask) -> None:
    documented, routed = documented_operations(), routed_operations(app)
    assert sorted(routed.keys() - documented.keys()) == [], "routes missing from the document"
    assert sorted(documented.keys() - routed.keys()) == [], "documented but not routed"
    assert documented == routed, "operationId must be the name of the view function"


def test_anyone_can_read_the_document_without_signing_in(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": API_PREFIX}]
    assert document["paths"].keys() == build_document()["paths"].keys()


def test_document_is_valid_openapi() -> None:
    schemathesis.openapi.from_dict(build_document()).validate()


def test_document_names_the_shared_schemas() -> None:
    schemas = build_document()["components"]["schemas"]
    for name in (
        "User",
        "Me",
        "Token",
        "NewToken",
        "TokenList",
        "Account",
        "AccountList",
        "AuditEvent",
        "AuditEventList",
        "Error",
    ):
        assert schemas[name]["type"] == "object", name
    error = schemas["Error"]
    assert error["required"] == ["error"]
    assert error["properties"]["error"]["required"] == ["code", "message"]


def test_every_operation_but_the_document_needs_a_bearer_token() -> None:
    document = build_document()
    assert document["security"] == [{"bearerAuth": []}]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    for (method, path), _ in documented_operations().items():
        op = document["paths"][path][method.lower()]
        if path == "/openapi.json":
            assert op["security"] == []
            continue
        assert "security" not in op
        assert {"400", "401", "403"} <= op["responses"].keys(), (method, path)


@pytest.mark.parametrize(
    ("method", "path"),
    [(m, p) for (m, p) in sorted(documented_operations()) if m in {"POST", "PATCH", "PUT"}],
)
def test_every_error_answer_uses_the_error_schema(method: str, path: str) -> None:
    document = build_document()
    responses = document["paths"][path][method.lower()]["responses"]
    shared = document["components"]["responses"]
    for status, answer in responses.items():
        if status.startswith("4"):
            name = answer["$ref"].rsplit("/", 1)[1]
            schema = shared[name]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}


def test_unknown_api_path_answers_json_404(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/no/such/thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_wrong_method_answers_json_405_naming_the_allowed_ones(client) -> None:  # type: ignore[no-untyped-def]
    response = client.put("/api/v1/me")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]
