"""The database's address, and schema migrations (Alembic through Flask-Migrate) for the CLI,
the installer and tests."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import upgrade as alembic_upgrade
from sqlalchemy.engine import make_url

from intranet_social.config import Config
from intranet_social.core.about import MIGRATIONS_DIR
from intranet_social.extensions import db


def database_uri(config: Config) -> str:
    """The SQLAlchemy URL, with a relative SQLite path taken from the config file's folder."""
    url = make_url(config.database.url)
    if url.drivername.startswith("sqlite") and url.database and url.database != ":memory:":
        path = Path(url.database)
        if not path.is_absolute():
            url = url.set(database=str((config.base_dir / path).resolve()))
    elif url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _create_private_sqlite_file(app: Flask) -> None:
    """Create a new SQLite file readable by its owner only: it holds password hashes.

    SQLite gives its -wal and -shm files the same permissions as the database file.
    """
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    path = Path(url.database)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def upgrade_database(app: Flask, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the newest by default), keeping every row."""
    _create_private_sqlite_file(app)
    with app.app_context():
        alembic_upgrade(directory=str(MIGRATIONS_DIR), revision=revision)
    # Alembic's logging set-up would otherwise silence the app's own loggers.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def current_revision(app: Flask) -> str | None:
    with app.app_context(), db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    assert head is not None
    return head
