"""Profiles: editing one's own fields and photos.

Functions take the acting user explicitly, only ``flush()``, and leave the commit to the
caller. The card a profile header shows is :mod:`intranet_social.friends.cards`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from intranet_social.accounts import organisation
from intranet_social.accounts import service as accounts
from intranet_social.accounts.models import User
from intranet_social.accounts.validation import clean_name, clean_text, parse_birthday
from intranet_social.core.errors import Invalid
from intranet_social.extensions import db
from intranet_social.media.storage import Upload, delete_when_committed, store_image

BIO_MAX_LENGTH = 1000
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()./-]*(?:\s*(?:x|ext\.?)\s*[0-9]+)?$", re.IGNORECASE)
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "title",
        "department",
        "location",
        "phone",
        "bio",
        "birthday",
        "birth_year",
        "manager",
        "start_date",
    }
)


# ---------------------------------------------------------------- photos


def set_avatar(user: User, upload: Upload | None, *, field: str = "avatar") -> User:
    """Store a new photo for ``user``; the old one's files go once this commits."""
    stored = store_image(_chosen(upload, field), purpose="avatar", field=field)
    _replace_key(user, "avatar_key", stored.key)
    return user


def remove_avatar(user: User) -> User:
    _replace_key(user, "avatar_key", None)
    return user


def set_cover(user: User, upload: Upload | None, *, field: str = "cover") -> User:
    stored = store_image(_chosen(upload, field), purpose="cover", field=field)
    _replace_key(user, "cover_key", stored.key)
    return user


def remove_cover(user: User) -> User:
    _replace_key(user, "cover_key", None)
    return user


def _chosen(upload: Upload | None, field: str) -> Upload:
    if upload is None:
        raise Invalid("Choose a picture to upload.", field)
    return upload


def _replace_key(user: User, column: str, key: str | None) -> None:
    old = getattr(user, column)
    setattr(user, column, key)
    db.session.flush()
    if old:
        delete_when_committed([old])


# ---------------------------------------------------------------- profile fields


def update_profile(user: User, changes: Mapping[str, Any]) -> User:
    """Change the fields named in ``changes`` (others stay). Every value is checked before
    any is set, so a refused change leaves the profile as it was."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise Invalid("This field cannot be changed here.", sorted(unknown)[0])
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = clean_name(_text(changes, "name"))
    for name in ("title", "department", "location"):
        if name in changes:
            values[name] = clean_text(_text(changes, name), name)
    department = values.pop("department", None)
    if "phone" in changes:
        values["phone"] = _clean_phone(_text(changes, "phone"))
    if "bio" in changes:
        values["bio"] = _clean_bio(_text(changes, "bio"))
    if "birthday" in changes or "birth_year" in changes:
        values.update(_clean_birthday(user, changes))
    if "manager" in changes:
        manager = organisation.manager_of(_text(changes, "manager"), user)
        values["manager_id"] = manager.id if manager is not None else None
    if "start_date" in changes:
        values["start_date"] = organisation.parse_start_date(_text(changes, "start_date"))
    for name, value in values.items():
        setattr(user, name, value)
    if department is not None:
        accounts.set_department(user, department)
    db.session.flush()
    return user


def _text(changes: Mapping[str, Any], name: str) -> str:
    value = changes[name]
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid("This field must be text.", name)
    if "\x00" in value:
        raise Invalid("The text contains a NUL character.", name)
    return value


def _clean_phone(value: str) -> str:
    phone = " ".join(value.split())
    if not phone:
        return ""
    if len(phone) > 40 or not PHONE_PATTERN.match(phone):
        raise Invalid(
            "Enter a phone number of digits, spaces and + ( ) - . / "
            "(at most 40 characters), like +44 20 7946 0000 ext 12.",
            "phone",
        )
    return phone


def _clean_bio(value: str) -> str:
    bio = "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").split("\n")).strip()
    if len(bio) > BIO_MAX_LENGTH:
        raise Invalid(f"Use at most {BIO_MAX_LENGTH} characters ({len(bio)} now).", "bio")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in bio):
        raise Invalid("The text contains control characters.", "bio")
    return bio


def _clean_birthday(user: User, changes: Mapping[str, Any]) -> dict[str, int | None]:
    """``birthday`` is ``MM-DD`` (or ``YYYY-MM-DD``); ``birth_year`` is optional and private."""
    if "birthday" in changes:
        born = parse_birthday(_text(changes, "birthday"))
    elif user.birthday_month is not None and user.birthday_day is not None:
        born = (user.birthday_month, user.birthday_day, user.birth_year)
    else:
        born = None
    year = born[2] if born else None
    if "birth_year" in changes:
        given = _birth_year(changes["birth_year"])
        # An empty year keeps one typed into the birthday itself (YYYY-MM-DD).
        typed_year = "birthday" in changes and year is not None
        if given is not None or not typed_year:
            year = given
    if born is None:
        if year is not None:
            raise Invalid("Enter the day and month of your birthday too.", "birthday")
        return {"birthday_month": None, "birthday_day": None, "birth_year": None}
    month, day, _ = born
    if year is not None and not _is_past_date(year, month, day):
        raise Invalid(f"{year}-{month:02d}-{day:02d} is not a past date.", "birth_year")
    return {"birthday_month": month, "birthday_day": day, "birth_year": year}


def _birth_year(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 9999:
        raise Invalid("Enter a year like 1990, or leave it empty.", "birth_year")
    return value


def _is_past_date(year: int, month: int, day: int) -> bool:
    """Whether the day exists that year (29 February) and is before today."""
    return day <= calendar.monthrange(year, month)[1] and date(year, month, day) < date.today()
