"""Friendships (stored once in each direction), pending friend requests, and blocks between
people."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intranet_social.core.models import utcnow
from intranet_social.extensions import Model


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class Friendship(Model):
    """``user_id`` is friends with ``friend_id``. Each friendship is two rows, one per
    direction, so "my friends" is one index range and joins need no ``OR``."""

    __tablename__ = "friendships"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    friend_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_friendships_friend_id", "friend_id"),)


class FriendRequest(Model):
    """A request from ``from_id`` to ``to_id``. An answered request keeps its row and its
    answer, so answering it again is a harmless repeat; asking again reopens the row."""

    __tablename__ = "friend_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    to_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(
        String(16), default=RequestStatus.PENDING.value, server_default=RequestStatus.PENDING.value
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("from_id", "to_id"),
        Index("ix_friend_requests_to_id", "to_id"),
    )


class Block(Model):
    """``blocker_id`` blocked ``blocked_id``: no messages, no friend requests, no suggestion."""

    __tablename__ = "blocks"

    blocker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    blocked_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_blocks_blocked_id", "blocked_id"),)
