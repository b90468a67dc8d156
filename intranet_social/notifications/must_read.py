"""Telling a must-read announcement's audience (``posts/must_read.py`` says who that is):
one row each, inserted by one statement however many people it is for; taken back when the
post stops being a must-read, read once the reader acknowledges it. Muting a space does not
silence its must-reads."""

from __future__ import annotations

import typing

from sqlalchemy import Table, delete, literal, select, update

from intranet_social.core.models import utcnow
from intranet_social.extensions import db
from intranet_social.notifications import mail
from intranet_social.notifications.models import Kind, Notification
from intranet_social.posts.models import Post
from intranet_social.posts.must_read import audience_ids


def must_read_marked(post: Post, marked_by: int) -> None:
    """Each person of the post's audience is told, but whoever marked it (the author is not
    of its audience); a post marked again tells only those not told already."""
    columns = Notification.__table__.c
    recipients = audience_ids(post.id).subquery()
    told = select(Notification.user_id).where(
        Notification.post_id == post.id, Notification.kind == Kind.MUST_READ.value
    )
    rows = select(
        recipients.c.id,
        literal(Kind.MUST_READ.value, columns.kind.type),
        literal(post.author_id, columns.actor_id.type),
        literal(post.id, columns.post_id.type),
        literal("", columns.group_key.type),
        literal(utcnow(), columns.created_at.type),
    ).where(recipients.c.id != marked_by, recipients.c.id.not_in(told))
    statement = (
        # a mapped class's table is a Table, typed as any FromClause by DeclarativeBase
        typing.cast(Table, Notification.__table__)
        .insert()
        .from_select(["user_id", "kind", "actor_id", "post_id", "group_key", "created_at"], rows)
        .returning(columns.id)
    )
    mail.send_when_committed(list(db.session.scalars(statement)))


def must_read_cleared(post: Post) -> None:
    """The post is no longer a must-read: its notices go."""
    db.session.execute(
        delete(Notification)
        .where(Notification.post_id == post.id, Notification.kind == Kind.MUST_READ.value)
        .execution_options(synchronize_session=False)
    )


def must_read_acknowledged(post: Post, reader_id: int) -> None:
    """The reader acknowledged the post: its notice is read."""
    db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == reader_id,
            Notification.post_id == post.id,
            Notification.kind == Kind.MUST_READ.value,
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
