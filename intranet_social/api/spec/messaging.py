"""The document's part for messaging: ``/conversations``, their messages, and ``/blocks``."""

from __future__ import annotations

from intranet_social.api.spec import (
    PAGE_PARAMETERS,
    Area,
    Schema,
    answer,
    list_of,
    obj,
    operation,
    path_parameter,
    query,
    ref,
)
from intranet_social.core.resource import schemas_of
from intranet_social.messaging.resources import (
    Conversation,
    Message,
    MessagePhoto,
    MessagesUnread,
)
from intranet_social.messaging.service import MAX_PHOTOS

CONVERSATION = path_parameter(
    "conversation_id", {"type": "integer"}, "The conversation; 404 unless the caller is in it."
)


SCHEMAS: dict[str, Schema] = {
    **schemas_of(Conversation, MessagePhoto, Message, MessagesUnread),
    "ConversationList": list_of("Conversation"),
    "NewConversation": obj(
        {
            "members": {
                "type": "array",
                "items": {"type": "string"},
                "maxItems": 49,
                "description": "Usernames besides the caller. One name and no group name "
                "opens the one conversation the two share.",
            },
            "name": {"type": ["string", "null"], "maxLength": 100},
        },
        required=("members",),
        closed=True,
    ),
    "MessageList": list_of("Message"),
    "NewMessage": obj({"body": {"type": "string", "maxLength": 5000}}, closed=True),
    "NewMessageWithPhotos": obj(
        {
            "body": {"type": "string", "maxLength": 5000},
            "photos": {
                "type": "array",
                "items": {"type": "string", "format": "binary"},
                "maxItems": MAX_PHOTOS,
                "description": f"Up to {MAX_PHOTOS} photos, each within the site's image "
                "limit; they are re-encoded, so only real pictures pass.",
            },
        },
        required=(),
        closed=True,
    ),
    "PersonRefList": list_of("PersonRef"),
    "BlockRequest": obj({"username": {"type": "string"}}, closed=True),
}


def area() -> Area:
    create = operation(
        "create_conversation",
        "Start a group, or open the conversation with one person",
        tag="messaging",
        body=ref("NewConversation"),
        errors=(404,),
        ok=(201, answer("The new group.", ref("Conversation"))),
        description="Friends only unless the site lets everyone message everyone; 403 for "
        "someone the caller may not message (or who blocked them), 404 for no such person.",
    )
    create["responses"]["200"] = answer("The one-to-one conversation.", ref("Conversation"))
    poll = operation(
        "list_messages",
        "Messages of a conversation, or the new ones",
        tag="messaging",
        parameters=[
            CONVERSATION,
            query(
                "after",
                {"type": "integer", "minimum": 0},
                "Only messages after this id, oldest first; 204 with no body when none.",
            ),
            *PAGE_PARAMETERS,
        ],
        errors=(404, 422),
        ok=(
            200,
            answer("Messages, oldest first; next_cursor pages to older ones.", ref("MessageList")),
        ),
    )
    poll["responses"]["204"] = answer("Nothing after `after`.")
    send = operation(
        "send_message",
        "Send a message",
        tag="messaging",
        parameters=[CONVERSATION],
        body=ref("NewMessage"),
        errors=(404,),
        ok=(201, answer("The message.", ref("Message"))),
        description="JSON for text only; multipart/form-data with the field photos for "
        "photos. 403 when the other person of a one-to-one conversation may no longer be "
        "messaged (no longer friends, or blocked).",
    )
    send["requestBody"]["content"]["multipart/form-data"] = {"schema": ref("NewMessageWithPhotos")}
    return Area(
        paths={
            "/conversations": {
                "get": operation(
                    "list_conversations",
                    "The caller's conversations",
                    tag="messaging",
                    parameters=[{"$ref": "#/components/parameters/Limit"}],
                    errors=(422,),
                    ok=(200, answer("Newest activity first; one page.", ref("ConversationList"))),
                ),
                "post": create,
            },
            "/conversations/{conversation_id}": {
                "get": operation(
                    "get_conversation",
                    "One conversation",
                    tag="messaging",
                    parameters=[CONVERSATION],
                    errors=(404,),
                    ok=(200, answer("The conversation.", ref("Conversation"))),
                )
            },
            "/conversations/{conversation_id}/messages": {
                "get": poll,
                "post": send,
            },
            "/conversations/{conversation_id}/read": {
                "post": operation(
                    "read_conversation",
                    "Mark the conversation read",
                    tag="messaging",
                    parameters=[CONVERSATION],
                    errors=(404,),
                    ok=(200, answer("What is still unread.", ref("MessagesUnread"))),
                )
            },
            "/blocks": {
                "get": operation(
                    "list_blocked_people",
                    "The people the caller blocks",
                    tag="messaging",
                    ok=(
                        200,
                        answer(
                            "Everyone the caller blocks, by name; one page.", ref("PersonRefList")
                        ),
                    ),
                ),
                "post": operation(
                    "block_person",
                    "Block someone (again is harmless)",
                    tag="messaging",
                    body=ref("BlockRequest"),
                    errors=(404,),
                    ok=(200, answer("The person now blocked.", ref("PersonRef"))),
                    description="No messages and no friend requests between the two from "
                    "now on, and neither is suggested to the other; open friend requests "
                    "between them close. 422 for the caller themselves.",
                ),
            },
            "/blocks/{username}": {
                "delete": operation(
                    "unblock_person",
                    "Lift a block (harmless when there is none)",
                    tag="messaging",
                    parameters=[path_parameter("username", {"type": "string"}, "Whom to unblock.")],
                    errors=(404,),
                    ok=(204, answer("Not blocked.")),
                ),
            },
        },
        schemas=SCHEMAS,
    )
