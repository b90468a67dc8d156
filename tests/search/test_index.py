"""The full-text indexes: filled from existing rows by the upgrade, kept in step by triggers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from intranet_social import create_app
from intranet_social.config import load_config
from intranet_social.core.database import upgrade_database
from intranet_social.extensions import db
from intranet_social.search.index import FULLTEXT_TABLES, is_fulltext_table
from tests.conftest import write_config

TRIGGERS = {
    f"{table}_fts_{event}"
    for table in ("posts", "people")
    for event in ("insert", "update", "delete")
}


def test_the_upgrade_indexes_the_people_and_posts_already_there(tmp_path: Path):
    app = create_app(load_config(write_config(tmp_path)))
    upgrade_database(app, "0003")
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, username, email, name, password_hash,"
                " must_change_password, password_set_at, role, status, department, title,"
                " created_at, failed_logins) VALUES (4, 'early.bird', 'e@corp.example',"
                " 'Early Bird', 'x', 0, '2024-01-01', 'member', 'active', 'Finance', 'Clerk',"
                " '2024-01-01', 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO posts (id, author_id, wall_id, body, audience, created_at, pinned,"
                " like_count, comment_count) VALUES (9, 4, 4, 'Before the index existed',"
                " 'everyone', '2024-01-01', 0, 0, 0)"
            )
        )

    upgrade_database(app)

    with app.app_context(), db.engine.connect() as connection:
        posts = "SELECT rowid FROM posts_fts WHERE posts_fts MATCH 'index'"
        people = "SELECT rowid FROM people_fts WHERE people_fts MATCH 'fin*'"
        assert connection.execute(text(posts)).scalars().all() == [9]
        assert connection.execute(text(people)).scalars().all() == [4]
    with app.app_context():
        db.engine.dispose()


@pytest.mark.sqlite(reason="SQLite's FTS5 index tables and their triggers")
def test_the_newest_schema_has_every_index_trigger(app):
    found = db.session.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))

    assert set(found.scalars()) >= TRIGGERS


def test_only_the_index_tables_and_their_shadows_count_as_index_tables():
    for table in FULLTEXT_TABLES:
        assert is_fulltext_table(table)
        assert is_fulltext_table(f"{table}_data")
        assert is_fulltext_table(f"{table}_docsize")
    for other in ("posts", "users", "posts_fts_extra", "my_posts_fts", "people"):
        assert not is_fulltext_table(other)
