"""Media forgets the photo and cover of a deleted account (see core/events.py)."""

from __future__ import annotations

from intranet_social.accounts.models import User
from intranet_social.core import events
from intranet_social.media.storage import delete_when_committed


def _user_deleting(user: User) -> None:
    delete_when_committed([key for key in (user.avatar_key, user.cover_key) if key])


def connect() -> None:
    """Connect the listeners; the app factory calls this (again is harmless)."""
    events.user_deleting.connect(_user_deleting, weak=False)
