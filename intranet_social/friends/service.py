"""Friend requests and friendships: the rules, the queries, mutual friends and suggestions.

Every action is idempotent: asking twice sends one request, accepting twice makes one
friendship, and so on. Asking someone who has already asked you makes you friends at once.
Only active people can be befriended; anyone else is "not found". A declined request still
looks sent to its sender (people are not told they were declined) and cannot be repeated
until the sender withdraws it. Functions only ``flush()``; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Select, and_, case, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from intranet_social.accounts.models import Status, User
from intranet_social.core import events
from intranet_social.core.errors import Conflict, Forbidden, Invalid, NotFound
from intranet_social.core.models import utcnow
from intranet_social.extensions import db
from intranet_social.friends.blocks import blocked_either_way, is_blocked_between
from intranet_social.friends.models import FriendRequest, Friendship, RequestStatus

#: what a sender sees as "request sent": a declined request looks pending to its sender
SENT_STATUSES = (RequestStatus.PENDING.value, RequestStatus.DECLINED.value)
SUGGESTION_CANDIDATES = 200


@dataclass(frozen=True)
class Relation:
    """How the viewer stands with one person."""

    state: str  # "self" | "friends" | "request_sent" | "request_received" | "none"
    request: FriendRequest | None = None
    mutual_friends: int = 0


@dataclass(frozen=True)
class PendingRequest:
    request: FriendRequest
    sender: User
    recipient: User


# ---------------------------------------------------------------- queries


def friend_ids(user_id: int | BindParameter[int]) -> Select[int]:
    """The ids of ``user_id``'s friends, as a query usable inside others (``.in_(...)``);
    ``user_id`` may be a bound parameter, for a statement built once."""
    return select(Friendship.friend_id).where(Friendship.user_id == user_id)


def are_friends(a_id: int, b_id: int) -> bool:
    found = db.session.scalar(
        select(Friendship.user_id).where(Friendship.user_id == a_id, Friendship.friend_id == b_id)
    )
    return found is not None


def active_user(username: str) -> User:
    """The active person called ``username``; anyone else is not found."""
    user = db.session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    if user is None or user.status != Status.ACTIVE:
        raise NotFound(f"There is no one called {username!r} here.", "username")
    return user


def friends_page(user: User, *, after: str | None = None, limit: int = 20) -> list[User]:
    """``user``'s active friends by username, ``limit`` of them after the username ``after``."""
    query = (
        select(User)
        .join(Friendship, Friendship.friend_id == User.id)
        .where(Friendship.user_id == user.id, User.status == Status.ACTIVE)
        .order_by(User.username)
        .limit(limit)
    )
    if after:
        query = query.where(User.username > after)
    return list(db.session.scalars(query))


def mutual_friends(
    viewer: User, other: User, *, after: str | None = None, limit: int = 20
) -> list[User]:
    """Active people who are friends of both, by username, ``limit`` after ``after``."""
    query = (
        select(User)
        .join(Friendship, Friendship.friend_id == User.id)
        .where(
            Friendship.user_id == viewer.id,
            User.id.in_(friend_ids(other.id)),
            User.status == Status.ACTIVE,
        )
        .order_by(User.username)
        .limit(limit)
    )
    if after:
        query = query.where(User.username > after)
    return list(db.session.scalars(query))


def mutual_counts(viewer_id: int, user_ids: list[int]) -> dict[int, int]:
    """For each of ``user_ids``, how many active friends they share with the viewer."""
    if not user_ids:
        return {}
    mine, theirs = aliased(Friendship), aliased(Friendship)
    rows = db.session.execute(
        select(theirs.user_id, func.count())
        .join(mine, mine.friend_id == theirs.friend_id)
        .join(User, User.id == theirs.friend_id)
        .where(
            mine.user_id == viewer_id,
            theirs.user_id.in_(user_ids),
            User.status == Status.ACTIVE,
        )
        .group_by(theirs.user_id)
    )
    return {user_id: count for user_id, count in rows}


