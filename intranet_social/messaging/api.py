"""``/conversations`` and ``/blocks``: the JSON face of messaging, on the same services as
the pages.

``GET /conversations/{id}/messages?after=<id>`` is what open pages poll every few seconds;
with nothing new it answers 204 after one query by primary keys. Messages with photos come
as multipart/form-data and go through the same checks and re-encoding as the page's form.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from intranet_social.accounts.resources import PersonRef
from intranet_social.core.errors import Invalid
from intranet_social.core.json_body import json_object, text
from intranet_social.core.models import MAX_ID
from intranet_social.core.paging import encode_cursor, id_cursor, list_response, page_limit
from intranet_social.core.resource import to_json
from intranet_social.friends import blocks
from intranet_social.messaging import groups, models, service
from intranet_social.messaging.cards import message_cards, person_ref
from intranet_social.messaging.resources import Conversation, Message, MessagesUnread

bp = Blueprint("messaging", __name__)

CONVERSATION_ID = "<int:conversation_id>"
AFTER_MESSAGE = "after must be a message id: a whole number from 0."
MEMBERS_MESSAGE = "members must be a list of usernames."
MULTIPART = "multipart/form-data"


def _conversation(conversation: models.Conversation, unread: int | None = None) -> dict[str, Any]:
    """``conversation`` as the caller sees it: its title, members and unread count."""
    members = service.members_of(conversation.id)
    if unread is None:
        unread = service.conversation_unread(g.api_user, conversation.id)
    return to_json(
        Conversation,
        conversation,
        title=service.title_for(g.api_user, conversation, members),
        members=[person_ref(member) for member in members],
        unread=unread,
    )


def _after() -> int | None:
    raw = request.args.get("after")
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19 or int(raw) > MAX_ID:
        raise Invalid(AFTER_MESSAGE, "after")
    return int(raw)


@bp.get("/conversations")
def list_conversations() -> Response:
    summaries = service.conversations_of(g.api_user, limit=page_limit())
    items = [_conversation(item.conversation, item.unread) for item in summaries]
    return list_response(items, None)


@bp.post("/conversations")
def create_conversation() -> tuple[Response, int]:
    body = json_object(allowed=("members", "name"), required=("members",))
    members = body["members"]
    if not isinstance(members, list) or not all(isinstance(name, str) for name in members):
        raise Invalid(MEMBERS_MESSAGE, "members")
    name = text(body, "name")
    if name is None and len(members) == 1:
        conversation = service.open_direct(g.api_user, members[0])
        status = 200
    else:
        conversation = groups.create_group(g.api_user, members, name)
        status = 201
    return jsonify(_conversation(conversation)), status


@bp.get(f"/conversations/{CONVERSATION_ID}")
def get_conversation(conversation_id: int) -> Response:
    return jsonify(_conversation(service.get_conversation(g.api_user, conversation_id)))


@bp.get(f"/conversations/{CONVERSATION_ID}/messages")
def list_messages(conversation_id: int) -> Response:
    after = _after()
    if after is not None:
        if not service.has_news(g.api_user, conversation_id, after):
            return Response(status=204)
        news = service.messages_after(g.api_user, conversation_id, after, page_limit())
        return list_response(
            [to_json(Message, card) for card in message_cards(g.api_user, news)], None
        )
    page, older = service.messages_before(g.api_user, conversation_id, id_cursor(), page_limit())
    items = [to_json(Message, card) for card in message_cards(g.api_user, page)]
    return list_response(items, encode_cursor(older) if older is not None else None)


def _new_message_input() -> tuple[str | None, list[FileStorage]]:
    """The text and the photos: JSON ``{body}``, or multipart with ``body`` and ``photos``."""
    if request.mimetype != MULTIPART:
        body = json_object(allowed=("body",), required=("body",))
        return text(body, "body"), []
    for name in request.form:
        if name != "body":
            raise Invalid("Unknown field; use only body and photos.", name)
    for name in request.files:
        if name != "photos":
            raise Invalid("Send the photos in the field photos.", name)
    return text(request.form.to_dict(), "body"), request.files.getlist("photos")


@bp.post(f"/conversations/{CONVERSATION_ID}/messages")
def send_message(conversation_id: int) -> tuple[Response, int]:
    body, photos = _new_message_input()
    message = service.send_message(g.api_user, conversation_id, body, photos)
    return jsonify(to_json(Message, message_cards(g.api_user, [message])[0])), 201


@bp.post(f"/conversations/{CONVERSATION_ID}/read")
def read_conversation(conversation_id: int) -> Response:
    service.mark_read(g.api_user, conversation_id)
    return jsonify(to_json(MessagesUnread, messages=service.unread_count(g.api_user)))


# ---------------------------------------------------------------- blocking


@bp.get("/blocks")
def list_blocked_people() -> Response:
    people = blocks.blocked_people(g.api_user)
    return list_response([to_json(PersonRef, person_ref(person)) for person in people], None)


@bp.post("/blocks")
def block_person() -> Response:
    body = json_object(allowed=("username",), required=("username",))
    person = blocks.block(g.api_user, text(body, "username", ""))
    return jsonify(to_json(PersonRef, person_ref(person)))


@bp.delete("/blocks/<username>")
def unblock_person(username: str) -> tuple[str, int]:
    blocks.unblock(g.api_user, username)
    return "", 204
