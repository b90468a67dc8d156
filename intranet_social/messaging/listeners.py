"""Messages keep media: they say which files are still theirs (see core/events.py)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from intranet_social.core import events
from intranet_social.extensions import db
from intranet_social.messaging.models import MessageMedia


def _media_in_use(_sender: object, *, keys: Sequence[str]) -> set[str]:
    return set(db.session.scalars(select(MessageMedia.key).where(MessageMedia.key.in_(keys))))


def connect() -> None:
    """Connect the listeners; the app factory calls this (again is harmless)."""
    events.media_in_use.connect(_media_in_use, weak=False)
