"""Must-read announcements: who is asked to read one, acknowledging it, and who has.

Who may make a post a must-read is :func:`~intranet_social.posts.permissions.can_mark_must_read`
(admins anywhere, a space's owners in their space; :func:`~intranet_social.posts.service
.set_must_read`), who may read its acknowledgements
:func:`~intranet_social.posts.permissions.can_read_acknowledgements` (its author, its space's
owners, admins).

Its audience, the people asked to acknowledge it, is stated once, in
:mod:`~intranet_social.posts.must_read`; from it come the counts (in SQL, one statement),
the list of who has acknowledged and who has not, the notices (``notifications``) and the
feed's pins (``feed/service.py``). Anyone else who may see the post may acknowledge it too,
without being counted.

Acknowledging is idempotent: the row is keyed by (post, person) and inserted only when
absent. Every function flushes at most; the caller commits.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, select
from sqlalchemy.dialects import postgresql, sqlite

from intranet_social.accounts.models import User
from intranet_social.audit import service as audit
from intranet_social.core import events
from intranet_social.core.errors import Conflict, Forbidden, Invalid, NotFound
from intranet_social.core.models import utcnow
from intranet_social.extensions import db
from intranet_social.posts.models import Acknowledgement, Post
from intranet_social.posts.must_read import IS_MUST_READ, audience_of, tally
from intranet_social.posts.permissions import can_mark_must_read, can_read_acknowledgements
from intranet_social.posts.service import NO_SUCH_POST, find, get_post
from intranet_social.spaces import service as spaces
from intranet_social.spaces.models import Space

PAGE_SIZE = 50
NOT_MUST_READ = "This post is not a must-read announcement; there is nothing to acknowledge."
MAY_NOT_READ = "Only the author, the space's owners and admins see who acknowledged a post."
CSV_COLUMNS = ("username", "name", "status", "acknowledged_at")


# ---------------------------------------------------------------- acknowledging


@dataclass(frozen=True)
class AcknowledgementState:
    post_id: int
    acknowledged: bool
    acknowledged_at: datetime | None


def _insert_if_absent(post_id: int, user_id: int) -> bool:
    """Whether the acknowledgement went in (``RETURNING`` says so; drivers differ on the
    row count of this statement)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(Acknowledgement)
        .values(post_id=post_id, user_id=user_id, acknowledged_at=utcnow())
        .on_conflict_do_nothing()
        .returning(Acknowledgement.post_id)
    )
    return db.session.execute(statement).first() is not None


def acknowledge(reader: User, post_id: int) -> AcknowledgementState:
    """``reader`` has read the must-read post ``post_id`` (again is harmless): 404 when they
    may not see it, 409 when it is not a must-read."""
    post = get_post(reader, post_id)
    if not post.must_read:
        raise Conflict(NOT_MUST_READ, "post_id")
    if _insert_if_absent(post.id, reader.id):
        events.must_read_acknowledged.send(post, reader_id=reader.id)
    at = db.session.scalar(
        select(Acknowledgement.acknowledged_at).where(
            Acknowledgement.post_id == post.id, Acknowledgement.user_id == reader.id
        )
    )
    return AcknowledgementState(post.id, True, at)


# ---------------------------------------------------------------- who has read it


@dataclass(frozen=True)
class Reader:
    user_id: int
    username: str
    name: str
    avatar_key: str | None
    #: ``None``: not yet acknowledged
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class AcknowledgementReport:
    """Who of a must-read's audience acknowledged it: the counts, and a page of the
    audience by username (``after``: the last username of the page before), split into those
    who have and those who have not."""

    post_id: int
    must_read: bool
    #: whether the viewer may make it a must-read, or an ordinary post again
    can_mark: bool
    audience_count: int
    acknowledged_count: int
    acknowledged: list[Reader]
    pending: list[Reader]
    #: the username to continue after, ``None`` on the last page
    next_after: str | None

    @property
    def pending_count(self) -> int:
        return self.audience_count - self.acknowledged_count


def _readers(post_id: int) -> Select[int, str, str, str | None, datetime | None]:
    people = audience_of(post_id).subquery()
    columns = people.c
    return (
        select(
            columns.id,
            columns.username,
            columns.name,
            columns.avatar_key,
            Acknowledgement.acknowledged_at,
        )
        .outerjoin(
            Acknowledgement,
            and_(Acknowledgement.post_id == post_id, Acknowledgement.user_id == people.c.id),
        )
        .order_by(people.c.username)
    )


