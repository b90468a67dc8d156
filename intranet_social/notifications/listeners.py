"""Notifications listen to what friends, posts, birthdays and spaces announce (see
core/events.py)."""

from __future__ import annotations

from collections.abc import Iterable

from intranet_social.core import events
from intranet_social.friends.models import FriendRequest
from intranet_social.notifications import service, spaces
from intranet_social.notifications.mentions import mentions_written
from intranet_social.notifications.must_read import (
    must_read_acknowledged,
    must_read_cleared,
    must_read_marked,
)
from intranet_social.posts.models import Comment, Post
from intranet_social.spaces.models import JoinRequest, Space, SpaceMember


def _request_sent(request: FriendRequest) -> None:
    service.friend_request_sent(request)


def _request_withdrawn(request: FriendRequest) -> None:
    service.friend_request_withdrawn(request)


def _request_accepted(request: FriendRequest, *, accepted_by: int) -> None:
    service.friend_request_accepted(request, accepted_by)


def _post_written(post: Post, *, text: str) -> None:
    told = service.wall_post_written(post)
    mentions_written(post.author_id, post, text, told=told)
    spaces.post_written(post)


def _post_edited(post: Post, *, text: str, previous: str) -> None:
    mentions_written(post.author_id, post, text, previous=previous)


def _comment_written(comment: Comment, *, post: Post) -> None:
    told = service.comment_written(post, comment)
    mentions_written(comment.author_id, post, comment.body, comment=comment, told=told)


def _comment_edited(comment: Comment, *, post: Post, text: str, previous: str) -> None:
    mentions_written(comment.author_id, post, text, comment=comment, previous=previous)


def _post_liked(post: Post, *, liker_id: int) -> None:
    service.post_liked(post, liker_id)


def _post_unliked(post_id: int, *, liker_id: int) -> None:
    service.post_unliked(post_id, liker_id)


def _comment_liked(comment: Comment, *, liker_id: int) -> None:
    service.comment_liked(comment, liker_id)


def _comment_unliked(comment_id: int, *, liker_id: int) -> None:
    service.comment_unliked(comment_id, liker_id)


def _must_read_marked(post: Post, *, marked_by: int) -> None:
    must_read_marked(post, marked_by)


def _must_read_cleared(post: Post) -> None:
    must_read_cleared(post)


def _must_read_acknowledged(post: Post, *, reader_id: int) -> None:
    must_read_acknowledged(post, reader_id)


def _birthdays_noted(notice_ids: Iterable[int]) -> None:
    service.birthdays_noted(notice_ids)


def _anniversaries_noted(notice_ids: Iterable[int]) -> None:
    service.anniversaries_noted(notice_ids)


def _join_requested(request: JoinRequest) -> None:
    spaces.join_requested(request)


def _join_answered(request: JoinRequest, *, approved: bool, answered_by: int | None) -> None:
    spaces.join_answered(request, approved, answered_by)


def _join_withdrawn(request: JoinRequest) -> None:
    spaces.join_closed(request)


def _member_added(membership: SpaceMember, *, added_by: int | None) -> None:
    spaces.member_added(membership, added_by)


def _member_left(membership: SpaceMember) -> None:
    spaces.member_left(membership)


def _space_deleting(space: Space) -> None:
    spaces.space_deleting(space)


def connect() -> None:
    """Connect the listeners; the app factory calls this (again is harmless)."""
    events.friend_request_sent.connect(_request_sent, weak=False)
    events.friend_request_withdrawn.connect(_request_withdrawn, weak=False)
    events.friend_request_accepted.connect(_request_accepted, weak=False)
    events.post_written.connect(_post_written, weak=False)
    events.post_edited.connect(_post_edited, weak=False)
    events.comment_written.connect(_comment_written, weak=False)
    events.comment_edited.connect(_comment_edited, weak=False)
    events.post_liked.connect(_post_liked, weak=False)
    events.post_unliked.connect(_post_unliked, weak=False)
    events.comment_liked.connect(_comment_liked, weak=False)
    events.comment_unliked.connect(_comment_unliked, weak=False)
    events.must_read_marked.connect(_must_read_marked, weak=False)
    events.must_read_cleared.connect(_must_read_cleared, weak=False)
    events.must_read_acknowledged.connect(_must_read_acknowledged, weak=False)
    events.birthdays_noted.connect(_birthdays_noted, weak=False)
    events.anniversaries_noted.connect(_anniversaries_noted, weak=False)
    events.space_join_requested.connect(_join_requested, weak=False)
    events.space_join_answered.connect(_join_answered, weak=False)
    events.space_join_withdrawn.connect(_join_withdrawn, weak=False)
    events.space_member_added.connect(_member_added, weak=False)
    events.space_member_left.connect(_member_left, weak=False)
    events.space_deleting.connect(_space_deleting, weak=False)
