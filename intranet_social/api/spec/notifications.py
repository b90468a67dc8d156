"""The document's part for notifications: the list, the unread counts and marking read."""

from __future__ import annotations

from intranet_social.api.spec import (
    PAGE_PARAMETERS,
    TIMESTAMP,
    Area,
    Schema,
    answer,
    list_of,
    obj,
    operation,
    ref,
)

KINDS = [
    "friend_request",
    "friend_accept",
    "post_like",
    "comment_like",
    "comment",
    "wall_post",
    "mention",
    "birthday",
]

SCHEMAS: dict[str, Schema] = {
    "Notification": obj(
        {
            "id": {"type": "integer", "description": "Pass to POST /notifications/read."},
            "kind": {"type": "string", "enum": KINDS},
            "actor": {
                "oneOf": [ref("PersonRef"), {"type": "null"}],
                "description": "Who did it (the newest of a group).",
            },
            "others": {
                "type": "integer",
                "minimum": 0,
                "description": "How many more people did the same (likes are grouped).",
            },
            "text": {"type": "string", "description": 'e.g. "Ana and 3 others liked your post."'},
            "object_url": {"type": "string", "description": "The site path of what it is about."},
            "read": {"type": "boolean"},
            "created_at": TIMESTAMP,
        },
        description="One entry of the caller's notifications; likes of one thing are one entry.",
    ),
    "NotificationList": list_of("Notification"),
    "UnreadCounts": obj(
        {
            "notifications": {"type": "integer", "minimum": 0},
            "messages": {"type": "integer", "minimum": 0},
        },
        description="Unread notification entries and unread messages: the two top-bar badges.",
    ),
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
    "NotificationsUnread": obj(
        {"notifications": {"type": "integer", "minimum": 0}},
        description="Unread notification entries left.",
    ),
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
