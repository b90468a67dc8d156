"""Schema migrations (Alembic through Flask-Migrate) for the CLI, the installer and tests."""

from __future__ import annotations

import logging

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import upgrade as alembic_upgrade

from intranet_social import MIGRATIONS_DIR
from intranet_social.extensions import db


def upgrade_database(app: Flask, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the newest by default), keeping every row."""
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
