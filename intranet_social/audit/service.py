"""Writing audit events. Callers pass who acted; the event joins the caller's transaction."""

from __future__ import annotations

import getpass
from typing import Any

from flask import has_request_context, request
from sqlalchemy import insert

from intranet_social.audit.models import AuditEvent
from intranet_social.core.models import Actor, utcnow
from intranet_social.core.transaction import note_apart
from intranet_social.extensions import db


def cli_actor_name() -> str:
    """``cli:<operating-system user>`` for actions taken from the command line."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return f"cli:{who}"


def record(
    action: str,
    *,
    actor: Actor | None = None,
    actor_name: str | None = None,
    target: str = "",
    **details: Any,
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    event = AuditEvent(**_values(action, actor, actor_name, target, details))
    db.session.add(event)
    return event


def record_apart(
    action: str,
    *,
    actor: Actor | None = None,
    actor_name: str | None = None,
    target: str = "",
    **details: Any,
) -> None:
    """An audit event of what a read did (an export downloaded by a page's GET, which
    never writes in its own transaction): written in a transaction of its own
    (``core.transaction.note_apart``), so it stays whatever becomes of the request;
    outside a request, in the caller's transaction like :func:`record`."""
    values = _values(action, actor, actor_name, target, details)
    note_apart(insert(AuditEvent).values(created_at=utcnow(), **values))


def _values(
    action: str,
    actor: Actor | None,
    actor_name: str | None,
    target: str,
    details: dict[str, Any],
) -> dict[str, Any]:
    ip = (request.remote_addr or "") if has_request_context() else ""
    if actor_name is None:
        actor_name = actor.username if actor is not None else ("" if ip else cli_actor_name())
    return {
        "action": action,
        "actor_id": actor.id if actor is not None else None,
        "actor_name": actor_name,
        "target": target,
        "ip": ip,
        "details": details,
    }
