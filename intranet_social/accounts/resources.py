"""The JSON shapes of people, accounts and personal access tokens in API answers (see
:mod:`intranet_social.core.resource`)."""

from __future__ import annotations

from datetime import datetime

from intranet_social.core.resource import prop, resource, resource_base

ROLES = ["admin", "moderator", "member"]
STATUSES = ["active", "pending", "disabled"]
SCOPES = ["read", "write", "admin"]
BIRTHDAY = "MM-DD; the year is private and never shown."
MONTH_DAY = "^[0-9]{2}-[0-9]{2}$"


@resource("Just enough to show someone: name, username, photo.")
class PersonRef:
    username: str
    name: str
    avatar_url: str


@resource("A person as colleagues see them.")
class User:
    username: str
    name: str
    department: str
    title: str
    avatar_url: str | None
    birthday: str | None = prop(BIRTHDAY, pattern=MONTH_DAY)


@resource_base
class AccountFields(User):
    """What the caller's own account and admins' view of accounts share (not an answer)."""

    email: str
    role: str = prop(enum=ROLES)
    status: str = prop(enum=STATUSES)
    created_at: datetime
    location: str
    phone: str
    bio: str
    cover_url: str | None


@resource("The caller's own account.")
class Me(AccountFields):
    birth_year: int | None = prop("Private: shown to its owner only, never to colleagues.")


@resource("A personal access token (never its secret).")
class Token:
    id: int
    name: str
    prefix: str = prop("The secret's first characters, to recognise it.")
    scope: str = prop(enum=SCOPES)
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


@resource("A token just created, with its secret.")
class NewToken(Token):
    token: str = prop("The secret, shown this once; only its hash is kept.")
