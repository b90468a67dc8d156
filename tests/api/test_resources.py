"""Every answer's schema in the document is generated from its resource, and answers carry
exactly the keys their schema names."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from werkzeug.test import TestResponse

from intranet_social.accounts.models import User
from intranet_social.api.openapi import build_document
from intranet_social.core.resource import RESOURCES, schema_of
from tests.api.conftest import ApiClient

SCHEMA_PREFIX = "#/components/schemas/"


def _schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = build_document()["components"]["schemas"]
    return schemas


def _refs(schema: Any) -> Iterator[str]:
    """The names of the schemas ``schema`` refers to, at any depth."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            yield schema["$ref"].removeprefix(SCHEMA_PREFIX)
        for value in schema.values():
            yield from _refs(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _refs(value)


def _answer_schema_names() -> set[str]:
    """Every schema an answer of the document uses, followed through lists and nesting
    (not the shared error answers, which are ``$ref`` responses)."""
    schemas = _schemas()
    todo = [
        name
        for operations in build_document()["paths"].values()
        for operation in operations.values()
        for status, answer in operation["responses"].items()
        if status.startswith("2")
        for name in _refs(answer.get("content", {}))
    ]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_refs(schemas[name]))
    return seen


def _is_list_envelope(schema: dict[str, Any]) -> bool:
    return schema.get("required") == ["items", "next_cursor"]


def _is_union(schema: dict[str, Any]) -> bool:
    """One of several resources (a search result), written only as references to them."""
    options = schema.get("anyOf", [])
    return bool(options) and all(option.keys() == {"$ref"} for option in options)


def test_every_answer_schema_is_generated_from_its_resource() -> None:
    schemas = _schemas()
    names = _answer_schema_names()
    assert {"Post", "Comment", "Media", "Person", "PersonRef", "Me", "Account"} <= names
    for name in sorted(names):
        if _is_list_envelope(schemas[name]) or _is_union(schemas[name]):
            continue
        assert name in RESOURCES, f"{name} is written by hand; make it a resource"
        assert schemas[name] == schema_of(RESOURCES[name]), name


def test_every_resource_is_in_the_document() -> None:
    schemas = _schemas()
    for name, cls in RESOURCES.items():
        assert schemas[name] == schema_of(cls), name


def _assert_keys(value: Any, schema: dict[str, Any], where: str) -> None:
    """``value`` has exactly the properties of ``schema`` (refs followed), at every depth."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(SCHEMA_PREFIX)
        _assert_keys(value, _schemas()[name], name)
    elif value is None:
        return
    elif "anyOf" in schema:
        failures = []
        for option in schema["anyOf"]:
            try:
                _assert_keys(value, option, where)
            except AssertionError as failure:
                failures.append(failure)
        assert len(failures) < len(schema["anyOf"]), failures
    elif schema.get("type") == "array":
        for item in value:
            _assert_keys(item, schema["items"], where)
    elif schema.get("type") == "object" and "properties" in schema:
        assert set(value) == set(schema["properties"]), where
        for key, item in value.items():
            _assert_keys(item, schema["properties"][key], f"{where}.{key}")


def _check(response: TestResponse, method: str, path: str) -> dict[str, Any]:
    assert response.status_code < 300, response.get_data(as_text=True)
    answer = build_document()["paths"][path][method.lower()]["responses"]
    schema = answer[str(response.status_code)]["content"]["application/json"]["schema"]
    body: dict[str, Any] = response.get_json()
    _assert_keys(body, schema, f"{method} {path}")
    return body


def test_answers_carry_exactly_the_keys_of_their_schema(
    api_as: Callable[..., ApiClient],
    admin_api: ApiClient,
    make_user: Callable[..., User],
) -> None:
    ana = make_user(username="ana", birthday="03-04")
    bo = make_user(username="bob")
    as_ana, as_bo = api_as(ana), api_as(bo)
    _check(as_ana.get("/me"), "GET", "/me")
    _check(as_ana.post("/tokens", json={"name": "ci"}), "POST", "/tokens")
    _check(as_ana.get("/tokens"), "GET", "/tokens")
    _check(as_ana.post("/friends/requests", json={"username": "bob"}), "POST", "/friends/requests")
    _check(as_ana.get("/users/bob"), "GET", "/users/{username}")
    requests = _check(as_bo.get("/friends/requests"), "GET", "/friends/requests")
    request_id = requests["incoming"][0]["id"]
    accept = as_bo.post(f"/friends/requests/{request_id}/accept")
    _check(accept, "POST", "/friends/requests/{request_id}/accept")
    post = _check(as_ana.post("/posts", json={"body": "Hi @bob"}), "POST", "/posts")
    comment = as_bo.post(f"/posts/{post['id']}/comments", json={"body": "Hello"})
    _check(comment, "POST", "/posts/{post_id}/comments")
    _check(as_bo.post(f"/posts/{post['id']}/like"), "POST", "/posts/{post_id}/like")
    feed = _check(as_bo.get("/feed"), "GET", "/feed")
    assert feed["items"][0]["latest_comments"]
    _check(as_ana.get("/notifications"), "GET", "/notifications")
    _check(as_ana.get("/notifications/unread"), "GET", "/notifications/unread")
    _check(as_ana.get("/birthdays?who=everyone"), "GET", "/birthdays")
    _check(as_ana.get("/search?type=people&q=bob"), "GET", "/search")
    chat = as_ana.post("/conversations", json={"members": ["bob"]})
    conversation = _check(chat, "POST", "/conversations")
    path = f"/conversations/{conversation['id']}/messages"
    _check(
        as_ana.post(path, json={"body": "Lunch?"}),
        "POST",
        "/conversations/{conversation_id}/messages",
    )
    _check(as_bo.get(path), "GET", "/conversations/{conversation_id}/messages")
    read = as_bo.post(f"/conversations/{conversation['id']}/read")
    _check(read, "POST", "/conversations/{conversation_id}/read")
    _check(as_ana.post("/blocks", json={"username": "bob"}), "POST", "/blocks")
    report = {"kind": "post", "target": str(post["id"]), "reason": "Spam"}
    _check(as_bo.post("/reports", json=report), "POST", "/reports")
    _check(admin_api.get("/admin/reports"), "GET", "/admin/reports")
    new = {"username": "cyd", "email": "cyd@example.com", "name": "Cyd"}
    _check(admin_api.post("/admin/users", json=new), "POST", "/admin/users")
    _check(admin_api.get("/admin/users"), "GET", "/admin/users")
    _check(admin_api.get("/admin/audit"), "GET", "/admin/audit")
    _check(admin_api.get("/admin/settings"), "GET", "/admin/settings")