def relations(viewer_id: int, user_ids: list[int]) -> dict[int, Relation]:
    """How the viewer stands with each of ``user_ids``: three queries whatever their number."""
    others = [user_id for user_id in user_ids if user_id != viewer_id]
    found: dict[int, Relation] = {viewer_id: Relation("self")} if viewer_id in user_ids else {}
    if not others:
        return found
    friends = set(
        db.session.scalars(
            select(Friendship.friend_id).where(
                Friendship.user_id == viewer_id, Friendship.friend_id.in_(others)
            )
        )
    )
    requests = db.session.scalars(
        select(FriendRequest).where(
            or_(
                and_(
                    FriendRequest.from_id == viewer_id,
                    FriendRequest.to_id.in_(others),
                    FriendRequest.status.in_(SENT_STATUSES),
                ),
                and_(
                    FriendRequest.to_id == viewer_id,
                    FriendRequest.from_id.in_(others),
                    FriendRequest.status == RequestStatus.PENDING,
                ),
            )
        )
    )
    open_requests = {}
    for request in requests:
        sent = request.from_id == viewer_id
        other = request.to_id if sent else request.from_id
        open_requests[other] = ("request_sent" if sent else "request_received", request)
    counts = mutual_counts(viewer_id, others)
    for other in others:
        mutual = counts.get(other, 0)
        if other in friends:
            found[other] = Relation("friends", None, mutual)
        elif other in open_requests:
            state, request = open_requests[other]
            found[other] = Relation(state, request, mutual)
        else:
            found[other] = Relation("none", None, mutual)
    return found


def incoming_requests(user: User) -> list[PendingRequest]:
    """Open requests to ``user`` from active people, newest first."""
    sender = aliased(User)
    rows = db.session.execute(
        select(FriendRequest, sender)
        .join(sender, sender.id == FriendRequest.from_id)
        .where(
            FriendRequest.to_id == user.id,
            FriendRequest.status == RequestStatus.PENDING,
            sender.status == Status.ACTIVE,
        )
        .order_by(FriendRequest.created_at.desc(), FriendRequest.id.desc())
    )
    return [PendingRequest(request, other, user) for request, other in rows]


def outgoing_requests(user: User) -> list[PendingRequest]:
    """Requests ``user`` has sent that still look open to them, newest first."""
    recipient = aliased(User)
    rows = db.session.execute(
        select(FriendRequest, recipient)
        .join(recipient, recipient.id == FriendRequest.to_id)
        .where(
            FriendRequest.from_id == user.id,
            FriendRequest.status.in_(SENT_STATUSES),
            recipient.status == Status.ACTIVE,
        )
        .order_by(FriendRequest.created_at.desc(), FriendRequest.id.desc())
    )
    return [PendingRequest(request, user, other) for request, other in rows]


def suggestions(user: User, *, limit: int = 10) -> list[tuple[User, int]]:
    """People ``user`` may know, with their number of mutual friends: friends of friends with
    the most mutual friends first, then colleagues of the same department. Friends, people
    with a request either way, people blocked either way, and ``user`` are left out."""
    mine, theirs = aliased(Friendship), aliased(Friendship)
    requested = select(FriendRequest.to_id).where(
        FriendRequest.from_id == user.id, FriendRequest.status.in_(SENT_STATUSES)
    )
    requesting = select(FriendRequest.from_id).where(
        FriendRequest.to_id == user.id, FriendRequest.status == RequestStatus.PENDING
    )
    excluded = [
        User.id != user.id,
        User.status == Status.ACTIVE,
        User.id.not_in(friend_ids(user.id)),
        User.id.not_in(requested),
        User.id.not_in(requesting),
        User.id.not_in(blocked_either_way(user.id)),
    ]
    mutual = func.count().label("mutual")
    same_department = case(
        (and_(User.department == user.department, User.department != ""), 1), else_=0
    )
    friends_of_friends = db.session.execute(
        select(User, mutual)
        .join(theirs, theirs.friend_id == User.id)
        .join(mine, mine.friend_id == theirs.user_id)
        .where(mine.user_id == user.id, *excluded)
        .group_by(User.id)
        .order_by(mutual.desc(), same_department.desc(), User.name, User.id)
        .limit(SUGGESTION_CANDIDATES)
    ).all()
    found = [(person, count) for person, count in friends_of_friends]
    if len(found) < limit and user.department:
        seen = [person.id for person, _ in found]
        colleagues = db.session.scalars(
            select(User)
            .where(User.department == user.department, User.id.not_in(seen), *excluded)
            .order_by(User.name, User.id)
            .limit(limit - len(found))
        )
        found += [(person, 0) for person in colleagues]
    return found[:limit]


# ---------------------------------------------------------------- actions


