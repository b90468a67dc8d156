"""The queries behind post cards (:mod:`intranet_social.posts.cards`) and the rows they give.

For a list of post ids: one query for the posts with their authors, wall owners and whether
the viewer liked each, leaving out any the viewer may not see (whoever found the ids applied
:mod:`~intranet_social.posts.audience` already; this makes sure, so no card ever shows a
post to someone who may not see it); one for their photos and videos; one for the latest
three comments of every post (``row_number()`` per post) with their authors and the
viewer's likes; one for the people the texts mention.

The statements are built once, with the viewer and the ids as parameters: building them
costs more than SQLite takes to run them, on every page. Their rows are plain named tuples
of the columns cards show (see :class:`Shape`), not ORM objects (with every column, the
password hash included, and the identity map's bookkeeping, those cost several times as
much to load) nor SQLAlchemy's rows, which compare and hash in Python: cards are kept
under these rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    Select,
    String,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    select,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import Exists

from intranet_social.accounts.models import User
from intranet_social.core.reads import Packed, in_list, run
from intranet_social.core.text import all_mentions
from intranet_social.posts.audience import visible_to_id
from intranet_social.posts.models import Comment, CommentLike, Post, PostLike, PostMedia
from intranet_social.posts.must_read import acknowledged_by, in_audience
from intranet_social.spaces.models import Space

#: comments shown under a post in a list; its page shows them all
INLINE_COMMENTS = 3


class PostRow(NamedTuple):
    id: int
    author_id: int
    wall_id: int
    body: str
    audience: str
    created_at: datetime
    edited_at: datetime | None
    pinned: bool
    like_count: int
    comment_count: int
    space_id: int | None
    must_read: bool


class SpaceRow(NamedTuple):
    """The space a post is in; both ``None`` for a post on a wall."""

    slug: str | None
    name: str | None


class PersonRow(NamedTuple):
    id: int
    username: str
    name: str
    avatar_key: str | None


class CommentRow(NamedTuple):
    id: int
    post_id: int
    author_id: int
    body: str
    created_at: datetime
    edited_at: datetime | None
    like_count: int


class MediaRow(NamedTuple):
    id: int
    post_id: int
    kind: str
    mime: str
    width: int | None
    height: int | None


class Shape:
    """The columns of a statement and how to cut its flat rows into named tuples.

    Each part is either ``(row_type, entity)``, the columns of ``row_type`` taken from
    ``entity`` in its order, or a plain column passed through as it is. The statements run
    as plain SQL (:class:`intranet_social.core.reads.Packed`), so the ORM makes no objects
    and no row structure of its own; :meth:`rows` makes ours."""

    def __init__(self, *parts: tuple[type[NamedTuple], Any] | Any) -> None:
        self.columns: list[Any] = []
        self._cuts: list[tuple[Callable[..., Any] | None, int, int]] = []
        for part in parts:
            start = len(self.columns)
            if isinstance(part, tuple):
                row_type, entity = part
                self.columns += [getattr(entity, name) for name in row_type._fields]
                self._cuts.append((row_type, start, len(self.columns)))
            else:
                self.columns.append(part)
                self._cuts.append((None, start, start + 1))

    def rows(self, result: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
        cuts = self._cuts
        return [
            tuple(
                row[first] if make is None else make(*row[first:stop]) for make, first, stop in cuts
            )
            for row in result
        ]


#: made once: an alias builds a proxy of every column, too slow to repeat per page
AUTHOR = aliased(User, name="author")
WALL_OWNER = aliased(User, name="wall_owner")

VIEWER: BindParameter[int] = bindparam("viewer_id")
LIKED_POST: Exists = exists().where(PostLike.post_id == Post.id, PostLike.user_id == VIEWER)
LIKED_COMMENT: Exists = exists().where(
    CommentLike.comment_id == Comment.id, CommentLike.user_id == VIEWER
)
#: for a must-read post (and only then: a CASE is not evaluated further), whether the viewer
#: acknowledged it, and whether they are of those asked to (posts/announcements.py)
ACKNOWLEDGED = case((Post.must_read, exists(acknowledged_by(VIEWER))), else_=false())
ASKED = case((Post.must_read, in_audience(VIEWER)), else_=false())

POST_SHAPE = Shape(
    (PostRow, Post),
    (PersonRow, AUTHOR),
    (PersonRow, WALL_OWNER),
    (SpaceRow, Space),
    LIKED_POST,
    ACKNOWLEDGED,
    ASKED,
)
COMMENT_SHAPE = Shape((CommentRow, Comment), (PersonRow, User), LIKED_COMMENT)
MEDIA_SHAPE = Shape((MediaRow, PostMedia))

COMMENTS = select(*COMMENT_SHAPE.columns).join(User, User.id == Comment.author_id)
POSTS = Packed(
    select(*POST_SHAPE.columns)
    .join(AUTHOR, AUTHOR.id == Post.author_id)
    .join(WALL_OWNER, WALL_OWNER.id == Post.wall_id)
    .outerjoin(Space, Space.id == Post.space_id)
    .where(in_list(Post.id, "ids"), visible_to_id(VIEWER)),
    unordered=True,
)
POST_MEDIA = Packed(
    select(*MEDIA_SHAPE.columns)
    .where(in_list(PostMedia.post_id, "ids"))
    .order_by(PostMedia.position)
)
_RANKED = (
    select(
        Comment.id,
        func.row_number()
        .over(partition_by=Comment.post_id, order_by=Comment.id.desc())
        .label("rank"),
    )
    .where(in_list(Comment.post_id, "ids"))
    .subquery()
)
#: the latest ``INLINE_COMMENTS`` comments of each post (``row_number()`` per post), in any
#: order: the caller sorts them
LATEST_COMMENTS = Packed(
    COMMENTS.join(_RANKED, and_(_RANKED.c.id == Comment.id, _RANKED.c.rank <= INLINE_COMMENTS)),
    unordered=True,
)
USERNAMES = Packed(
    select(User.username).where(in_list(User.username, "names", String())),
    unordered=True,
)


def comment_query(viewer: User) -> Select[Any]:
    """Comments with their authors and whether ``viewer`` liked each; the caller filters and
    reads the rows with :func:`comment_rows`."""
    return COMMENTS.params(viewer_id=viewer.id)


def comment_rows(query: Select[Any]) -> list[tuple[CommentRow, PersonRow, bool]]:
    """The rows of a :func:`comment_query`: (comment, author, liked by the viewer)."""
    # built per call, so read plainly: SQLAlchemy's statement cache knows it, while packing
    # would compile it afresh each time
    return COMMENT_SHAPE.rows(run(query))


def mentioned_names(texts: Iterable[str]) -> set[str]:
    """Which of the names the texts mention belong to someone (one query)."""
    names = sorted(all_mentions(texts))
    if not names:
        return set()
    return {name for (name,) in USERNAMES.rows({"names": names})}
