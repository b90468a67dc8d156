"""What spaces tell people: a request to join (to the space's owners and moderators), a
request let in (to whoever asked), being added by someone else, and new posts (to the
members who did not mute the space).

A notification has no column naming a space, so the space is in its ``group_key``:
``space:<id>:<what>``. The key groups as every key does (one entry per key, see
:mod:`intranet_social.notifications.inbox`): the requests waiting in one space are one entry
("Ana and 2 others asked to join Design"), and a member's unread notices of one space's new
posts are one entry ("3 new posts in Design"). Each new post adds one row per member in one
``INSERT ... SELECT``, keyed ``space:<id>:posts:<first post id>`` while the member's run of
unread ones lasts; once read (the whole group is), the next post starts a new entry. Only the
first post of a run is e-mailed.

What a person was told about a space goes when they leave it or are taken out, when their
request is answered or withdrawn, and when the space is deleted (the posts' ones go with the
posts). The list shows a space's entries only to those who may still know the space exists,
and a post's only while its reader may see the post (see the inbox).
"""

from __future__ import annotations

import typing

from sqlalchemy import ColumnElement, Select, Table, delete, func, literal, select
from sqlalchemy.orm import aliased

from intranet_social.accounts.models import Status, User
from intranet_social.core.models import utcnow
from intranet_social.extensions import db
from intranet_social.notifications import mail
from intranet_social.notifications.models import Kind, Notification
from intranet_social.notifications.service import notify
from intranet_social.notifications.wording import space_key
from intranet_social.posts.models import Post
from intranet_social.spaces.models import JoinRequest, Space, SpaceMember
from intranet_social.spaces.service import MANAGERS

REQUESTS = "requests"
ACCEPTED = "accepted"
ADDED = "added"
POSTS = "posts:"


def _insert(rows: Select[typing.Any], names: list[str]) -> list[tuple[int, str]]:
    columns = Notification.__table__.c
    statement = (
        # a mapped class's table is a Table, typed as any FromClause by DeclarativeBase
        typing.cast(Table, Notification.__table__)
        .insert()
        .from_select(names, rows)
        .returning(columns.id, columns.group_key)
    )
    return [(row_id, key) for row_id, key in db.session.execute(statement)]


def _managers(space_id: int) -> Select[int]:
    return select(SpaceMember.user_id).where(
        SpaceMember.space_id == space_id, SpaceMember.role.in_(MANAGERS)
    )


def _forget(kind: Kind, key: str, told: ColumnElement[bool], **columns: int) -> None:
    """Delete the notices of ``kind`` and ``key`` to those ``told`` names (a condition on
    the recipient, so the ``(user_id, id)`` index finds them) that match ``columns``."""
    conditions = [Notification.kind == kind.value, Notification.group_key == key, told]
    conditions += [getattr(Notification, name) == value for name, value in columns.items()]
    db.session.execute(
        delete(Notification).where(*conditions).execution_options(synchronize_session=False)
    )


def join_requested(request: JoinRequest) -> None:
    """The space's active owners and moderators are told that someone asks to join."""
    key = space_key(request.space_id, REQUESTS)
    _forget(
        Kind.SPACE_JOIN_REQUEST,
        key,
        Notification.user_id.in_(_managers(request.space_id)),
        actor_id=request.user_id,
    )
    columns = Notification.__table__.c
    rows = (
        select(
            SpaceMember.user_id,
            literal(Kind.SPACE_JOIN_REQUEST.value, columns.kind.type),
            literal(request.user_id, columns.actor_id.type),
            literal(key, columns.group_key.type),
            literal(utcnow(), columns.created_at.type),
        )
        .join(User, User.id == SpaceMember.user_id)
        .where(
            SpaceMember.space_id == request.space_id,
            SpaceMember.role.in_(MANAGERS),
            SpaceMember.user_id != request.user_id,
            User.status == Status.ACTIVE.value,
        )
    )
    told = _insert(rows, ["user_id", "kind", "actor_id", "group_key", "created_at"])
    mail.send_when_committed(row_id for row_id, _key in told)


def join_closed(request: JoinRequest) -> None:
    """A request was answered or withdrawn: the managers' notices of it go."""
    _forget(
        Kind.SPACE_JOIN_REQUEST,
        space_key(request.space_id, REQUESTS),
        Notification.user_id.in_(_managers(request.space_id)),
        actor_id=request.user_id,
    )


def join_answered(request: JoinRequest, approved: bool, answered_by: int | None) -> None:
    """Whoever asked is told they are in (a refusal is not announced)."""
    join_closed(request)
    if approved:
        key = space_key(request.space_id, ACCEPTED)
        _forget(Kind.SPACE_JOIN_ACCEPTED, key, Notification.user_id == request.user_id)
        notify(request.user_id, Kind.SPACE_JOIN_ACCEPTED, answered_by, group_key=key)


def member_added(membership: SpaceMember, added_by: int | None) -> None:
    """Someone added by another member (or by the command line) is told."""
    key = space_key(membership.space_id, ADDED)
    _forget(Kind.SPACE_MEMBER_ADDED, key, Notification.user_id == membership.user_id)
    notify(membership.user_id, Kind.SPACE_MEMBER_ADDED, added_by, group_key=key)


def member_left(membership: SpaceMember) -> None:
    """Whoever left a space, or was taken out, loses what it told them."""
    db.session.execute(
        delete(Notification)
        .where(
            Notification.user_id == membership.user_id,
            Notification.group_key.like(space_key(membership.space_id, "%")),
        )
        .execution_options(synchronize_session=False)
    )


def space_deleting(space: Space) -> None:
    """A space about to go: what it told anyone goes too. Everyone it told is still a
    member (leaving took the rest away), which keeps this on the recipients' index."""
    members = select(SpaceMember.user_id).where(SpaceMember.space_id == space.id)
    db.session.execute(
        delete(Notification)
        .where(
            Notification.user_id.in_(members),
            Notification.group_key.like(space_key(space.id, "%")),
        )
        .execution_options(synchronize_session=False)
    )


def post_written(post: Post) -> None:
    """A new post in a space: each active member but its author and those who muted the
    space gets a row, grouped with their unread ones of the same space (one statement,
    however many members). A must-read post tells its audience, muted or not, through its
    own notice (``notifications/must_read.py``), so it is not told twice."""
    if post.space_id is None or post.must_read:
        return
    prefix = space_key(post.space_id, POSTS)
    first = prefix + str(post.id)
    unread = aliased(Notification)
    run = (
        select(func.max(unread.group_key))
        .where(
            unread.user_id == SpaceMember.user_id,
            unread.read_at.is_(None),
            unread.kind == Kind.SPACE_POST.value,
            unread.group_key.like(prefix + "%"),
        )
        .scalar_subquery()
    )
    columns = Notification.__table__.c
    rows = (
        select(
            SpaceMember.user_id,
            literal(Kind.SPACE_POST.value, columns.kind.type),
            literal(post.author_id, columns.actor_id.type),
            literal(post.id, columns.post_id.type),
            func.coalesce(run, literal(first, columns.group_key.type)),
            literal(utcnow(), columns.created_at.type),
        )
        .join(User, User.id == SpaceMember.user_id)
        .where(
            SpaceMember.space_id == post.space_id,
            SpaceMember.user_id != post.author_id,
            SpaceMember.muted.is_(False),
            User.status == Status.ACTIVE.value,
        )
    )
    told = _insert(rows, ["user_id", "kind", "actor_id", "post_id", "group_key", "created_at"])
    mail.send_when_committed(row_id for row_id, key in told if key == first)
