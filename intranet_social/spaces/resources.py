"""The JSON shapes of spaces and their members in API answers (see
:mod:`intranet_social.core.resource`)."""

from __future__ import annotations

from datetime import datetime

from intranet_social.core.resource import prop, resource

VISIBILITIES = ["open", "closed", "secret"]
ROLES = ["owner", "moderator", "member"]


@resource("A space as the caller sees it.")
class Space:
    slug: str = prop("Its address: lower-case letters, digits and hyphens.")
    name: str
    visibility: str = prop(
        "open: anyone reads and joins; closed: anyone sees it, members read, joining needs "
        "approval; secret: only members know it.",
        enum=VISIBILITIES,
    )
    description: str
    member_count: int = prop(minimum=1)
    my_role: str | None = prop("The caller's role, or null when not a member.", enum=[*ROLES, None])
    requested: bool = prop("Whether the caller asked to join and waits.")
    department: str | None = prop(
        "A department space: everyone whose profile names this department is a member. "
        "Admins set it (PATCH); null for none."
    )
    avatar_url: str = prop("Its avatar, or its initials drawn on a colour.")
    cover_url: str | None = prop("Its cover picture; null for none.")
    muted: bool = prop(
        "Whether the caller, a member, muted the notifications of the space's new posts "
        "(false for anyone not in it)."
    )


@resource("A member of a space.")
class SpaceMember:
    username: str
    name: str
    role: str = prop(enum=ROLES)
    joined_at: datetime


@resource("A request to join a closed space.")
class JoinRequest:
    username: str
    name: str
    created_at: datetime = prop(source="joined_at")


@resource("What joining did: joined (an open space) or requested (a closed one).")
class Joined:
    status: str = prop(enum=["joined", "requested"])
    space: Space
