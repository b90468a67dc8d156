"""What the notification tests look at: a person's notifications, and what a refused request
must leave unchanged. The people (Ana, her friends Ben and Dee, Cyd whom nobody knows) are
the shared ones of ``tests/people.py``."""

from __future__ import annotations

from sqlalchemy import select

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.notifications.models import Notification


def inbox(user: User) -> list[tuple[str, int | None]]:
    """``user``'s notifications as (kind, actor id), oldest first."""
    rows = db.session.execute(
        select(Notification.kind, Notification.actor_id)
        .where(Notification.user_id == user.id)
        .order_by(Notification.id)
    )
    return [(kind, actor_id) for kind, actor_id in rows]


def snapshot() -> list[tuple[int, int, str, bool]]:
    """Every notification as (id, recipient, kind, read), to compare before and after."""
    rows = db.session.execute(
        select(
            Notification.id, Notification.user_id, Notification.kind, Notification.read_at
        ).order_by(Notification.id)
    )
    return [(id_, user_id, kind, read_at is not None) for id_, user_id, kind, read_at in rows]
