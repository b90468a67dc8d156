"""Search: people by the starts of the words of their name, username, department and title;
spaces by the words in their name and description; posts by the words of their text. Only
what the searcher may see is ever found.

People: active accounts only, sorted by username and paged after the last one shown. Posts:
:func:`intranet_social.posts.audience.visible_to` (the rules of ``can_view_post``, in SQL)
filters the matches, newest first, paged below the last post id shown.

Spaces: open and closed ones for everyone, a secret one only for its members (the rule of
``spaces/service.known_to``), sorted by address and paged after the last one shown. A site has
hundreds of spaces, not millions, so each word is a ``LIKE`` over the ``spaces`` table
(lower-cased, anywhere in the name or the description) rather than a full-text index, which
would take a migration and triggers for little gain.

On SQLite the full-text indexes of migration 0004 answer (FTS5 tables kept in step with
``users`` and ``posts`` by triggers); on PostgreSQL the stored word vectors of migration 0005
(``search_vector`` columns with GIN indexes, cut into words the same way); each search picks
by dialect.

Query text is never FTS or ``tsquery`` syntax: it is cut into words of letters and digits
(everything else, quotes, operators and NUL included, only separates words) and each word is
quoted, so ``"``, ``AND``, ``*`` or ``&|!`` are searched for as text and never make a query
fail.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Integer,
    Select,
    bindparam,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import InstrumentedAttribute

from intranet_social.accounts.models import Status, User
from intranet_social.core.reads import Packed
from intranet_social.extensions import db
from intranet_social.friends.cards import ProfileCard, profile_cards
from intranet_social.posts.audience import visible_to_id
from intranet_social.posts.cards import FeedPage, build_page
from intranet_social.posts.models import Post
from intranet_social.spaces.models import Space
from intranet_social.spaces.service import SpaceView, known_to, view_of

PAGE_SIZE = 20
#: people and spaces shown beside posts when a search asks for all; their own page shows the rest
PEOPLE_PREVIEW = 5
SPACES_PREVIEW = 5
#: a query's useful part: a few words of sane length, so no query makes an endless statement
MAX_QUERY = 200
MAX_WORDS = 8
MAX_WORD_LENGTH = 40
#: what the FTS5 ``unicode61`` tokenizer keeps in a word: letters and digits
WORD = re.compile(r"[^\W_]+")

PEOPLE_INDEX = table("people_fts", column("rowid", Integer))
POSTS_INDEX = table("posts_fts", column("rowid", Integer))
#: PostgreSQL's word vectors (migration 0005), which no model maps
PEOPLE_VECTOR = literal_column("users.search_vector", TSVECTOR)
POSTS_VECTOR = literal_column("posts.search_vector", TSVECTOR)
#: the text search configuration of migration 0005: words as the vectors hold them
VECTOR_CONFIGURATION: ColumnClause[str] = literal_column("'social_search'::regconfig")


class Kind(enum.StrEnum):
    PEOPLE = "people"
    POSTS = "posts"
    SPACES = "spaces"


@dataclass(frozen=True)
class PeopleResults:
    cards: list[ProfileCard]
    #: the username to continue after, or ``None`` on the last page
    next_after: str | None


@dataclass(frozen=True)
class SpaceResults:
    spaces: list[SpaceView]
    #: the address to continue after, or ``None`` on the last page
    next_after: str | None


@dataclass(frozen=True)
class SearchResults:
    """What a search found; ``words`` empty means there was nothing to search for."""

    q: str
    words: list[str]
    people: PeopleResults = field(default_factory=lambda: PeopleResults([], None))
    posts: FeedPage = field(default_factory=FeedPage)
    spaces: SpaceResults = field(default_factory=lambda: SpaceResults([], None))


def query_words(q: str | None) -> list[str]:
    """The words searched for in ``q``, lower-cased, in order, without repeats."""
    words: list[str] = []
    for word in WORD.findall((q or "")[:MAX_QUERY].lower()):
        word = word[:MAX_WORD_LENGTH]
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def _match_expression(words: list[str], *, prefix: bool) -> str:
    """An FTS5 query that all ``words`` must match, each quoted so none is an operator."""
    star = "*" if prefix else ""
    return " ".join(f'"{word}"{star}' for word in words)


def _on_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _vector_expression(words: list[str], *, prefix: bool) -> str:
    """A ``tsquery`` that all ``words`` (or words starting with them, for ``prefix``) must
    match. Each word is quoted, and being letters and digits only, holds no quote to end it
    early."""
    star = ":*" if prefix else ""
    return " & ".join(f"'{word}'{star}" for word in words)


def _fulltext(index: str, expression: object) -> ColumnElement[bool]:
    """The FTS5 ``index`` matches ``expression`` (a :func:`_match_expression`, or a bound
    parameter holding one)."""
    return literal_column(index).op("MATCH")(expression)


def _vector_match(vector: ColumnElement[Any], expression: object) -> ColumnElement[bool]:
    """``vector`` matches ``expression`` (a :func:`_vector_expression`, or a bound parameter
    holding one)."""
    return vector.op("@@")(func.to_tsquery(VECTOR_CONFIGURATION, expression))


def find_people(
    viewer: User, q: str | None, *, after: str | None = None, limit: int = PAGE_SIZE
) -> PeopleResults:
    """Active people any of whose name, username, department or title words start with each
    word of ``q`` ("ann" finds Anna Smith, "fin" the Finance department), by username."""
    words = query_words(q)
    if not words:
        return PeopleResults([], None)
    query: Select[User] = select(User).where(User.status == Status.ACTIVE)
    if _on_sqlite():
        # the index leads: a query matches few of the people, and the status index all
        query = (
            query.select_from(PEOPLE_INDEX)
            .join(User, User.id == PEOPLE_INDEX.c.rowid)
            .where(_fulltext("people_fts", _match_expression(words, prefix=True)))
        )
    else:
        query = query.where(_vector_match(PEOPLE_VECTOR, _vector_expression(words, prefix=True)))
    if after:
        query = query.where(User.username > after)
    found = list(db.session.scalars(query.order_by(User.username).limit(limit + 1)))
    shown = found[:limit]
    next_after = shown[-1].username if len(found) > limit else None
    return PeopleResults(profile_cards(viewer, shown), next_after)


def find_spaces(
    viewer: User, q: str | None, *, after: str | None = None, limit: int = PAGE_SIZE
) -> SpaceResults:
    """Spaces ``viewer`` may know of whose name or description holds each word of ``q``
    ("design" finds Design Team and a space "for designers"), by address."""
    words = query_words(q)
    if not words:
        return SpaceResults([], None)
    query = select(Space).where(known_to(viewer.id))
    for word in words:
        # a word is letters and digits only, so it holds no LIKE wildcard to escape
        pattern = f"%{word}%"
        query = query.where(
            or_(func.lower(Space.name).like(pattern), func.lower(Space.description).like(pattern))
        )
    if after:
        query = query.where(Space.slug > after)
    found = list(db.session.scalars(query.order_by(Space.slug).limit(limit + 1)))
    shown = found[:limit]
    next_after = shown[-1].slug if len(found) > limit else None
    return SpaceResults([view_of(viewer, space) for space in shown], next_after)


def _posts_statement(*, sqlite: bool, paged: bool) -> Select[int]:
    """Ids of the posts matching ``:match`` that ``:viewer`` may see (below ``:before`` when
    ``paged``), newest first, at most ``:take``."""
    key: ColumnElement[int] | InstrumentedAttribute[int]
    if sqlite:
        key = POSTS_INDEX.c.rowid
        query = (
            select(Post.id)
            .select_from(POSTS_INDEX)
            .join(Post, Post.id == key)
            .where(_fulltext("posts_fts", bindparam("match")))
        )
    else:
        key = Post.id
        query = select(Post.id).where(_vector_match(POSTS_VECTOR, bindparam("match")))
    query = query.where(visible_to_id(bindparam("viewer")))
    if paged:
        query = query.where(key < bindparam("before"))
    return query.order_by(key.desc()).limit(bindparam("take"))


#: built once per database and paging, as building one costs more than running it
_POSTS = {
    (sqlite, paged): Packed(_posts_statement(sqlite=sqlite, paged=paged), unordered=True)
    for sqlite in (True, False)
    for paged in (True, False)
}


def find_posts(
    viewer: User, q: str | None, *, before: int | None = None, limit: int = PAGE_SIZE
) -> FeedPage:
    """Posts ``viewer`` may see containing every word of ``q``, newest first, older than the
    post id ``before``."""
    words = query_words(q)
    if not words:
        return FeedPage()
    sqlite = _on_sqlite()
    params: dict[str, object] = {
        "match": (_match_expression if sqlite else _vector_expression)(words, prefix=False),
        "viewer": viewer.id,
        "take": limit + 1,
    }
    if before is not None:
        params["before"] = before
    ids = _POSTS[sqlite, before is not None].ids_newest_first(params)
    return build_page(viewer, [], ids, limit)


def search(
    viewer: User,
    q: str | None,
    kind: Kind | None = None,
    *,
    after: str | None = None,
    before: int | None = None,
    limit: int = PAGE_SIZE,
) -> SearchResults:
    """People, spaces, posts or all (a few people and spaces, a page of posts) matching
    ``q``; ``after`` continues people or spaces, whichever ``kind`` asks for."""
    text = (q or "").strip()[:MAX_QUERY]
    words = query_words(text)
    if not words:
        return SearchResults(text, [])
    people = PeopleResults([], None)
    spaces = SpaceResults([], None)
    posts = FeedPage()
    if kind in (None, Kind.PEOPLE):
        people_limit = limit if kind is Kind.PEOPLE else PEOPLE_PREVIEW
        people = find_people(viewer, text, after=after, limit=people_limit)
    if kind is Kind.SPACES:
        spaces = find_spaces(viewer, text, after=after, limit=limit)
    elif kind is None:
        spaces = find_spaces(viewer, text, limit=SPACES_PREVIEW)
    if kind in (None, Kind.POSTS):
        posts = find_posts(viewer, text, before=before, limit=limit)
    return SearchResults(text, words, people, posts, spaces)
