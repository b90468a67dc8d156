"""Posts, their media, likes and comments.

Like and comment counts are stored on the row they count and changed with atomic
``UPDATE ... SET n = n + 1`` statements in the same transaction as the like or comment,
so a feed page never counts rows and concurrent likes never lose an update.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intranet_social.core.models import utcnow
from intranet_social.extensions import Model


class Audience(enum.StrEnum):
    FRIENDS = "friends"
    EVERYONE = "everyone"
    #: the members of the post's space (and everyone signed in, for an open space)
    SPACE = "space"


class MediaKind(enum.StrEnum):
    IMAGE = "image"
    VIDEO = "video"


class Post(Model):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: whose wall the post is on; the author's own for an ordinary post
    wall_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(16), default=Audience.FRIENDS.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    pinned: Mapped[bool] = mapped_column(default=False)
    like_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    #: the space it was written in, for a post of audience ``space`` (``wall_id`` is its
    #: author's); a deleted space's posts go first (posts/listeners.py)
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id"))
    #: a must-read announcement: pinned atop each reader's feed until they acknowledge it
    must_read: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        # with the audience, the feed's friend arms are read from the index alone
        Index("ix_posts_author_id_id", "author_id", "id", "audience"),
        Index("ix_posts_space_id_id", "space_id", "id", "audience"),
        Index("ix_posts_wall_id_id", "wall_id", "id"),
        Index("ix_posts_pinned", "pinned", "id"),
        # "the must-read posts, newest first": the few there are, without reading the rest
        Index("ix_posts_must_read", "must_read", "id"),
    )


class Acknowledgement(Model):
    """A reader's "I have read this" on a must-read post."""

    __tablename__ = "post_acknowledgements"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    acknowledged_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_post_acknowledgements_user_id", "user_id", "post_id"),)


class PostMedia(Model):
    """A photo or video attached to a post; files are named by ``key``, never by the client."""

    __tablename__ = "post_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(8))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    mime: Mapped[str] = mapped_column(String(64))
    width: Mapped[int | None]
    height: Mapped[int | None]
    size_bytes: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_post_media_post_id", "post_id", "position"),)


class PostLike(Model):
    __tablename__ = "post_likes"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_post_likes_user_id", "user_id"),)


class Comment(Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    like_count: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        Index("ix_comments_post_id_id", "post_id", "id"),
        Index("ix_comments_author_id", "author_id"),
    )


class CommentLike(Model):
    __tablename__ = "comment_likes"

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_comment_likes_user_id", "user_id"),)
