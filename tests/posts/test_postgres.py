"""The same posts, feed, likes and comments on PostgreSQL (needs a local server)."""

from __future__ import annotations

import threading

import pytest

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.posts import comments, likes, service
from intranet_social.posts.models import Post
from tests.posts.helpers import befriend

pytestmark = pytest.mark.postgres


@pytest.fixture
def site_settings(postgres_url: str) -> dict[str, dict[str, str]]:
    return {"database": {"url": postgres_url}}


def test_feed_wall_likes_and_comments_work_on_postgresql(
    app, author, friend, stranger, admin, browser, api
):
    assert db.engine.dialect.name == "postgresql"
    befriend(friend, stranger)
    announcement = service.create_post(admin, "Office news", audience="everyone")
    for n in range(22):
        service.create_post(friend if n % 2 else author, f"post {n}")
    on_wall = service.create_post(friend, "on Ana's wall", wall_owner=author)
    db.session.commit()
    service.set_pinned(admin, announcement.id, True)
    for n in range(4):
        comments.create_comment(friend, on_wall.id, f"comment {n} @ana")
    db.session.commit()

    client = api(author)
    first = client.get("/feed").get_json()
    assert [p["body"] for p in first["items"][:2]] == ["Office news", "on Ana's wall"]
    assert [c["body"] for c in first["items"][1]["latest_comments"]] == [
        "comment 1 @ana",
        "comment 2 @ana",
        "comment 3 @ana",
    ]
    second = client.get(f"/feed?cursor={first['next_cursor']}").get_json()
    bodies = [p["body"] for p in first["items"][1:] + second["items"]]
    assert len(bodies) == len(set(bodies)) == 23

    page = browser(stranger).get("/u/ana").get_data(as_text=True)
    assert "on Ana&#39;s wall" in page and "post 0<" not in page

    for _ in range(2):
        assert client.post(f"/posts/{on_wall.id}/like").get_json() == {
            "liked": True,
            "like_count": 1,
        }
    assert client.delete(f"/posts/{on_wall.id}/like").get_json()["like_count"] == 0


def test_concurrent_likes_are_counted_once_each_on_postgresql(app, author, make_user):
    post = service.create_post(author, "like me", audience="everyone")
    db.session.commit()
    people = [make_user(f"liker{n}").id for n in range(6)]
    start = threading.Barrier(len(people) * 2)
    errors: list[BaseException] = []

    def like(person_id: int) -> None:
        with app.app_context():
            try:
                start.wait()
                likes.like_post(db.session.get(User, person_id), post.id)
                db.session.commit()
            except BaseException as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=like, args=(p,)) for p in people for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db.session.rollback()
    assert db.session.get(Post, post.id).like_count == len(people)
