"""The document's part for ``/admin`` (people, roles, settings, reports, audit) and
``/reports``."""

from __future__ import annotations

from intranet_social.accounts.resources import ROLES, STATUSES
from intranet_social.admin.reports import ACTIONS, KINDS, MAX_REASON
from intranet_social.admin.resources import (
    REPORT_STATUSES,
    Account,
    AccountWithPassword,
    AuditEvent,
    Report,
)
from intranet_social.api.spec import (
    PAGE_PARAMETERS,
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
from intranet_social.core.resource import schema_of, schemas_of
from intranet_social.site_settings.resources import SiteSettings

ADMIN_ONLY = "Needs an admin; with a token, an admin-scope one. Audited with the admin as actor."
MODERATORS_TOO = (
    "Needs a moderator or an admin; with a token, an admin-scope one. Audited with the caller "
    "as actor."
)
MEMBERS_ONLY_FOR_MODERATORS = (
    "Needs a moderator or an admin; with a token, an admin-scope one. Moderators may do this "
    "to members only (403 otherwise). Audited with the caller as actor."
)


SCHEMAS: dict[str, Schema] = {
    **schemas_of(Account, AccountWithPassword, AuditEvent, Report, SiteSettings),
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
            "manager": {
                "type": ["string", "null"],
                "description": "The username of the person's manager (422 when unknown).",
            },
            "start_date": {
                "type": ["string", "null"],
                "description": "YYYY-MM-DD, the day the person started.",
            },
        },
        required=("username", "email", "name"),
        closed=True,
    ),
    "AccountList": list_of("Account"),
    "AuditEventList": list_of("AuditEvent"),
    "SiteSettingsChange": {
        **schema_of(SiteSettings),
        "required": [],
        "additionalProperties": False,
        "description": "Only the settings to change.",
    },
    "ReportList": list_of("Report"),
    "NewReportRequest": obj(
        {
            "kind": {"type": "string", "enum": list(KINDS)},
            "target": {
                "type": "string",
                "description": "The post's or comment's id, or the profile's username.",
            },
            "reason": {"type": "string", "minLength": 1, "maxLength": MAX_REASON},
        },
        closed=True,
    ),
    "RoleChange": obj({"role": {"type": "string", "enum": ROLES}}, closed=True),
    "ResolveReportRequest": obj({"action": {"type": "string", "enum": list(ACTIONS)}}, closed=True),
}

USERNAME = path_parameter("username", {"type": "string"}, "Whose account.")


def _account_action(operation_id: str, summary: str, errors: tuple[int, ...]) -> Schema:
    return operation(
        operation_id,
        summary,
        tag="admin",
        description=MEMBERS_ONLY_FOR_MODERATORS,
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
                    description=MODERATORS_TOO,
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
            "/admin/users/{username}/role": {
                "post": operation(
                    "set_account_role",
                    "Make someone an admin, a moderator or a member (not the last active "
                    "admin: 409)",
                    tag="admin",
                    description=ADMIN_ONLY,
                    parameters=[USERNAME],
                    body=ref("RoleChange"),
                    errors=(404, 409),
                    ok=(200, answer("The account as it is now.", ref("Account"))),
                )
            },
            "/admin/audit": {
                "get": operation(
                    "list_audit_events",
                    "The audit log, newest first",
                    tag="admin",
                    description=ADMIN_ONLY,
                    parameters=[
                        query("actor", {"type": "string"}, "Only events by this actor."),
                        query("action", {"type": "string"}, 'This action or group ("user").'),
                        query("since", {"type": "string", "format": "date"}, "From this day."),
                        query("until", {"type": "string", "format": "date"}, "Up to this day."),
                        *PAGE_PARAMETERS,
                    ],
                    errors=(422,),
                    ok=(200, answer("A page of audit events.", ref("AuditEventList"))),
                )
            },
            "/admin/settings": {
                "get": operation(
                    "get_site_settings",
                    "The site settings in effect",
                    tag="admin",
                    description=ADMIN_ONLY,
                    ok=(200, answer("Every setting.", ref("SiteSettings"))),
                ),
                "patch": operation(
                    "update_site_settings",
                    "Change site settings; they take effect at once",
                    tag="admin",
                    description=ADMIN_ONLY,
                    body=ref("SiteSettingsChange"),
                    ok=(200, answer("Every setting, as it is now.", ref("SiteSettings"))),
                ),
            },
            "/admin/reports": {
                "get": operation(
                    "list_reports",
                    "Reports, newest first",
                    tag="admin",
                    description=MODERATORS_TOO,
                    parameters=[
                        query(
                            "status",
                            {"type": "string", "enum": REPORT_STATUSES},
                            "Which reports (default open).",
                        ),
                        *PAGE_PARAMETERS,
                    ],
                    errors=(422,),
                    ok=(200, answer("A page of reports.", ref("ReportList"))),
                )
            },
            "/admin/reports/{report_id}/resolve": {
                "post": operation(
                    "resolve_report",
                    "Dismiss a report, remove the content, or disable the author",
                    tag="admin",
                    description=MODERATORS_TOO
                    + " Moderators may disable authors who are members only (403 otherwise).",
                    parameters=[path_parameter("report_id", {"type": "integer"}, "Which report.")],
                    body=ref("ResolveReportRequest"),
                    errors=(404, 409),
                    ok=(200, answer("The resolved report.", ref("Report"))),
                )
            },
            "/reports": {
                "post": operation(
                    "create_report",
                    "Report a post, a comment or a profile you can see",
                    tag="admin",
                    body=ref("NewReportRequest"),
                    errors=(404,),
                    ok=(201, answer("The report, waiting for a moderator.", ref("Report"))),
                )
            },
        },
        schemas=SCHEMAS,
    )
