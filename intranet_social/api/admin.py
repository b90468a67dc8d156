"""``/admin``: people and the audit log, for admins (with an admin-scope token).

Who may come in is checked once for the whole area in :mod:`intranet_social.api`; every
action here is audited with the calling admin as the actor.
"""

from __future__ import annotations

from typing import Any

from flask import g, jsonify
from werkzeug.wrappers import Response

from intranet_social.accounts import service
from intranet_social.accounts.models import Role, User
from intranet_social.api import bp
from intranet_social.api.account import me_json, timestamp
from intranet_social.api.body import json_object, query_text, text
from intranet_social.api.lists import id_cursor, keyset_page, list_response, page_limit, text_cursor
from intranet_social.audit import service as audit
from intranet_social.audit.models import AuditEvent
from intranet_social.extensions import db

NEW_ACCOUNT_FIELDS = ("username", "email", "name", "role", "department", "title", "birthday")


def account_json(user: User) -> dict[str, Any]:
    """A person as admins see them: everything but the private year of birth."""
    fields = me_json(user)
    del fields["birth_year"]
    return {
        **fields,
        "must_change_password": user.must_change_password,
        "last_login_at": timestamp(user.last_login_at),
    }


def audit_event_json(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "created_at": timestamp(event.created_at),
        "action": event.action,
        "actor": event.actor_name,
        "target": event.target,
        "ip": event.ip,
        "details": event.details or {},
    }


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
    return list_response([account_json(user) for user in page], next_cursor)


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
        actor=g.api_user,
    )
    db.session.commit()
    answer = {**account_json(new.user), "one_time_password": new.one_time_password}
    return jsonify(answer), 201


@bp.post("/admin/users/<username>/disable")
def disable_account(username: str) -> Response:
    user = service.disable_user(service.get_user(username), actor=g.api_user)
    db.session.commit()
    return jsonify(account_json(user))


@bp.post("/admin/users/<username>/enable")
def enable_account(username: str) -> Response:
    user = service.enable_user(service.get_user(username), actor=g.api_user)
    db.session.commit()
    return jsonify(account_json(user))


@bp.post("/admin/users/<username>/approve")
def approve_account(username: str) -> Response:
    user = service.approve_user(service.get_user(username), actor=g.api_user)
    db.session.commit()
    return jsonify(account_json(user))


@bp.post("/admin/users/<username>/reset-password")
def reset_account_password(username: str) -> Response:
    user = service.get_user(username)
    one_time_password = service.reset_password(user, actor=g.api_user)
    db.session.commit()
    return jsonify({**account_json(user), "one_time_password": one_time_password})


@bp.get("/admin/audit")
def list_audit_events() -> Response:
    limit = page_limit()
    events = audit.list_events(before_id=id_cursor(), limit=limit + 1)
    page, next_cursor = keyset_page(events, limit, key=lambda event: event.id)
    return list_response([audit_event_json(event) for event in page], next_cursor)
