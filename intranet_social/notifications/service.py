"""Writing and reading notifications.

A notification is written by the service that does what it tells about, in the same
transaction (so a failed action leaves none behind), and nobody is told of their own actions.
It goes with its object: the foreign keys cascade from the post, comment, friend request or
birthday notice, and undoing an action (an unlike, a withdrawn request) withdraws it. Likes of
one thing share a ``group_key`` and are shown as one entry ("Ana and 3 others liked your
post"); marking an entry read marks its whole group. E-mail goes out after the commit
(:mod:`intranet_social.notifications.mail`). Functions only ``flush()``; the caller commits.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    String,
    Table,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    select,
    union,
    update,
)
from sqlalchemy.orm import aliased

from intranet_social.accounts.models import Status, User
from intranet_social.birthdays.models import AnniversaryNotice, BirthdayNotice
from intranet_social.core.errors import NotFound
from intranet_social.core.models import MAX_ID, utcnow
from intranet_social.core.reads import Packed
from intranet_social.extensions import db
from intranet_social.friends.models import FriendRequest, Friendship
from intranet_social.notifications import mail
from intranet_social.notifications.models import Kind, Notification, NotificationPreference
from intranet_social.posts.models import Comment, Post
from intranet_social.spaces.models import SpaceMember

NO_SUCH_NOTIFICATION = "There is no such notification."


# ---------------------------------------------------------------- writing


def notify(
    recipient_id: int,
    kind: Kind,
    actor_id: int | None,
    *,
    group_key: str = "",
    **objects: int | None,
) -> Notification | None:
    """Tell ``recipient_id`` that ``actor_id`` did something; ``objects`` name what it is
    about (``post_id``, ``comment_id``, ``friend_request_id``, ``birthday_notice_id``).
    Nothing when the recipient is the actor."""
    if recipient_id == actor_id:
        return None
    notification = Notification(
        user_id=recipient_id,
        kind=kind.value,
        actor_id=actor_id,
        group_key=group_key,
        created_at=utcnow(),
        **objects,
    )
    db.session.add(notification)
    db.session.flush()
    mail.send_when_committed([notification.id])
    return notification


def withdraw(kind: Kind, actor_id: int, **objects: int) -> None:
    """Remove the notifications of ``kind`` that ``actor_id`` caused about ``objects``: the
    action they told about was undone."""
    conditions = [getattr(Notification, name) == value for name, value in objects.items()]
    db.session.execute(
        delete(Notification)
        .where(Notification.kind == kind.value, Notification.actor_id == actor_id, *conditions)
        .execution_options(synchronize_session=False)
    )


def friend_request_sent(request: FriendRequest) -> None:
    """A new (or renewed) request: its recipient is told, once."""
    withdraw(Kind.FRIEND_REQUEST, request.from_id, friend_request_id=request.id)
    notify(request.to_id, Kind.FRIEND_REQUEST, request.from_id, friend_request_id=request.id)


def friend_request_withdrawn(request: FriendRequest) -> None:
    withdraw(Kind.FRIEND_REQUEST, request.from_id, friend_request_id=request.id)


def friend_request_accepted(request: FriendRequest, accepted_by: int) -> None:
    """``accepted_by`` accepted ``request`` (or asked its sender back): the sender is told."""
    notify(request.from_id, Kind.FRIEND_ACCEPT, accepted_by, friend_request_id=request.id)


def post_liked(post: Post, liker_id: int) -> None:
    notify(
        post.author_id, Kind.POST_LIKE, liker_id, post_id=post.id, group_key=f"post_like:{post.id}"
    )


def post_unliked(post_id: int, liker_id: int) -> None:
    withdraw(Kind.POST_LIKE, liker_id, post_id=post_id)


def comment_liked(comment: Comment, liker_id: int) -> None:
    notify(
        comment.author_id,
        Kind.COMMENT_LIKE,
        liker_id,
        post_id=comment.post_id,
        comment_id=comment.id,
        group_key=f"comment_like:{comment.id}",
    )


def comment_unliked(comment_id: int, liker_id: int) -> None:
    withdraw(Kind.COMMENT_LIKE, liker_id, comment_id=comment_id)


def comment_written(post: Post, comment: Comment) -> set[int]:
    """The post's author and the wall's owner are told; returns who was told."""
    told: set[int] = set()
    for recipient_id in dict.fromkeys((post.author_id, post.wall_id)):
        if notify(
            recipient_id, Kind.COMMENT, comment.author_id, post_id=post.id, comment_id=comment.id
        ):
            told.add(recipient_id)
    return told


def wall_post_written(post: Post) -> set[int]:
    """The wall's owner is told of a post someone else wrote there; returns who was told."""
    if post.wall_id == post.author_id:
        return set()
    notify(post.wall_id, Kind.WALL_POST, post.author_id, post_id=post.id)
    return {post.wall_id}


