"""Lists of people as cards, for the pages and the API: the directory and the friends page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from intranet_social.accounts.models import Status, User
from intranet_social.extensions import db
from intranet_social.friends import service as friends
from intranet_social.friends.cards import ProfileCard, profile_cards

SEARCH_WORDS = 8
SEARCH_WORD_LENGTH = 100


@dataclass(frozen=True)
class PeoplePage:
    cards: list[ProfileCard]
    #: the username to continue after, or ``None`` on the last page
    next_after: str | None


@dataclass(frozen=True)
class RequestCard:
    id: int
    created_at: datetime
    #: the other person: the sender of an incoming request, the recipient of an outgoing one
    person: ProfileCard


@dataclass(frozen=True)
class FriendsOverview:
    friends: PeoplePage
    incoming: list[RequestCard]
    outgoing: list[RequestCard]
    suggestions: list[ProfileCard]


def _page(viewer: User, users: Sequence[User], limit: int) -> PeoplePage:
    """Cards of the first ``limit`` of ``users`` (fetched one more, to know if more follow)."""
    shown = list(users[:limit])
    next_after = shown[-1].username if len(users) > limit else None
    return PeoplePage(profile_cards(viewer, shown), next_after)


def directory(
    viewer: User,
    *,
    q: str | None = None,
    department: str | None = None,
    after: str | None = None,
    limit: int = 20,
) -> PeoplePage:
    found = find_people(q=q, department=department, after=after, limit=limit + 1)
    return _page(viewer, found, limit)


def friends_of(viewer: User, *, after: str | None = None, limit: int = 20) -> PeoplePage:
    return _page(viewer, friends.friends_page(viewer, after=after, limit=limit + 1), limit)


def mutual_friends_of(
    viewer: User, other: User, *, after: str | None = None, limit: int = 20
) -> PeoplePage:
    found = friends.mutual_friends(viewer, other, after=after, limit=limit + 1)
    return _page(viewer, found, limit)


def suggestion_cards(viewer: User, *, limit: int = 10) -> list[ProfileCard]:
    return profile_cards(viewer, [user for user, _ in friends.suggestions(viewer, limit=limit)])


def requests_of(viewer: User) -> tuple[list[RequestCard], list[RequestCard]]:
    """``(incoming, outgoing)`` open requests of ``viewer``, newest first."""
    incoming = friends.incoming_requests(viewer)
    outgoing = friends.outgoing_requests(viewer)
    people = [pending.sender for pending in incoming] + [pending.recipient for pending in outgoing]
    cards = {card.user_id: card for card in profile_cards(viewer, people)}
    return (
        [RequestCard(p.request.id, p.request.created_at, cards[p.sender.id]) for p in incoming],
        [RequestCard(p.request.id, p.request.created_at, cards[p.recipient.id]) for p in outgoing],
    )


def friends_overview(viewer: User, *, after: str | None = None, limit: int = 50) -> FriendsOverview:
    incoming, outgoing = requests_of(viewer)
    return FriendsOverview(
        friends=friends_of(viewer, after=after, limit=limit),
        incoming=incoming,
        outgoing=outgoing,
        suggestions=suggestion_cards(viewer),
    )


def find_people(
    *,
    q: str | None = None,
    department: str | None = None,
    after: str | None = None,
    limit: int = 20,
) -> list[User]:
    """Active people by username whose name, username, title or department contains ``q``,
    in ``department`` if given; ``limit`` of them after the username ``after``."""
    query = select(User).where(User.status == Status.ACTIVE).order_by(User.username).limit(limit)
    # A few words of sane length: an endless query must not make an endless SQL statement.
    words = (q or "").split()[:SEARCH_WORDS]
    for word in words:
        needle = word[:SEARCH_WORD_LENGTH].lower()
        query = query.where(
            or_(
                func.lower(User.name).contains(needle, autoescape=True),
                User.username.contains(needle, autoescape=True),
                func.lower(User.title).contains(needle, autoescape=True),
                func.lower(User.department).contains(needle, autoescape=True),
            )
        )
    if department:
        query = query.where(User.department == department)
    if after:
        query = query.where(User.username > after)
    return list(db.session.scalars(query))


def departments() -> list[str]:
    """Every department an active person is in, sorted."""
    return list(
        db.session.scalars(
            select(User.department)
            .where(User.status == Status.ACTIVE, User.department != "")
            .distinct()
            .order_by(User.department)
        )
    )
