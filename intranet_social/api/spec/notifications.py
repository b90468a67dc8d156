"""The document's part for notifications: the list, the unread counts and marking read."""

from __future__ import annotations

from intranet_social.api.spec import (
    PAGE_PARAMETERS,
    Area,
    Schema,
    answer,
    list_of,
    obj,
    operation,
    ref,
)
from intranet_social.core.resource import schemas_of
from intranet_social.notifications.resources import (
    Notification,
    NotificationsUnread,
    UnreadCounts,
)

SCHEMAS: dict[str, Schema] = {
    **schemas_of(Notification, UnreadCounts, NotificationsUnread),
    "NotificationList": list_of("Notification"),
    "NotificationsRead": {
        "oneOf": [
            obj(
                {
                    "ids": {
                        "type": "array",
                        "items": {"type": "integer"},
                        "minItems": 1,
                        "maxItems": 100,
                        "description": "Entries to mark read, with the rest of their groups.",
                    }
                },
                closed=True,
            ),
            obj({"all": {"const": True, "description": "Mark every one read."}}, closed=True),
        ],
        "description": 'Either {"ids": [...]} or {"all": true}.',
    },
}


def area() -> Area:
    return Area(
        paths={
            "/notifications": {
                "get": operation(
                    "list_notifications",
                    "The caller's notifications, newest first",
                    tag="notifications",
                    parameters=PAGE_PARAMETERS,
                    errors=(422,),
                    ok=(200, answer("One page of notifications.", ref("NotificationList"))),
                )
            },
            "/notifications/unread": {
                "get": operation(
                    "unread_counts",
                    "Unread notifications and messages",
                    tag="notifications",
                    ok=(200, answer("The counts.", ref("UnreadCounts"))),
                )
            },
            "/notifications/read": {
                "post": operation(
                    "read_notifications",
                    "Mark notifications read",
                    tag="notifications",
                    body=ref("NotificationsRead"),
                    errors=(404,),
                    ok=(200, answer("What is left unread.", ref("NotificationsUnread"))),
                    description="404 (field ids) when any id is not one of the caller's "
                    "notifications; then nothing is marked.",
                )
            },
        },
        schemas=SCHEMAS,
    )
