"""Comments on posts: written by anyone who may see the post, edited by their author, deleted
by their author, the post's author, the wall's owner or an admin.

A comment is exactly as visible as its post: whoever may not see the post is told the
comment does not exist. The post's ``comment_count`` changes atomically with each comment.
"""

from __future__ import annotations

from sqlalchemy import update

from intranet_social.accounts.models import User
from intranet_social.core import events
from intranet_social.core.errors import Forbidden, Invalid, NotFound
from intranet_social.core.models import utcnow
from intranet_social.extensions import db
from intranet_social.posts.card_queries import comment_query, comment_rows, mentioned_names
from intranet_social.posts.cards import CommentCard, comment_cards
from intranet_social.posts.models import Comment, Post
from intranet_social.posts.permissions import can_delete_comment, can_edit_comment
from intranet_social.posts.service import clean_body, find, get_post

MAX_COMMENT = 2_000
PAGE_SIZE = 50
NO_SUCH_COMMENT = "There is no such comment, or you may not see it."


def get_comment(viewer: User, comment_id: int) -> tuple[Comment, Post]:
    """The comment and its post, if ``viewer`` may see the post."""
    comment = find(Comment, comment_id)
    if comment is None:
        raise NotFound(NO_SUCH_COMMENT)
    try:
        post = get_post(viewer, comment.post_id)
    except NotFound:
        raise NotFound(NO_SUCH_COMMENT) from None
    return comment, post


def _clean_comment(body: str | None) -> str:
    text = clean_body(body, max_length=MAX_COMMENT)
    if not text:
        raise Invalid("Write a comment first.", "body")
    return text


def _add_to_count(post_id: int, change: int) -> None:
    db.session.execute(
        update(Post)
        .where(Post.id == post_id)
        .values(comment_count=Post.comment_count + change)
        .execution_options(synchronize_session=False)
    )


def create_comment(viewer: User, post_id: int, body: str | None) -> Comment:
    post = get_post(viewer, post_id)
    comment = Comment(post_id=post_id, author_id=viewer.id, body=_clean_comment(body))
    db.session.add(comment)
    db.session.flush()
    _add_to_count(post_id, 1)
    events.comment_written.send(comment, post=post)
    return comment


def edit_comment(viewer: User, comment_id: int, body: str | None) -> Comment:
    comment, post = get_comment(viewer, comment_id)
    if not can_edit_comment(viewer, comment):
        raise Forbidden("Only the author can edit a comment.")
    text = _clean_comment(body)
    if text != comment.body:
        previous = comment.body
        comment.body = text
        comment.edited_at = utcnow()
        db.session.flush()
        events.comment_edited.send(comment, post=post, text=text, previous=previous)
    return comment


def delete_comment(viewer: User, comment_id: int) -> int:
    """Delete the comment; the id of its post."""
    comment, post = get_comment(viewer, comment_id)
    if not can_delete_comment(viewer, comment, post):
        raise Forbidden(
            "Only the comment's author, the post's author, the wall's owner or an admin "
            "can delete a comment."
        )
    db.session.delete(comment)
    db.session.flush()
    _add_to_count(post.id, -1)
    return post.id


def comment_page(
    viewer: User, post_id: int, after: int | None = None, limit: int = PAGE_SIZE
) -> tuple[list[CommentCard], int | None]:
    """A post's comments, oldest first, after the comment id ``after``; and the id to
    continue after (``None`` on the last page)."""
    post = get_post(viewer, post_id)
    query = comment_query(viewer).where(Comment.post_id == post.id)
    if after is not None:
        query = query.where(Comment.id > after)
    rows = comment_rows(query.order_by(Comment.id).limit(limit + 1))
    page = rows[:limit]
    usernames = mentioned_names(comment.body for comment, _author, _liked in page)
    cards = comment_cards(viewer, page, {post.id: post}, usernames)
    return cards, (page[-1][0].id if len(rows) > limit else None)


def comment_card(viewer: User, comment_id: int) -> CommentCard:
    """One comment as lists show it."""
    comment, post = get_comment(viewer, comment_id)
    rows = comment_rows(comment_query(viewer).where(Comment.id == comment.id))
    return comment_cards(viewer, rows, {post.id: post}, mentioned_names([comment.body]))[0]