def _read(query: Select[int, str, str, str | None, datetime | None]) -> list[Reader]:
    return [
        Reader(user_id, username, name, avatar_key, at)
        for user_id, username, name, avatar_key, at in db.session.execute(query)
    ]


def readable_post(viewer: User, post_id: int) -> Post:
    """The post, when ``viewer`` may read who acknowledged it: 404 when they may not see
    it, 403 when they may see it but not that."""
    post = get_post(viewer, post_id)
    if not can_read_acknowledgements(viewer, post):
        raise Forbidden(MAY_NOT_READ)
    return post


def report(
    viewer: User, post_id: int, after: str | None = None, limit: int = PAGE_SIZE
) -> AcknowledgementReport:
    """Who of the post's audience acknowledged it, for its author, its space's owners and
    admins (404 for a post ``viewer`` may not see, 403 for anyone else)."""
    post = readable_post(viewer, post_id)
    query = _readers(post.id)
    if after is not None:
        if not after.isprintable() or not after.encode("utf-8", "ignore").decode() == after:
            raise Invalid("The cursor is not valid; use the link of the page before.", "cursor")
        query = query.where(query.selected_columns[1] > after)
    rows = _read(query.limit(limit + 1))
    page = rows[:limit]
    counts = tally(post.id)
    return AcknowledgementReport(
        post_id=post.id,
        must_read=post.must_read,
        can_mark=can_mark_must_read(viewer, post.space_id),
        audience_count=counts.audience,
        acknowledged_count=counts.acknowledged,
        acknowledged=[reader for reader in page if reader.acknowledged_at is not None],
        pending=[reader for reader in page if reader.acknowledged_at is None],
        next_after=page[-1].username if len(rows) > limit else None,
    )


def _csv_cell(value: str) -> str:
    # a spreadsheet runs a cell starting with one of these as a formula
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv(post_id: int) -> str:
    """Every person of the audience: acknowledged ones first (earliest first), then those
    still to acknowledge, by username."""
    readers = _read(_readers(post_id))
    done = sorted(
        (reader for reader in readers if reader.acknowledged_at is not None),
        key=lambda reader: (reader.acknowledged_at, reader.username),
    )
    pending = [reader for reader in readers if reader.acknowledged_at is None]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for reader in [*done, *pending]:
        at = reader.acknowledged_at
        writer.writerow(
            [
                _csv_cell(reader.username),
                _csv_cell(reader.name),
                "acknowledged" if at is not None else "pending",
                at.isoformat() if at is not None else "",
            ]
        )
    return out.getvalue()


def export_csv(viewer: User | None, post_id: int) -> str:
    """The acknowledgements of a post as CSV (columns :data:`CSV_COLUMNS`), for whoever may
    read them (``None``: the command line, for any post); the export is audited, also on a
    page request, which otherwise writes nothing (``audit.record_apart``)."""
    if viewer is None:
        post = find(Post, post_id)
        if post is None:
            raise NotFound(NO_SUCH_POST, "post_id")
    else:
        post = readable_post(viewer, post_id)
    if not post.must_read:
        raise Conflict(NOT_MUST_READ, "post_id")
    text = _csv(post.id)
    audit.record_apart("post.acknowledgements_export", actor=viewer, target=f"post:{post.id}")
    return text


# ---------------------------------------------------------------- the list of them


@dataclass(frozen=True)
class MustRead:
    id: int
    author: str
    space: str | None
    created_at: datetime
    acknowledged_count: int
    audience_count: int


def must_read_posts() -> list[MustRead]:
    """Every must-read post, newest first, with its counts (for the command line)."""
    rows = db.session.execute(
        select(Post.id, User.username, Space.slug, Post.created_at)
        .join(User, User.id == Post.author_id)
        .outerjoin(Space, Space.id == Post.space_id)
        .where(IS_MUST_READ)
        .order_by(Post.id.desc())
    ).all()
    found: list[MustRead] = []
    for post_id, author, space, created_at in rows:
        counts = tally(post_id)
        found.append(
            MustRead(post_id, author, space, created_at, counts.acknowledged, counts.audience)
        )
    return found


def may_mark_must_read(viewer: User, space_slug: str | None) -> bool:
    """Whether a composer for ``viewer`` (in the space ``space_slug``, if any) offers to
    make the post a must-read."""
    if not space_slug:
        return can_mark_must_read(viewer, None)
    try:
        space = spaces.find_space(viewer, space_slug)
    except NotFound:
        return False
    return can_mark_must_read(viewer, space.id)
