"""API fixtures: personal access tokens and a JSON client that sends them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from intranet_social.accounts import tokens
from intranet_social.accounts.models import User
from intranet_social.api.openapi import build_document
from intranet_social.extensions import db

DOCUMENT = schemathesis.openapi.from_dict(build_document())


@pytest.fixture
def make_token() -> Callable[..., str]:
    """``make_token(user, scope="read", **options)`` -> the bearer secret."""

    def _make_token(user: User, scope: str = "read", **options: Any) -> str:
        new = tokens.create_token(user, scope=scope, **options)
        db.session.commit()
        return new.secret

    return _make_token


class ApiClient:
    """Calls ``/api/v1`` with a bearer token (or none, or another ``Authorization`` value)."""

    def __init__(self, client: FlaskClient, authorization: str | None = None) -> None:
        self.client = client
        self.authorization = authorization

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        merged = dict(headers or {})
        if self.authorization is not None:
            merged.setdefault("Authorization", self.authorization)
        return merged

    def call(
        self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> TestResponse:
        return self.client.open(
            f"/api/v1{path}", method=method, headers=self._headers(headers), **kwargs
        )

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("DELETE", path, **kwargs)


@pytest.fixture
def api_as(client: FlaskClient, make_token: Callable[..., str]) -> Callable[..., ApiClient]:
    """``api_as(user, scope="write")``: a client authenticated with a fresh token of ``user``."""

    def _api_as(user: User | None, scope: str = "write", **options: Any) -> ApiClient:
        if user is None:
            return ApiClient(client)
        return ApiClient(client, f"Bearer {make_token(user, scope, **options)}")

    return _api_as


@pytest.fixture
def admin_api(api_as: Callable[..., ApiClient], admin: User) -> ApiClient:
    return api_as(admin, "admin")


def _error_of(response: TestResponse) -> dict[str, str]:
    assert response.is_json, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"]) <= {"code", "message", "field"}
    assert body["error"]["message"]
    return body["error"]


@pytest.fixture
def error_of() -> Callable[[TestResponse], dict[str, str]]:
    """``error_of(response)``: the ``error`` object of an API error answer, shape checked."""
    return _error_of


@pytest.fixture
def documented() -> Callable[[TestResponse, str, str], None]:
    """``documented(response, "POST", "/admin/users")``: the answer is one the document
    describes for that operation: a listed status and a body matching its schema."""

    def _documented(response: TestResponse, method: str, path: str) -> None:
        responses = build_document()["paths"][path][method.lower()]["responses"]
        assert str(response.status_code) in responses, response.status_code
        DOCUMENT[path][method.upper()].validate_response(response)

    return _documented
