"""The news feed: my posts, my friends' posts and posts on my wall, newest first, with pinned
company announcements above them on the first page.

The stream is paged by keyset (``before`` = the last post id shown), so a post written while
someone reads never shows twice nor hides a post. Its query must not slow down as the site
fills up: "posts by any of my friends, newest first" would make the database collect every
post of every friend before sorting. Instead the query takes, from each source (each friend,
me, my wall), only its newest ``limit + 1`` posts through the ``(author_id, id)`` or
``(wall_id, id)`` index, and merges those: the cost depends on the number of friends and the
page size, not on how many posts there are.
"""

from __future__ import annotations

from sqlalchemy import select, text

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.friends.service import friend_ids
from intranet_social.posts.cards import FeedPage, build_page
from intranet_social.posts.models import Post
from intranet_social.posts.permissions import visible_to

PAGE_SIZE = 20
#: announcements shown at the top; older pinned ones flow in the stream like any post
MAX_PINNED = 10
#: SQLite allows 500 terms in one compound SELECT; larger friend lists merge in groups
ARMS_PER_GROUP = 400


def pinned_ids(viewer: User) -> list[int]:
    """The newest pinned posts ``viewer`` may see."""
    query = (
        select(Post.id)
        .where(Post.pinned.is_(True), visible_to(viewer))
        .order_by(Post.id.desc())
        .limit(MAX_PINNED)
    )
    return list(db.session.scalars(query))


def _arm(column: str, owner_id: int, condition: str, take: int) -> str:
    # Every value is an integer (from the database or the parsed cursor), never request text.
    return (
        f"SELECT id FROM (SELECT id FROM posts WHERE {column} = {int(owner_id)}{condition} "  # noqa: S608
        f"ORDER BY id DESC LIMIT {int(take)}) AS arm"
    )


def _merge(parts: list[str], take: int) -> str:
    # A compound SELECT ordered as a whole lets SQLite merge its sorted parts lazily
    # (EXPLAIN QUERY PLAN: "MERGE (UNION)"), stopping once it has ``take`` rows.
    return " UNION ".join(parts) + f" ORDER BY 1 DESC LIMIT {int(take)}"


def stream_sql(
    viewer_id: int, friends: list[int], before: int | None, skip: list[int], take: int
) -> str:
    """One statement: the newest ``take`` posts from each source, merged, newest first."""
    condition = ""
    if before is not None:
        condition += f" AND id < {int(before)}"
    if skip:
        condition += f" AND id NOT IN ({', '.join(str(int(i)) for i in skip)})"
    sources = [("author_id", viewer_id), ("wall_id", viewer_id)]
    sources += [("author_id", friend) for friend in friends]
    arms = [_arm(column, owner, condition, take) for column, owner in sources]
    if len(arms) <= ARMS_PER_GROUP:
        return _merge(arms, take)
    groups = [
        f"SELECT id FROM ({_merge(arms[start : start + ARMS_PER_GROUP], take)}) AS grp"  # noqa: S608
        for start in range(0, len(arms), ARMS_PER_GROUP)
    ]
    return _merge(groups, take)


def stream_ids(viewer: User, before: int | None, skip: list[int], limit: int) -> list[int]:
    """Up to ``limit + 1`` ids of the stream below ``before``, leaving out ``skip``."""
    friends = list(db.session.scalars(friend_ids(viewer.id)))
    sql = stream_sql(viewer.id, friends, before, skip, limit + 1)
    return list(db.session.scalars(text(sql)))


def feed_page(viewer: User, before: int | None = None, limit: int = PAGE_SIZE) -> FeedPage:
    """A page of ``viewer``'s feed: pinned announcements first on the first page, then
    ``limit`` posts older than the post id ``before``. Every page leaves the pinned posts
    out of the stream, so they are never shown twice."""
    pinned = pinned_ids(viewer)
    ids = stream_ids(viewer, before, pinned, limit)
    return build_page(viewer, pinned if before is None else [], ids, limit)
