"""``GET /birthdays``, ``POST /users/{username}/greet``, ``GET /anniversaries`` and ``POST
/users/{username}/congratulate``: the JSON face of birthdays and work anniversaries."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from werkzeug.wrappers import Response

from intranet_social.birthdays import anniversaries, service
from intranet_social.birthdays.resources import Anniversary, Birthday
from intranet_social.core.errors import Invalid
from intranet_social.core.json_body import json_object, query_text, text
from intranet_social.core.paging import list_response
from intranet_social.core.resource import to_json
from intranet_social.posts.resources import Post
from intranet_social.posts.service import post_card

bp = Blueprint("birthdays", __name__)


def _days() -> int:
    """``?days=`` (default 30), a whole number from 1 to 60."""
    raw = request.args.get("days", "").strip()
    if raw == "":
        return service.UPCOMING_DAYS
    if len(raw) > 3 or not raw.isascii() or not raw.isdigit():
        raise Invalid(service.DAYS_MESSAGE, "days")
    return int(raw)


@bp.get("/birthdays")
def list_birthdays() -> Response:
    upcoming = service.upcoming_birthdays(
        g.api_user, days=_days(), who=query_text("who") or "friends"
    )
    people = service.profiles_of(g.api_user, upcoming.cards)
    items = [to_json(Birthday, card, user=people[card.user_id]) for card in upcoming.cards]
    return list_response(items, None)


@bp.post("/users/<username>/greet")
def greet_birthday(username: str) -> tuple[Response, int]:
    body = json_object(allowed=("body",)) if request.content_length else {}
    post = service.greet_birthday(g.api_user, username, text(body, "body"))
    return jsonify(to_json(Post, post_card(g.api_user, post.id))), 201


@bp.get("/anniversaries")
def list_anniversaries() -> Response:
    upcoming = anniversaries.upcoming_anniversaries(
        g.api_user, days=_days(), who=query_text("who") or "friends"
    )
    people = service.profiles_of(g.api_user, upcoming.cards)
    items = [to_json(Anniversary, card, user=people[card.user_id]) for card in upcoming.cards]
    return list_response(items, None)


@bp.post("/users/<username>/congratulate")
def congratulate_anniversary(username: str) -> tuple[Response, int]:
    body = json_object(allowed=("body",)) if request.content_length else {}
    post = anniversaries.congratulate(g.api_user, username, text(body, "body"))
    return jsonify(to_json(Post, post_card(g.api_user, post.id))), 201
