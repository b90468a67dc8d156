"""The document's part for ``/me`` and ``/tokens``."""

from __future__ import annotations

from intranet_social.accounts.resources import SCOPES, Me, NewToken, Token, User
from intranet_social.api.spec import (
    Area,
    Schema,
    answer,
    list_of,
    obj,
    operation,
    path_parameter,
    ref,
)
from intranet_social.core.resource import schemas_of

SCHEMAS: dict[str, Schema] = {
    **schemas_of(User, Me, Token, NewToken),
    "NewTokenRequest": obj(
        {
            "name": {"type": "string", "maxLength": 100},
            "scope": {"type": "string", "enum": SCOPES, "default": "read"},
            "expires_days": {"type": ["integer", "null"], "minimum": 1, "maximum": 3650},
        },
        required=(),
        closed=True,
        description="read may only read; write may also change things; admin (admins only) "
        "may also use /admin. A token cannot create one with a wider scope than its own. "
        "Without expires_days the token lasts until revoked.",
    ),
    "TokenList": list_of("Token"),
}

TOKEN_ID = path_parameter(
    "token_id", {"type": "integer", "minimum": 1}, "The token's id, from GET /tokens."
)


def area() -> Area:
    return Area(
        paths={
            "/me": {
                "get": operation(
                    "get_me",
                    "The caller's account",
                    tag="account",
                    ok=(200, answer("The caller's account.", ref("Me"))),
                )
            },
            "/tokens": {
                "get": operation(
                    "list_tokens",
                    "The caller's active personal access tokens, newest first",
                    tag="tokens",
                    ok=(200, answer("All active tokens; next_cursor is null.", ref("TokenList"))),
                ),
                "post": operation(
                    "create_token",
                    "Create a personal access token",
                    tag="tokens",
                    body=ref("NewTokenRequest"),
                    ok=(201, answer("The new token with its secret.", ref("NewToken"))),
                ),
            },
            "/tokens/{token_id}": {
                "delete": operation(
                    "revoke_token",
                    "Revoke one of the caller's tokens",
                    tag="tokens",
                    parameters=[TOKEN_ID],
                    errors=(404,),
                    ok=(204, answer("Revoked; the token stops working at once.")),
                )
            },
        },
        schemas=SCHEMAS,
    )
