"""The list format ``{"items": [...], "next_cursor": str | null}``; ``cursor`` and ``limit``.

Lists page by keyset: the cursor carries the sort key of the last item shown, so a page costs
one indexed query however deep the reader scrolls. Clients treat the cursor as opaque.
A bad ``limit`` or ``cursor`` answers 422 naming the parameter.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import jsonify, request
from werkzeug.wrappers import Response

from intranet_social.core.errors import Invalid
from intranet_social.core.models import MAX_ID

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
LIMIT_MESSAGE = f"limit must be a whole number from 1 to {MAX_LIMIT}."
CURSOR_MESSAGE = "The cursor is not valid; pass the next_cursor of a previous answer unchanged."

Item = TypeVar("Item")


def page_limit() -> int:
    """The request's ``limit`` (default 20, at most 100)."""
    raw = request.args.get("limit", "").strip()
    if raw == "":
        return DEFAULT_LIMIT
    if not raw.isascii() or not raw.isdigit():
        raise Invalid(LIMIT_MESSAGE, "limit")
    limit = int(raw)
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid(LIMIT_MESSAGE, "limit")
    return limit


def encode_cursor(key: str | int) -> str:
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(text: str) -> object:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        return json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        raise Invalid(CURSOR_MESSAGE, "cursor") from None


def text_cursor() -> str | None:
    """The request's cursor for a list sorted by a text key, or ``None`` for the first page."""
    raw = request.args.get("cursor", "")
    if not raw:
        return None
    key = _decode(raw)
    if not isinstance(key, str) or "\x00" in key:
        raise Invalid(CURSOR_MESSAGE, "cursor")
    return key


def id_cursor() -> int | None:
    """The request's cursor for a list sorted by id, or ``None`` for the first page."""
    raw = request.args.get("cursor", "")
    if not raw:
        return None
    key = _decode(raw)
    if isinstance(key, bool) or not isinstance(key, int) or not 0 < key <= MAX_ID:
        raise Invalid(CURSOR_MESSAGE, "cursor")
    return key


def keyset_page(
    rows: Sequence[Item], limit: int, key: Callable[[Item], str | int]
) -> tuple[Sequence[Item], str | None]:
    """Split ``limit + 1`` fetched rows into the page and the cursor of the next one."""
    if len(rows) <= limit:
        return rows, None
    page = rows[:limit]
    return page, encode_cursor(key(page[-1]))


def list_response(items: list[dict[str, Any]], next_cursor: str | None) -> Response:
    return jsonify(items=items, next_cursor=next_cursor)
