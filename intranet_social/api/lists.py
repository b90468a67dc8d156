"""The list format ``{"items": [...], "next_cursor": str | null}``; ``cursor`` and ``limit``."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from werkzeug.wrappers import Response

from intranet_social.core.errors import Invalid

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def page_args() -> tuple[str | None, int]:
    """The request's ``cursor`` and ``limit`` (default 20, at most 100)."""
    raw = request.args.get("limit", "")
    if raw == "":
        limit = DEFAULT_LIMIT
    else:
        try:
            limit = int(raw)
        except ValueError:
            raise Invalid("limit must be a whole number from 1 to 100.", "limit") from None
        if not 1 <= limit <= MAX_LIMIT:
            raise Invalid("limit must be a whole number from 1 to 100.", "limit")
    cursor = request.args.get("cursor") or None
    return cursor, limit


def list_response(items: list[dict[str, Any]], next_cursor: str | None) -> Response:
    return jsonify(items=items, next_cursor=next_cursor)
