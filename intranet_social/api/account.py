"""``/me`` and the caller's personal access tokens."""

from __future__ import annotations

from flask import Blueprint, g, jsonify
from werkzeug.wrappers import Response

from intranet_social.accounts import tokens
from intranet_social.accounts.models import TokenScope
from intranet_social.accounts.resources import Me, NewToken, Token
from intranet_social.core.errors import Forbidden
from intranet_social.core.json_body import json_object, text, whole_number
from intranet_social.core.models import MAX_ID
from intranet_social.core.paging import list_response
from intranet_social.core.resource import to_json
from intranet_social.media.avatars import photo_urls

bp = Blueprint("account", __name__)

#: a token may only create tokens that can do no more than itself
SCOPE_RANK: dict[str, int] = {TokenScope.READ: 0, TokenScope.WRITE: 1, TokenScope.ADMIN: 2}


@bp.get("/me")
def get_me() -> Response:
    return jsonify(to_json(Me, g.api_user, **photo_urls(g.api_user)))


@bp.get("/tokens")
def list_tokens() -> Response:
    return list_response([to_json(Token, t) for t in tokens.list_tokens(g.api_user)], None)


@bp.post("/tokens")
def create_token() -> tuple[Response, int]:
    body = json_object(allowed=("name", "scope", "expires_days"))
    name = text(body, "name", "")
    scope = text(body, "scope", TokenScope.READ)
    expires_days = whole_number(body, "expires_days")
    caller = g.api_token
    if caller is not None and SCOPE_RANK.get(scope, 0) > SCOPE_RANK.get(caller.scope, 0):
        raise Forbidden(
            f"A {caller.scope}-scope token cannot create a {scope}-scope token; "
            "create it on the account page.",
            "scope",
        )
    new = tokens.create_token(g.api_user, name=name, scope=scope, expires_days=expires_days)
    return jsonify(to_json(NewToken, new.token, token=new.secret)), 201


@bp.delete(f"/tokens/<int(max={MAX_ID}):token_id>")
def revoke_token(token_id: int) -> tuple[str, int]:
    tokens.revoke_token(g.api_user, token_id)
    return "", 204
