"""Running operations commands, and looking into a site's database and files from outside."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from intranet_social import create_app
from intranet_social.cli import main
from intranet_social.config import load_config
from intranet_social.extensions import db

Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Run ``intranet-social`` in-process with exactly the given arguments."""
    runner = CliRunner()

    def invoke(*args: str | Path, input: str | None = None) -> Result:
        return runner.invoke(main, [str(arg) for arg in args], input=input, catch_exceptions=False)

    return invoke


def site_rows(config_file: Path, *, skip: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the site ``config_file`` configures, in a stable order."""
    app = create_app(load_config(config_file))
    with app.app_context():
        try:
            return {
                table.name: sorted(
                    (tuple(row) for row in db.session.execute(select(table))), key=repr
                )
                for table in db.metadata.sorted_tables
                if table.name not in skip
            }
        finally:
            db.session.remove()
            db.engine.dispose()


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by its relative path, with its bytes."""
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def names_in(folder: Path) -> set[str]:
    """What a folder holds, without SQLite's own companion files that come and go."""
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if not path.name.endswith(("-wal", "-shm"))
    }


def integrity(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    connection.close()
    return verdict if not broken else f"foreign keys broken: {broken}"
