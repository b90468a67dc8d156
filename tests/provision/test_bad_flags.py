"""Bad flags, dry runs and refusals: one clear line, and nothing written."""

from __future__ import annotations

import os
import pwd

import pytest
from click.testing import CliRunner

from intranet_social.cli import main
from tests.cli.conftest import assert_usage_error, assert_user_error
from tests.provision.conftest import CANONICAL


def nothing_written(box) -> bool:
    return not any(box.root.iterdir())


@pytest.mark.parametrize(
    ("flags", "fragments"),
    [
        (["--hostname", "bad_name"], ["--hostname: 'bad_name' is not a valid DNS name"]),
        (["--hostname", "-x.corp.example"], ["--hostname:", "not a valid DNS name"]),
        (["--hostname", "10.1.2.3"], ["--hostname:", "address, not a name", "--ip"]),
        (["--ip", "10.1.2.300"], ["--ip: '10.1.2.300' is not an IPv4 address"]),
        (["--ip", "fe80::1"], ["--ip:", "not an IPv4 address"]),
        (["--data-dir", "var/social"], ["--data-dir:", "not an absolute path"]),
        (["--data-dir", "/var/lib"], ["--data-dir:", "system folder"]),
        (["--data-dir", "/srv/my data"], ["--data-dir:", "special character"]),
        (["--config", "social.toml"], ["--config:", "not an absolute path"]),
        (["--config", "/etc"], ["--config:", "not a file name"]),
        (["--listen", "localhost"], ["--listen:", "expected HOST:PORT"]),
        (["--listen", "127.0.0.1:70000"], ["--listen:", "port must be between 1 and 65535"]),
        (["--database", "mysql://db.corp.example/social"], ["--database:", "not a database URL"]),
        (["--database", "sqlite://"], ["--database:", "not a database URL"]),
        (["--tls", "maybe"], ["--tls:", "self-signed, none or CERT:KEY"]),
        (["--tls", "/missing/site.crt:/missing/site.key"], ["--tls:", "is not a file"]),
        (["--service-user", "root"], ["--service-user:", "must not run as root"]),
        (["--service-user", "Social App"], ["--service-user:", "not a valid user name"]),
        (["--admin", "x"], ["--admin:", "3 to 32"]),
        (["--processes", "0"], ["--processes: 0 is not a number of processes from 1 to 16"]),
        (["--processes", "17"], ["--processes:", "from 1 to 16"]),
        (["--listen", "127.0.0.1:65534", "--processes", "3"], ["--processes:", "up to 65536"]),
        (["--limits-storage", "memcached://cache:11211"], ["--limits-storage:", "redis://"]),
        (["--limits-storage", "redis://cache:6379/x"], ["--limits-storage:", "such as 0"]),
    ],
)
def test_bad_flag_value_gets_one_line_and_nothing_is_written(install, box, flags, fragments):
    assert_user_error(install(*flags), *fragments)
    assert nothing_written(box)


def test_first_install_without_a_hostname_asks_for_one_and_writes_nothing(install, box):
    assert_user_error(install(names=()), "--hostname: name the site")
    assert nothing_written(box)


def test_root_that_is_a_file_is_refused(tmp_path):
    not_a_folder = tmp_path / "root"
    not_a_folder.write_text("x", encoding="utf-8")

    result = CliRunner().invoke(
        main, ["install", "--root", str(not_a_folder), "--hostname", CANONICAL, "--yes"]
    )

    assert_user_error(result, "--root:", "is not a folder")
    assert not_a_folder.read_text(encoding="utf-8") == "x"


def test_unreachable_postgresql_is_refused_before_anything_is_written(install, box):
    pytest.importorskip("psycopg", reason="the postgres extra is not installed")

    result = install("--database", "postgresql+psycopg://social@127.0.0.1:1/social")

    assert_user_error(result, "--database:", "cannot reach the database")
    assert nothing_written(box)


def test_broken_existing_config_is_refused_and_left_alone(install, box):
    box.config.parent.mkdir(parents=True)
    box.config.write_text('[security]\nsecret_key = "change-me"\n', encoding="utf-8")

    assert_user_error(install(), "secret_key")

    assert box.config.read_text(encoding="utf-8") == '[security]\nsecret_key = "change-me"\n'
    assert [path.name for path in box.root.rglob("*") if path.is_file()] == ["config.toml"]


def test_dry_run_lists_every_file_and_writes_nothing(install, box):
    result = install("--dry-run")

    assert result.exit_code == 0, result.output
    assert nothing_written(box)
    for target in (
        "etc/intranet-social/config.toml",
        "etc/intranet-social/tls/ca.key",
        "etc/intranet-social/tls/server.crt",
        "etc/intranet-social/dns/bind.zone",
        "etc/intranet-social/dns/windows-dns.ps1",
        "etc/systemd/system/intranet-social.service",
        "etc/nginx/conf.d/intranet-social.conf",
    ):
        assert f"new        {box.root / target} (" in result.stdout, target
    assert "would create the database" in result.stdout
    assert "One-time password" not in result.stdout


def test_dry_run_after_an_install_shows_what_would_change_and_changes_nothing(install, box):
    assert install().exit_code == 0
    before = box.snapshot()

    result = install("--dry-run", names=(CANONICAL, "friends.corp.example"))

    assert result.exit_code == 0, result.output
    assert f"updated    {box.config} (0640)" in result.stdout
    assert f"unchanged  {box.unit} (0644)" in result.stdout
    assert box.snapshot() == before


@pytest.mark.skipif(os.geteuid() != 0, reason="the system user is only planned when run as root")
def test_dry_run_as_root_shows_the_command_that_makes_the_system_user(tmp_path):
    user = "social-dry-run-test"
    with pytest.raises(KeyError):
        pwd.getpwnam(user)
    config, data = tmp_path / "etc" / "config.toml", tmp_path / "data"

    result = CliRunner().invoke(
        main,
        ["install", "--dry-run", "--hostname", CANONICAL, "--config", str(config)]
        + ["--data-dir", str(data), "--service-user", user],
    )

    assert result.exit_code == 0, result.output
    assert (
        f"would run  useradd --system --user-group --home-dir {data} --no-create-home "
        f"--shell /usr/sbin/nologin {user}"
    ) in result.stdout
    assert f"owner {user}:{user}" in result.stdout
    assert not config.parent.exists() and not data.exists()


def test_install_asks_first_and_writes_nothing_when_declined(install, box):
    result = install(input="n\n")

    assert result.exit_code == 1
    assert "Go ahead?" in result.stdout
    assert nothing_written(box)


def test_server_install_without_root_rights_or_root_folder_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    config = tmp_path / "etc" / "config.toml"

    result = CliRunner().invoke(
        main, ["install", "--hostname", CANONICAL, "--config", str(config), "--yes"]
    )

    assert_user_error(result, "run it as root", "--root DIR")
    assert not config.parent.exists()


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--hostname", CANONICAL], "--hostname"),
        (["--processes", "2"], "--processes"),
        (["--limits-storage", "redis://cache:6379"], "--limits-storage"),
    ],
)
def test_local_install_refuses_server_flags(tmp_path, flags, named):
    result = CliRunner().invoke(
        main, ["install", "--local", *flags, "--config", str(tmp_path / "c")]
    )

    assert_usage_error(result, f"{named} is for the server install")
    assert not (tmp_path / "c").exists()
