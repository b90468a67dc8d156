"""People as a viewer sees them: a name, a link and a face, and how the two stand as friends.

A :class:`ProfileCard` holds everything a profile header or a person in a list shows, so
templates never query.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from intranet_social.accounts import organisation
from intranet_social.accounts.models import User
from intranet_social.friends import service as friends
from intranet_social.media.avatars import LARGE_AVATAR, SMALL_AVATAR, avatar_url, cover_url


@dataclass(frozen=True)
class PersonRef:
    """The least needed to show someone: a name, a link, a face."""

    username: str
    name: str
    avatar_url: str


@dataclass(frozen=True)
class RequestRef:
    id: int
    sender: PersonRef
    recipient: PersonRef
    created_at: datetime


@dataclass(frozen=True)
class ProfileCard:
    """A person as the viewer sees them, with how the two stand as friends."""

    user_id: int
    username: str
    name: str
    title: str
    department: str
    location: str
    phone: str
    bio: str
    #: ``MM-DD``; the year of birth is never part of a card
    birthday: str | None
    birthday_text: str | None
    joined: date
    avatar_url: str
    small_avatar_url: str
    #: whether ``avatar_url`` is an uploaded photo rather than the generated initials
    has_avatar: bool
    cover_url: str | None
    #: "self" | "friends" | "request_sent" | "request_received" | "none"
    friendship: str
    request: RequestRef | None
    mutual_friends: int
    #: the manager's username, if the person has one
    manager: str | None = None
    start_date: date | None = None

    @property
    def is_self(self) -> bool:
        return self.friendship == "self"

    @property
    def is_friend(self) -> bool:
        return self.friendship == "friends"

    @property
    def request_id(self) -> int | None:
        return self.request.id if self.request else None

    @property
    def ref(self) -> PersonRef:
        return PersonRef(self.username, self.name, self.small_avatar_url)


def birthday_text(user: User) -> str | None:
    """``14 March``: the day and month only, never the year."""
    if user.birthday_month is None or user.birthday_day is None:
        return None
    return f"{user.birthday_day} {calendar.month_name[user.birthday_month]}"


def profile_card(viewer: User, user: User) -> ProfileCard:
    return profile_cards(viewer, [user])[0]


def profile_cards(viewer: User, users: Sequence[User]) -> list[ProfileCard]:
    """Cards for ``users`` as ``viewer`` sees them: three queries however many there are."""
    relations = friends.relations(viewer.id, [user.id for user in users])
    me = PersonRef(viewer.username, viewer.name, avatar_url(viewer, SMALL_AVATAR))
    managers = organisation.manager_usernames(user.manager_id for user in users)
    cards = []
    for user in users:
        relation = relations[user.id]
        them = PersonRef(user.username, user.name, avatar_url(user, SMALL_AVATAR))
        request = None
        if relation.request is not None:
            sent = relation.state == "request_sent"
            request = RequestRef(
                relation.request.id,
                me if sent else them,
                them if sent else me,
                relation.request.created_at,
            )
        cards.append(
            ProfileCard(
                user_id=user.id,
                username=user.username,
                name=user.name,
                title=user.title,
                department=user.department,
                location=user.location,
                phone=user.phone,
                bio=user.bio,
                birthday=user.birthday,
                birthday_text=birthday_text(user),
                joined=user.created_at.date(),
                avatar_url=avatar_url(user, LARGE_AVATAR),
                small_avatar_url=them.avatar_url,
                has_avatar=user.avatar_key is not None,
                cover_url=cover_url(user),
                friendship=relation.state,
                request=request,
                mutual_friends=relation.mutual_friends,
                manager=managers.get(user.manager_id or 0),
                start_date=user.start_date,
            )
        )
    return cards
