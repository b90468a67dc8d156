"""``intranet-social db upgrade`` takes a database from any earlier migration to the newest,
keeping every row; columns added on the way get their defaults."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Column, MetaData, select, text
from sqlalchemy.engine import Connection

from intranet_social import MIGRATIONS_DIR, create_app
from intranet_social.accounts import passwords, service, tokens
from intranet_social.accounts.models import User
from intranet_social.config import load_config
from intranet_social.core.database import current_revision, head_revision, upgrade_database
from intranet_social.extensions import db
from intranet_social.search.index import VECTOR_COLUMN, is_fulltext_table
from tests.conftest import STRONG_PASSWORD, write_config

#: every revision, oldest first
REVISIONS = [script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()]
REVISIONS.reverse()
SAMPLE_MOMENT = datetime(2024, 2, 29, 12, 30, 45, 123456)
SESSION_KEY = "an-old-session-key"
TOKEN_SECRET = tokens.TOKEN_PREFIX + "from-before-the-upgrade"


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _sample(column: Column[Any]) -> Any:
    """A value of the column's type, short enough for its length."""
    try:
        kind = column.type.python_type
    except NotImplementedError:
        kind = str
    if kind is bool:
        return True
    if kind is int:
        return 7
    if kind is float:
        return 1.5
    if kind is datetime:
        return SAMPLE_MOMENT
    if kind is date:
        return SAMPLE_MOMENT.date()
    if kind in (dict, list):
        return {"sample": "value"}
    return column.name[: getattr(column.type, "length", None) or None]


def _fill_every_table(connection: Connection) -> dict[str, dict[str, Any]]:
    """One row in every table, as stored; foreign keys point at the rows of the tables they name.

    Columns with a server default are left to it: it may be the only value a check allows.
    Full-text index tables take no rows of their own: triggers fill them from their tables.
    """
    metadata = MetaData()
    metadata.reflect(connection)
    rows: dict[str, dict[str, Any]] = {}
    for table in metadata.sorted_tables:
        if table.name == "alembic_version" or is_fulltext_table(table.name):
            continue
        row = {}
        for column in table.columns:
            foreign = next(iter(column.foreign_keys), None)
            if column.primary_key or (foreign and foreign.column.table is table):
                row[column.name] = 1
            elif foreign is not None:
                row[column.name] = rows[foreign.column.table.name][foreign.column.name]
            elif column.server_default is None:
                row[column.name] = _sample(column)
        connection.execute(table.insert().values(**row))
        rows[table.name] = dict(connection.execute(select(table)).mappings().one())
    return rows


def _assert_defaulted(table: str, column: str, value: Any) -> None:
    """A column added by an upgrade holds the model's default, or at least a value if required."""
    model_column = db.metadata.tables[table].c[column]
    default = model_column.default
    if default is not None and default.is_scalar:
        assert value == default.arg, f"{table}.{column}"
    else:
        assert value is not None or model_column.nullable, f"{table}.{column}"


@pytest.fixture
def site(tmp_path: Path, empty_database_url: str) -> Path:
    return write_config(tmp_path, database={"url": empty_database_url})


@pytest.mark.parametrize("revision", REVISIONS)
def test_db_upgrade_from_each_revision_keeps_a_row_in_every_table(run, site: Path, revision):
    app = create_app(load_config(site))
    upgrade_database(app, revision)
    with app.app_context(), db.engine.begin() as connection:
        inserted = _fill_every_table(connection)
    with app.app_context():
        db.engine.dispose()

    result = run("db", "upgrade", "--config", site)

    assert result.exit_code == 0, result.output
    assert current_revision(app) == head_revision()
    with app.app_context(), db.engine.connect() as connection:
        now = MetaData()
        now.reflect(connection)
        for name, row in inserted.items():
            table = now.tables[name]
            ours = [column == row[column.name] for column in table.primary_key.columns]
            stored = connection.execute(select(table).where(*ours)).mappings().one()
            assert {key: stored[key] for key in row} == row, f"{name} changed"
            # PostgreSQL's word vector is computed from the row, not a default
            for added in set(stored) - set(row) - {VECTOR_COLUMN}:
                _assert_defaulted(name, added, stored[added])
        db.session.scalars(select(User)).one()
        db.session.remove()
    with app.app_context():
        db.engine.dispose()


def test_db_upgrade_from_the_first_migration_keeps_people_sessions_and_tokens(run, site: Path):
    app = create_app(load_config(site))
    upgrade_database(app, REVISIONS[0])
    moment = "2024-01-02 03:04:05.000000"
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, username, email, name, password_hash,"
                " must_change_password, password_set_at, role, status, department, title,"
                " birthday_month, birthday_day, created_at, failed_logins)"
                " VALUES (1, 'old.timer', 'old@corp.example', 'Old Timer', :hash, false,"
                " :moment, 'admin', 'active', 'Archive', 'Keeper', 2, 29, :moment, 0)"
            ),
            {"hash": passwords.hash_password(STRONG_PASSWORD), "moment": moment},
        )
        connection.execute(
            text(
                "INSERT INTO user_sessions (user_id, key_hash, created_at, last_seen_at, ip,"
                " user_agent) VALUES (1, :key, :moment, :moment, '10.0.0.7', 'Browser')"
            ),
            {"key": _sha256(SESSION_KEY), "moment": moment},
        )
        connection.execute(
            text(
                "INSERT INTO api_tokens (user_id, name, token_hash, prefix, scope, created_at)"
                " VALUES (1, 'script', :hash, 'isk_from', 'admin', :moment)"
            ),
            {"hash": _sha256(TOKEN_SECRET), "moment": moment},
        )
        connection.execute(
            text(
                "INSERT INTO audit_events (created_at, action, actor_id, actor_name, target,"
                " ip, details) VALUES (:moment, 'user.create', 1, 'old.timer', 'old.timer',"
                " '', :details)"
            ),
            {"moment": moment, "details": '{"role": "admin"}'},
        )
    with app.app_context():
        db.engine.dispose()

    result = run("db", "upgrade", "--config", site)

    assert result.exit_code == 0, result.output
    assert f"from revision {REVISIONS[0]} to {head_revision()}" in result.stdout
    with app.app_context():
        user = service.authenticate("old.timer", STRONG_PASSWORD)
        assert (user.role, user.department, user.birthday) == ("admin", "Archive", "02-29")
        assert (user.location, user.phone, user.bio, user.avatar_key) == ("", "", "", None)
        assert user.created_at == datetime.fromisoformat("2024-01-02T03:04:05+00:00")
        assert service.session_user("1", SESSION_KEY) is not None
        found = tokens.user_for_token(TOKEN_SECRET)
        assert found is not None and found[0].username == "old.timer"
        db.session.remove()
        db.engine.dispose()


def test_db_upgrade_of_a_database_at_the_newest_revision_changes_nothing(run, site: Path):
    app = create_app(load_config(site))
    upgrade_database(app)
    with app.app_context():
        db.engine.dispose()

    result = run("db", "upgrade", "--config", site)

    assert result.exit_code == 0, result.output
    assert f"up to date (revision {head_revision()})" in result.stdout
