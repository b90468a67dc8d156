"""The same search on PostgreSQL, which has no full-text index yet (needs a local server)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from intranet_social import create_app
from intranet_social.config import load_config
from intranet_social.core.database import upgrade_database
from intranet_social.extensions import db
from intranet_social.posts import service as posts
from tests.conftest import write_config

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
    name = f"social_search_{secrets.token_hex(6)}"
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


def test_people_and_visible_posts_are_found_on_postgresql(
    app, api, searcher, friend, stranger, make_user
):
    assert db.engine.dialect.name == "postgresql"
    make_user("asmith", name="Anna Smith", department="Finance", title="Accountant")
    make_user("joanne", name="Joanne Bell")
    posts.create_post(stranger, "hidden budget notes", audience="friends")
    shown = posts.create_post(friend, "Budget day, 100% done", audience="friends")
    db.session.commit()
    client = api(searcher)

    def found(kind: str, q: str, key: str) -> list[object]:
        answer = client.get(f"/search?type={kind}&q={q}")
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return [item[key] for item in answer.get_json()["items"]]

    assert found("people", "ann", "username") == ["asmith"]
    assert found("people", "smi fin", "username") == ["asmith"]
    assert found("people", "sid.str", "username") == ["sid.stranger"]
    assert found("posts", "BUDGET", "id") == [shown.id]
    for query in ("%22", "AND", "*", "%00", "%25", "_"):
        found("posts", query, "id")
        found("people", query, "username")
