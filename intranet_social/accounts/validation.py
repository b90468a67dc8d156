"""Checks for the fields that identify a person: username, e-mail, name, birthday."""

from __future__ import annotations

import re
from datetime import date

from email_validator import EmailNotValidError, validate_email

from intranet_social.core.errors import Invalid

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,30}[a-z0-9]$")
RESERVED_USERNAMES = frozenset(
    {"api", "static", "admin-console", "login", "logout", "register", "account", "me", "new"}
)


def clean_username(username: str, field: str = "username") -> str:
    value = (username or "").strip().lower()
    if not USERNAME_RE.match(value):
        raise Invalid(
            "Use 3 to 32 lower-case letters, digits, dots, dashes or underscores, "
            "starting and ending with a letter or digit.",
            field,
        )
    if value in RESERVED_USERNAMES:
        raise Invalid(f"The username {value!r} is reserved; choose another.", field)
    return value


def clean_email(email: str, field: str = "email") -> str:
    value = (email or "").strip()
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise Invalid(f"Enter a valid e-mail address ({exc}).", field) from None
    return result.normalized.lower()


def clean_name(name: str, field: str = "name") -> str:
    value = " ".join((name or "").split())
    if not value:
        raise Invalid("Enter a name.", field)
    if len(value) > 100:
        raise Invalid("Use at most 100 characters.", field)
    if any(ord(ch) < 32 for ch in value):
        raise Invalid("The name contains control characters.", field)
    return value


def clean_text(value: str | None, field: str, max_length: int = 100) -> str:
    text = " ".join((value or "").split())
    if len(text) > max_length:
        raise Invalid(f"Use at most {max_length} characters.", field)
    return text


def parse_birthday(
    value: str | None, field: str = "birthday"
) -> tuple[int, int, int | None] | None:
    """``MM-DD`` or ``YYYY-MM-DD`` to ``(month, day, year or None)``; empty means no birthday."""
    text = (value or "").strip()
    if not text:
        return None
    parts = text.split("-")
    try:
        if len(parts) == 2:
            month, day, year = int(parts[0]), int(parts[1]), None
            date(2000, month, day)  # a leap year, so 02-29 is allowed
        elif len(parts) == 3 and len(parts[0]) == 4:
            year, month, day = int(parts[0]), int(parts[1]), int(parts[2])
            born = date(year, month, day)
            if born >= date.today() or year < 1900:
                raise ValueError
        else:
            raise ValueError
    except ValueError:
        raise Invalid(
            f"Birthday {text!r} is not a date; use MM-DD (or YYYY-MM-DD).", field
        ) from None
    return month, day, year
