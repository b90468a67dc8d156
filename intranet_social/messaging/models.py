"""Conversations, their members, and messages with photos."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from intranet_social.core.models import utcnow
from intranet_social.extensions import Model


class Conversation(Model):
    """A one-to-one (``is_group`` false, exactly two members, found by ``pair_key``) or a
    group conversation (2 to 50 members, a name)."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    is_group: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(String(100), default="")
    #: "<smaller user id>:<larger user id>" for one-to-one conversations, so two people
    #: share exactly one; ``None`` for groups
    pair_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: the newest message's id, kept so conversation lists and unread counts need no scan
    last_message_id: Mapped[int | None]
    last_message_at: Mapped[datetime | None]


class ConversationMember(Model):
    __tablename__ = "conversation_members"

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: messages up to this id are read; unread = messages after it
    last_read_message_id: Mapped[int] = mapped_column(default=0)
    left_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_conversation_members_user_id", "user_id"),)

    @hybrid_property
    def is_current(self) -> bool:
        """Who may see a conversation, its messages and its photos: its current members,
        those who have not left. The one statement of that rule, for Python and (on the
        class) for SQL alike; everyone else is told the conversation does not exist."""
        return self.left_at is None

    @is_current.inplace.expression
    @classmethod
    def _is_current_expression(cls) -> ColumnElement[bool]:
        return cls.left_at.is_(None)


class Message(Model):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_messages_conversation_id_id", "conversation_id", "id"),)


class MessageMedia(Model):
    """A photo in a message; files are named by ``key``, never by the client."""

    __tablename__ = "message_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    mime: Mapped[str] = mapped_column(String(64))
    width: Mapped[int | None]
    height: Mapped[int | None]
    size_bytes: Mapped[int] = mapped_column(default=0)

    __table_args__ = (Index("ix_message_media_message_id", "message_id", "position"),)
