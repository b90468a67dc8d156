"""The document's part for profiles and friends: ``/me`` changes and photos, ``/users``,
``/friends``."""

from __future__ import annotations

from intranet_social.accounts.resources import PersonRef
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
from intranet_social.friends.resources import FriendRequest, FriendRequests, Person

OPTIONAL_TEXT: Schema = {"type": ["string", "null"], "maxLength": 100}
USERNAME = path_parameter(
    "username", {"type": "string", "minLength": 1}, "The person's username (case does not matter)."
)
REQUEST_ID = path_parameter(
    "request_id", {"type": "integer", "minimum": 1}, "The request's id, from GET /friends/requests."
)
PHOTO_BODY: Schema = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": obj(
                {"file": {"type": "string", "format": "binary"}},
                description="A JPEG, PNG, GIF or WebP picture of at most media.max_image_mb MB "
                "and 40 megapixels.",
            )
        }
    },
}


SCHEMAS: dict[str, Schema] = {
    **schemas_of(PersonRef, FriendRequest, Person, FriendRequests),
    "PersonList": list_of("Person"),
    "ProfileChanges": obj(
        {
            "name": {"type": "string", "minLength": 1, "maxLength": 100},
            "title": OPTIONAL_TEXT,
            "department": OPTIONAL_TEXT,
            "location": OPTIONAL_TEXT,
            "phone": {"type": ["string", "null"], "maxLength": 40},
            "bio": {"type": ["string", "null"], "maxLength": 1000},
            "birthday": {
                "type": ["string", "null"],
                "description": "MM-DD (or YYYY-MM-DD to set the year too); null or empty "
                "removes the birthday.",
            },
            "birth_year": {
                "type": ["integer", "null"],
                "minimum": 1900,
                "description": "Private: only the person sees it (in GET /me).",
            },
            "manager": {
                "type": ["string", "null"],
                "description": "The manager's username; null or empty for none. Not the "
                "caller, nor anyone who reports to the caller (422, field manager).",
            },
            "start_date": {
                "type": ["string", "null"],
                "description": "YYYY-MM-DD, the day the caller started; null or empty removes it.",
            },
        },
        required=(),
        closed=True,
        description="Only the fields sent change; null empties a field.",
    ),
    "FriendRequestCreate": obj({"username": {"type": "string"}}, closed=True),
}


def _photo_operations(kind: str, noun: str) -> dict[str, Schema]:
    put = operation(
        f"set_my_{kind}",
        f"Upload a new {noun}",
        tag="profile",
        errors=(413, 422),
        description="Send the picture as multipart/form-data in the field `file`. It is "
        "re-encoded (metadata removed, orientation applied) and cropped to the sizes pages "
        "use; a file that is not a picture, too large or of too many pixels answers 422 "
        "naming `file`.",
        ok=(200, answer("The caller's account with the new photo URLs.", ref("Me"))),
    )
    put["requestBody"] = PHOTO_BODY
    return {
        "put": put,
        "delete": operation(
            f"remove_my_{kind}",
            f"Remove the {noun}",
            tag="profile",
            ok=(200, answer("The caller's account without the photo.", ref("Me"))),
        ),
    }


def area() -> Area:
    people_list = answer("People, one page.", ref("PersonList"))
    return Area(
        paths={
            "/me": {
                "patch": operation(
                    "update_me",
                    "Change the caller's profile",
                    tag="profile",
                    body=ref("ProfileChanges"),
                    ok=(200, answer("The caller's account as changed.", ref("Me"))),
                )
            },
            "/me/avatar": _photo_operations("avatar", "profile photo"),
            "/me/cover": _photo_operations("cover", "cover photo"),
            "/users": {
                "get": operation(
                    "list_people",
                    "The people directory, by username",
                    tag="people",
                    parameters=[
                        query(
                            "q",
                            {"type": "string"},
                            "Words that must each appear in the name, username, title or "
                            "department.",
                        ),
                        query("department", {"type": "string"}, "Only this department."),
                        *PAGE_PARAMETERS,
                    ],
                    errors=(422,),
                    ok=(200, people_list),
                )
            },
            "/users/{username}": {
                "get": operation(
                    "get_person",
                    "One person",
                    tag="people",
                    parameters=[USERNAME],
                    errors=(404,),
                    ok=(200, answer("The person.", ref("Person"))),
                )
            },
            "/users/{username}/mutual-friends": {
                "get": operation(
                    "list_mutual_friends",
                    "Friends the caller and this person share, by username",
                    tag="people",
                    parameters=[USERNAME, *PAGE_PARAMETERS],
                    errors=(404, 422),
                    ok=(200, people_list),
                )
            },
            "/users/{username}/reports": {
                "get": operation(
                    "list_reports",
                    "The people who report to this person directly, by name",
                    tag="people",
                    parameters=[USERNAME],
                    errors=(404,),
                    ok=(
                        200,
                        answer("Direct reports; one page, next_cursor is null.", ref("PersonList")),
                    ),
                )
            },
            "/friends": {
                "get": operation(
                    "list_friends",
                    "The caller's friends, by username",
                    tag="friends",
                    parameters=PAGE_PARAMETERS,
                    errors=(422,),
                    ok=(200, people_list),
                )
            },
            "/friends/suggestions": {
                "get": operation(
                    "list_friend_suggestions",
                    "People the caller may know",
                    tag="friends",
                    description="Friends of friends, most mutual friends first, then "
                    "colleagues of the same department. One page; next_cursor is null.",
                    parameters=[{"$ref": "#/components/parameters/Limit"}],
                    errors=(422,),
                    ok=(200, people_list),
                )
            },
            "/friends/requests": {
                "get": operation(
                    "list_friend_requests",
                    "Open friend requests to and from the caller",
                    tag="friends",
                    ok=(200, answer("Incoming and outgoing requests.", ref("FriendRequests"))),
                ),
                "post": operation(
                    "send_friend_request",
                    "Ask someone to be friends",
                    tag="friends",
                    description="Idempotent: asking again, or asking a friend, changes "
                    "nothing. Asking someone who has asked the caller makes them friends.",
                    body=ref("FriendRequestCreate"),
                    errors=(404,),
                    ok=(200, answer("The person, as they now stand.", ref("Person"))),
                ),
            },
            "/friends/requests/{request_id}/accept": {
                "post": operation(
                    "accept_friend_request",
                    "Accept a request sent to the caller",
                    tag="friends",
                    description="Idempotent. A request sent to someone else is not found.",
                    parameters=[REQUEST_ID],
                    errors=(404, 409),
                    ok=(200, answer("The sender, now a friend.", ref("Person"))),
                )
            },
            "/friends/requests/{request_id}/decline": {
                "post": operation(
                    "decline_friend_request",
                    "Decline a request sent to the caller",
                    tag="friends",
                    description="Idempotent. The sender is not told.",
                    parameters=[REQUEST_ID],
                    errors=(404, 409),
                    ok=(200, answer("The sender.", ref("Person"))),
                )
            },
            "/friends/requests/{request_id}": {
                "delete": operation(
                    "cancel_friend_request",
                    "Withdraw a request the caller sent",
                    tag="friends",
                    parameters=[REQUEST_ID],
                    errors=(404, 409),
                    ok=(204, answer("Withdrawn (or already withdrawn).")),
                )
            },
            "/friends/{username}": {
                "delete": operation(
                    "unfriend",
                    "End a friendship",
                    tag="friends",
                    parameters=[USERNAME],
                    errors=(404,),
                    ok=(204, answer("No longer friends (or never were).")),
                )
            },
        },
        schemas=SCHEMAS,
    )
