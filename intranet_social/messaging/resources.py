"""The JSON shapes of conversations and messages in API answers (see
:mod:`intranet_social.core.resource`)."""

from __future__ import annotations

from datetime import datetime

from intranet_social.accounts.resources import PersonRef
from intranet_social.core.resource import prop, resource


@resource("A one-to-one or group conversation the caller is in.")
class Conversation:
    id: int = prop(minimum=1)
    is_group: bool
    name: str = prop("A group's name; empty for one-to-one.")
    title: str = prop("What to call it: the group's name or the other person's.")
    members: list[PersonRef]
    unread: int = prop(minimum=0)
    last_message_id: int | None
    last_message_at: datetime | None
    created_at: datetime


@resource("A photo of a message.")
class MessagePhoto:
    id: int = prop(minimum=1)
    width: int | None
    height: int | None
    url: str
    thumb_url: str


@resource("A message, with its photos.")
class Message:
    id: int = prop(minimum=1)
    conversation_id: int = prop(minimum=1)
    sender: PersonRef | None
    body: str
    html: str = prop("The body as safe HTML: escaped, links and @mentions linked.")
    created_at: datetime
    mine: bool
    photos: list[MessagePhoto]


@resource("Unread messages over all the caller's conversations.")
class MessagesUnread:
    messages: int = prop(minimum=0)