def birthdays_noted(notice_ids: Iterable[int]) -> None:
    """Tell the active friends of each celebrant of these new birthday notices (one insert)."""
    ids = list(notice_ids)
    if not ids:
        return
    columns = Notification.__table__.c
    rows = (
        select(
            Friendship.friend_id,
            literal(Kind.BIRTHDAY.value, columns.kind.type),
            BirthdayNotice.user_id,
            BirthdayNotice.id,
            literal("", columns.group_key.type),
            literal(utcnow(), columns.created_at.type),
        )
        .join(Friendship, Friendship.user_id == BirthdayNotice.user_id)
        .join(User, User.id == Friendship.friend_id)
        .where(BirthdayNotice.id.in_(ids), User.status == Status.ACTIVE.value)
    )
    statement = (
        # a mapped class's table is a Table, typed as any FromClause by DeclarativeBase
        typing.cast(Table, Notification.__table__)
        .insert()
        .from_select(
            ["user_id", "kind", "actor_id", "birthday_notice_id", "group_key", "created_at"], rows
        )
        .returning(columns.id)
    )
    mail.send_when_committed(list(db.session.scalars(statement)))


def anniversaries_noted(notice_ids: Iterable[int]) -> None:
    """Tell the active friends and space co-members of each person with a new work
    anniversary notice, once each (one insert); the notification names the person, whose
    page it links to."""
    ids = list(notice_ids)
    if not ids:
        return
    mine, theirs = aliased(SpaceMember), aliased(SpaceMember)
    friends = (
        select(Friendship.friend_id.label("recipient"), AnniversaryNotice.user_id)
        .join(Friendship, Friendship.user_id == AnniversaryNotice.user_id)
        .where(AnniversaryNotice.id.in_(ids))
    )
    co_members = (
        select(theirs.user_id.label("recipient"), AnniversaryNotice.user_id)
        .join(mine, mine.user_id == AnniversaryNotice.user_id)
        .join(theirs, (theirs.space_id == mine.space_id) & (theirs.user_id != mine.user_id))
        .where(AnniversaryNotice.id.in_(ids))
    )
    told = union(friends, co_members).subquery()
    columns = Notification.__table__.c
    rows = (
        select(
            told.c.recipient,
            literal(Kind.WORK_ANNIVERSARY.value, columns.kind.type),
            told.c.user_id,
            literal("", columns.group_key.type),
            literal(utcnow(), columns.created_at.type),
        )
        .join(User, User.id == told.c.recipient)
        .where(User.status == Status.ACTIVE.value)
    )
    statement = (
        typing.cast(Table, Notification.__table__)
        .insert()
        .from_select(["user_id", "kind", "actor_id", "group_key", "created_at"], rows)
        .returning(columns.id)
    )
    mail.send_when_committed(list(db.session.scalars(statement)))


# ---------------------------------------------------------------- reading state


def _entry_key() -> Any:
    """What makes one entry of the list: the group, or the notification alone."""
    return case(
        (Notification.group_key == "", cast(Notification.id, String)),
        else_=Notification.group_key,
    )


#: built once: the top bar of every page asks it
_UNREAD = Packed(
    select(func.count(func.distinct(_entry_key()))).where(
        Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None)
    )
)


def unread_count(user: User) -> int:
    """How many entries of ``user``'s list are unread (a group counts once); one query on
    the ``(user_id, read_at)`` index."""
    ((count,),) = _UNREAD.rows({"user_id": user.id})
    return count or 0


def mark_read(user: User, notification_ids: Iterable[int]) -> int:
    """Mark these entries of ``user`` read, with the rest of their groups; any id that is
    not theirs is not found, and then nothing changes. Returns how many were marked."""
    ids = set(notification_ids)
    if not ids:
        return 0
    if any(not 0 < number <= MAX_ID for number in ids):
        raise NotFound(NO_SUCH_NOTIFICATION, "ids")
    found = db.session.execute(
        select(Notification.id, Notification.group_key).where(
            Notification.id.in_(ids), Notification.user_id == user.id
        )
    ).all()
    if len(found) != len(ids):
        raise NotFound(NO_SUCH_NOTIFICATION, "ids")
    keys = {key for _id, key in found if key}
    target: ColumnElement[bool] = Notification.id.in_(ids)
    if keys:
        target = target | Notification.group_key.in_(keys)
    return _set_read(user, target)


def mark_all_read(user: User) -> int:
    return _set_read(user, Notification.id.is_not(None))


def _set_read(user: User, target: ColumnElement[bool]) -> int:
    # an UPDATE's result is a CursorResult, which counts the rows; execute is typed for any
    result = typing.cast(
        CursorResult[Any],
        db.session.execute(
            update(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None), target)
            .values(read_at=utcnow())
            .execution_options(synchronize_session=False)
        ),
    )
    db.session.flush()
    return max(result.rowcount or 0, 0)


# ---------------------------------------------------------------- preferences


def email_enabled(user: User) -> bool:
    preference = db.session.get(NotificationPreference, user.id)
    return preference is not None and preference.email_enabled


def set_email_enabled(user: User, enabled: bool) -> None:
    """Whether ``user`` wants an e-mail for each notification (when the site has a relay)."""
    preference = db.session.get(NotificationPreference, user.id)
    if preference is None:
        db.session.add(NotificationPreference(user_id=user.id, email_enabled=enabled))
    else:
        preference.email_enabled = enabled
    db.session.flush()