def send_friend_request(sender: User, username: str) -> User:
    """Ask ``username`` to be friends; returns them. Asking someone who has asked you makes
    you friends; asking again, or asking a friend, changes nothing."""
    recipient = active_user(username)
    if recipient.id == sender.id:
        raise Invalid("You cannot send yourself a friend request.", "username")
    if is_blocked_between(sender.id, recipient.id):
        raise Forbidden("You cannot send this person a friend request.", "username")
    if are_friends(sender.id, recipient.id):
        return recipient
    theirs = _request_between(recipient.id, sender.id)
    if theirs is not None and theirs.status == RequestStatus.PENDING:
        _befriend(sender.id, recipient.id)
        events.friend_request_accepted.send(theirs, accepted_by=sender.id)
        return recipient
    mine = _request_between(sender.id, recipient.id)
    if mine is None:
        _insert_ignoring_duplicates(
            FriendRequest,
            {
                "from_id": sender.id,
                "to_id": recipient.id,
                "status": RequestStatus.PENDING.value,
                "created_at": utcnow(),
            },
        )
    elif mine.status not in SENT_STATUSES:
        mine.status = RequestStatus.PENDING.value
        mine.created_at = utcnow()
    else:
        return recipient
    db.session.flush()
    sent = _request_between(sender.id, recipient.id)
    if sent is not None:  # None only if the sender cancelled it meanwhile: nothing to announce
        events.friend_request_sent.send(sent)
    return recipient


def accept_request(user: User, request_id: int) -> User:
    """Accept a request sent to ``user``; returns the sender, now a friend."""
    request = _request_for(user, request_id, to_user=True)
    sender = _active_by_id(request.from_id)
    if request.status == RequestStatus.PENDING:
        _befriend(user.id, sender.id)
        events.friend_request_accepted.send(request, accepted_by=user.id)
    elif request.status != RequestStatus.ACCEPTED:
        raise Conflict("This friend request was withdrawn or declined; it cannot be accepted.")
    return sender


def decline_request(user: User, request_id: int) -> User:
    """Decline a request sent to ``user``; returns the sender."""
    request = _request_for(user, request_id, to_user=True)
    if request.status == RequestStatus.ACCEPTED:
        raise Conflict("You accepted this request already; unfriend them instead.")
    if request.status == RequestStatus.PENDING:
        request.status = RequestStatus.DECLINED.value
        db.session.flush()
    return _any_by_id(request.from_id)


def cancel_request(user: User, request_id: int) -> User:
    """Withdraw a request ``user`` sent; returns its recipient."""
    request = _request_for(user, request_id, to_user=False)
    if request.status == RequestStatus.ACCEPTED:
        raise Conflict("This request was accepted already; unfriend them instead.")
    if request.status in SENT_STATUSES:
        request.status = RequestStatus.CANCELLED.value
        events.friend_request_withdrawn.send(request)
        db.session.flush()
    return _any_by_id(request.to_id)


def unfriend(user: User, username: str) -> User:
    """End the friendship with ``username`` (if any); returns them."""
    other = db.session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    if other is None or other.status == Status.PENDING:
        raise NotFound(f"There is no one called {username!r} here.", "username")
    db.session.execute(
        delete(Friendship).where(
            or_(
                and_(Friendship.user_id == user.id, Friendship.friend_id == other.id),
                and_(Friendship.user_id == other.id, Friendship.friend_id == user.id),
            )
        )
    )
    db.session.flush()
    return other


# ---------------------------------------------------------------- helpers


def _request_between(from_id: int, to_id: int) -> FriendRequest | None:
    return db.session.scalar(
        select(FriendRequest).where(FriendRequest.from_id == from_id, FriendRequest.to_id == to_id)
    )


def _request_for(user: User, request_id: int, *, to_user: bool) -> FriendRequest:
    """The request, if ``user`` is its recipient (``to_user``) or its sender; else not found."""
    request = db.session.get(FriendRequest, request_id)
    owner = None if request is None else (request.to_id if to_user else request.from_id)
    if request is None or owner != user.id:
        raise NotFound("There is no such friend request.")
    return request


def _active_by_id(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.status != Status.ACTIVE:
        raise NotFound("That person is no longer here.")
    return user


def _any_by_id(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("That person is no longer here.")
    return user


def _befriend(a_id: int, b_id: int) -> None:
    """Make two people friends (both rows) and close the requests between them."""
    now = utcnow()
    _insert_ignoring_duplicates(
        Friendship,
        {"user_id": a_id, "friend_id": b_id, "created_at": now},
        {"user_id": b_id, "friend_id": a_id, "created_at": now},
    )
    for request in db.session.scalars(
        select(FriendRequest).where(
            or_(
                and_(FriendRequest.from_id == a_id, FriendRequest.to_id == b_id),
                and_(FriendRequest.from_id == b_id, FriendRequest.to_id == a_id),
            ),
            FriendRequest.status.in_(SENT_STATUSES),
        )
    ):
        request.status = RequestStatus.ACCEPTED.value
    db.session.flush()


def _insert_ignoring_duplicates(model: type[Any], *rows: dict[str, Any]) -> None:
    """Insert rows, skipping any that already exist: two people pressing the same button at
    once make one friendship, not a unique-constraint error."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(model).values(list(rows)).on_conflict_do_nothing())
