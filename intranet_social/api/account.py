"""``/me`` and the caller's personal access tokens."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request
from werkzeug.wrappers import Response

from intranet_social.accounts import tokens
from intranet_social.accounts.models import ApiToken, User
from intranet_social.api import bp
from intranet_social.core.errors import Invalid
from intranet_social.extensions import db


def user_json(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "name": user.name,
        "department": user.department,
        "title": user.title,
        "avatar_url": None,
        "birthday": user.birthday,
    }


def me_json(user: User) -> dict[str, Any]:
    return {
        **user_json(user),
        "email": user.email,
        "role": user.role,
        "status": user.status,
        "created_at": user.created_at.isoformat(),
    }


def token_json(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix,
        "scope": token.scope,
        "created_at": token.created_at.isoformat(),
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
    }


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("Send a JSON object as the request body.", "body")
    return body


@bp.get("/me")
def get_me() -> Response:
    return jsonify(me_json(g.api_user))


@bp.get("/tokens")
def list_tokens() -> Response:
    return jsonify(items=[token_json(t) for t in tokens.list_tokens(g.api_user)], next_cursor=None)


@bp.post("/tokens")
def create_token() -> tuple[Response, int]:
    body = json_body()
    name = body.get("name", "")
    scope = body.get("scope", "read")
    expires_days = body.get("expires_days")
    if not isinstance(name, str):
        raise Invalid("name must be a string.", "name")
    if not isinstance(scope, str):
        raise Invalid("scope must be read, write or admin.", "scope")
    if expires_days is not None and (
        isinstance(expires_days, bool) or not isinstance(expires_days, int)
    ):
        raise Invalid("expires_days must be a whole number of days.", "expires_days")
    new = tokens.create_token(g.api_user, name=name, scope=scope, expires_days=expires_days)
    db.session.commit()
    return jsonify({**token_json(new.token), "token": new.secret}), 201


@bp.delete("/tokens/<int:token_id>")
def revoke_token(token_id: int) -> tuple[str, int]:
    tokens.revoke_token(g.api_user, token_id)
    db.session.commit()
    return "", 204
