"""The JSON shapes of the admin area's answers: accounts as admins see them, the audit log,
reports (see :mod:`intranet_social.core.resource`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from intranet_social.accounts.resources import AccountFields
from intranet_social.admin.models import ReportStatus
from intranet_social.admin.reports import KINDS
from intranet_social.core.resource import prop, resource

REPORT_STATUSES = [s.value for s in ReportStatus]


@resource("A person as admins see them.")
class Account(AccountFields):
    must_change_password: bool = prop("True while the account still has a one-time password.")
    last_login_at: datetime | None


@resource("An account just created or reset, with its one-time password.")
class AccountWithPassword(Account):
    one_time_password: str = prop(
        "Shown this once; the person must replace it at their first sign-in."
    )


@resource("One entry of the append-only audit log.")
class AuditEvent:
    id: int
    created_at: datetime
    action: str = prop("e.g. user.create, login.failure")
    actor: str = prop(
        "Who acted: a username, cli:<os user>, or empty for a visitor.", source="actor_name"
    )
    target: str
    ip: str
    details: dict[str, Any]


@resource("A report of a post, a comment or a profile.")
class Report:
    id: int = prop(source="report.id")
    kind: str = prop(enum=list(KINDS), source="report.kind")
    post_id: int | None = prop(source="report.post_id")
    comment_id: int | None = prop(source="report.comment_id")
    subject: str | None = prop("The reported person, or the author of the reported content.")
    reporter: str | None
    reason: str = prop(source="report.reason")
    excerpt: str = prop("The start of the reported text.")
    status: str = prop(enum=REPORT_STATUSES, source="report.status")
    created_at: datetime = prop(source="report.created_at")
    resolved_at: datetime | None = prop(source="report.resolved_at")
