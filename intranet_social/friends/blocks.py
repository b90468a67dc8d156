"""Blocking: a person who blocks another gets no messages and no friend requests from them,
and neither is suggested to the other. Functions only ``flush()``; the caller commits."""

from __future__ import annotations

from sqlalchemy import Select, and_, delete, or_, select, union, update

from intranet_social.accounts.models import Status, User
from intranet_social.core.errors import Invalid, NotFound
from intranet_social.extensions import db
from intranet_social.friends.models import Block, FriendRequest, RequestStatus


def is_blocked_between(a_id: int, b_id: int) -> bool:
    """Whether either of the two has blocked the other."""
    found = db.session.scalar(
        select(Block.blocker_id)
        .where(
            or_(
                and_(Block.blocker_id == a_id, Block.blocked_id == b_id),
                and_(Block.blocker_id == b_id, Block.blocked_id == a_id),
            )
        )
        .limit(1)
    )
    return found is not None


def has_blocked(blocker_id: int, blocked_id: int) -> bool:
    return db.session.get(Block, (blocker_id, blocked_id)) is not None


def blocked_either_way(user_id: int) -> Select[tuple[int]]:
    """The ids of people ``user_id`` blocked or was blocked by, usable inside other queries."""
    return select(
        union(
            select(Block.blocked_id).where(Block.blocker_id == user_id),
            select(Block.blocker_id).where(Block.blocked_id == user_id),
        ).subquery()
    )


def active_person(username: str) -> User:
    """The active person called ``username``; anyone else is not found."""
    name = (username or "").strip().lower()
    user = None if "\x00" in name else db.session.scalar(select(User).where(User.username == name))
    if user is None or user.status != Status.ACTIVE:
        raise NotFound(f"There is no one called {username!r} here.", "username")
    return user


def blocked_people(user: User) -> list[User]:
    """The people ``user`` has blocked, by name."""
    query = (
        select(User)
        .join(Block, Block.blocked_id == User.id)
        .where(Block.blocker_id == user.id)
        .order_by(User.name, User.id)
    )
    return list(db.session.scalars(query))


def block(user: User, username: str) -> User:
    """Block ``username``; blocking twice changes nothing. Returns them. Open friend requests
    between the two close: theirs is declined (it still looks sent to them), ``user``'s is
    withdrawn."""
    other = active_person(username)
    if other.id == user.id:
        raise Invalid("You cannot block yourself.", "username")
    if db.session.get(Block, (user.id, other.id)) is None:
        db.session.add(Block(blocker_id=user.id, blocked_id=other.id))
    for sender, recipient, status in (
        (other.id, user.id, RequestStatus.DECLINED),
        (user.id, other.id, RequestStatus.CANCELLED),
    ):
        db.session.execute(
            update(FriendRequest)
            .where(
                FriendRequest.from_id == sender,
                FriendRequest.to_id == recipient,
                FriendRequest.status == RequestStatus.PENDING,
            )
            .values(status=status.value)
        )
    db.session.flush()
    return other


def unblock(user: User, username: str) -> User:
    """Lift a block ``user`` placed on ``username`` (if any). Returns them."""
    other = active_person(username)
    db.session.execute(
        delete(Block).where(Block.blocker_id == user.id, Block.blocked_id == other.id)
    )
    db.session.flush()
    return other
