"""Notifications, written in the same transaction as what caused them and removed with it
(foreign keys cascade from the post, comment or request they are about)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from intranet_social.core.models import utcnow
from intranet_social.extensions import Model


class Kind(enum.StrEnum):
    FRIEND_REQUEST = "friend_request"
    FRIEND_ACCEPT = "friend_accept"
    POST_LIKE = "post_like"
    COMMENT_LIKE = "comment_like"
    COMMENT = "comment"
    WALL_POST = "wall_post"
    MENTION = "mention"
    BIRTHDAY = "birthday"
    WORK_ANNIVERSARY = "work_anniversary"
    #: a must-read announcement for the recipient to read and acknowledge
    MUST_READ = "must_read"
    #: the space is named in the group key (see notifications/spaces.py)
    SPACE_JOIN_REQUEST = "space_join_request"
    SPACE_JOIN_ACCEPTED = "space_join_accepted"
    SPACE_MEMBER_ADDED = "space_member_added"
    SPACE_POST = "space_post"


class Notification(Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: who is told
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    #: who did it
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    friend_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("friend_requests.id", ondelete="CASCADE")
    )
    birthday_notice_id: Mapped[int | None] = mapped_column(
        ForeignKey("birthday_notices.id", ondelete="CASCADE")
    )
    #: notifications with the same key are shown as one ("Ana and 3 others liked your post")
    group_key: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_notifications_user_id_id", "user_id", "id"),
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        Index("ix_notifications_post_id", "post_id"),
        Index("ix_notifications_comment_id", "comment_id"),
        Index("ix_notifications_friend_request_id", "friend_request_id"),
        Index("ix_notifications_birthday_notice_id", "birthday_notice_id"),
    )


class NotificationPreference(Model):
    """A person's choices; absent means the defaults (in-app only, no e-mail)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email_enabled: Mapped[bool] = mapped_column(default=False)
