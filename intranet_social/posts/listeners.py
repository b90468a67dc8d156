"""Posts keep media: they say which files are still theirs, and forget those of a deleted
account's posts and wall; a deleted space's posts go with it (see core/events.py)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, or_, select

from intranet_social.accounts.models import User
from intranet_social.core import events
from intranet_social.extensions import db
from intranet_social.media.storage import delete_when_committed
from intranet_social.posts.models import Post, PostMedia
from intranet_social.spaces.models import Space


def _user_deleting(user: User) -> None:
    """Every photo and video of their posts and of posts on their wall goes once the
    deletion commits (a rolled-back deletion keeps them)."""
    delete_when_committed(
        db.session.scalars(
            select(PostMedia.key)
            .join(Post, Post.id == PostMedia.post_id)
            .where(or_(Post.author_id == user.id, Post.wall_id == user.id))
        )
    )


def _space_deleting(space: Space) -> None:
    """The space's posts go (their likes, comments and media rows with them); their files
    once the deletion commits."""
    delete_when_committed(
        db.session.scalars(
            select(PostMedia.key)
            .join(Post, Post.id == PostMedia.post_id)
            .where(Post.space_id == space.id)
        )
    )
    db.session.execute(
        delete(Post).where(Post.space_id == space.id).execution_options(synchronize_session=False)
    )


def _media_in_use(_sender: object, *, keys: Sequence[str]) -> set[str]:
    return set(db.session.scalars(select(PostMedia.key).where(PostMedia.key.in_(keys))))


def connect() -> None:
    """Connect the listeners; the app factory calls this (again is harmless)."""
    events.user_deleting.connect(_user_deleting, weak=False)
    events.space_deleting.connect(_space_deleting, weak=False)
    events.media_in_use.connect(_media_in_use, weak=False)
