"""``intranet-social install --local``: a working site from nothing, and re-runs that keep it."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import select

from intranet_social import create_app
from intranet_social.accounts import passwords
from intranet_social.accounts.models import User
from intranet_social.audit.models import AuditEvent
from intranet_social.config import load_config, secret_key_problem
from intranet_social.core.database import current_revision, head_revision
from intranet_social.extensions import db
from tests.cli.conftest import assert_user_error

PASSWORD_RE = re.compile(r"^One-time password for (\S+): (\S+)$", re.M)


@contextmanager
def installed_site(config_path: Path) -> Iterator[None]:
    app = create_app(load_config(config_path))
    with app.app_context():
        try:
            yield
        finally:
            db.session.remove()
            db.engine.dispose()


def admin_hash(config_path: Path) -> str:
    with installed_site(config_path):
        return db.session.scalar(select(User.password_hash).where(User.username == "admin"))


@pytest.fixture
def target(tmp_path: Path) -> Path:
    return tmp_path / "site" / "instance" / "config.toml"


@pytest.fixture
def install(raw_cli, target):
    def run(*extra: str) -> Result:
        return raw_cli("install", "--local", "--config", str(target), *extra)

    return run


def test_local_install_writes_a_private_config_migrates_and_creates_a_one_time_admin(
    install, target
):
    result = install()

    assert result.exit_code == 0, result.output
    assert os.stat(target).st_mode & 0o777 == 0o600
    raw = tomllib.loads(target.read_text(encoding="utf-8"))
    secret = raw["security"]["secret_key"]
    assert secret_key_problem(secret) is None and len(secret) >= 64
    assert raw["site"]["hostnames"] == []
    assert raw["security"]["registration"] == "approval"
    assert raw["database"]["url"] == "sqlite:///intranet-social.db"
    assert (target.parent / "intranet-social.db").is_file()
    assert (target.parent / "media").is_dir()
    [(username, password)] = PASSWORD_RE.findall(result.stdout)
    assert username == "admin"
    assert f"Wrote the configuration to {target}" in result.stdout
    app = create_app(load_config(target))
    assert current_revision(app) == head_revision()
    with installed_site(target):
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        assert (admin.role, admin.status, admin.name) == ("admin", "active", "Site Admin")
        assert admin.must_change_password
        assert passwords.verify_password(admin.password_hash, password)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
        assert event.actor_name.startswith("cli:")


def test_second_install_keeps_config_data_and_admin_password_and_tells_how_to_reset(
    install, target
):
    assert install().exit_code == 0
    config_text = target.read_text(encoding="utf-8")
    first_hash = admin_hash(target)

    result = install()

    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == config_text
    assert admin_hash(target) == first_hash
    assert "One-time password" not in result.stdout
    assert "All data was kept" in result.stdout
    assert f"intranet-social user reset-password admin --config {target}" in result.stdout


def test_install_with_reset_admin_gives_the_admin_a_new_one_time_password(install, target):
    assert install().exit_code == 0
    first_hash = admin_hash(target)

    result = install("--reset-admin")

    assert result.exit_code == 0, result.output
    [(username, password)] = PASSWORD_RE.findall(result.stdout)
    assert username == "admin"
    new_hash = admin_hash(target)
    assert new_hash != first_hash
    assert passwords.verify_password(new_hash, password)


def test_install_names_the_admin_account_when_asked(install, target):
    result = install("--admin", "it.boss")

    assert result.exit_code == 0, result.output
    assert PASSWORD_RE.findall(result.stdout)[0][0] == "it.boss"
    with installed_site(target):
        boss = db.session.scalar(select(User).where(User.username == "it.boss"))
        assert boss.role == "admin" and boss.email == "it.boss@localhost.localdomain"


def test_reset_admin_of_an_account_that_is_not_an_admin_fails_and_changes_nothing(install, target):
    assert install().exit_code == 0
    first_hash = admin_hash(target)

    result = install("--reset-admin", "--admin", "someone")

    assert_user_error(result, "no admin called 'someone'", "admin")
    assert admin_hash(target) == first_hash


def test_install_uses_instance_config_of_the_current_folder_by_default(
    raw_cli, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)

    result = raw_cli("install", "--local", env={"INTRANET_SOCIAL_CONFIG": None})

    assert result.exit_code == 0, result.output
    assert (tmp_path / "instance" / "config.toml").is_file()
    assert (tmp_path / "instance" / "intranet-social.db").is_file()
    assert "intranet-social user" not in result.stdout


def test_install_follows_the_config_environment_variable(raw_cli, tmp_path):
    target = tmp_path / "etc" / "social.toml"

    result = raw_cli("install", "--local", env={"INTRANET_SOCIAL_CONFIG": str(target)})

    assert result.exit_code == 0, result.output
    assert target.is_file()


def test_install_without_local_is_the_server_install_and_first_asks_for_a_name(raw_cli, target):
    result = raw_cli("install", "--config", str(target), "--dry-run")

    assert_user_error(result, "--hostname")
    assert not target.parent.exists()


def test_install_refuses_a_broken_existing_config_and_leaves_it_alone(install, target):
    target.parent.mkdir(parents=True)
    target.write_text('[security]\nsecret_key = "change-me"\n', encoding="utf-8")

    result = install()

    assert_user_error(result, "secret_key")
    assert target.read_text(encoding="utf-8") == '[security]\nsecret_key = "change-me"\n'
    assert not (target.parent / "intranet-social.db").exists()


def test_install_reports_a_config_folder_it_cannot_write(install, target):
    target.parent.parent.mkdir()
    target.parent.write_text("a file where the folder should be", encoding="utf-8")

    assert_user_error(install(), "cannot write the configuration")
