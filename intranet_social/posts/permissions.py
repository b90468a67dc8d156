"""Who may change posts and comments: one function per object kind and action.

Who may see them is one rule for every read path, in :mod:`intranet_social.posts.audience`.

Changing: only the author edits a post or a comment. A post is deleted by its author, the
owner of the wall it is on, or an admin (any post, by id). A comment is deleted by its
author, the post's author, the wall's owner, or an admin. Admins pin and unpin company
announcements. A wall takes posts from its owner and the owner's friends.

Must-read announcements: admins mark any post they see must-read (or not), a space's owners
the posts of their space; the same people, and the post's author, read who acknowledged it.
"""

from __future__ import annotations

from typing import Protocol

from intranet_social.accounts.models import User
from intranet_social.friends.service import are_friends
from intranet_social.spaces.models import Role
from intranet_social.spaces.service import role_in

__all__ = [
    "can_delete_comment",
    "can_delete_post",
    "can_edit_comment",
    "can_edit_post",
    "can_mark_must_read",
    "can_pin_posts",
    "can_read_acknowledgements",
    "can_post_on_wall",
]


class AuthoredComment(Protocol):
    """A :class:`~intranet_social.posts.models.Comment`, or a card query's row of one."""

    @property
    def author_id(self) -> int: ...


class WallPost(Protocol):
    """A :class:`~intranet_social.posts.models.Post`, or a card query's row of one."""

    @property
    def author_id(self) -> int: ...

    @property
    def wall_id(self) -> int: ...


def can_edit_post(viewer: User, post: WallPost) -> bool:
    return viewer.id == post.author_id


def can_delete_post(viewer: User, post: WallPost) -> bool:
    return viewer.is_admin or viewer.id in (post.author_id, post.wall_id)


def can_pin_posts(viewer: User) -> bool:
    return viewer.is_admin


class SpacePost(Protocol):
    """A :class:`~intranet_social.posts.models.Post`, or a card query's row of one."""

    @property
    def author_id(self) -> int: ...

    @property
    def space_id(self) -> int | None: ...


def can_mark_must_read(viewer: User, space_id: int | None) -> bool:
    """Whether ``viewer`` may make a post (in the space ``space_id``, if any) a must-read
    announcement, or take that back: admins anywhere, a space's owners in their space."""
    if viewer.is_admin:
        return True
    return space_id is not None and role_in(viewer.id, space_id) == Role.OWNER


def can_read_acknowledgements(viewer: User, post: SpacePost) -> bool:
    """Who acknowledged a must-read: its author, its space's owners and admins."""
    return viewer.id == post.author_id or can_mark_must_read(viewer, post.space_id)


def can_post_on_wall(author: User, owner: User) -> bool:
    return author.id == owner.id or are_friends(author.id, owner.id)


def can_edit_comment(viewer: User, comment: AuthoredComment) -> bool:
    return viewer.id == comment.author_id


def can_delete_comment(viewer: User, comment: AuthoredComment, post: WallPost) -> bool:
    """The comment's author, the post's author, the wall's owner, or an admin."""
    return viewer.is_admin or viewer.id in (comment.author_id, post.author_id, post.wall_id)
