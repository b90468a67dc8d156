"""``/users/{username}/posts``, ``/posts`` and ``/comments``: the JSON face of posts, likes and
comments, on the same services and permission checks as the pages. The feed's is in
``feed/api.py``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from intranet_social.accounts.resources import PersonRef
from intranet_social.core.errors import Invalid
from intranet_social.core.json_body import flag, json_object, text
from intranet_social.core.paging import (
    encode_cursor,
    id_cursor,
    list_response,
    page_limit,
    text_cursor,
)
from intranet_social.core.resource import to_json
from intranet_social.media import video
from intranet_social.media.avatars import SMALL_AVATAR, picture_url
from intranet_social.posts import announcements, comments, likes, service
from intranet_social.posts.announcements import Reader
from intranet_social.posts.cards import FeedPage
from intranet_social.posts.likes import LikeState
from intranet_social.posts.resources import (
    Acknowledgement,
    AcknowledgementList,
    AcknowledgementState,
    Comment,
    Like,
    Post,
)

bp = Blueprint("posts", __name__)

POST_ID = "<int:post_id>"
COMMENT_ID = "<int:comment_id>"
MULTIPART = "multipart/form-data"
TEXT_FIELDS = ("body", "audience", "wall", "space")
POST_FIELDS = (*TEXT_FIELDS, "must_read")
#: how a multipart form may say yes or no
FORM_BOOLEANS = {"true": True, "1": True, "on": True, "false": False, "0": False, "": False}


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


def _form_flag(form: dict[str, str], field: str) -> bool:
    value = text(form, field, "").strip().lower()
    if value not in FORM_BOOLEANS:
        raise Invalid("This field must be true or false.", field)
    return FORM_BOOLEANS[value]


def _new_post_input() -> tuple[dict[str, Any], list[FileStorage], FileStorage | None]:
    if request.mimetype == MULTIPART:
        for name in request.form:
            if name not in POST_FIELDS:
                raise Invalid(f"Unknown field; use only {', '.join(POST_FIELDS)} and files.", name)
        form = request.form.to_dict()
        fields: dict[str, Any] = {name: text(form, name) for name in TEXT_FIELDS}
        fields["must_read"] = _form_flag(form, "must_read")
        for name in request.files:
            if name != "files":
                raise Invalid("Send the photos and the video in the field files.", name)
        photos, clip = _split_uploads(request.files.getlist("files"))
        return fields, photos, clip
    body = json_object(allowed=POST_FIELDS)
    fields = {name: text(body, name) for name in TEXT_FIELDS}
    fields["must_read"] = bool(flag(body, "must_read"))
    return fields, [], None


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
        must_read=fields["must_read"],
    )
    return jsonify(to_json(Post, service.post_card(g.api_user, post.id))), 201


@bp.get(f"/posts/{POST_ID}")
def get_post(post_id: int) -> Response:
    return jsonify(to_json(Post, service.post_card(g.api_user, post_id)))


@bp.patch(f"/posts/{POST_ID}")
def edit_post(post_id: int) -> Response:
    body = json_object(allowed=("body", "audience", "must_read"))
    new_text, audience = text(body, "body"), text(body, "audience")
    must_read = flag(body, "must_read")
    # marking a must-read is not editing: an admin or a space's owner may mark a post that
    # is not theirs, as long as they change nothing else
    if must_read is None or new_text is not None or audience is not None:
        service.edit_post(g.api_user, post_id, new_text, audience)
    if must_read is not None:
        service.set_must_read(g.api_user, post_id, must_read)
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


@bp.post(f"/posts/{POST_ID}/acknowledge")
def acknowledge_post(post_id: int) -> Response:
    state = announcements.acknowledge(g.api_user, post_id)
    return jsonify(to_json(AcknowledgementState, state))


def _person(reader: Reader) -> PersonRef:
    avatar = picture_url(reader.avatar_key, reader.name, reader.username, SMALL_AVATAR)
    return PersonRef(reader.username, reader.name, avatar)


@bp.get(f"/posts/{POST_ID}/acknowledgements")
def list_acknowledgements(post_id: int) -> Response:
    report = announcements.report(g.api_user, post_id, text_cursor(), page_limit())
    items = [
        Acknowledgement(user=_person(reader), acknowledged_at=reader.acknowledged_at)
        for reader in report.acknowledged
        if reader.acknowledged_at is not None
    ]
    answer = AcknowledgementList(
        audience_count=report.audience_count,
        acknowledged_count=report.acknowledged_count,
        pending_count=report.pending_count,
        items=items,
        pending=[_person(reader) for reader in report.pending],
        next_cursor=encode_cursor(report.next_after) if report.next_after is not None else None,
    )
    return jsonify(to_json(AcknowledgementList, answer))


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
