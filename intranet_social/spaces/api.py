"""``/spaces``: the JSON face of spaces and their members, on the same service as the pages.
A space's posts are at ``/spaces/{slug}/posts`` (``feed/api.py``, where post lists live)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from werkzeug.wrappers import Response

from intranet_social.accounts import tokens
from intranet_social.core.errors import Forbidden
from intranet_social.core.json_body import json_object, query_text, text
from intranet_social.core.paging import keyset_page, list_response, page_limit, text_cursor
from intranet_social.core.resource import to_json
from intranet_social.spaces import departments, pictures, service
from intranet_social.spaces.pictures import Kind
from intranet_social.spaces.resources import Joined, JoinRequest, Space, SpaceMember

bp = Blueprint("spaces", __name__)


def _space(slug: str) -> Response:
    return jsonify(to_json(Space, service.get_space(g.api_user, slug)))


@bp.get("/spaces")
def list_spaces() -> Response:
    limit = page_limit()
    found = service.directory(
        g.api_user, query_text("q") or "", after=text_cursor(), limit=limit + 1
    )
    views, cursor = keyset_page(found, limit, service.directory_key)
    return list_response([to_json(Space, view) for view in views], cursor)


@bp.post("/spaces")
def create_space() -> tuple[Response, int]:
    body = json_object(allowed=("name", "slug", "visibility", "description"), required=("name",))
    space = service.create_space(
        g.api_user,
        text(body, "name"),
        slug=text(body, "slug"),
        visibility=text(body, "visibility") or "open",
        description=text(body, "description") or "",
    )
    return _space(space.slug), 201


@bp.get("/spaces/<slug>")
def get_space(slug: str) -> Response:
    return _space(slug)


@bp.patch("/spaces/<slug>")
def update_space(slug: str) -> Response:
    body = json_object(allowed=("name", "visibility", "description", "department"))
    if not body or body.keys() - {"department"}:
        service.update_space(
            g.api_user,
            slug,
            name=text(body, "name"),
            description=text(body, "description"),
            visibility=text(body, "visibility"),
        )
    if "department" in body:
        # linking a department is an admin's act: a token needs the admin scope for it
        if g.api_token is not None and not tokens.token_allows(
            g.api_token, g.api_user, "PATCH", admin=True
        ):
            raise Forbidden("This token's scope does not allow this; it needs admin scope.")
        space = service.find_space(g.api_user, slug)
        departments.link_department(g.api_user, space, text(body, "department"))
    return _space(slug)


@bp.delete("/spaces/<slug>")
def delete_space(slug: str) -> tuple[str, int]:
    service.delete_space(g.api_user, slug)
    return "", 204


@bp.get("/spaces/<slug>/members")
def list_members(slug: str) -> Response:
    limit = page_limit()
    found = service.members(g.api_user, slug, after=text_cursor(), limit=limit + 1)
    members, cursor = keyset_page(found, limit, service.member_key)
    return list_response([to_json(SpaceMember, member) for member in members], cursor)


@bp.post("/spaces/<slug>/members")
def add_member(slug: str) -> tuple[Response, int]:
    body = json_object(allowed=("username", "role"), required=("username",))
    member = service.add_member(g.api_user, slug, text(body, "username", ""), text(body, "role"))
    return jsonify(to_json(SpaceMember, member)), 201


@bp.delete("/spaces/<slug>/members/<username>")
def remove_member(slug: str, username: str) -> tuple[str, int]:
    service.remove_member(g.api_user, slug, username)
    return "", 204


@bp.get("/spaces/<slug>/requests")
def list_join_requests(slug: str) -> Response:
    waiting = service.join_requests(g.api_user, slug)
    return list_response([to_json(JoinRequest, request) for request in waiting], None)


@bp.post("/spaces/<slug>/join")
def join_space(slug: str) -> Response:
    status = service.join(g.api_user, slug)
    return jsonify(to_json(Joined, status=status, space=service.get_space(g.api_user, slug)))


@bp.post("/spaces/<slug>/leave")
def leave_space(slug: str) -> Response:
    service.leave(g.api_user, slug)
    return _space(slug)


@bp.post("/spaces/<slug>/mute")
def mute_space(slug: str) -> Response:
    return jsonify(to_json(Space, service.set_muted(g.api_user, slug, True)))


@bp.post("/spaces/<slug>/unmute")
def unmute_space(slug: str) -> Response:
    return jsonify(to_json(Space, service.set_muted(g.api_user, slug, False)))


def _set_picture(slug: str, kind: Kind) -> Response:
    view = pictures.set_picture(g.api_user, slug, kind, request.files.get("file"), field="file")
    return jsonify(to_json(Space, view))


@bp.put("/spaces/<slug>/avatar")
def set_space_avatar(slug: str) -> Response:
    return _set_picture(slug, "avatar")


@bp.put("/spaces/<slug>/cover")
def set_space_cover(slug: str) -> Response:
    return _set_picture(slug, "cover")


@bp.delete("/spaces/<slug>/avatar")
def remove_space_avatar(slug: str) -> Response:
    return jsonify(to_json(Space, pictures.remove_picture(g.api_user, slug, "avatar")))


@bp.delete("/spaces/<slug>/cover")
def remove_space_cover(slug: str) -> Response:
    return jsonify(to_json(Space, pictures.remove_picture(g.api_user, slug, "cover")))
