"""The news feed: my posts, my friends' posts, posts on my wall and posts in my spaces,
newest first, with pinned company announcements above them on the first page, and above
those the must-read announcements I have yet to acknowledge.

The stream is paged by keyset (``before`` = the last post id shown), so a post written while
someone reads never shows twice nor hides a post. Its query must not slow down as the site
fills up: "posts by any of my friends, newest first" would make the database collect every
post of every friend before sorting. Instead the query takes, from each source (each friend,
me, my wall, each of my spaces), only its newest ``limit + 1`` posts through the
``(author_id, id)``, ``(wall_id, id)`` or ``(space_id, id)`` index, and merges those: the
cost depends on the number of friends and spaces and the page size, not on how many posts
there are.

SQLite gets that as one compound SELECT with an arm per source; PostgreSQL, which would spend
tens of milliseconds planning a statement with a hundred arms, gets the same rows from one
``LATERAL`` join over the list of sources, planned in well under a millisecond.

Who may see which post is not written here: each arm picks its rows by how the viewer stands
to them (author, wall owner, friend of the author, member of the space) and keeps what that
relation itself opens, as :mod:`intranet_social.posts.audience` says
(:func:`~intranet_social.posts.audience.opened_text`): everything for the viewer's own posts
and wall, a friend's posts whose audience is ``friends`` or ``everyone`` (not their space
posts: those come through the arm of a space the viewer is in, or not at all), a space's
posts. That reads only the audience, which the ``(author_id, id, audience)`` and
``(space_id, id, audience)`` indexes hold, so each arm stays a read of the index alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from sqlalchemy import TextClause, bindparam, exists, literal, select, text, union_all

from intranet_social.accounts.models import User
from intranet_social.core.reads import Packed
from intranet_social.extensions import db
from intranet_social.friends.service import friend_ids
from intranet_social.posts.audience import Relation, opened_text, visible_to_id
from intranet_social.posts.cards import FeedPage, build_page
from intranet_social.posts.models import Post
from intranet_social.posts.must_read import IS_MUST_READ, acknowledged_by, in_audience
from intranet_social.spaces.service import member_space_ids

PAGE_SIZE = 20
#: announcements shown at the top; older pinned ones flow in the stream like any post
MAX_PINNED = 10
#: unacknowledged must-read announcements shown at the top, newest first; older ones wait
#: their turn (and are in the stream meanwhile, when it has them)
MAX_MUST_READ = 5
#: SQLite allows 500 terms in one compound SELECT; larger friend lists merge in groups
ARMS_PER_GROUP = 400
#: friend lists are padded to a multiple of this with an id nobody has (its arm finds nothing
#: at once), so a statement's text, and its prepared form of about 0.3 MB, is shared by
#: everyone with about as many friends instead of one per friend count
FRIENDS_STEP = 16
#: the same for the list of spaces
SPACES_STEP = 4
NOBODY = 0
#: how a row of :data:`_SOURCES` says what its id is
FRIEND, SPACE = 0, 1


#: built once, like the other statements here: building one costs more than running it
_PINNED = Packed(
    select(Post.id)
    .where(Post.pinned.is_(True), visible_to_id(bindparam("viewer")))
    .order_by(Post.id.desc())
    .limit(MAX_PINNED),
    unordered=True,
)
#: the newest must-reads the viewer is asked to acknowledge and has not: read backwards on
#: the ``(must_read, id)`` index, which holds only the few must-reads there are
_MUST_READ = Packed(
    select(Post.id)
    .where(
        IS_MUST_READ,
        in_audience(bindparam("viewer")),
        ~exists(acknowledged_by(bindparam("viewer"))),
    )
    .order_by(Post.id.desc())
    .limit(MAX_MUST_READ),
    unordered=True,
)
_SOURCE_ROWS = union_all(
    friend_ids(bindparam("viewer")).add_columns(literal(FRIEND).label("kind")),
    member_space_ids(bindparam("viewer")).add_columns(literal(SPACE).label("kind")),
).subquery("sources")
#: the viewer's friends and spaces, in one read
_SOURCES = Packed(select(*_SOURCE_ROWS.c), unordered=True)


def pinned_ids(viewer: User) -> list[int]:
    """The newest pinned posts ``viewer`` may see."""
    return _PINNED.ids_newest_first({"viewer": viewer.id})


def must_read_ids(viewer: User) -> list[int]:
    """The newest must-read posts ``viewer`` is asked to acknowledge and has not."""
    return _MUST_READ.ids_newest_first({"viewer": viewer.id})


#: the sources of the SQLite stream: the column an arm reads by, and how the viewer stands
#: to the posts it reads
OWN_POSTS = ("author_id", Relation.AUTHOR)
MY_WALL = ("wall_id", Relation.WALL_OWNER)
FRIENDS_POSTS = ("author_id", Relation.FRIEND_OF_AUTHOR)
SPACE_POSTS = ("space_id", Relation.SPACE_MEMBER)


def _arm(column: str, audience: str, owner: int, condition: str, take: int) -> str:
    # Only names, integers and the audience rule's text go into the text; every value is a
    # bound parameter (numbered, ``?N``; the viewer is ``?1``), so one prepared statement
    # serves everyone whose padded friend list is as long.
    return (
        f"SELECT id FROM (SELECT id FROM posts WHERE {column} = ?{int(owner)}{condition}"  # noqa: S608
        f"{audience} ORDER BY id DESC LIMIT {int(take)}) AS arm"
    )


def _merge(parts: list[str], take: int) -> str:
    # A compound SELECT ordered as a whole lets SQLite merge its sorted parts lazily
    # (EXPLAIN QUERY PLAN: "MERGE (UNION)"), stopping once it has ``take`` rows.
    return " UNION ".join(parts) + f" ORDER BY 1 DESC LIMIT {int(take)}"


def stream_sql(
    viewer_id: int,
    friends: list[int],
    before: int | None,
    take: int,
    spaces: Sequence[int] = (),
) -> tuple[str, tuple[int, ...]]:
    """One statement and its parameters (by position: ``?1`` is the first): the newest
    ``take`` posts below ``before`` from each source, merged, newest first.

    Posts to leave out (the pinned ones) are not in it: an ``id NOT IN (...)`` in every arm
    made SQLite build a small lookup table per arm, three times the cost of the whole merge.
    The caller asks for as many more rows as it leaves out and drops them itself."""
    params = [viewer_id]
    condition = ""
    if before is not None:
        params.append(before)
        condition = f" AND id < ?{len(params)}"
    sources = [(OWN_POSTS, 1), (MY_WALL, 1)]
    for friend in [*friends, *[NOBODY] * (-len(friends) % FRIENDS_STEP)]:
        params.append(friend)
        sources.append((FRIENDS_POSTS, len(params)))
    for space in [*spaces, *[NOBODY] * (-len(spaces) % SPACES_STEP)]:
        params.append(space)
        sources.append((SPACE_POSTS, len(params)))
    audience = {
        relation: opened_text("sqlite", relation)
        for relation in (
            Relation.AUTHOR,
            Relation.WALL_OWNER,
            Relation.FRIEND_OF_AUTHOR,
            Relation.SPACE_MEMBER,
        )
    }
    arms = [
        _arm(column, audience[relation], owner, condition, take)
        for (column, relation), owner in sources
    ]
    if len(arms) <= ARMS_PER_GROUP:
        return _merge(arms, take), tuple(params)
    groups = [
        f"SELECT id FROM ({_merge(arms[start : start + ARMS_PER_GROUP], take)}) AS grp"  # noqa: S608
        for start in range(0, len(arms), ARMS_PER_GROUP)
    ]
    return _merge(groups, take), tuple(params)


@cache
def _postgresql_stream(
    own_audience: str, friends_audience: str, wall_audience: str, space_audience: str
) -> TextClause:
    return text(
        "SELECT id FROM ("  # noqa: S608 (the audience rule's text, made from our own values)
        " SELECT arm.id FROM unnest(CAST(:friends AS integer[])) AS source(owner)"
        " CROSS JOIN LATERAL (SELECT id FROM posts WHERE author_id = source.owner"
        f"  AND id < :before AND id <> ALL(CAST(:skip AS integer[])){friends_audience}"
        "  ORDER BY id DESC LIMIT :take) AS arm"
        " UNION"
        " SELECT id FROM (SELECT id FROM posts WHERE author_id = :viewer"
        f"  AND id < :before AND id <> ALL(CAST(:skip AS integer[])){own_audience}"
        "  ORDER BY id DESC LIMIT :take) AS own"
        " UNION"
        " SELECT arm.id FROM unnest(CAST(:spaces AS integer[])) AS source(space)"
        " CROSS JOIN LATERAL (SELECT id FROM posts WHERE space_id = source.space"
        f"  AND id < :before AND id <> ALL(CAST(:skip AS integer[])){space_audience}"
        "  ORDER BY id DESC LIMIT :take) AS arm"
        " UNION"
        " SELECT id FROM (SELECT id FROM posts WHERE wall_id = :viewer"
        f"  AND id < :before AND id <> ALL(CAST(:skip AS integer[])){wall_audience}"
        "  ORDER BY id DESC LIMIT :take) AS wall"
        ") AS stream ORDER BY id DESC LIMIT :take"
    )


def postgresql_stream() -> TextClause:
    """The stream for PostgreSQL: the viewer's own and their friends' newest posts (one arm per
    author, by ``LATERAL``), their spaces' (one arm per space) and their wall's, merged.
    Made once per audience rule."""
    return _postgresql_stream(
        opened_text("postgresql", Relation.AUTHOR),
        opened_text("postgresql", Relation.FRIEND_OF_AUTHOR),
        opened_text("postgresql", Relation.WALL_OWNER),
        opened_text("postgresql", Relation.SPACE_MEMBER),
    )


#: above every id PostgreSQL's INTEGER can hold: "before" on the first page
NO_UPPER_BOUND = 2**31


def stream_ids(viewer: User, before: int | None, skip: list[int], limit: int) -> list[int]:
    """Up to ``limit + 1`` ids of the stream below ``before``, leaving out ``skip``."""
    sources = _SOURCES.rows({"viewer": viewer.id})
    friends = sorted(source_id for source_id, kind in sources if kind == FRIEND)
    spaces = sorted(source_id for source_id, kind in sources if kind == SPACE)
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        params = {
            "friends": friends,
            "spaces": spaces,
            "viewer": viewer.id,
            "before": NO_UPPER_BOUND if before is None else before,
            "skip": skip,
            "take": limit + 1,
        }
        return list(connection.execute(postgresql_stream(), params).scalars())
    # Every skipped id may be among a source's newest, so each source gives that many more
    # (there are at most MAX_MUST_READ + MAX_PINNED of them; pinned ones the same few for
    # everyone).
    sql, positional = stream_sql(viewer.id, friends, before, limit + 1 + len(skip), spaces)
    # Straight to SQLite, whose driver takes the parameters by position itself (by name, it
    # looks each one up with the interpreter lock let go: see core/reads.py). The ids come
    # as one text, for the same reason, and are put newest first again.
    packed = f"SELECT group_concat(id) FROM ({sql})"  # noqa: S608 (names and integers only)
    listed = connection.exec_driver_sql(packed, positional).scalar()
    rows = sorted(map(int, listed.split(",")), reverse=True) if listed else []
    left_out = set(skip)
    return [post_id for post_id in rows if post_id not in left_out][: limit + 1]


def feed_page(viewer: User, before: int | None = None, limit: int = PAGE_SIZE) -> FeedPage:
    """A page of ``viewer``'s feed: on the first page the must-reads they have yet to
    acknowledge, then pinned announcements, then ``limit`` posts older than the post id
    ``before``. Every page leaves those out of the stream, so they are never shown twice."""
    must_read = must_read_ids(viewer)
    pinned = [*must_read, *(post_id for post_id in pinned_ids(viewer) if post_id not in must_read)]
    ids = stream_ids(viewer, before, pinned, limit)
    return build_page(viewer, pinned if before is None else [], ids, limit)
