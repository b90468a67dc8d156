"""Writing audit events. Callers pass who acted; the event joins the caller's transaction."""

from __future__ import annotations

import getpass
from typing import Any

from flask import has_request_context, request

from intranet_social.audit.models import AuditEvent
from intranet_social.core.models import Actor
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
    ip = (request.remote_addr or "") if has_request_context() else ""
    if actor_name is None:
        actor_name = actor.username if actor is not None else ("" if ip else cli_actor_name())
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        actor_name=actor_name,
        target=target,
        ip=ip,
        details=details,
    )
    db.session.add(event)
    return event
