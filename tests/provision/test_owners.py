"""As root on the server itself, the data belongs to the service user and the configuration
to its group. The unit and site paths are moved into the test's folder."""

from __future__ import annotations

import grp
import os
import pwd
from pathlib import PurePosixPath

import pytest
from click.testing import CliRunner

from intranet_social.cli import main
from intranet_social.provision import system
from tests.provision.conftest import ADDRESS, CANONICAL

SERVICE_USER = "nobody"


def owner(path) -> tuple[str, str]:
    stat = path.stat()
    return pwd.getpwuid(stat.st_uid).pw_name, grp.getgrgid(stat.st_gid).gr_name


@pytest.mark.skipif(os.geteuid() != 0, reason="giving files to another user needs root")
def test_root_install_gives_data_to_the_service_user_and_config_to_its_group(tmp_path, monkeypatch):
    try:
        group = grp.getgrgid(pwd.getpwnam(SERVICE_USER).pw_gid).gr_name
    except KeyError:
        pytest.skip(f"this machine has no user {SERVICE_USER}")
    unit = tmp_path / "intranet-social.service"
    monkeypatch.setattr(system, "SYSTEMD_UNIT", PurePosixPath(unit))
    monkeypatch.setattr(system, "NGINX_SITE", PurePosixPath(tmp_path / "site.conf"))
    config, data = tmp_path / "etc" / "config.toml", tmp_path / "data"
    args = ["install", "--hostname", CANONICAL, "--ip", ADDRESS, "--config", str(config)]
    args += ["--data-dir", str(data), "--service-user", SERVICE_USER, "--yes"]

    result = CliRunner().invoke(main, args)

    assert result.exit_code == 0, result.output
    assert owner(data) == (SERVICE_USER, group)
    assert owner(data / "media") == (SERVICE_USER, group)
    assert owner(data / "intranet-social.db") == (SERVICE_USER, group)
    assert owner(config) == ("root", group) and config.stat().st_mode & 0o777 == 0o640
    assert owner(config.parent / "tls" / "ca.key") == ("root", "root")
    assert "useradd" not in result.stdout
    assert f"User={SERVICE_USER}\n" in unit.read_text()

    again = CliRunner().invoke(main, args)

    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("Nothing changed:")
