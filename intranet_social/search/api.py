"""``GET /search``: people, spaces or posts matching a query, in the list format, on the same
service and visibility rules as the search page."""

from __future__ import annotations

from flask import Blueprint, g, request
from werkzeug.wrappers import Response

from intranet_social.core.errors import Invalid
from intranet_social.core.paging import (
    encode_cursor,
    id_cursor,
    list_response,
    page_limit,
    text_cursor,
)
from intranet_social.core.resource import to_json
from intranet_social.friends.resources import Person
from intranet_social.posts.resources import Post
from intranet_social.search.service import Kind, find_people, find_posts, find_spaces
from intranet_social.spaces.resources import Space

bp = Blueprint("search", __name__)

TYPE_MESSAGE = "Say what to search for: type=people, type=spaces or type=posts."


@bp.get("/search")
def search_everything() -> Response:
    raw_kind = request.args.get("type", "")
    if raw_kind not in (Kind.PEOPLE, Kind.POSTS, Kind.SPACES):
        raise Invalid(TYPE_MESSAGE, "type")
    q = request.args.get("q", "")
    limit = page_limit()
    if raw_kind == Kind.PEOPLE:
        people = find_people(g.api_user, q, after=text_cursor(), limit=limit)
        cursor = encode_cursor(people.next_after) if people.next_after else None
        return list_response([to_json(Person, card) for card in people.cards], cursor)
    if raw_kind == Kind.SPACES:
        spaces = find_spaces(g.api_user, q, after=text_cursor(), limit=limit)
        cursor = encode_cursor(spaces.next_after) if spaces.next_after else None
        return list_response([to_json(Space, view) for view in spaces.spaces], cursor)
    posts = find_posts(g.api_user, q, before=id_cursor(), limit=limit)
    cursor = encode_cursor(posts.next_before) if posts.next_before is not None else None
    return list_response([to_json(Post, card) for card in posts.items], cursor)
