"""``/users/{username}/posts``, ``/posts`` and ``/comments``: the JSON face of posts, likes and
comments, on the same services and permission checks as the pages. The feed's is in
``feed/api.py``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from intranet_social.core.errors import Invalid
from intranet_social.core.json_body import json_object, text
from intranet_social.core.paging import encode_cursor, id_cursor, list_response, page_limit
from intranet_social.core.resource import to_json
from intranet_social.media import video
from intranet_social.posts import comments, likes, service
from intranet_social.posts.cards import FeedPage
from intranet_social.posts.likes import LikeState
from intranet_social.posts.resources import Comment, Like, Post

bp = Blueprint("posts", __name__)

POST_ID = "<int:post_id>"
COMMENT_ID = "<int:comment_id>"
MULTIPART = "multipart/form-data"
POST_FIELDS = ("body", "audience", "wall", "space")


def like_json(state: LikeState) -> Response:
    return jsonify(to_json(Like, state))


def page_response(page: FeedPage) -> Response:
    cursor = encode_cursor(page.next_before) if page.next_before is not None else None
    return list_response([to_json(Post, post) for post in page.items], cursor)


def _split_uploads(uploads: list[FileStorage]) -> tuple[list[FileStorage], FileStorage | None]:
    """Photos and the video among ``files``, told apart by their first bytes."""
    photos: list[FileStorage] = []
    videos: list[FileStorage] = []
    for upload in uploads:
        head = upload.stream.read(video.SNIFF_BYTES)
        upload.stream.seek(0)
        (videos if video.sniff(head) else photos).append(upload)
    if len(videos) > 1:
        raise Invalid("Attach at most one video to a post.", "files")
    return photos, (videos[0] if videos else None)


def _new_post_input() -> tuple[dict[str, Any], list[FileStorage], FileStorage | None]:
    if request.mimetype == MULTIPART:
        for name in request.form:
            if name not in POST_FIELDS:
                raise Invalid(f"Unknown field; use only {', '.join(POST_FIELDS)} and files.", name)
        form = request.form.to_dict()
        fields = {name: text(form, name) for name in POST_FIELDS}
        for name in request.files:
            if name != "files":
                raise Invalid("Send the photos and the video in the field files.", name)
        photos, clip = _split_uploads(request.files.getlist("files"))
        return fields, photos, clip
    body = json_object(allowed=POST_FIELDS)
    return {name: text(body, name) for name in POST_FIELDS}, [], None


# ---------------------------------------------------------------- lists


@bp.get("/users/<username>/posts")
def list_user_posts(username: str) -> Response:
    owner = service.wall_owner_named(username)
    return page_response(service.wall_page(g.api_user, owner, id_cursor(), page_limit()))


# ---------------------------------------------------------------- posts


@bp.post("/posts")
def create_post() -> tuple[Response, int]:
    fields, photos, clip = _new_post_input()
    owner = None
    if fields["wall"]:
        owner = service.wall_owner_named(fields["wall"])
    post = service.create_post(
        g.api_user,
        fields["body"],
        audience=fields["audience"] or ("space" if fields["space"] else "friends"),
        wall_owner=owner,
        images=photos,
        video=clip,
        space=fields["space"] or None,
    )
    return jsonify(to_json(Post, service.post_card(g.api_user, post.id))), 201


@bp.get(f"/posts/{POST_ID}")
def get_post(post_id: int) -> Response:
    return jsonify(to_json(Post, service.post_card(g.api_user, post_id)))


@bp.patch(f"/posts/{POST_ID}")
def edit_post(post_id: int) -> Response:
    body = json_object(allowed=("body", "audience"))
    service.edit_post(g.api_user, post_id, text(body, "body"), text(body, "audience"))
    return jsonify(to_json(Post, service.post_card(g.api_user, post_id)))


@bp.delete(f"/posts/{POST_ID}")
def delete_post(post_id: int) -> tuple[str, int]:
    service.delete_post(g.api_user, post_id)
    return "", 204


@bp.post(f"/posts/{POST_ID}/pin")
def pin_post(post_id: int) -> Response:
    service.set_pinned(g.api_user, post_id, True)
    return jsonify(to_json(Post, service.post_card(g.api_user, post_id)))


@bp.delete(f"/posts/{POST_ID}/pin")
def unpin_post(post_id: int) -> Response:
    service.set_pinned(g.api_user, post_id, False)
    return jsonify(to_json(Post, service.post_card(g.api_user, post_id)))


@bp.post(f"/posts/{POST_ID}/like")
def like_post(post_id: int) -> Response:
    state = likes.like_post(g.api_user, post_id)
    return like_json(state)


@bp.delete(f"/posts/{POST_ID}/like")
def unlike_post(post_id: int) -> Response:
    state = likes.unlike_post(g.api_user, post_id)
    return like_json(state)


# ---------------------------------------------------------------- comments


@bp.get(f"/posts/{POST_ID}/comments")
def list_comments(post_id: int) -> Response:
    page, next_after = comments.comment_page(g.api_user, post_id, id_cursor(), page_limit())
    cursor = encode_cursor(next_after) if next_after is not None else None
    return list_response([to_json(Comment, comment) for comment in page], cursor)


@bp.post(f"/posts/{POST_ID}/comments")
def create_comment(post_id: int) -> tuple[Response, int]:
    body = json_object(allowed=("body",), required=("body",))
    comment = comments.create_comment(g.api_user, post_id, text(body, "body"))
    return jsonify(to_json(Comment, comments.comment_card(g.api_user, comment.id))), 201


@bp.patch(f"/comments/{COMMENT_ID}")
def edit_comment(comment_id: int) -> Response:
    body = json_object(allowed=("body",), required=("body",))
    comments.edit_comment(g.api_user, comment_id, text(body, "body"))
    return jsonify(to_json(Comment, comments.comment_card(g.api_user, comment_id)))


@bp.delete(f"/comments/{COMMENT_ID}")
def delete_comment(comment_id: int) -> tuple[str, int]:
    comments.delete_comment(g.api_user, comment_id)
    return "", 204


@bp.post(f"/comments/{COMMENT_ID}/like")
def like_comment(comment_id: int) -> Response:
    state = likes.like_comment(g.api_user, comment_id)
    return like_json(state)


@bp.delete(f"/comments/{COMMENT_ID}/like")
def unlike_comment(comment_id: int) -> Response:
    state = likes.unlike_comment(g.api_user, comment_id)
    return like_json(state)
