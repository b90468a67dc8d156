"""Invite links: expiring, single- or multi-use, revocable. Only the code's hash is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from intranet_social.accounts.models import Invite, User
from intranet_social.audit import service as audit
from intranet_social.core.errors import Invalid, NotFound
from intranet_social.core.models import utcnow
from intranet_social.extensions import db

MAX_DAYS = 90
MAX_USES = 1000


@dataclass(frozen=True)
class NewInvite:
    invite: Invite
    code: str


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def create_invite(
    *,
    max_uses: int = 1,
    expires_days: int = 7,
    note: str = "",
    actor: User | None = None,
    actor_name: str | None = None,
) -> NewInvite:
    if not 1 <= max_uses <= MAX_USES:
        raise Invalid(f"An invite can be used 1 to {MAX_USES} times.", "max_uses")
    if not 1 <= expires_days <= MAX_DAYS:
        raise Invalid(f"An invite can last 1 to {MAX_DAYS} days.", "expires_days")
    code = secrets.token_urlsafe(18)
    invite = Invite(
        code_hash=_hash(code),
        note=note.strip()[:200],
        created_by_id=actor.id if actor else None,
        expires_at=utcnow() + timedelta(days=expires_days),
        max_uses=max_uses,
    )
    db.session.add(invite)
    db.session.flush()
    audit.record(
        "invite.create",
        actor=actor,
        actor_name=actor_name,
        target=f"invite:{invite.id}",
        max_uses=max_uses,
        expires_days=expires_days,
    )
    return NewInvite(invite, code)


def list_invites() -> list[Invite]:
    return list(db.session.scalars(select(Invite).order_by(Invite.created_at.desc())))


def revoke_invite(
    invite_id: int, *, actor: User | None = None, actor_name: str | None = None
) -> Invite:
    invite = db.session.get(Invite, invite_id)
    if invite is None:
        raise NotFound(f"No invite with id {invite_id}.", "invite")
    if invite.revoked_at is None:
        invite.revoked_at = utcnow()
        audit.record(
            "invite.revoke", actor=actor, actor_name=actor_name, target=f"invite:{invite.id}"
        )
    db.session.flush()
    return invite


def invite_state(invite: Invite) -> str:
    """The invite as the console and the CLI show it: usable, revoked, used up or expired."""
    if invite.revoked_at is not None:
        return "revoked"
    if invite.uses >= invite.max_uses:
        return "used up"
    if invite.expires_at <= utcnow():
        return "expired"
    return "usable"


def find_usable_invite(code: str) -> Invite | None:
    if not code:
        return None
    invite = db.session.scalar(select(Invite).where(Invite.code_hash == _hash(code.strip())))
    if invite is None or not invite.usable_at(utcnow()):
        return None
    return invite


def use_invite(invite: Invite) -> None:
    """Count one use; the conditional update keeps two sign-ups from exceeding ``max_uses``."""
    # an UPDATE's result is a CursorResult, which counts the rows; execute is typed for any
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(Invite)
            .where(Invite.id == invite.id, Invite.uses < Invite.max_uses)
            .values(uses=Invite.uses + 1)
        ),
    )
    if result.rowcount != 1:
        raise Invalid("This invite link has been used up; ask for a new one.", "invite")
