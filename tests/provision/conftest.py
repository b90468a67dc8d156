"""Running ``intranet-social install`` for a server, with every file under a temporary root."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask

from intranet_social import create_app
from intranet_social.cli import main
from intranet_social.config import load_config
from intranet_social.extensions import db
from tests.conftest import IsolatedClient

CANONICAL = "social.corp.example"
ALIAS = "intranet.corp.example"
ADDRESS = "10.20.30.40"
PASSWORD_RE = re.compile(r"^One-time password for (\S+): (\S+)$", re.M)

Install = Callable[..., Result]


class Box:
    """The files of an install under ``root``, at the paths they have on the server."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, target: str) -> Path:
        return self.root / target.lstrip("/")

    @property
    def config(self) -> Path:
        return self.path("/etc/intranet-social/config.toml")

    @property
    def tls(self) -> Path:
        return self.path("/etc/intranet-social/tls")

    @property
    def dns(self) -> Path:
        return self.path("/etc/intranet-social/dns")

    @property
    def unit(self) -> Path:
        return self.path("/etc/systemd/system/intranet-social.service")

    @property
    def site(self) -> Path:
        return self.path("/etc/nginx/conf.d/intranet-social.conf")

    @property
    def data(self) -> Path:
        return self.path("/var/lib/intranet-social")

    def snapshot(self) -> dict[str, tuple[bytes, int, int]]:
        """Every file under the root: content, mode and modification time."""
        return {
            str(path.relative_to(self.root)): (
                path.read_bytes(),
                path.stat().st_mode,
                path.stat().st_mtime_ns,
            )
            for path in sorted(self.root.rglob("*"))
            if path.is_file() and not path.name.endswith(("-wal", "-shm"))
        }


@pytest.fixture
def box(tmp_path: Path) -> Box:
    root = tmp_path / "root"
    root.mkdir()
    return Box(root)


@pytest.fixture
def install(box: Box) -> Install:
    """``install --root BOX --yes`` plus ``args``; the default names when none are given."""
    runner = CliRunner()

    def run(
        *args: str, names: tuple[str, ...] = (CANONICAL, ALIAS), input: str | None = None
    ) -> Result:
        flags = [item for name in names for item in ("--hostname", name)]
        yes = [] if input is not None else ["--yes"]
        return runner.invoke(
            main,
            ["install", "--root", str(box.root), "--ip", ADDRESS, *flags, *yes, *args],
            input=input,
            catch_exceptions=False,
        )

    return run


def one_time_password(result: Result) -> tuple[str, str]:
    [(username, password)] = PASSWORD_RE.findall(result.stdout)
    return username, password


@contextmanager
def site_of(config_path: Path) -> Iterator[Flask]:
    """The app exactly as the written configuration makes it, with an app context."""
    app = create_app(load_config(config_path, environ={}))
    app.test_client_class = IsolatedClient
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()
