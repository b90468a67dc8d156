"""``GET /search``: people, spaces or posts matching a query."""

from __future__ import annotations

from intranet_social.api.spec import (
    PAGE_PARAMETERS,
    Area,
    Schema,
    answer,
    list_of,
    operation,
    query,
    ref,
)

SCHEMAS: dict[str, Schema] = {
    "SearchResults": list_of("SearchResult"),
    "SearchResult": {
        "anyOf": [ref("Person"), ref("Space"), ref("Post")],
        "description": "A Person for type=people, a Space for type=spaces, a Post for type=posts.",
    },
}

TYPE: Schema = {
    "name": "type",
    "in": "query",
    "required": True,
    "schema": {"type": "string", "enum": ["people", "spaces", "posts"]},
    "description": "people: active colleagues by username; spaces: open and closed spaces, "
    "and secret ones the caller is in, by address; posts: posts the caller may see, newest "
    "first.",
}


def area() -> Area:
    return Area(
        paths={
            "/search": {
                "get": operation(
                    "search_everything",
                    "Search people, spaces or posts",
                    tag="search",
                    parameters=[
                        TYPE,
                        query(
                            "q",
                            {"type": "string"},
                            "Words to find. People: each word starts a word of the name, "
                            "username, department or title. Spaces: the name or description "
                            "contains each word. Posts: the text contains every word. Only "
                            "letters and digits count; no query syntax.",
                        ),
                        *PAGE_PARAMETERS,
                    ],
                    errors=(422,),
                    ok=(200, answer("One page of matches.", ref("SearchResults"))),
                    description="Only what the caller may see: active people, spaces by the "
                    "rules of GET /spaces/{slug} (a secret space is never found by anyone "
                    "outside it), and posts by the rules of GET /posts/{post_id}. A query "
                    "without words finds nothing. A missing or unknown type answers 422.",
                )
            }
        },
        schemas=SCHEMAS,
    )
