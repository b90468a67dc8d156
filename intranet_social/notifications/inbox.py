"""A person's notifications as the page and the API list them: newest first, one entry per
group, by keyset on the id of each entry's newest notification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import aliased

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.friends.cards import PersonRef
from intranet_social.media.avatars import SMALL_AVATAR, avatar_url
from intranet_social.notifications.models import Kind, Notification
from intranet_social.notifications.wording import (
    Entry,
    describe,
    object_path,
    space_id_of,
    space_labels,
)
from intranet_social.posts.audience import visible_to
from intranet_social.posts.models import Post

PAGE_SIZE = 20


@dataclass(frozen=True)
class NotificationCard:
    id: int
    kind: str
    actor: PersonRef | None
    #: how many more people did the same (likes are grouped)
    others: int
    text: str
    object_url: str
    read: bool
    created_at: datetime


def _group_counts(user: User, keys: list[str]) -> dict[str, tuple[int, int]]:
    """For each group key: how many notifications it holds, and how many are unread."""
    if not keys:
        return {}
    unread = func.count().filter(Notification.read_at.is_(None))
    rows = db.session.execute(
        select(Notification.group_key, func.count(), unread)
        .where(Notification.user_id == user.id, Notification.group_key.in_(keys))
        .group_by(Notification.group_key)
    )
    return {key: (total, waiting) for key, total, waiting in rows}


def notification_page(
    user: User, before: int | None = None, limit: int = PAGE_SIZE
) -> tuple[list[NotificationCard], int | None]:
    """``user``'s entries older than the entry id ``before``; and the id to continue before
    (``None`` on the last page).

    An entry about a space ``user`` may no longer know of (made secret, deleted), or about a
    space's post they may no longer see, is left out, so a page may hold fewer entries."""
    newer = aliased(Notification)
    newer_in_group = exists().where(
        newer.user_id == Notification.user_id,
        newer.group_key == Notification.group_key,
        newer.id > Notification.id,
    )
    query = (
        select(Notification, User, Post.author_id, visible_to(user))
        .outerjoin(User, User.id == Notification.actor_id)
        .outerjoin(Post, Post.id == Notification.post_id)
        .where(Notification.user_id == user.id, or_(Notification.group_key == "", ~newer_in_group))
    )
    if before is not None:
        query = query.where(Notification.id < before)
    rows = db.session.execute(query.order_by(Notification.id.desc()).limit(limit + 1)).all()
    page = rows[:limit]
    groups = _group_counts(user, sorted({row[0].group_key for row in page if row[0].group_key}))
    spaces = space_labels((row[0] for row in page), user.id)
    cards = []
    for notification, actor, post_author_id, post_visible in page:
        space_id = space_id_of(notification)
        space = spaces.get(space_id) if space_id is not None else None
        if space_id is not None and (
            space is None or (notification.kind == Kind.SPACE_POST and not post_visible)
        ):
            continue
        total, unread = groups.get(notification.group_key, (1, 0))
        others = max(total - 1, 0)
        entry = Entry(notification, actor, others, post_author_id, bool(post_visible), space)
        read = notification.read_at is not None and unread == 0
        cards.append(
            NotificationCard(
                id=notification.id,
                kind=notification.kind,
                actor=None
                if actor is None
                else PersonRef(actor.username, actor.name, avatar_url(actor, SMALL_AVATAR)),
                others=entry.others,
                text=describe(entry, user.id),
                object_url=object_path(entry),
                read=read,
                created_at=notification.created_at,
            )
        )
    return cards, (page[-1][0].id if len(rows) > limit else None)
