"""The OpenAPI 3.1 document describing ``/api/v1``, served at ``/api/v1/openapi.json``.

To document a new feature's operations, add a module to :mod:`intranet_social.api.spec`
with an ``area()`` function and list it in :data:`AREAS`. Paths are relative to the server
URL ``/api/v1``; each ``operationId`` is the name of the view function serving it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from intranet_social.api.spec import Area, answer, base_components, operation
from intranet_social.api.spec import account as account_spec
from intranet_social.api.spec import admin as admin_spec
from intranet_social.api.spec import birthdays as birthdays_spec
from intranet_social.api.spec import messaging as messaging_spec
from intranet_social.api.spec import notifications as notifications_spec
from intranet_social.api.spec import people as people_spec
from intranet_social.api.spec import posts as posts_spec
from intranet_social.api.spec import search as search_spec
from intranet_social.api.spec import spaces as spaces_spec
from intranet_social.core.about import VERSION

bp = Blueprint("openapi", __name__)

DESCRIPTION = """\
The JSON face of Intranet Social.

**Authentication**: `Authorization: Bearer <token>` with a personal access token. Scopes:
`read` (GET only), `write` (also changes), `admin` (also `/admin`, for moderators and
admins; a moderator does there what the console lets them). The site's own pages may
instead send the session cookie plus the `X-CSRFToken` header on changes. The media URLs
in answers (`url`, `thumb_url`, `avatar_url`, ...) take the same bearer token, with the
same permission checks (404 for what the caller may not see).
An account with a one-time password gets 403 `password_change_required` everywhere.

**Errors**: `{"error": {"code": "...", "message": "...", "field": "..."}}`; `field` names
the body field or parameter at fault (`body` for a missing or malformed JSON body).

**Lists**: `{"items": [...], "next_cursor": "..." | null}`; pass `?cursor=<next_cursor>` for
the next page and `?limit=` (1 to 100, default 20) for its size. A bad limit or cursor answers
422 with field `limit` or `cursor`.
"""

TAGS = [
    {"name": "account", "description": "The caller's own account."},
    {"name": "tokens", "description": "The caller's personal access tokens."},
    {"name": "admin", "description": "People, roles, settings, reports and the audit log."},
    {"name": "profile", "description": "The caller's profile and photos."},
    {"name": "people", "description": "Colleagues: the directory and their profiles."},
    {"name": "friends", "description": "Friends, friend requests and suggestions."},
    {"name": "posts", "description": "The feed, walls, posts, likes and comments."},
    {"name": "spaces", "description": "Spaces, their members and their posts."},
    {"name": "birthdays", "description": "Coming birthdays and greetings."},
    {"name": "messaging", "description": "Conversations, their messages, and blocking."},
    {"name": "notifications", "description": "Notifications and the unread counts."},
    {"name": "search", "description": "People and posts by the words they contain."},
    {"name": "meta", "description": "This document."},
]


def _meta_area() -> Area:
    return Area(
        paths={
            "/openapi.json": {
                "get": operation(
                    "openapi_document",
                    "This OpenAPI document (no sign-in needed)",
                    tag="meta",
                    public=True,
                    ok=(200, answer("The document.", {"type": "object"})),
                )
            }
        }
    )


#: every feature area's part of the document, in the order they appear
AREAS: list[Callable[[], Area]] = [
    account_spec.area,
    admin_spec.area,
    people_spec.area,
    posts_spec.area,
    spaces_spec.area,
    birthdays_spec.area,
    messaging_spec.area,
    notifications_spec.area,
    search_spec.area,
    _meta_area,
]


@cache
def build_document() -> dict[str, Any]:
    components = base_components()
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "Intranet Social API",
            "version": VERSION,
            "description": DESCRIPTION,
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "tags": TAGS,
        "paths": {},
        "components": components,
    }
    for make_area in AREAS:
        area = make_area()
        for path, operations in area.paths.items():
            known = document["paths"].setdefault(path, {})
            clash = known.keys() & operations.keys()
            if clash:
                raise ValueError(f"{path}: {sorted(clash)} described twice")
            known.update(operations)
        clash = components["schemas"].keys() & area.schemas.keys()
        if clash:
            raise ValueError(f"schemas {sorted(clash)} defined twice")
        components["schemas"].update(area.schemas)
    return document


@bp.get("/openapi.json")
def openapi_document() -> Response:
    return jsonify(build_document())
