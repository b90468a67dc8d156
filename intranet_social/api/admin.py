"""``/admin``: people, settings, reports and the audit log, for moderators and admins
(admin-scope token); ``/reports`` for anyone to report what they see.

Who may come in is checked once for the whole area in :mod:`intranet_social.api`; what a
moderator may do once inside is the services' rule (:mod:`intranet_social.accounts.staff`),
the same as on the console's pages. Every action here is audited with the caller as the actor.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify
from werkzeug.wrappers import Response

from intranet_social.accounts import service, staff
from intranet_social.accounts.models import Role, User
from intranet_social.admin import audit_log, reports
from intranet_social.admin.models import ReportStatus
from intranet_social.admin.resources import Account, AccountWithPassword, AuditEvent, Report
from intranet_social.core.errors import Invalid
from intranet_social.core.json_body import json_object, query_text, text, whole_number
from intranet_social.core.paging import (
    encode_cursor,
    id_cursor,
    keyset_page,
    list_response,
    page_limit,
    text_cursor,
)
from intranet_social.core.resource import to_json
from intranet_social.media.avatars import photo_urls
from intranet_social.site_settings import service as site_settings
from intranet_social.site_settings.resources import SiteSettings

bp = Blueprint("admin", __name__)

NEW_ACCOUNT_FIELDS = (
    "username",
    "email",
    "name",
    "role",
    "department",
    "title",
    "birthday",
    "manager",
    "start_date",
)


def _account(user: User) -> dict[str, Any]:
    return to_json(Account, user, **photo_urls(user))


@bp.get("/admin/users")
def list_accounts() -> Response:
    limit = page_limit()
    users = service.list_users(
        role=query_text("role"),
        status=query_text("status"),
        q=query_text("q"),
        after=text_cursor(),
        limit=limit + 1,
    )
    page, next_cursor = keyset_page(users, limit, key=lambda user: user.username)
    return list_response([_account(user) for user in page], next_cursor)


@bp.post("/admin/users")
def create_account() -> tuple[Response, int]:
    body = json_object(allowed=NEW_ACCOUNT_FIELDS, required=("username", "email", "name"))
    new = service.create_user(
        text(body, "username", ""),
        text(body, "email", ""),
        text(body, "name", ""),
        role=text(body, "role", Role.MEMBER),
        department=text(body, "department", ""),
        title=text(body, "title", ""),
        birthday=text(body, "birthday"),
        manager=text(body, "manager"),
        start_date=text(body, "start_date"),
        actor=g.api_user,
    )
    answer = to_json(
        AccountWithPassword,
        new.user,
        **photo_urls(new.user),
        one_time_password=new.one_time_password,
    )
    return jsonify(answer), 201


@bp.post("/admin/users/<username>/disable")
def disable_account(username: str) -> Response:
    user = service.disable_user(service.get_user(username), actor=g.api_user)
    return jsonify(_account(user))


@bp.post("/admin/users/<username>/enable")
def enable_account(username: str) -> Response:
    user = service.enable_user(service.get_user(username), actor=g.api_user)
    return jsonify(_account(user))


@bp.post("/admin/users/<username>/approve")
def approve_account(username: str) -> Response:
    user = service.approve_user(service.get_user(username), actor=g.api_user)
    return jsonify(_account(user))


@bp.post("/admin/users/<username>/reset-password")
def reset_account_password(username: str) -> Response:
    user = service.get_user(username)
    one_time_password = service.reset_password(user, actor=g.api_user)
    answer = to_json(
        AccountWithPassword, user, **photo_urls(user), one_time_password=one_time_password
    )
    return jsonify(answer)


@bp.post("/admin/users/<username>/role")
def set_account_role(username: str) -> Response:
    body = json_object(allowed=("role",), required=("role",))
    user = service.set_role(service.get_user(username), text(body, "role", ""), actor=g.api_user)
    return jsonify(_account(user))


@bp.get("/admin/audit")
def list_audit_events() -> Response:
    staff.require_admin(g.api_user)
    filters = audit_log.make_filter(
        actor=query_text("actor"),
        action=query_text("action"),
        since=query_text("since"),
        until=query_text("until"),
    )
    events, before = audit_log.audit_page(filters, before_id=id_cursor(), limit=page_limit())
    next_cursor = encode_cursor(before) if before is not None else None
    items = [to_json(AuditEvent, event, details=event.details or {}) for event in events]
    return list_response(items, next_cursor)


# ---------------------------------------------------------------- site settings and reports


def _setting_value(body: dict[str, Any], key: str) -> Any:
    if key == "email_domains":
        value = body[key]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise Invalid("Give the e-mail domains as a list of strings.", key)
        return [text({key: item}, key) for item in value]
    if key in ("max_image_mb", "max_video_mb"):
        return whole_number(body, key)
    return text(body, key)


@bp.get("/admin/settings")
def get_site_settings() -> Response:
    staff.require_admin(g.api_user)
    return jsonify(to_json(SiteSettings, **site_settings.all_settings()))


@bp.patch("/admin/settings")
def update_site_settings() -> Response:
    body = json_object(allowed=site_settings.SETTINGS)
    values = {key: _setting_value(body, key) for key in body}
    site_settings.update_settings(values, actor=g.api_user)
    return jsonify(to_json(SiteSettings, **site_settings.all_settings()))


def _report(row: reports.ReportRow) -> dict[str, Any]:
    return to_json(Report, row, subject=row.subject or None, reporter=row.reporter or None)


@bp.get("/admin/reports")
def list_reports() -> Response:
    limit = page_limit()
    rows = reports.report_queue(
        g.api_user,
        status=query_text("status") or ReportStatus.OPEN.value,
        before_id=id_cursor(),
        limit=limit + 1,
    )
    page, next_cursor = keyset_page(rows, limit, key=lambda row: row.report.id)
    return list_response([_report(row) for row in page], next_cursor)


@bp.post("/admin/reports/<int:report_id>/resolve")
def resolve_report(report_id: int) -> Response:
    body = json_object(allowed=("action",), required=("action",))
    report = reports.resolve_report(report_id, text(body, "action", ""), actor=g.api_user)
    return jsonify(_report(reports.report_rows([report])[0]))


@bp.post("/reports")
def create_report() -> tuple[Response, int]:
    body = json_object(allowed=("kind", "target", "reason"), required=("kind", "target", "reason"))
    report = reports.report_content(
        g.api_user, text(body, "kind", ""), text(body, "target", ""), text(body, "reason", "")
    )
    return jsonify(_report(reports.report_rows([report])[0])), 201
