"""``PATCH /me`` and the caller's photos (``/me/avatar``, ``/me/cover``)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from werkzeug.wrappers import Response

from intranet_social.accounts.resources import Me
from intranet_social.core.json_body import json_object
from intranet_social.core.resource import to_json
from intranet_social.media.avatars import photo_urls
from intranet_social.profiles import service

bp = Blueprint("profiles", __name__)


@bp.patch("/me")
def update_me() -> Response:
    changes = json_object(allowed=service.EDITABLE_FIELDS)
    service.update_profile(g.api_user, changes)
    return jsonify(to_json(Me, g.api_user, **photo_urls(g.api_user)))


@bp.put("/me/avatar")
def set_my_avatar() -> Response:
    service.set_avatar(g.api_user, request.files.get("file"), field="file")
    return jsonify(to_json(Me, g.api_user, **photo_urls(g.api_user)))


@bp.delete("/me/avatar")
def remove_my_avatar() -> Response:
    service.remove_avatar(g.api_user)
    return jsonify(to_json(Me, g.api_user, **photo_urls(g.api_user)))


@bp.put("/me/cover")
def set_my_cover() -> Response:
    service.set_cover(g.api_user, request.files.get("file"), field="file")
    return jsonify(to_json(Me, g.api_user, **photo_urls(g.api_user)))


@bp.delete("/me/cover")
def remove_my_cover() -> Response:
    service.remove_cover(g.api_user)
    return jsonify(to_json(Me, g.api_user, **photo_urls(g.api_user)))
