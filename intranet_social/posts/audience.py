"""Who may see a post: the one rule, for every read path.

A post is seen by whoever holds one of the grants of :data:`GRANTS` for the post's audience:
everyone signed in for an ``everyone`` post; its author and the owner of the wall it is on,
whatever the audience; the friends of its author and of the wall's owner for a ``friends``
post; the members of its space for a ``space`` post, and everyone signed in when that space
is open. Leaving a space, being removed, or the space turning closed or secret hides its
posts at once: the rule reads the membership and the visibility with the post. Admins and
moderators get no wider view. Whoever may not see a post is told it does not exist (404):
the post, its photos and video, its likes and its comments alike, since these are exactly as
visible as their post. Seeing a post is what it takes to like it and to comment on it. (Who
may change a post is :mod:`intranet_social.posts.permissions`.)

Everything else is made from :data:`GRANTS`, so a new audience is one more
:class:`Audience` and the grants that open it, here and nowhere else:

- :func:`visible_to` / :func:`visible_to_id`: the rule as a SQL condition on :class:`Post`
  (the viewer may be a bound parameter, for statements built once): walls, search, pinned
  announcements, post cards, notifications;
- :func:`can_view_post`: the same grants checked in Python for one loaded post: the post
  page, its media and comments, likes, mentions;
- :func:`opened_by` / :func:`opened_text`: for a read path that gathers its rows relation
  by relation (the feed's arms: my posts, my wall, each friend's posts, each of my spaces'),
  what that relation itself opens, as a test of the row's audience alone (which the
  ``(author_id, id, audience)`` and ``(space_id, id, audience)`` indexes hold): nothing for
  the viewer's own posts and wall, ``friends`` and ``everyone`` for a friend's posts, the
  space audience for a space's.

Grants name an audience set only where it matters: a grant for every audience adds no
audience test to the SQL, and a grant for a list of audiences does not open one added later.

Every read path of posts goes through here: the feed (stream, both databases, pinned
announcements, and must-read ones, whose audience :mod:`~intranet_social.posts.must_read`
builds on this rule), walls, search, the post page and the API, comments, likes, photos and
videos, post cards (which drop any id the rule does not allow, whoever found it), mentions,
notification links and the report form. ``tests/posts/test_audience_routes.py`` requests
every page and API operation to prove it. Conversations are not posts: only their current
members see them, their messages and photos; that rule is stated once, for Python and SQL,
by ``messaging.models.ConversationMember.is_current`` (messaging sits above posts, so it
cannot live here), and the same test checks it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cache

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    and_,
    false,
    literal,
    or_,
)
from sqlalchemy.dialects import postgresql, sqlite

from intranet_social.accounts.models import User
from intranet_social.friends.service import are_friends, friend_ids
from intranet_social.posts.models import Audience, Post
from intranet_social.spaces.service import is_member, is_open, member_space_ids, open_space_ids

ViewerId = int | BindParameter[int] | ColumnElement[int]


class Relation(enum.Enum):
    """How a viewer stands to a post."""

    ANYONE = "anyone signed in"
    AUTHOR = "its author"
    WALL_OWNER = "the owner of the wall it is on"
    FRIEND_OF_AUTHOR = "a friend of its author"
    FRIEND_OF_WALL_OWNER = "a friend of the wall's owner"
    SPACE_MEMBER = "a member of its space"
    IN_OPEN_SPACE = "anyone signed in, the post being in an open space"


@dataclass(frozen=True)
class Grant:
    """Whoever stands in ``relation`` to a post whose audience is one of ``audiences``
    sees it."""

    relation: Relation
    audiences: frozenset[Audience]


EVERY_AUDIENCE = frozenset(Audience)

#: the rule: a post is visible to a viewer holding any grant for the post's audience
GRANTS = (
    Grant(Relation.ANYONE, frozenset({Audience.EVERYONE})),
    Grant(Relation.AUTHOR, EVERY_AUDIENCE),
    Grant(Relation.WALL_OWNER, EVERY_AUDIENCE),
    # ``everyone`` is named though anyone sees those posts: it keeps the SQL of these grants
    # free of an audience test, and the feed's arms free of any condition
    Grant(Relation.FRIEND_OF_AUTHOR, frozenset({Audience.FRIENDS, Audience.EVERYONE})),
    Grant(Relation.FRIEND_OF_WALL_OWNER, frozenset({Audience.FRIENDS, Audience.EVERYONE})),
    Grant(Relation.SPACE_MEMBER, frozenset({Audience.SPACE})),
    Grant(Relation.IN_OPEN_SPACE, frozenset({Audience.SPACE})),
)


# ---------------------------------------------------------------- in SQL


def _relation_sql(relation: Relation, viewer_id: ViewerId) -> ColumnElement[bool] | None:
    """``relation`` as a condition on :class:`Post`; ``None`` when it always holds."""
    if relation is Relation.ANYONE:
        return None
    if relation is Relation.AUTHOR:
        return Post.author_id == viewer_id
    if relation is Relation.WALL_OWNER:
        return Post.wall_id == viewer_id
    if relation is Relation.SPACE_MEMBER:
        return Post.space_id.in_(member_space_ids(viewer_id))
    if relation is Relation.IN_OPEN_SPACE:
        return Post.space_id.in_(open_space_ids())
    friends = friend_ids(viewer_id)  # type: ignore[arg-type]
    if relation is Relation.FRIEND_OF_AUTHOR:
        return Post.author_id.in_(friends)
    return Post.wall_id.in_(friends)


def _audience_sql(audiences: frozenset[Audience]) -> ColumnElement[bool] | None:
    if audiences >= EVERY_AUDIENCE:
        return None
    if len(audiences) == 1:
        return Post.audience == next(iter(audiences)).value
    # a list of single values, not one expanding parameter: statements built once are
    # compiled once (core/reads.py)
    return Post.audience.in_([literal(audience.value) for audience in sorted(audiences)])


def _rule_sql(viewer_id: ViewerId, known: Relation | None) -> ColumnElement[bool] | None:
    """The rule for rows known to hold ``known`` (if any); ``None`` when every such row
    is visible."""
    terms = []
    for grant in GRANTS:
        parts = [
            part
            for part in (
                _audience_sql(grant.audiences),
                None if grant.relation is known else _relation_sql(grant.relation, viewer_id),
            )
            if part is not None
        ]
        if not parts:
            return None
        terms.append(and_(*parts) if len(parts) > 1 else parts[0])
    return or_(*terms)


def visible_to_id(viewer_id: ViewerId) -> ColumnElement[bool]:
    """:func:`can_view_post` as a SQL condition on :class:`Post`, for ``viewer_id`` (which
    may be a bound parameter, for a statement built once)."""
    condition = _rule_sql(viewer_id, None)
    assert condition is not None, "no grant opens every post to everyone"
    return condition


def visible_to(viewer: User) -> ColumnElement[bool]:
    """:func:`visible_to_id` for ``viewer``."""
    return visible_to_id(viewer.id)


def opened_by(relation: Relation) -> ColumnElement[bool] | None:
    """Among rows known to hold ``relation``, those it makes visible itself: the audiences its
    own grants open, as a condition on the row's audience (``None``: every audience).

    For a read path that gathers its rows relation by relation, each part with what its own
    relation opens (the feed's arms: my posts, my wall, each friend's posts, each of my
    spaces'): a row visible only through another relation is gathered by that relation's
    part, or is not the read path's to show. It never asks about another
    relation, so it reads nothing but the row's audience, which an index can
    hold (``ix_posts_author_id_id``)."""
    audiences = frozenset(
        audience for grant in GRANTS if grant.relation is relation for audience in grant.audiences
    )
    if not audiences:
        return false()
    return _audience_sql(audiences)


#: the databases whose statements may be written as text
_DIALECTS = {"sqlite": sqlite.dialect, "postgresql": postgresql.dialect}


@cache
def opened_text(database: str, relation: Relation) -> str:
    """:func:`opened_by` as SQL text for ``database``, to follow a ``WHERE`` clause
    (``" AND (...)"``, or nothing), for statements written as text."""
    condition = opened_by(relation)
    if condition is None:
        return ""
    dialect = _DIALECTS[database]()
    compiled = condition.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    return f" AND ({compiled})"


# ---------------------------------------------------------------- in Python


class _Standing:
    """How one viewer stands to one post, each friendship looked up once, when asked."""

    def __init__(self, viewer_id: int, post: Post) -> None:
        self.viewer_id = viewer_id
        self.post = post
        self._friends: dict[int, bool] = {}

    def _friend(self, person_id: int) -> bool:
        if person_id not in self._friends:
            self._friends[person_id] = are_friends(self.viewer_id, person_id)
        return self._friends[person_id]

    def holds(self, relation: Relation) -> bool:
        if relation is Relation.ANYONE:
            return True
        if relation is Relation.AUTHOR:
            return self.viewer_id == self.post.author_id
        if relation is Relation.WALL_OWNER:
            return self.viewer_id == self.post.wall_id
        space_id = self.post.space_id
        if relation is Relation.SPACE_MEMBER:
            return space_id is not None and is_member(self.viewer_id, space_id)
        if relation is Relation.IN_OPEN_SPACE:
            return space_id is not None and is_open(space_id)
        if relation is Relation.FRIEND_OF_AUTHOR:
            return self._friend(self.post.author_id)
        return self._friend(self.post.wall_id)


def can_view_post(viewer: User, post: Post) -> bool:
    """Whether ``viewer`` may see ``post`` (and so its media, likes and comments)."""
    standing = _Standing(viewer.id, post)
    return any(
        post.audience in grant.audiences and standing.holds(grant.relation) for grant in GRANTS
    )
