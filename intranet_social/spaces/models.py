"""Spaces, their members with a role, and requests to join a closed space.

The tables sit below posts: the audience rule (``posts/audience.py``) reads who belongs to
a post's space, and whether the space is open, in the same statement as the posts.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intranet_social.core.models import utcnow
from intranet_social.extensions import Model


class Visibility(enum.StrEnum):
    #: anyone signed in reads it and may join
    OPEN = "open"
    #: anyone sees that it exists; members read it; joining needs an owner's approval
    CLOSED = "closed"
    #: only its members know it exists
    SECRET = "secret"  # noqa: S105 (a visibility, not a password)


class Role(enum.StrEnum):
    OWNER = "owner"
    MODERATOR = "moderator"
    MEMBER = "member"


class Space(Model):
    __tablename__ = "spaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(8), default=Visibility.OPEN.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: stem of the stored avatar and cover files (server-made); ``None`` = generated default
    avatar_key: Mapped[str | None] = mapped_column(String(64))
    cover_key: Mapped[str | None] = mapped_column(String(64))
    #: a department space: everyone whose profile names this department is a member
    department: Mapped[str | None] = mapped_column(String(100))

    __table_args__ = (
        # "the open spaces", read by the audience rule
        Index("ix_spaces_visibility", "visibility", "id"),
        Index("ix_spaces_department", "department"),
    )


class SpaceMember(Model):
    __tablename__ = "space_members"

    space_id: Mapped[int] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER.value)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: no notification for each new post in the space (must-reads still notify)
    muted: Mapped[bool] = mapped_column(default=False)

    # "the spaces I belong to", read by the audience rule for every post of a space
    __table_args__ = (Index("ix_space_members_user_id", "user_id", "space_id"),)


class JoinRequest(Model):
    """Someone asking to join a closed space; an owner or moderator approves or declines."""

    __tablename__ = "space_join_requests"

    space_id: Mapped[int] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_space_join_requests_user_id", "user_id"),)
