"""``serve``, ``db`` and what every command does with its configuration and its failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import waitress

from intranet_social.accounts import service
from intranet_social.core.database import head_revision
from tests.cli.conftest import assert_usage_error, assert_user_error, db_state
from tests.conftest import write_config


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, dict[str, Any]]]:
    """Calls to waitress.serve, recorded instead of blocking."""
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: calls.append((app, kwargs)))
    return calls


def test_serve_runs_the_app_under_waitress_with_the_configured_address(cli, served):
    result = cli("serve")

    assert result.exit_code == 0, result.output
    [(app, kwargs)] = served
    assert app.name == "intranet_social"
    assert (kwargs["host"], kwargs["port"], kwargs["threads"]) == ("127.0.0.1", 8080, 8)
    assert "http://127.0.0.1:8080/" in result.stdout


def test_serve_takes_listen_and_threads_from_the_command_line(cli, served):
    result = cli("serve", "--listen", "[::1]:9000", "--threads", "3")

    assert result.exit_code == 0, result.output
    assert (served[0][1]["host"], served[0][1]["port"], served[0][1]["threads"]) == ("::1", 9000, 3)
    assert "http://[::1]:9000/" in result.stdout


@pytest.mark.parametrize(
    "args", [["--listen", "localhost"], ["--listen", "1.2.3.4:99999"], ["--threads", "0"]]
)
def test_serve_refuses_a_bad_address_or_thread_count_as_usage_error(cli, served, args):
    assert_usage_error(cli("serve", *args))
    assert served == []


def test_serve_reports_an_address_in_use_in_one_line(cli, monkeypatch):
    def busy(app: Any, **kwargs: Any) -> None:
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(waitress, "serve", busy)

    assert_user_error(cli("serve"), "cannot listen on 127.0.0.1:8080", "already in use")


def test_serve_stops_cleanly_on_ctrl_c(cli, monkeypatch):
    def interrupted(app: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(waitress, "serve", interrupted)
    result = cli("serve")

    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "Stopped."


def test_serve_refuses_a_database_that_is_not_migrated(
    raw_cli, tmp_path, empty_database_url, served
):
    config = write_config(tmp_path, database={"url": empty_database_url})

    result = raw_cli("serve", "--config", str(config))

    assert_user_error(result, "db upgrade")
    assert served == []


def test_db_upgrade_migrates_an_empty_database_and_current_reports_head(
    raw_cli, tmp_path, empty_database_url
):
    config = str(write_config(tmp_path, database={"url": empty_database_url}))

    empty = raw_cli("db", "current", "--config", config)
    upgraded = raw_cli("db", "upgrade", "--config", config)
    again = raw_cli("db", "upgrade", "--config", config)
    current = raw_cli("db", "current", "--config", config)

    assert empty.exit_code == 0 and "none" in empty.stdout
    assert upgraded.exit_code == 0, upgraded.output
    assert f"to {head_revision()}" in upgraded.stdout
    assert upgraded.stderr == ""
    assert "up to date" in again.stdout
    assert current.stdout.strip() == f"{head_revision()} (head)"


def test_a_command_on_a_database_that_is_not_migrated_fails_in_one_line(
    raw_cli, tmp_path, empty_database_url
):
    config = write_config(tmp_path, database={"url": empty_database_url})

    result = raw_cli("user", "list", "--config", str(config))

    assert_user_error(result, "the database failed", "db upgrade")


def test_a_missing_config_file_is_named_in_one_line(raw_cli, tmp_path):
    result = raw_cli("user", "list", "--config", str(tmp_path / "nope.toml"))

    assert_user_error(result, "nope.toml", "not found")


@pytest.mark.parametrize(
    ("sections", "fragment"),
    [
        ({"server": {"threads": 0}}, "server.threads"),
        ({"security": {"secret_key": "short"}}, "secret_key"),
        ({"site": {"timezone": "Mars/Olympus"}}, "timezone"),
    ],
)
def test_a_bad_config_value_is_named_in_one_line(raw_cli, tmp_path, sections, fragment):
    config = write_config(tmp_path, **sections)

    assert_user_error(raw_cli("user", "list", "--config", str(config)), fragment)


def test_a_bad_environment_override_is_named_in_one_line(cli):
    result = cli("user", "list", env={"INTRANET_SOCIAL_SERVER_THREADS": "many"})

    assert_user_error(result, "server.threads")


def test_config_comes_from_the_environment_variable_or_the_option_before_the_command(
    raw_cli, config_path: Path, member
):
    from_env = raw_cli("user", "list", env={"INTRANET_SOCIAL_CONFIG": str(config_path)})
    from_group = raw_cli("--config", str(config_path), "user", "list")

    assert "ana.member" in from_env.stdout
    assert "ana.member" in from_group.stdout


def test_an_unexpected_failure_is_one_line_and_changes_nothing(cli, member, monkeypatch):
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(service, "disable_user", broken)
    before = db_state()

    result = cli("user", "disable", "ana.member")

    assert_user_error(result, "RuntimeError: disk on fire", "--debug")
    assert db_state() == before


def test_debug_prints_the_traceback_of_an_unexpected_failure(raw_cli, config_path, monkeypatch):
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(service, "list_users", broken)

    result = raw_cli("--debug", "user", "list", "--config", str(config_path))

    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: unexpected RuntimeError")


def test_an_unknown_command_is_a_usage_error(cli):
    assert_usage_error(cli("user", "promote"), "promote")
