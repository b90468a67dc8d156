"""Messages as the pages and the API show them: formatted text, sender, photos."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from markupsafe import Markup

from intranet_social.accounts.models import User
from intranet_social.core.text import format_text
from intranet_social.friends.cards import PersonRef
from intranet_social.media.avatars import SMALL_AVATAR, avatar_url
from intranet_social.messaging import service
from intranet_social.messaging.models import Message
from intranet_social.posts.card_queries import mentioned_names


@dataclass(frozen=True)
class PhotoCard:
    id: int
    width: int | None
    height: int | None

    @property
    def url(self) -> str:
        return url_for("messaging.show_media", media_id=self.id, variant="full")

    @property
    def thumb_url(self) -> str:
        return url_for("messaging.show_media", media_id=self.id, variant="thumb")


@dataclass(frozen=True)
class MessageCard:
    id: int
    conversation_id: int
    #: ``None`` once the sender's account is deleted
    sender: PersonRef | None
    body: str
    html: Markup
    created_at: datetime
    mine: bool
    photos: list[PhotoCard]


def person_ref(user: User) -> PersonRef:
    return PersonRef(user.username, user.name, avatar_url(user, SMALL_AVATAR))


def message_cards(viewer: User, messages: Sequence[Message]) -> list[MessageCard]:
    """Cards for ``messages`` in their order: three queries whatever their number."""
    senders = service.senders_of(messages)
    media = service.media_by_message(messages)
    usernames = mentioned_names(message.body for message in messages)
    cards = []
    for message in messages:
        sender = senders.get(message.sender_id or 0)
        cards.append(
            MessageCard(
                id=message.id,
                conversation_id=message.conversation_id,
                sender=person_ref(sender) if sender is not None else None,
                body=message.body,
                html=format_text(message.body, usernames),
                created_at=message.created_at,
                mine=message.sender_id == viewer.id,
                photos=[PhotoCard(m.id, m.width, m.height) for m in media[message.id]],
            )
        )
    return cards
