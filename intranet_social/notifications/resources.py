"""The JSON shapes of notifications and the unread counts in API answers (see
:mod:`intranet_social.core.resource`)."""

from __future__ import annotations

from datetime import datetime

from intranet_social.accounts.resources import PersonRef
from intranet_social.core.resource import prop, resource

KINDS = [
    "friend_request",
    "friend_accept",
    "post_like",
    "comment_like",
    "comment",
    "wall_post",
    "mention",
    "birthday",
    "work_anniversary",
    "space_join_request",
    "space_join_accepted",
    "space_member_added",
    "space_post",
]


@resource("One entry of the caller's notifications; likes of one thing are one entry.")
class Notification:
    id: int = prop("Pass to POST /notifications/read.")
    kind: str = prop(enum=KINDS)
    actor: PersonRef | None = prop("Who did it (the newest of a group).")
    others: int = prop(
        "How many more people did the same (likes and requests to join a space are "
        "grouped); for space_post, how many more new posts the space has.",
        minimum=0,
    )
    text: str = prop('e.g. "Ana and 3 others liked your post."')
    object_url: str = prop("The site path of what it is about.")
    read: bool
    created_at: datetime


@resource("Unread notification entries and unread messages: the two top-bar badges.")
class UnreadCounts:
    notifications: int = prop(minimum=0)
    messages: int = prop(minimum=0)


@resource("Unread notification entries left.")
class NotificationsUnread:
    notifications: int = prop(minimum=0)
