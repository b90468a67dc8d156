"""Who a must-read announcement is for, as SQL: the one statement of its audience.

The audience of a must-read, the people asked to acknowledge it, are the active accounts the
audience rule lets see the post (:mod:`~intranet_social.posts.audience`: everyone for an
``everyone`` post, the friends of its author and of the wall's owner for a ``friends`` post,
a space's members for a space post), less its author, and for a post in a space only the
space's members: anyone may read an open space, but its announcements are for the people in
it. :func:`in_audience` says that for one reader (a bound parameter, for the feed's pins and
the cards) or for every person (``User.id``, to count and to tell them); every use goes
through it: the feed's pins, the cards' "I have read this", the counts and lists of
:mod:`~intranet_social.posts.announcements`, and the notices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import ColumnElement, Select, and_, exists, func, literal, or_, select, true

from intranet_social.accounts.models import Status, User
from intranet_social.extensions import db
from intranet_social.posts.audience import ViewerId, visible_to_id
from intranet_social.posts.models import Acknowledgement, Post
from intranet_social.spaces.service import member_space_ids

#: each person, for a statement about the whole audience
EVERY_READER = cast(ColumnElement[int], User.id)
#: "is a must-read", written so that the ``(must_read, id)`` index serves it on both
#: databases (PostgreSQL's index does not serve ``IS TRUE``)
IS_MUST_READ = Post.must_read == true()


def in_audience(reader: ViewerId) -> ColumnElement[bool]:
    """The post (a row of :class:`Post`) is for ``reader`` to acknowledge, were it a
    must-read: the audience rule, less the author, and a space post's members only.
    Whether it is a must-read, and whether the reader's account is active, are the
    caller's to test."""
    return and_(
        Post.author_id != reader,
        or_(Post.space_id.is_(None), Post.space_id.in_(member_space_ids(reader))),
        visible_to_id(reader),
    )


def acknowledged_by(reader: ViewerId) -> Select[int]:
    """The acknowledgement of the post (a row of :class:`Post`) by ``reader``, for
    ``exists()``."""
    return select(literal(1)).where(
        Acknowledgement.post_id == Post.id, Acknowledgement.user_id == reader
    )


def audience_of(post_id: int) -> Select[int, str, str, str | None]:
    """The active people asked to acknowledge the post ``post_id``: id, username, name and
    photo."""
    return (
        select(User.id, User.username, User.name, User.avatar_key)
        .join(Post, Post.id == post_id)
        .where(User.status == Status.ACTIVE.value, in_audience(EVERY_READER))
    )


def audience_ids(post_id: int) -> Select[int]:
    """The ids of the post's audience, as a query (to insert their notices in one go)."""
    return audience_of(post_id).with_only_columns(User.id)


@dataclass(frozen=True)
class Tally:
    acknowledged: int
    audience: int


def tally(post_id: int) -> Tally:
    """How many of the post's audience acknowledged it, and how many it has (one query)."""
    people = audience_of(post_id).subquery()
    done = exists().where(
        Acknowledgement.post_id == post_id, Acknowledgement.user_id == people.c.id
    )
    row = db.session.execute(
        select(func.count(), func.count().filter(done)).select_from(people)
    ).one()
    return Tally(acknowledged=row[1], audience=row[0])
