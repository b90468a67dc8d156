"""What a notification says and where it leads, the same on the page, in the API and in e-mail."""

from __future__ import annotations

from dataclasses import dataclass

from intranet_social.accounts.models import User
from intranet_social.notifications.models import Kind, Notification


@dataclass(frozen=True)
class Entry:
    """One notification with what its words need: who did it, how many more people did the
    same (a group), the author of the post it is about (for comments), and whether its
    recipient may still see that post (an audience changed, a friendship ended)."""

    notification: Notification
    actor: User | None
    others: int
    post_author_id: int | None
    post_visible: bool = True


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
    return f"{who} did something."


def object_path(entry: Entry) -> str:
    """The site path of what the notification is about; never a post its recipient may no
    longer see (the person who did it instead)."""
    notification = entry.notification
    if notification.kind == Kind.FRIEND_REQUEST:
        return "/friends"
    if notification.post_id is not None and entry.post_visible:
        if notification.comment_id is not None:
            return f"/posts/{notification.post_id}#comment-{notification.comment_id}"
        return f"/posts/{notification.post_id}"
    if entry.actor is not None:
        return f"/u/{entry.actor.username}"
    return "/notifications"
