"""Spaces follow people's departments and say which picture files they still use (see
core/events.py)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select

from intranet_social.accounts.models import User
from intranet_social.core import events
from intranet_social.extensions import db
from intranet_social.spaces.departments import on_department_changed
from intranet_social.spaces.models import Space


def _department_changed(user: User, *, old: str | None) -> None:
    on_department_changed(user, old)


def _media_in_use(_sender: object, *, keys: Sequence[str]) -> set[str]:
    """Which of ``keys`` are a space's avatar or cover."""
    asked = set(keys)
    found: set[str] = set()
    for avatar, cover in db.session.execute(
        select(Space.avatar_key, Space.cover_key).where(
            or_(Space.avatar_key.in_(asked), Space.cover_key.in_(asked))
        )
    ):
        found.update(key for key in (avatar, cover) if key in asked)
    return found


def connect() -> None:
    """Connect the listeners; the app factory calls this (again is harmless)."""
    events.department_changed.connect(_department_changed, weak=False)
    events.media_in_use.connect(_media_in_use, weak=False)
