"""What the spaces tests look at: the rows that must not change after bad input."""

from __future__ import annotations

from sqlalchemy import select

from intranet_social.audit.models import AuditEvent
from intranet_social.extensions import db
from intranet_social.spaces.models import JoinRequest, Space, SpaceMember


def snapshot() -> tuple[list, list, list, list]:
    """Every space, membership, request to join and space audit event, to compare before
    and after a refusal."""
    db.session.expire_all()
    return (
        [
            tuple(row)
            for row in db.session.execute(
                select(Space.slug, Space.name, Space.visibility, Space.description).order_by(
                    Space.id
                )
            )
        ],
        [
            tuple(row)
            for row in db.session.execute(
                select(SpaceMember.space_id, SpaceMember.user_id, SpaceMember.role).order_by(
                    SpaceMember.space_id, SpaceMember.user_id
                )
            )
        ],
        [
            tuple(row)
            for row in db.session.execute(select(JoinRequest.space_id, JoinRequest.user_id))
        ],
        audit_actions(),
    )


def audit_actions() -> list[str]:
    """The audit log's space events, oldest first."""
    query = select(AuditEvent.action).where(AuditEvent.action.startswith("space."))
    return list(db.session.scalars(query.order_by(AuditEvent.id)))
