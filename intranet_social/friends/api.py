"""``/users`` (the people directory) and ``/friends``: friends, requests and suggestions."""

from __future__ import annotations

from flask import Blueprint, g, jsonify
from werkzeug.wrappers import Response

from intranet_social.core.json_body import json_object, query_text, text
from intranet_social.core.models import MAX_ID
from intranet_social.core.paging import encode_cursor, list_response, page_limit, text_cursor
from intranet_social.core.resource import to_json
from intranet_social.friends import people, service
from intranet_social.friends.cards import PersonRef, RequestRef, profile_card
from intranet_social.friends.people import PeoplePage, RequestCard
from intranet_social.friends.resources import FriendRequests, Person
from intranet_social.media.avatars import SMALL_AVATAR, avatar_url

bp = Blueprint("friends", __name__)

REQUEST_ID = f"<int(max={MAX_ID}):request_id>"


def _people_response(page: PeoplePage) -> Response:
    cursor = encode_cursor(page.next_after) if page.next_after else None
    return list_response([to_json(Person, card) for card in page.cards], cursor)


def _person_response(username: str) -> Response:
    return jsonify(to_json(Person, profile_card(g.api_user, service.active_user(username))))


# ---------------------------------------------------------------- people


@bp.get("/users")
def list_people() -> Response:
    page = people.directory(
        g.api_user,
        q=query_text("q"),
        department=query_text("department"),
        after=text_cursor(),
        limit=page_limit(),
    )
    return _people_response(page)


@bp.get("/users/<username>")
def get_person(username: str) -> Response:
    return _person_response(username)


@bp.get("/users/<username>/mutual-friends")
def list_mutual_friends(username: str) -> Response:
    other = service.active_user(username)
    page = people.mutual_friends_of(g.api_user, other, after=text_cursor(), limit=page_limit())
    return _people_response(page)


# ---------------------------------------------------------------- friends


@bp.get("/friends")
def list_friends() -> Response:
    return _people_response(people.friends_of(g.api_user, after=text_cursor(), limit=page_limit()))


@bp.get("/friends/suggestions")
def list_friend_suggestions() -> Response:
    cards = people.suggestion_cards(g.api_user, limit=page_limit())
    return list_response([to_json(Person, card) for card in cards], None)


def _request(card: RequestCard, me: PersonRef, *, incoming: bool) -> RequestRef:
    them = card.person.ref
    sender, recipient = (them, me) if incoming else (me, them)
    return RequestRef(card.id, sender, recipient, card.created_at)


@bp.get("/friends/requests")
def list_friend_requests() -> Response:
    user = g.api_user
    me = PersonRef(user.username, user.name, avatar_url(user, SMALL_AVATAR))
    incoming, outgoing = people.requests_of(user)
    requests = to_json(
        FriendRequests,
        incoming=[_request(card, me, incoming=True) for card in incoming],
        outgoing=[_request(card, me, incoming=False) for card in outgoing],
    )
    return jsonify(requests)


@bp.post("/friends/requests")
def send_friend_request() -> Response:
    body = json_object(allowed=("username",), required=("username",))
    other = service.send_friend_request(g.api_user, text(body, "username") or "")
    return _person_response(other.username)


@bp.post(f"/friends/requests/{REQUEST_ID}/accept")
def accept_friend_request(request_id: int) -> Response:
    other = service.accept_request(g.api_user, request_id)
    return _person_response(other.username)


@bp.post(f"/friends/requests/{REQUEST_ID}/decline")
def decline_friend_request(request_id: int) -> Response:
    other = service.decline_request(g.api_user, request_id)
    return jsonify(to_json(Person, profile_card(g.api_user, other)))


@bp.delete(f"/friends/requests/{REQUEST_ID}")
def cancel_friend_request(request_id: int) -> tuple[str, int]:
    service.cancel_request(g.api_user, request_id)
    return "", 204


@bp.delete("/friends/<username>")
def unfriend(username: str) -> tuple[str, int]:
    service.unfriend(g.api_user, username)
    return "", 204
