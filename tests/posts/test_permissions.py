"""A friends-only post is private to the friends of its author and of the wall's owner: its
page, photos, video, likes and comments answer 404 to anyone else, by page, file URL and API.
Changing someone else's post or comment is refused, and nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet_social.extensions import db
from intranet_social.posts import comments, likes, service
from intranet_social.posts.models import Comment, Post, PostMedia
from tests.posts.helpers import counts, photo, video_bytes


@pytest.fixture
def private(author, friend):
    """A friends-only post of Ana's with a photo, a video, a comment and likes."""
    clip = photo("clip.mp4", video_bytes())
    post = service.create_post(author, "friends only", images=[photo()], video=clip)
    db.session.flush()
    made = comments.create_comment(friend, post.id, "seen it")
    likes.like_post(friend, post.id)
    likes.like_comment(author, made.id)
    db.session.commit()
    media = list(db.session.scalars(select(PostMedia).order_by(PostMedia.position)))
    return {"post": post.id, "comment": made.id, "photo": media[0].id, "video": media[1].id}


def page_urls(ids):
    return [
        f"/posts/{ids['post']}",
        f"/posts/{ids['post']}/edit",
        f"/posts/media/{ids['photo']}/full",
        f"/posts/media/{ids['photo']}/thumb",
        f"/posts/media/{ids['video']}/video",
        f"/posts/media/{ids['video']}/poster",
        f"/comments/{ids['comment']}/edit",
    ]


def page_actions(ids):
    return [
        (f"/posts/{ids['post']}/like", {}),
        (f"/posts/{ids['post']}/unlike", {}),
        (f"/posts/{ids['post']}/comments", {"body": "let me in"}),
        (f"/posts/{ids['post']}/edit", {"body": "changed", "audience": "everyone"}),
        (f"/comments/{ids['comment']}/like", {}),
        (f"/comments/{ids['comment']}/unlike", {}),
        (f"/comments/{ids['comment']}/edit", {"body": "changed"}),
        (f"/comments/{ids['comment']}/delete", {}),
    ]


def api_calls(ids):
    return [
        ("GET", f"/posts/{ids['post']}", None),
        ("PATCH", f"/posts/{ids['post']}", {"body": "changed"}),
        ("DELETE", f"/posts/{ids['post']}", None),
        ("POST", f"/posts/{ids['post']}/like", None),
        ("DELETE", f"/posts/{ids['post']}/like", None),
        ("GET", f"/posts/{ids['post']}/comments", None),
        ("POST", f"/posts/{ids['post']}/comments", {"body": "let me in"}),
        ("PATCH", f"/comments/{ids['comment']}", {"body": "changed"}),
        ("DELETE", f"/comments/{ids['comment']}", None),
        ("POST", f"/comments/{ids['comment']}/like", None),
        ("DELETE", f"/comments/{ids['comment']}/like", None),
    ]


def snapshot():
    db.session.rollback()
    post = db.session.scalars(select(Post)).one()
    comment = db.session.scalars(select(Comment)).one()
    return (
        counts(),
        (post.body, post.audience, post.like_count, post.comment_count, post.edited_at),
        (comment.body, comment.like_count, comment.edited_at),
    )


@pytest.fixture(params=["stranger", "moderator"])
def outsider(request, stranger, moderator):
    return {"stranger": stranger, "moderator": moderator}[request.param]


def test_an_outsider_gets_404_for_the_post_its_files_and_comments_by_url(
    private, outsider, browser
):
    before = snapshot()
    visitor = browser(outsider)
    for url in page_urls(private):
        with visitor.get(url) as answer:
            assert answer.status_code == 404, url
    for url, data in page_actions(private):
        assert visitor.post(url, data).status_code == 404, url
    assert snapshot() == before


def test_an_outsider_gets_404_for_the_post_likes_and_comments_by_api(private, outsider, api):
    before = snapshot()
    client = api(outsider)
    for method, path, body in api_calls(private):
        answer = client.call(method, path, json=body)
        assert answer.status_code == 404, (method, path)
        assert answer.get_json()["error"]["code"] == "not_found"
    assert snapshot() == before


def test_an_outsider_does_not_find_the_post_on_the_wall_or_in_the_feed(
    private, stranger, browser, api
):
    assert "friends only" not in browser(stranger).get("/u/ana").get_data(as_text=True)
    assert "friends only" not in browser(stranger).get("/").get_data(as_text=True)
    assert api(stranger).get("/users/ana/posts").get_json()["items"] == []


def test_a_friend_reaches_the_post_its_files_and_comments(private, friend, browser, api):
    ben = browser(friend)
    for url in page_urls(private)[:6]:
        if url.endswith("/edit"):
            continue
        with ben.get(url) as answer:
            assert answer.status_code == 200, url
    assert api(friend).get(f"/posts/{private['post']}/comments").status_code == 200


def test_a_friend_of_the_wall_owner_sees_a_post_on_that_wall(author, friend, stranger, browser):
    from tests.posts.helpers import befriend

    befriend(friend, stranger)
    post = service.create_post(author, "on Ben's wall", wall_owner=friend)
    db.session.commit()
    with browser(stranger).get(f"/posts/{post.id}") as answer:
        assert answer.status_code == 200


def test_a_friend_cannot_change_or_delete_my_post_by_page_or_api(private, friend, browser, api):
    before = snapshot()
    ben = browser(friend)
    assert ben.get(f"/posts/{private['post']}/edit").status_code == 404
    assert ben.post(f"/posts/{private['post']}/edit", {"body": "x"}).status_code == 404
    assert ben.post(f"/posts/{private['post']}/delete").status_code == 403
    assert ben.post(f"/posts/{private['post']}/pin").status_code == 403
    client = api(friend)
    assert client.patch(f"/posts/{private['post']}", json={"body": "x"}).status_code == 403
    assert client.delete(f"/posts/{private['post']}").status_code == 403
    assert client.post(f"/posts/{private['post']}/pin").status_code == 403
    assert snapshot() == before


def test_the_post_author_cannot_edit_a_friends_comment(private, author, browser, api):
    before = snapshot()
    assert (
        browser(author).post(f"/comments/{private['comment']}/edit", {"body": "x"}).status_code
        == 404
    )
    answer = api(author).patch(f"/comments/{private['comment']}", json={"body": "x"})
    assert answer.status_code == 403
    assert snapshot() == before


def test_a_read_scope_token_cannot_change_anything(private, author, api):
    before = snapshot()
    client = api(author, scope="read")
    assert client.get(f"/posts/{private['post']}").status_code == 200
    assert client.delete(f"/posts/{private['post']}").status_code == 403
    assert client.post(f"/posts/{private['post']}/like").status_code == 403
    assert snapshot() == before
