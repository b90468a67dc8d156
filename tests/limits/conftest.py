"""Real app processes (``intranet-social serve``) on one SQLite file, and a browser-like
client that signs in through the login form of any of them."""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import write_config

START_TIMEOUT = 60.0
ONE_TIME_PASSWORD_RE = re.compile(r"one-time password[^:]*:\s*(\S+)", re.IGNORECASE)
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def command() -> str:
    return str(Path(sys.executable).with_name("intranet-social"))


def environment() -> dict[str, str]:
    """This process's environment without the developer's own ``INTRANET_SOCIAL_*`` overrides."""
    return {k: v for k, v in os.environ.items() if not k.startswith("INTRANET_SOCIAL_")}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Site:
    """A site's configuration, run with the ``intranet-social`` command."""

    config: Path

    def cli(self, *args: str) -> str:
        result = subprocess.run(
            [command(), *args, "--config", str(self.config)],
            capture_output=True,
            text=True,
            env=environment(),
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"{args} exited {result.returncode}: {result.stderr}"
        return result.stdout

    def create_user(self, username: str) -> str:
        """A member made with the CLI; returns the one-time password it printed."""
        output = self.cli(
            "user", "create", username, "--email", f"{username}@corp.example", "--name", username
        )
        match = ONE_TIME_PASSWORD_RE.search(output)
        assert match, output
        return match.group(1)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


class Browser:
    """Signs in through the login form; every request says it comes from ``address``
    (the site trusts one proxy, as behind nginx)."""

    def __init__(self) -> None:
        jar = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def request(self, url: str, *, address: str, form: dict[str, str] | None = None) -> Answer:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data, headers={"X-Forwarded-For": address})
        try:
            with self._opener.open(request, timeout=30) as response:
                return Answer(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read().decode())

    def login(self, origin: str, username: str, password: str, *, address: str) -> Answer:
        page = self.request(f"{origin}/login", address=address)
        match = CSRF_RE.search(page.body)
        assert match, page.body
        form = {"username": username, "password": password, "csrf_token": match.group(1)}
        return self.request(f"{origin}/login", address=address, form=form)


def _wait_until_healthy(process: subprocess.Popen[bytes], origin: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(origin + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not answer within {START_TIMEOUT:.0f} s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


Serve = Callable[[Site], str]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    """Start one more ``intranet-social serve`` of a site; returns its origin. Every process
    started is stopped after the test."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(site: Site) -> str:
        port = free_port()
        log = tmp_path / f"serve-{port}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [command(), "serve", "--config", str(site.config), "--listen", f"127.0.0.1:{port}"],
                stdout=output,
                stderr=subprocess.STDOUT,
                env=environment(),
            )
        processes.append(process)
        origin = f"http://127.0.0.1:{port}"
        _wait_until_healthy(process, origin, log)
        return origin

    yield start
    for process in processes:
        _stop(process)


def make_site(folder: Path, hostname: str, storage_uri: str) -> Site:
    """A migrated site on an SQLite file, behind one trusted proxy, keeping its rate limits
    in ``storage_uri``."""
    config = write_config(
        folder,
        site={"hostnames": [hostname, "127.0.0.1"]},
        server={"trusted_proxies": 1},
        limits={"storage_uri": storage_uri},
    )
    site = Site(config)
    site.cli("db", "upgrade")
    return site


def site_name() -> str:
    """A host name no other test (or site on the same Redis) uses."""
    return f"limits-{secrets.token_hex(6)}.test"
