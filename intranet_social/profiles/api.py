"""``PATCH /me`` and the caller's photos (``/me/avatar``, ``/me/cover``); the person format."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request
from werkzeug.wrappers import Response

from intranet_social.api import bp
from intranet_social.api.account import me_json, timestamp
from intranet_social.core.json_body import json_object
from intranet_social.profiles import service
from intranet_social.profiles.service import PersonRef, ProfileCard, RequestRef


def ref_json(ref: PersonRef) -> dict[str, Any]:
    return {"username": ref.username, "name": ref.name, "avatar_url": ref.avatar_url}


def request_json(ref: RequestRef) -> dict[str, Any]:
    return {
        "id": ref.id,
        "from": ref_json(ref.sender),
        "to": ref_json(ref.recipient),
        "created_at": timestamp(ref.created_at),
    }


def person_json(card: ProfileCard) -> dict[str, Any]:
    """A person as the caller sees them (never their year of birth)."""
    return {
        "username": card.username,
        "name": card.name,
        "department": card.department,
        "title": card.title,
        "avatar_url": card.avatar_url,
        "birthday": card.birthday,
        "is_friend": card.is_friend,
        "friend_request": request_json(card.request) if card.request else None,
        "friendship": card.friendship,
        "mutual_friends": card.mutual_friends,
        "location": card.location,
        "phone": card.phone,
        "bio": card.bio,
        "cover_url": card.cover_url,
        "joined": card.joined.isoformat(),
    }


@bp.patch("/me")
def update_me() -> Response:
    changes = json_object(allowed=service.EDITABLE_FIELDS)
    service.update_profile(g.api_user, changes)
    return jsonify(me_json(g.api_user))


@bp.put("/me/avatar")
def set_my_avatar() -> Response:
    service.set_avatar(g.api_user, request.files.get("file"), field="file")
    return jsonify(me_json(g.api_user))


@bp.delete("/me/avatar")
def remove_my_avatar() -> Response:
    service.remove_avatar(g.api_user)
    return jsonify(me_json(g.api_user))


@bp.put("/me/cover")
def set_my_cover() -> Response:
    service.set_cover(g.api_user, request.files.get("file"), field="file")
    return jsonify(me_json(g.api_user))


@bp.delete("/me/cover")
def remove_my_cover() -> Response:
    service.remove_cover(g.api_user)
    return jsonify(me_json(g.api_user))
