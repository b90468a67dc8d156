"""Running the ``intranet-social`` command in-process against the test site's config."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from sqlalchemy import select

from intranet_social.cli import main
from intranet_social.extensions import db

Invoke = Callable[..., Result]


@pytest.fixture
def cli(config_path: Path, app: Flask) -> Invoke:
    """Run a command against the test site; ``--config`` is added for you.

    Depends on ``app`` so tests can look into the same database before and after.
    """
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None, **kwargs: Any) -> Result:
        return runner.invoke(
            main,
            [*args, "--config", str(config_path)],
            input=input,
            catch_exceptions=False,
            **kwargs,
        )

    return invoke


@pytest.fixture
def raw_cli() -> Invoke:
    """Run a command exactly as given (no ``--config`` added)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None, **kwargs: Any) -> Result:
        return runner.invoke(main, list(args), input=input, catch_exceptions=False, **kwargs)

    return invoke


def db_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read fresh, to prove a failed command changed nothing."""
    db.session.rollback()
    return {
        table.name: [tuple(row) for row in db.session.execute(select(table)).all()]
        for table in db.metadata.sorted_tables
    }


def assert_user_error(result: Result, *fragments: str) -> None:
    """Exit status 1 with exactly one ``error: …`` line on stderr and no traceback."""
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.output


def assert_usage_error(result: Result, fragment: str = "") -> None:
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.stderr
    assert fragment in result.stderr
    assert "Traceback" not in result.output
