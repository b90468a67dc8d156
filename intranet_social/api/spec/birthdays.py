"""The document's part for birthdays and work anniversaries: ``/birthdays``,
``/users/{username}/greet``, ``/anniversaries`` and ``/users/{username}/congratulate``."""

from __future__ import annotations

from intranet_social.api.spec import (
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
from intranet_social.birthdays.resources import Anniversary, Birthday
from intranet_social.core.resource import schemas_of

SCHEMAS: dict[str, Schema] = {
    **schemas_of(Birthday, Anniversary),
    "BirthdayList": list_of("Birthday"),
    "AnniversaryList": list_of("Anniversary"),
    "Congratulations": obj(
        {
            "body": {
                "type": ["string", "null"],
                "maxLength": 5000,
                "description": "The message; empty or absent posts "
                '"Happy work anniversary, <first name>! …".',
            }
        },
        required=(),
        closed=True,
    ),
    "Greeting": obj(
        {
            "body": {
                "type": ["string", "null"],
                "maxLength": 5000,
                "description": "The greeting; empty or absent posts "
                '"Happy birthday, <first name>!".',
            }
        },
        required=(),
        closed=True,
    ),
}


def area() -> Area:
    greet = operation(
        "greet_birthday",
        "Post a birthday greeting on a friend's wall",
        tag="birthdays",
        parameters=[
            path_parameter(
                "username", {"type": "string", "minLength": 1}, "Whom to greet (a friend)."
            )
        ],
        body=ref("Greeting"),
        errors=(404,),
        ok=(201, answer("The greeting: a friends-only post on their wall.", ref("Post"))),
        description="Allowed on any day; the body is optional. 403 when the person is not "
        "the caller's friend, 404 when there is no such person, 422 (field username) for the "
        "caller themselves.",
    )
    greet["requestBody"]["required"] = False
    congratulate = operation(
        "congratulate_anniversary",
        "Post work anniversary congratulations on a friend's wall",
        tag="birthdays",
        parameters=[
            path_parameter(
                "username", {"type": "string", "minLength": 1}, "Whom to congratulate (a friend)."
            )
        ],
        body=ref("Congratulations"),
        errors=(404,),
        ok=(201, answer("The congratulations: a friends-only post on their wall.", ref("Post"))),
        description="Allowed on any day; the body is optional. 403 when the person is not "
        "the caller's friend, 404 when there is no such person, 422 (field username) for the "
        "caller themselves.",
    )
    congratulate["requestBody"]["required"] = False
    window = [
        query(
            "days",
            {"type": "integer", "minimum": 1, "maximum": 60, "default": 30},
            "How many days ahead, today included (1 to 60).",
        ),
        query(
            "who",
            {"type": "string", "enum": ["friends", "everyone"], "default": "friends"},
            "The caller's friends, or every active colleague.",
        ),
    ]
    return Area(
        paths={
            "/birthdays": {
                "get": operation(
                    "list_birthdays",
                    "Birthdays in the coming days",
                    tag="birthdays",
                    description="Birthdays from today (in the site's time zone) for `days` "
                    "days, by date then name. One page; next_cursor is null. The everyone "
                    "list holds at most 200 people.",
                    parameters=[
                        query(
                            "days",
                            {"type": "integer", "minimum": 1, "maximum": 60, "default": 30},
                            "How many days ahead, today included (1 to 60).",
                        ),
                        query(
                            "who",
                            {
                                "type": "string",
                                "enum": ["friends", "everyone"],
                                "default": "friends",
                            },
                            "The caller's friends, or every active colleague.",
                        ),
                    ],
                    errors=(422,),
                    ok=(200, answer("Birthdays, nearest first.", ref("BirthdayList"))),
                )
            },
            "/users/{username}/greet": {"post": greet},
            "/anniversaries": {
                "get": operation(
                    "list_anniversaries",
                    "Work anniversaries in the coming days",
                    tag="birthdays",
                    description="Work anniversaries (one year or more) from today, in the "
                    "site's time zone, for `days` days, by date then name. One page; "
                    "next_cursor is null. The everyone list holds at most 200 people.",
                    parameters=window,
                    errors=(422,),
                    ok=(200, answer("Work anniversaries, nearest first.", ref("AnniversaryList"))),
                )
            },
            "/users/{username}/congratulate": {"post": congratulate},
        },
        schemas=SCHEMAS,
    )
