"""The posts API: field names as PRODUCT.md fixes them, answers as the document describes."""

from __future__ import annotations

import io

import pytest
import schemathesis
from sqlalchemy import select

from intranet_social.api.openapi import build_document
from intranet_social.extensions import db
from intranet_social.posts import comments, service
from intranet_social.posts.models import Post, PostMedia
from tests.posts.helpers import counts, media_files, picture_bytes, video_bytes

DOCUMENT = schemathesis.openapi.from_dict(build_document())
POST_FIELDS = {
    "id",
    "author",
    "wall",
    "body",
    "html",
    "audience",
    "created_at",
    "edited_at",
    "pinned",
    "like_count",
    "liked",
    "comment_count",
    "media",
}


def documented(answer, method: str, path: str) -> None:
    responses = build_document()["paths"][path][method.lower()]["responses"]
    assert str(answer.status_code) in responses, answer.status_code
    DOCUMENT[path][method.upper()].validate_response(answer)


def write(author, body="Hello", **options):
    post = service.create_post(author, body, **options)
    db.session.commit()
    return post


def test_posting_json_answers_the_post_with_the_product_field_names(author, api):
    answer = api(author).post("/posts", json={"body": "Hi <b>all</b> @ana", "audience": "everyone"})
    assert answer.status_code == 201
    documented(answer, "POST", "/posts")
    post = answer.get_json()
    assert post.keys() >= POST_FIELDS
    assert post["author"] == {
        "username": "ana",
        "name": "Ana Author",
        "avatar_url": post["author"]["avatar_url"],
    }
    assert post["wall"] == "ana" and post["audience"] == "everyone"
    assert post["html"] == 'Hi &lt;b&gt;all&lt;/b&gt; <a href="/u/ana" class="mention">@ana</a>'
    assert (post["like_count"], post["liked"], post["comment_count"], post["pinned"]) == (
        0,
        False,
        0,
        False,
    )
    assert post["edited_at"] is None and post["media"] == []


def test_posting_on_a_friends_wall_by_api(author, friend, api):
    answer = api(friend).post("/posts", json={"body": "Hi Ana", "wall": "ana"})
    assert answer.status_code == 201
    assert answer.get_json()["wall"] == "ana"


def test_posting_on_a_strangers_wall_is_forbidden_and_stores_nothing(author, stranger, api):
    answer = api(stranger).post("/posts", json={"body": "Hi", "wall": "ana"})
    assert answer.status_code == 403
    assert answer.get_json()["error"]["field"] == "wall"
    documented(answer, "POST", "/posts")
    assert counts()["posts"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"body": 5}, "body"),
        ({"body": "hi", "audience": "world"}, "audience"),
        ({"body": "hi", "colour": "red"}, "colour"),
        ({"body": "hi", "wall": "nobody"}, "username"),
    ],
)
def test_bad_post_bodies_are_refused_naming_the_field(author, api, body, field):
    answer = api(author).post("/posts", json=body)
    assert answer.status_code in (404, 422)
    assert answer.get_json()["error"]["field"] == field
    documented(answer, "POST", "/posts")
    assert counts()["posts"] == 0


def test_posting_photos_and_a_video_as_multipart(app, author, api):
    data = {
        "body": "Trip",
        "audience": "friends",
        "files": [
            (io.BytesIO(picture_bytes()), "a.jpg"),
            (io.BytesIO(video_bytes()), "clip.mp4"),
            (io.BytesIO(picture_bytes()), "b.jpg"),
        ],
    }
    answer = api(author).post("/posts", data=data, content_type="multipart/form-data")
    assert answer.status_code == 201, answer.get_json()
    documented(answer, "POST", "/posts")
    media = answer.get_json()["media"]
    assert [m["kind"] for m in media] == ["image", "image", "video"]
    assert media[0]["url"] == f"/posts/media/{media[0]['id']}/full"
    assert media[2]["thumb_url"] == f"/posts/media/{media[2]['id']}/poster"
    assert (media[0]["width"], media[0]["height"]) == (64, 48)


def test_two_videos_in_one_post_are_refused_and_leave_no_file(app, author, api):
    data = {
        "body": "two",
        "files": [(io.BytesIO(video_bytes()), "a.mp4"), (io.BytesIO(video_bytes()), "b.mp4")],
    }
    answer = api(author).post("/posts", data=data, content_type="multipart/form-data")
    assert answer.status_code == 422 and answer.get_json()["error"]["field"] == "files"
    assert counts()["posts"] == 0 and media_files(app) == []


def test_a_broken_photo_by_api_leaves_no_file_and_no_row(app, author, api):
    data = {
        "body": "broken",
        "files": [(io.BytesIO(picture_bytes()), "ok.jpg"), (io.BytesIO(b"GIF89a junk"), "x.gif")],
    }
    answer = api(author).post("/posts", data=data, content_type="multipart/form-data")
    assert answer.status_code == 422 and answer.get_json()["error"]["field"] == "photos"
    assert counts() == {k: 0 for k in counts()} and media_files(app) == []


