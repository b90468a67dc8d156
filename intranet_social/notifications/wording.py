"""What a notification says and where it leads, the same on the page, in the API and in e-mail;
and, for the kinds about a space (whose ``group_key`` names it), which space that is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.notifications.models import Kind, Notification
from intranet_social.spaces.models import Space
from intranet_social.spaces.service import known_to

SPACE_KINDS = frozenset(
    {Kind.SPACE_JOIN_REQUEST, Kind.SPACE_JOIN_ACCEPTED, Kind.SPACE_MEMBER_ADDED, Kind.SPACE_POST}
)


@dataclass(frozen=True)
class SpaceLabel:
    """What a notification shows of the space it is about."""

    slug: str
    name: str


def space_key(space_id: int, what: str) -> str:
    return f"space:{space_id}:{what}"


def space_id_of(notification: Notification) -> int | None:
    """The id of the space a notification of a space's kind is about."""
    if notification.kind not in SPACE_KINDS:
        return None
    parts = notification.group_key.split(":")
    if len(parts) < 3 or parts[0] != "space" or not parts[1].isdigit():
        return None
    return int(parts[1])


def space_labels(
    notifications: Iterable[Notification], viewer_id: int | None = None
) -> dict[int, SpaceLabel]:
    """The spaces these notifications are about, by id, in one query; with ``viewer_id``
    only those the viewer may know exist (a secret space only for its members)."""
    ids = {space_id for item in notifications if (space_id := space_id_of(item)) is not None}
    if not ids:
        return {}
    query = select(Space.id, Space.slug, Space.name).where(Space.id.in_(ids))
    if viewer_id is not None:
        query = query.where(known_to(viewer_id))
    return {space_id: SpaceLabel(slug, name) for space_id, slug, name in db.session.execute(query)}


@dataclass(frozen=True)
class Entry:
    """One notification with what its words need: who did it, how many more people did the
    same (a group), the author of the post it is about (for comments), and whether its
    recipient may still see that post (an audience changed, a friendship ended); for the
    kinds about a space, the space."""

    notification: Notification
    actor: User | None
    others: int
    post_author_id: int | None
    post_visible: bool = True
    space: SpaceLabel | None = None


#: kinds that lead to the space's page
SPACE_PAGE_KINDS = (Kind.SPACE_JOIN_REQUEST, Kind.SPACE_JOIN_ACCEPTED, Kind.SPACE_MEMBER_ADDED)


def _who(entry: Entry) -> str:
    name = entry.actor.name if entry.actor is not None else "Someone"
    if entry.others == 1:
        return f"{name} and 1 other"
    if entry.others > 1:
        return f"{name} and {entry.others} others"
    return name


def describe(entry: Entry, recipient_id: int) -> str:
    """One sentence: "Ana Author and 3 others liked your post."."""
    who = _who(entry)
    notification = entry.notification
    kind = notification.kind
    if kind == Kind.FRIEND_REQUEST:
        return f"{who} sent you a friend request."
    if kind == Kind.FRIEND_ACCEPT:
        return f"{who} accepted your friend request."
    if kind == Kind.POST_LIKE:
        return f"{who} liked your post."
    if kind == Kind.COMMENT_LIKE:
        return f"{who} liked your comment."
    if kind == Kind.COMMENT:
        if entry.post_author_id not in (None, recipient_id):
            return f"{who} commented on a post on your wall."
        return f"{who} commented on your post."
    if kind == Kind.WALL_POST:
        return f"{who} wrote on your wall."
    if kind == Kind.MENTION:
        where = "a comment" if notification.comment_id is not None else "a post"
        return f"{who} mentioned you in {where}."
    if kind == Kind.BIRTHDAY:
        return f"It is {who}'s birthday: wish them a happy birthday."
    if kind == Kind.WORK_ANNIVERSARY:
        return f"It is {who}'s work anniversary: congratulate them."
    if kind == Kind.MUST_READ:
        return f"Must read: an announcement from {who}. Read it and acknowledge it."
    space = entry.space.name if entry.space is not None else "a space"
    if kind == Kind.SPACE_JOIN_REQUEST:
        return f"{who} asked to join {space}."
    if kind == Kind.SPACE_JOIN_ACCEPTED:
        if entry.actor is None:
            return f"Your request was accepted: you are a member of {space}."
        return f"{entry.actor.name} let you into {space}."
    if kind == Kind.SPACE_MEMBER_ADDED:
        if entry.actor is None:
            return f"You were added to {space}."
        return f"{entry.actor.name} added you to {space}."
    if kind == Kind.SPACE_POST:
        if entry.others:
            return f"{entry.others + 1} new posts in {space}."
        return f"{who} posted in {space}."
    return f"{who} did something."


def object_path(entry: Entry) -> str:
    """The site path of what the notification is about; never a post its recipient may no
    longer see (the person who did it instead)."""
    notification = entry.notification
    if notification.kind == Kind.FRIEND_REQUEST:
        return "/friends"
    if notification.kind == Kind.SPACE_POST and entry.others:
        return f"/s/{entry.space.slug}" if entry.space is not None else "/notifications"
    if notification.kind in SPACE_PAGE_KINDS:
        return f"/s/{entry.space.slug}" if entry.space is not None else "/notifications"
    if notification.post_id is not None and entry.post_visible:
        if notification.comment_id is not None:
            return f"/posts/{notification.post_id}#comment-{notification.comment_id}"
        return f"/posts/{notification.post_id}"
    if entry.actor is not None:
        return f"/u/{entry.actor.username}"
    return "/notifications"
