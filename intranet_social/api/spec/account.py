"""The document's part for ``/me`` and ``/tokens``."""

from __future__ import annotations

from intranet_social.api.spec import (
    OPTIONAL_TIMESTAMP,
    TIMESTAMP,
    Area,
    Schema,
    answer,
    list_of,
    obj,
    operation,
    path_parameter,
    ref,
)

ROLES = ["admin", "moderator", "member"]
STATUSES = ["active", "pending", "disabled"]
SCOPES = ["read", "write", "admin"]

USER_PROPERTIES: dict[str, Schema] = {
    "username": {"type": "string"},
    "name": {"type": "string"},
    "department": {"type": "string"},
    "title": {"type": "string"},
    "avatar_url": {"type": ["string", "null"]},
    "birthday": {
        "type": ["string", "null"],
        "pattern": "^[0-9]{2}-[0-9]{2}$",
        "description": "MM-DD; the year is private and never shown.",
    },
}
ME_PROPERTIES: dict[str, Schema] = {
    **USER_PROPERTIES,
    "email": {"type": "string"},
    "role": {"type": "string", "enum": ROLES},
    "status": {"type": "string", "enum": STATUSES},
    "created_at": TIMESTAMP,
    "location": {"type": "string"},
    "phone": {"type": "string"},
    "bio": {"type": "string"},
    "birth_year": {
        "type": ["integer", "null"],
        "description": "Private: shown to its owner only, never to colleagues.",
    },
    "cover_url": {"type": ["string", "null"]},
}
TOKEN_PROPERTIES: dict[str, Schema] = {
    "id": {"type": "integer"},
    "name": {"type": "string"},
    "prefix": {"type": "string", "description": "The secret's first characters, to recognise it."},
    "scope": {"type": "string", "enum": SCOPES},
    "created_at": TIMESTAMP,
    "expires_at": OPTIONAL_TIMESTAMP,
    "last_used_at": OPTIONAL_TIMESTAMP,
}

SCHEMAS: dict[str, Schema] = {
    "User": obj(USER_PROPERTIES, description="A person as colleagues see them."),
    "Me": obj(ME_PROPERTIES, description="The caller's own account."),
    "Token": obj(TOKEN_PROPERTIES, description="A personal access token (never its secret)."),
    "NewToken": obj(
        {
            **TOKEN_PROPERTIES,
            "token": {
                "type": "string",
                "description": "The secret, shown this once; only its hash is kept.",
            },
        },
        description="A token just created, with its secret.",
    ),
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
