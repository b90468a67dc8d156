"""Likes on posts and comments: idempotent, and counted right however many people click at once.

A like is a row keyed by (thing, person). Liking inserts it with "on conflict do nothing";
only when a row really went in (``RETURNING`` says so) does the stored count go up, with an
atomic ``like_count = like_count + 1``; unliking mirrors that. So a double submit counts once
and concurrent likes never lose an update. Liking needs only to see the post (or the
comment's post); anyone else is told it does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from intranet_social.accounts.models import User
from intranet_social.core import events
from intranet_social.core.models import utcnow
from intranet_social.extensions import db
from intranet_social.posts.comments import get_comment
from intranet_social.posts.models import Comment, CommentLike, Post, PostLike
from intranet_social.posts.service import get_post


@dataclass(frozen=True)
class LikeState:
    liked: bool
    like_count: int


def _insert_if_absent(model: type[Any], **values: Any) -> bool:
    """Insert a row unless one with the same key exists; whether it was inserted."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    key = next(iter(model.__table__.primary_key.columns))
    # RETURNING says whether a row went in: drivers differ on rowcount for this statement.
    statement = dialect.insert(model).values(**values).on_conflict_do_nothing().returning(key)
    return db.session.execute(statement).first() is not None


def _delete_if_present(model: type[Any], *conditions: Any) -> bool:
    """Delete the row matching ``conditions``; whether there was one."""
    key = next(iter(model.__table__.primary_key.columns))
    statement = delete(model).where(*conditions).returning(key)
    return db.session.execute(statement).first() is not None


def _add_to_count(model: type[Post] | type[Comment], row_id: int, change: int) -> None:
    db.session.execute(
        update(model)
        .where(model.id == row_id)
        .values(like_count=model.like_count + change)
        .execution_options(synchronize_session=False)
    )


def _count(model: type[Post] | type[Comment], row_id: int) -> int:
    return db.session.scalar(select(model.like_count).where(model.id == row_id)) or 0


def like_post(viewer: User, post_id: int) -> LikeState:
    post = get_post(viewer, post_id)
    if _insert_if_absent(PostLike, post_id=post_id, user_id=viewer.id, created_at=utcnow()):
        _add_to_count(Post, post_id, 1)
        events.post_liked.send(post, liker_id=viewer.id)
    return LikeState(True, _count(Post, post_id))


def unlike_post(viewer: User, post_id: int) -> LikeState:
    get_post(viewer, post_id)
    if _delete_if_present(PostLike, PostLike.post_id == post_id, PostLike.user_id == viewer.id):
        _add_to_count(Post, post_id, -1)
        events.post_unliked.send(post_id, liker_id=viewer.id)
    return LikeState(False, _count(Post, post_id))


def like_comment(viewer: User, comment_id: int) -> LikeState:
    comment, _post = get_comment(viewer, comment_id)
    if _insert_if_absent(
        CommentLike, comment_id=comment_id, user_id=viewer.id, created_at=utcnow()
    ):
        _add_to_count(Comment, comment_id, 1)
        events.comment_liked.send(comment, liker_id=viewer.id)
    return LikeState(True, _count(Comment, comment_id))


def unlike_comment(viewer: User, comment_id: int) -> LikeState:
    get_comment(viewer, comment_id)
    if _delete_if_present(
        CommentLike, CommentLike.comment_id == comment_id, CommentLike.user_id == viewer.id
    ):
        _add_to_count(Comment, comment_id, -1)
        events.comment_unliked.send(comment_id, liker_id=viewer.id)
    return LikeState(False, _count(Comment, comment_id))
