"""Default avatars for people without a photo: their initials on a colour of their own.

The picture is an SVG drawn from a template with the page's system fonts, so it is sharp at
every size, costs no disk and is made locally. Its URL carries the initials and the colour,
so it needs no database look-up and changes by itself when the person's name does.
"""

from __future__ import annotations

import hashlib

from flask import url_for

from intranet_social.accounts.models import User

#: the stored sizes of a photo, in pixels
SMALL_AVATAR = 48
LARGE_AVATAR = 160

#: background colours; white initials on each meet WCAG AA contrast (4.5:1)
PALETTE = (
    "#1760d9",
    "#c0262d",
    "#1d7a3e",
    "#8a5a00",
    "#6b3fa0",
    "#0f766e",
    "#9a3412",
    "#374151",
    "#be185d",
    "#3f51b5",
    "#00695c",
    "#5d4037",
)
TEXT_COLOUR = "#ffffff"


def initials(name: str, username: str) -> str:
    """Up to two capitals: the first letters of the first and last words of ``name``
    (``Ana Maria (Member)`` -> ``AM``), else the username's first character."""
    letters = [
        next(letter for letter in word if letter.isalnum())
        for word in (name or "").split()
        if any(letter.isalnum() for letter in word)
    ]
    if letters:
        picked = letters[0] + letters[-1] if len(letters) > 1 else letters[0]
    else:
        picked = username[:1] or "?"
    # one capital per letter: "ß".upper() is "SS"
    return "".join(letter.upper()[:1] for letter in picked)


def colour_index(username: str) -> int:
    """A stable colour for a person, the same on every page and every server."""
    return hashlib.sha256(username.encode("utf-8")).digest()[0] % len(PALETTE)


def valid_initials(text: str) -> bool:
    """Whether ``text`` could have come from :func:`initials` (checked before drawing a URL's)."""
    return 1 <= len(text) <= 2 and all(ch.isalnum() for ch in text)


def avatar_url(user: User, size: int = LARGE_AVATAR) -> str:
    """The URL of ``user``'s photo in the stored size nearest ``size`` (48 or 160), or of the
    generated initials when they have none."""
    return picture_url(user.avatar_key, user.name, user.username, size)


def picture_url(key: str | None, name: str, handle: str, size: int = LARGE_AVATAR) -> str:
    """The URL of the avatar stored under ``key`` (a person's or a space's) in the size
    nearest ``size``, or, without one, of the initials of ``name`` on the colour of
    ``handle`` (a username or a space's address).

    Stored pictures are served by their key to anyone signed in, so a key is shown only to
    those who may see its owner; keys are random (128 bits) and cannot be guessed."""
    if key:
        variant = str(SMALL_AVATAR if size <= SMALL_AVATAR else LARGE_AVATAR)
        return url_for("profiles.avatar_image", key=key, size=variant)
    return url_for(
        "profiles.default_avatar", colour=colour_index(handle), text=initials(name, handle)
    )


def cover_url(user: User) -> str | None:
    return cover_picture_url(user.cover_key)


def cover_picture_url(key: str | None) -> str | None:
    """The URL of the cover stored under ``key``; ``None`` for none."""
    return url_for("profiles.cover_image", key=key) if key else None


def photo_urls(user: User) -> dict[str, str | None]:
    """The photo URLs of an account's API answers (``Me``, ``Account``), which the model does
    not hold."""
    return {"avatar_url": avatar_url(user), "cover_url": cover_url(user)}
