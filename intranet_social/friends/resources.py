"""The JSON shapes of people as the caller sees them and of friend requests (see
:mod:`intranet_social.core.resource`)."""

from __future__ import annotations

from datetime import date, datetime

from intranet_social.accounts.resources import BIRTHDAY, MONTH_DAY, PersonRef
from intranet_social.core.resource import prop, resource

FRIENDSHIP_STATES = ["self", "friends", "request_sent", "request_received", "none"]


@resource(
    "An open friend request. A declined request still looks open to its sender, who is not told."
)
class FriendRequest:
    id: int
    sender: PersonRef = prop(key="from")
    recipient: PersonRef = prop(key="to")
    created_at: datetime


@resource("Open requests to the caller and from the caller, newest first.")
class FriendRequests:
    incoming: list[FriendRequest]
    outgoing: list[FriendRequest]


@resource("A colleague as the caller sees them, with how the two stand as friends.")
class Person:
    username: str
    name: str
    department: str
    title: str
    avatar_url: str = prop("The photo, or generated initials when there is none.")
    birthday: str | None = prop(BIRTHDAY, pattern=MONTH_DAY)
    is_friend: bool
    friend_request: FriendRequest | None = prop(
        "The open request between the caller and this person, if any.", source="request"
    )
    friendship: str = prop(enum=FRIENDSHIP_STATES)
    mutual_friends: int = prop(minimum=0)
    location: str
    phone: str
    bio: str
    cover_url: str | None
    joined: date
    manager: str | None = prop("The username of the person's manager, or null.")
    start_date: date | None = prop("The day the person started working here.")
