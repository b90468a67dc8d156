"""The JSON shapes of posts, their media, comments and likes in API answers (see
:mod:`intranet_social.core.resource`)."""

from __future__ import annotations

from datetime import datetime

from intranet_social.accounts.resources import PersonRef
from intranet_social.core.resource import prop, resource

AUDIENCES = ["friends", "everyone", "space"]
HTML = "The text as safe HTML: escaped, links and @mentions linked, line breaks as <br>."


@resource("A photo or a video of a post.")
class Media:
    id: int
    kind: str = prop(enum=["image", "video"])
    url: str = prop("The photo or the video (HTTP Range works); signed-in pages only.")
    thumb_url: str = prop("A small photo, or the video's poster.")
    width: int | None
    height: int | None


@resource("A comment on a post.")
class Comment:
    id: int
    post_id: int
    author: PersonRef
    body: str = prop("The text as written.")
    html: str = prop(HTML)
    created_at: datetime
    edited_at: datetime | None
    like_count: int = prop(minimum=0)
    liked: bool = prop("Whether the caller likes it.")


@resource("A post as the caller sees it.")
class Post:
    id: int
    author: PersonRef
    wall: str = prop("Username of the wall's owner.", source="wall.username")
    body: str = prop("The text as written.")
    html: str = prop(HTML)
    audience: str = prop(enum=AUDIENCES)
    space: str | None = prop(
        "The address (slug) of the space it was written in; null on a wall.",
        source="space_slug",
    )
    created_at: datetime
    edited_at: datetime | None
    pinned: bool = prop("A company announcement, first in feeds.")
    must_read: bool = prop(
        "A must-read announcement: first in the feeds of those it is for until they "
        "acknowledge it (POST /posts/{post_id}/acknowledge)."
    )
    asked_to_acknowledge: bool = prop(
        "Whether the caller is of those a must-read is for (its author is not).", source="asked"
    )
    acknowledged: bool = prop("Whether the caller acknowledged this must-read.")
    acknowledged_count: int | None = prop(
        "How many of a must-read's audience acknowledged it; only for its author, its "
        "space's owners and admins, null otherwise.",
        minimum=0,
    )
    audience_count: int | None = prop(
        "How many people a must-read is for; for the same people as acknowledged_count.",
        minimum=0,
    )
    like_count: int = prop(minimum=0)
    liked: bool = prop("Whether the caller likes it.")
    comment_count: int = prop(minimum=0)
    media: list[Media]
    latest_comments: list[Comment] = prop(
        "The newest comments (up to three), oldest first.", source="comments"
    )


@resource("The caller's acknowledgement of a must-read announcement.")
class AcknowledgementState:
    post_id: int
    acknowledged: bool
    acknowledged_at: datetime | None


@resource("Someone of a must-read's audience who acknowledged it, and when.")
class Acknowledgement:
    user: PersonRef
    acknowledged_at: datetime


@resource(
    "Who of a must-read's audience acknowledged it: a page of the audience by username "
    "(limit people), split into those who did (items) and those who did not (pending)."
)
class AcknowledgementList:
    audience_count: int = prop(
        "The people it is for: those the post is visible to (for a post in a space, the "
        "space's members), active, its author excepted.",
        minimum=0,
    )
    acknowledged_count: int = prop(minimum=0)
    pending_count: int = prop(minimum=0)
    items: list[Acknowledgement]
    pending: list[PersonRef] = prop("Those of this page who have not acknowledged it.")
    next_cursor: str | None = prop("Pass as ?cursor= for the next page; null on the last.")


@resource("Whether the caller likes the thing now, and how many do.")
class Like:
    liked: bool
    like_count: int = prop(minimum=0)
