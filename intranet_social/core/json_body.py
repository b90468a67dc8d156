"""Reading a request's JSON body and query parameters: types checked, the bad field named."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, overload

from flask import request

from intranet_social.core.errors import Invalid

BODY_MESSAGE = "Send a JSON object as the request body, with Content-Type: application/json."


def json_object(allowed: Iterable[str], required: Iterable[str] = ()) -> dict[str, Any]:
    """The body as a JSON object with only ``allowed`` keys and every ``required`` one."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        body = None
    if not isinstance(body, dict):
        raise Invalid(BODY_MESSAGE, "body")
    known = set(allowed)
    for key in body:
        if key not in known:
            raise Invalid(f"Unknown field; use only {', '.join(sorted(known))}.", key)
    for key in required:
        if body.get(key) is None:
            raise Invalid("This field is required.", key)
    return body


def _check_text(value: str, field: str) -> str:
    # PostgreSQL refuses NUL characters and no database stores lone surrogates.
    if "\x00" in value:
        raise Invalid("The text contains a NUL character.", field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid("The text is not valid Unicode.", field) from None
    return value


@overload
def text(body: dict[str, Any], field: str, default: str) -> str: ...
@overload
def text(body: dict[str, Any], field: str, default: None = None) -> str | None: ...
def text(body: dict[str, Any], field: str, default: str | None = None) -> str | None:
    """A string field of ``body``; ``null`` or absent gives ``default``."""
    value = body.get(field)
    if value is None:
        return default
    if not isinstance(value, str):
        raise Invalid("This field must be a string.", field)
    return _check_text(value, field)


def whole_number(body: dict[str, Any], field: str) -> int | None:
    """An integer field of ``body`` (``true`` and ``1.5`` are not integers), or ``None``."""
    value = body.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("This field must be a whole number.", field)
    return value


def flag(body: dict[str, Any], field: str) -> bool | None:
    """A true-or-false field of ``body`` (``1`` and ``"true"`` are not), or ``None``."""
    value = body.get(field)
    if value is not None and not isinstance(value, bool):
        raise Invalid("This field must be true or false.", field)
    return value


def query_text(name: str) -> str | None:
    """A query parameter, or ``None`` when absent or empty."""
    value = request.args.get(name, "")
    if value == "":
        return None
    return _check_text(value, name)
