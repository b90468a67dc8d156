"""``/notifications``: the JSON face of the notification list, the unread counts and marking
read."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify
from werkzeug.wrappers import Response

from intranet_social.core.errors import Invalid
from intranet_social.core.json_body import json_object
from intranet_social.core.paging import encode_cursor, id_cursor, list_response, page_limit
from intranet_social.core.resource import to_json
from intranet_social.messaging import service as messaging
from intranet_social.notifications import service
from intranet_social.notifications.inbox import notification_page
from intranet_social.notifications.resources import Notification, NotificationsUnread, UnreadCounts

bp = Blueprint("notifications", __name__)

#: how many ids one request may mark read
MAX_IDS = 100
IDS_MESSAGE = f"ids must be a list of 1 to {MAX_IDS} notification ids."


@bp.get("/notifications")
def list_notifications() -> Response:
    cards, before = notification_page(g.api_user, id_cursor(), page_limit())
    cursor = encode_cursor(before) if before is not None else None
    return list_response([to_json(Notification, card) for card in cards], cursor)


@bp.get("/notifications/unread")
def unread_counts() -> Response:
    counts = to_json(
        UnreadCounts,
        notifications=service.unread_count(g.api_user),
        messages=messaging.unread_count(g.api_user),
    )
    return jsonify(counts)


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
    return jsonify(to_json(NotificationsUnread, notifications=service.unread_count(g.api_user)))
