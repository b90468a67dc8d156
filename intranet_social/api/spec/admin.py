"""The document's part for ``/admin``: people and the audit log."""

from __future__ import annotations

from intranet_social.api.spec import (
    OPTIONAL_TIMESTAMP,
    PAGE_PARAMETERS,
    TIMESTAMP,
    Area,
    Schema,
    answer,
    list_of,
    obj,
    operation,
    path_parameter,
    query,
    ref,
)
from intranet_social.api.spec.account import ME_PROPERTIES, ROLES, STATUSES

ADMIN_ONLY = "Needs an admin; with a token, an admin-scope one. Audited with the admin as actor."

ACCOUNT_PROPERTIES: dict[str, Schema] = {
    **{name: schema for name, schema in ME_PROPERTIES.items() if name != "birth_year"},
    "must_change_password": {
        "type": "boolean",
        "description": "True while the account still has a one-time password.",
    },
    "last_login_at": OPTIONAL_TIMESTAMP,
}
ONE_TIME_PASSWORD: Schema = {
    "type": "string",
    "description": "Shown this once; the person must replace it at their first sign-in.",
}

SCHEMAS: dict[str, Schema] = {
    "Account": obj(ACCOUNT_PROPERTIES, description="A person as admins see them."),
    "AccountWithPassword": obj(
        {**ACCOUNT_PROPERTIES, "one_time_password": ONE_TIME_PASSWORD},
        description="An account just created or reset, with its one-time password.",
    ),
    "NewAccountRequest": obj(
        {
            "username": {
                "type": "string",
                "pattern": "^[a-z0-9][a-z0-9._-]{1,30}[a-z0-9]$",
                "description": "Stored lower-case; a few names (api, admin-console, ...) "
                "are reserved.",
            },
            "email": {"type": "string", "format": "email", "maxLength": 254},
            "name": {"type": "string", "minLength": 1, "maxLength": 100},
            "role": {"type": "string", "enum": ROLES, "default": "member"},
            "department": {"type": "string", "maxLength": 100},
            "title": {"type": "string", "maxLength": 100},
            "birthday": {
                "type": ["string", "null"],
                "description": "MM-DD, or YYYY-MM-DD to record the (private) year.",
            },
        },
        required=("username", "email", "name"),
        closed=True,
    ),
    "AccountList": list_of("Account"),
    "AuditEvent": obj(
        {
            "id": {"type": "integer"},
            "created_at": TIMESTAMP,
            "action": {"type": "string", "description": "e.g. user.create, login.failure"},
            "actor": {
                "type": "string",
                "description": "Who acted: a username, cli:<os user>, or empty for a visitor.",
            },
            "target": {"type": "string"},
            "ip": {"type": "string"},
            "details": {"type": "object"},
        },
        description="One entry of the append-only audit log.",
    ),
    "AuditEventList": list_of("AuditEvent"),
}

USERNAME = path_parameter("username", {"type": "string"}, "Whose account.")


def _account_action(operation_id: str, summary: str, errors: tuple[int, ...]) -> Schema:
    return operation(
        operation_id,
        summary,
        tag="admin",
        description=ADMIN_ONLY,
        parameters=[USERNAME],
        errors=(404, *errors),
        ok=(200, answer("The account as it is now.", ref("Account"))),
    )


def area() -> Area:
    return Area(
        paths={
            "/admin/users": {
                "get": operation(
                    "list_accounts",
                    "People, by username",
                    tag="admin",
                    description=ADMIN_ONLY,
                    parameters=[
                        query("role", {"type": "string", "enum": ROLES}, "Only this role."),
                        query("status", {"type": "string", "enum": STATUSES}, "Only this status."),
                        query("q", {"type": "string"}, "Part of the name or username."),
                        *PAGE_PARAMETERS,
                    ],
                    errors=(422,),
                    ok=(200, answer("A page of accounts.", ref("AccountList"))),
                ),
                "post": operation(
                    "create_account",
                    "Add a person with a one-time password",
                    tag="admin",
                    description=ADMIN_ONLY,
                    body=ref("NewAccountRequest"),
                    errors=(409,),
                    ok=(201, answer("The new account.", ref("AccountWithPassword"))),
                ),
            },
            "/admin/users/{username}/disable": {
                "post": _account_action(
                    "disable_account",
                    "Disable an account; its sessions and tokens stop working (not the last "
                    "active admin: 409)",
                    (409,),
                )
            },
            "/admin/users/{username}/enable": {
                "post": _account_action("enable_account", "Enable a disabled account", ())
            },
            "/admin/users/{username}/approve": {
                "post": _account_action(
                    "approve_account",
                    "Approve a registration waiting for approval (409 if none waits)",
                    (409,),
                )
            },
            "/admin/users/{username}/reset-password": {
                "post": operation(
                    "reset_account_password",
                    "Give an account a new one-time password; its sessions end",
                    tag="admin",
                    description=ADMIN_ONLY,
                    parameters=[USERNAME],
                    errors=(404,),
                    ok=(
                        200,
                        answer(
                            "The account and its one-time password.", ref("AccountWithPassword")
                        ),
                    ),
                )
            },
            "/admin/audit": {
                "get": operation(
                    "list_audit_events",
                    "The audit log, newest first",
                    tag="admin",
                    description=ADMIN_ONLY,
                    parameters=PAGE_PARAMETERS,
                    errors=(422,),
                    ok=(200, answer("A page of audit events.", ref("AuditEventList"))),
                )
            },
        },
        schemas=SCHEMAS,
    )
