"""The same posts, feed, likes and comments on PostgreSQL (needs a local server)."""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from intranet_social import create_app
from intranet_social.accounts.models import User
from intranet_social.config import load_config
from intranet_social.core.database import upgrade_database
from intranet_social.extensions import db
from intranet_social.posts import comments, likes, service
from intranet_social.posts.models import Post
from tests.conftest import write_config
from tests.posts.helpers import befriend

pytestmark = pytest.mark.postgres

SERVER_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new database at the newest migration, dropped afterwards."""
    server = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        server.connect().close()
    except OperationalError:
        server.dispose()
        pytest.skip(f"no PostgreSQL server answers at {make_url(SERVER_URL).host}")
    name = f"social_posts_{secrets.token_hex(6)}"
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    folder: Path = tmp_path_factory.mktemp("postgres")
    migrator = create_app(load_config(write_config(folder, database={"url": url})))
    upgrade_database(migrator)
    with migrator.app_context():
        db.engine.dispose()
    try:
        yield url
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


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