def test_get_patch_and_delete_a_post(app, author, api):
    post_id = write(author, "draft").id
    client = api(author)
    answer = client.get(f"/posts/{post_id}")
    assert answer.status_code == 200 and answer.get_json()["body"] == "draft"
    documented(answer, "GET", "/posts/{post_id}")
    answer = client.patch(f"/posts/{post_id}", json={"body": "final", "audience": "everyone"})
    assert answer.status_code == 200
    documented(answer, "PATCH", "/posts/{post_id}")
    changed = answer.get_json()
    assert (changed["body"], changed["audience"]) == ("final", "everyone")
    assert changed["edited_at"] is not None
    answer = client.delete(f"/posts/{post_id}")
    assert answer.status_code == 204
    assert client.get(f"/posts/{post_id}").status_code == 404


def test_deleting_a_post_by_api_deletes_its_files(app, author, api):
    data = {"body": "x", "files": [(io.BytesIO(picture_bytes()), "a.jpg")]}
    post_id = (
        api(author).post("/posts", data=data, content_type="multipart/form-data").get_json()["id"]
    )
    assert media_files(app)
    assert api(author).delete(f"/posts/{post_id}").status_code == 204
    assert media_files(app) == []
    assert db.session.scalars(select(PostMedia)).all() == []


def test_likes_by_api_are_idempotent(author, friend, api):
    post = write(author)
    client = api(friend)
    for _ in range(2):
        answer = client.post(f"/posts/{post.id}/like")
        assert answer.get_json() == {"liked": True, "like_count": 1}
    documented(answer, "POST", "/posts/{post_id}/like")
    assert client.get(f"/posts/{post.id}").get_json()["liked"] is True
    assert api(author).get(f"/posts/{post.id}").get_json()["liked"] is False
    for _ in range(2):
        answer = client.delete(f"/posts/{post.id}/like")
        assert answer.get_json() == {"liked": False, "like_count": 0}


def test_comments_by_api(author, friend, api):
    post = write(author)
    client = api(friend)
    answer = client.post(f"/posts/{post.id}/comments", json={"body": "Nice <i>one</i>"})
    assert answer.status_code == 201
    documented(answer, "POST", "/posts/{post_id}/comments")
    made = answer.get_json()
    assert made["html"] == "Nice &lt;i&gt;one&lt;/i&gt;" and made["author"]["username"] == "ben"
    answer = client.patch(f"/comments/{made['id']}", json={"body": "Nice one"})
    assert answer.status_code == 200 and answer.get_json()["edited_at"] is not None
    answer = api(author).post(f"/comments/{made['id']}/like")
    assert answer.get_json() == {"liked": True, "like_count": 1}
    listed = client.get(f"/posts/{post.id}/comments")
    documented(listed, "GET", "/posts/{post_id}/comments")
    assert [c["body"] for c in listed.get_json()["items"]] == ["Nice one"]
    assert client.get(f"/posts/{post.id}").get_json()["comment_count"] == 1
    assert client.delete(f"/comments/{made['id']}").status_code == 204
    assert client.get(f"/posts/{post.id}").get_json()["comment_count"] == 0


def test_comment_list_pages_by_cursor(author, api):
    post = write(author)
    for n in range(5):
        comments.create_comment(author, post.id, f"c{n}")
    db.session.commit()
    client = api(author)
    first = client.get(f"/posts/{post.id}/comments?limit=2").get_json()
    second = client.get(f"/posts/{post.id}/comments?limit=2&cursor={first['next_cursor']}")
    third = client.get(
        f"/posts/{post.id}/comments?limit=2&cursor={second.get_json()['next_cursor']}"
    )
    bodies = [
        c["body"] for page in (first, second.get_json(), third.get_json()) for c in page["items"]
    ]
    assert bodies == ["c0", "c1", "c2", "c3", "c4"]
    assert third.get_json()["next_cursor"] is None


def test_an_admin_pins_by_api_a_member_cannot(author, admin, api):
    post = write(author, "news", audience="everyone")
    assert api(author).post(f"/posts/{post.id}/pin").status_code == 403
    answer = api(admin).post(f"/posts/{post.id}/pin")
    assert answer.status_code == 200 and answer.get_json()["pinned"] is True
    answer = api(admin).delete(f"/posts/{post.id}/pin")
    assert answer.get_json()["pinned"] is False
    db.session.rollback()
    assert not db.session.get(Post, post.id).pinned


def test_a_wall_by_api(author, friend, stranger, api):
    write(author, "for friends")
    write(author, "for all", audience="everyone")
    answer = api(stranger).get("/users/ana/posts")
    documented(answer, "GET", "/users/{username}/posts")
    assert [p["body"] for p in answer.get_json()["items"]] == ["for all"]
    assert [p["body"] for p in api(friend).get("/users/ana/posts").get_json()["items"]] == [
        "for all",
        "for friends",
    ]
    assert api(friend).get("/users/nobody/posts").status_code == 404


@pytest.mark.parametrize("cursor", ["x", "bm9wZQ", "LTE", "MS41"])
def test_a_bad_cursor_is_refused_naming_it(author, api, cursor):
    answer = api(author).get(f"/feed?cursor={cursor}")
    assert answer.status_code == 422 and answer.get_json()["error"]["field"] == "cursor"
