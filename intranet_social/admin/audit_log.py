"""Reading the audit log: filters by actor, action and dates, keyset pages, CSV export.

This module only reads; nothing in the product updates or deletes an audit event.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypedDict

from sqlalchemy import Select, select

from intranet_social.audit.models import AuditEvent
from intranet_social.core.errors import Invalid
from intranet_social.extensions import db

CSV_COLUMNS = ("id", "created_at", "action", "actor", "target", "ip", "details")
CSV_BATCH = 500


@dataclass(frozen=True)
class AuditFilter:
    """What the audit view and ``audit list`` filter by; empty fields filter nothing."""

    actor: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None


def parse_day(text: str | None, field: str) -> date | None:
    """A ``YYYY-MM-DD`` day, or None for an empty value."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid("Give a date as YYYY-MM-DD.", field) from None


def make_filter(
    actor: str | None = "", action: str | None = "", since: str | None = "", until: str | None = ""
) -> AuditFilter:
    """An :class:`AuditFilter` from form or command-line text; bad dates name their field."""
    first = parse_day(since, "since")
    last = parse_day(until, "until")
    if first and last and last < first:
        raise Invalid("The end date is before the start date.", "until")
    return AuditFilter(
        actor=(actor or "").strip().lower(),
        action=(action or "").strip().lower(),
        since=first,
        until=last,
    )


def _start_of(day: date) -> datetime:
    """Midnight UTC starting ``day``."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def _query(filters: AuditFilter) -> Select[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if filters.actor:
        query = query.where(AuditEvent.actor_name == filters.actor)
    if filters.action:
        # "user" matches "user.disable", "user.delete", …; "user.disable" only itself
        query = query.where(
            (AuditEvent.action == filters.action)
            | AuditEvent.action.startswith(filters.action + ".", autoescape=True)
        )
    if filters.since:
        query = query.where(AuditEvent.created_at >= _start_of(filters.since))
    if filters.until:
        query = query.where(AuditEvent.created_at < _start_of(filters.until + timedelta(days=1)))
    return query


def audit_page(
    filters: AuditFilter, *, before_id: int | None = None, limit: int = 50
) -> tuple[list[AuditEvent], int | None]:
    """One page of events, newest first, and the id to continue before (None on the last)."""
    query = _query(filters)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    events = list(db.session.scalars(query.limit(limit + 1)))
    more = len(events) > limit
    events = events[:limit]
    return events, (events[-1].id if more and events else None)


class EventRow(TypedDict):
    """One event as the command line and the CSV export show it."""

    id: int
    created_at: str
    action: str
    actor: str
    target: str
    ip: str
    details: dict[str, Any]


def event_row(event: AuditEvent) -> EventRow:
    return {
        "id": event.id,
        "created_at": event.created_at.isoformat(),
        "action": event.action,
        "actor": event.actor_name,
        "target": event.target,
        "ip": event.ip,
        "details": event.details or {},
    }


def _csv_cell(value: object) -> str:
    text = str(value)
    # a cell starting like a formula would run in a spreadsheet
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _csv_line(values: list[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([_csv_cell(v) for v in values])
    return buffer.getvalue()


def csv_header() -> str:
    return _csv_line(list(CSV_COLUMNS))


def csv_chunk(filters: AuditFilter, before_id: int | None) -> tuple[str, int | None]:
    """The next batch of the filtered log as CSV lines, and where the next batch starts
    (None after the last). Batches let the export stream without holding the whole log."""
    events, before = audit_page(filters, before_id=before_id, limit=CSV_BATCH)
    lines = []
    for event in events:
        row: dict[str, object] = dict(event_row(event))
        row["details"] = json.dumps(row["details"], sort_keys=True, ensure_ascii=False)
        lines.append(_csv_line([row[column] for column in CSV_COLUMNS]))
    return "".join(lines), before
