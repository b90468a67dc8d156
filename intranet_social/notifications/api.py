"""``/notifications``: the JSON face of the notification list, the unread counts and marking
read."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify
from werkzeug.wrappers import Response

from intranet_social.api import bp
from intranet_social.api.account import timestamp
from intranet_social.core.errors import Invalid
from intranet_social.core.json_body import json_object
from intranet_social.core.paging import encode_cursor, id_cursor, list_response, page_limit
from intranet_social.messaging import service as messaging
from intranet_social.notifications import service
from intranet_social.notifications.inbox import NotificationCard, notification_page
from intranet_social.profiles.api import ref_json

#: how many ids one request may mark read
MAX_IDS = 100
IDS_MESSAGE = f"ids must be a list of 1 to {MAX_IDS} notification ids."


def notification_json(card: NotificationCard) -> dict[str, Any]:
    return {
        "id": card.id,
        "kind": card.kind,
        "actor": ref_json(card.actor) if card.actor is not None else None,
        "others": card.others,
        "text": card.text,
        "object_url": card.object_url,
        "read": card.read,
        "created_at": timestamp(card.created_at),
    }


@bp.get("/notifications")
def list_notifications() -> Response:
    cards, before = notification_page(g.api_user, id_cursor(), page_limit())
    cursor = encode_cursor(before) if before is not None else None
    return list_response([notification_json(card) for card in cards], cursor)


@bp.get("/notifications/unread")
def unread_counts() -> Response:
    return jsonify(
        notifications=service.unread_count(g.api_user),
        messages=messaging.unread_count(g.api_user),
    )


def _ids(value: Any) -> list[int]:
    if (
        not isinstance(value, list)
        or not 0 < len(value) <= MAX_IDS
        or any(isinstance(item, bool) or not isinstance(item, int) for item in value)
    ):
        raise Invalid(IDS_MESSAGE, "ids")
    return value


@bp.post("/notifications/read")
def read_notifications() -> Response:
    body = json_object(allowed=("ids", "all"))
    if body.get("all") is True and "ids" not in body:
        service.mark_all_read(g.api_user)
    elif "ids" in body and "all" not in body:
        service.mark_read(g.api_user, _ids(body["ids"]))
    else:
        raise Invalid('Send {"ids": [...]} to mark some read, or {"all": true} for all.', "body")
    return jsonify(notifications=service.unread_count(g.api_user))
