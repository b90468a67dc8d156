"""Who may see and change posts and comments: one function per object kind and action.

Seeing a post (:func:`can_view_post`): its author, the owner of the wall it is on, anyone
signed in when its audience is ``everyone``, and for a ``friends`` post the friends of its
author and the friends of the wall owner. Admins and moderators get no wider view: a
friends-only post stays private to friends (the reports feature will show a moderator what
was reported to them). Whoever may not see a post is told it does not exist (404): the post,
its photos and video, its likes and its comments alike. Seeing a post is what it takes to
like it and to comment on it.

Changing: only the author edits a post or a comment. A post is deleted by its author, the
owner of the wall it is on, or an admin (any post, by id). A comment is deleted by its
author, the post's author, the wall's owner, or an admin. Admins pin and unpin company
announcements. A wall takes posts from its owner and the owner's friends.
"""

from __future__ import annotations

from sqlalchemy import BindParameter, ColumnElement, or_

from intranet_social.accounts.models import User
from intranet_social.friends.service import are_friends, friend_ids
from intranet_social.posts.models import Audience, Comment, Post


def can_view_post(viewer: User, post: Post) -> bool:
    if post.audience == Audience.EVERYONE or viewer.id in (post.author_id, post.wall_id):
        return True
    if are_friends(viewer.id, post.author_id):
        return True
    return post.wall_id != post.author_id and are_friends(viewer.id, post.wall_id)


def visible_to(viewer: User) -> ColumnElement[bool]:
    """:func:`can_view_post` as a SQL condition on :class:`Post`, for lists."""
    return visible_to_id(viewer.id)


def visible_to_id(viewer_id: int | BindParameter[int]) -> ColumnElement[bool]:
    """:func:`visible_to` for the viewer ``viewer_id``, which may be a bound parameter (for
    a statement built once)."""
    friends = friend_ids(viewer_id)
    return or_(
        Post.audience == Audience.EVERYONE.value,
        Post.author_id == viewer_id,
        Post.wall_id == viewer_id,
        Post.author_id.in_(friends),
        Post.wall_id.in_(friends),
    )


def can_edit_post(viewer: User, post: Post) -> bool:
    return viewer.id == post.author_id


def can_delete_post(viewer: User, post: Post) -> bool:
    return viewer.is_admin or viewer.id in (post.author_id, post.wall_id)


def can_pin_posts(viewer: User) -> bool:
    return viewer.is_admin


def can_post_on_wall(author: User, owner: User) -> bool:
    return author.id == owner.id or are_friends(author.id, owner.id)


def can_edit_comment(viewer: User, comment: Comment) -> bool:
    return viewer.id == comment.author_id


def can_delete_comment(viewer: User, comment: Comment, post: Post) -> bool:
    """The comment's author, the post's author, the wall's owner, or an admin."""
    return viewer.is_admin or viewer.id in (comment.author_id, post.author_id, post.wall_id)
