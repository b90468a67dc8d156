"""Real-browser fixtures: the installed server under waitress, Debian's Chromium via Playwright.

The server is started once per test session from the ``intranet-social`` console command, on a
free port of 127.0.0.1, with a fresh configuration and database made by the installer (on the
PostgreSQL run, in a new database of the run, given as the environment override of the
database URL, as an admin of a PostgreSQL site sets it). Every
page records the requests it makes; requests to any other address are aborted, so nothing can
leave the machine, and :meth:`WatchedPage.assert_stayed_local` reports them.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Playwright, Request, Route, sync_playwright

from tests.conftest import TEST_DATABASE_URL

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 800}
START_TIMEOUT = 30.0
#: axe impacts that fail a test; "minor" and "moderate" findings are left to review
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
#: URL schemes that never leave the browser
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})
ONE_TIME_PASSWORD_RE = re.compile(r"one-time password[^:]*:\s*(\S+)", re.IGNORECASE)


def command_path() -> Path:
    """The ``intranet-social`` console script installed beside the running Python."""
    return Path(sys.executable).with_name("intranet-social")


def clean_environment() -> dict[str, str]:
    """This process's environment without the developer's own ``INTRANET_SOCIAL_*`` overrides."""
    return {k: v for k, v in os.environ.items() if not k.startswith("INTRANET_SOCIAL_")}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running ``intranet-social serve`` and the CLI against its configuration."""

    config: Path
    port: int
    #: the server's database, when not the installer's SQLite file
    database_url: str | None = None

    @property
    def environment(self) -> dict[str, str]:
        environment = clean_environment()
        if self.database_url:
            environment["INTRANET_SOCIAL_DATABASE_URL"] = self.database_url
        return environment

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``intranet-social ARGS --config CONFIG``; fail the test on a non-zero exit."""
        result = subprocess.run(
            [str(command_path()), *args, "--config", str(self.config)],
            capture_output=True,
            text=True,
            env=self.environment,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, (
            f"intranet-social {' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout}{result.stderr}"
        )
        return result

    def create_user(self, username: str, name: str) -> str:
        """Create a member with the CLI and return the one-time password it printed."""
        result = self.cli(
            "user", "create", username, "--email", f"{username}@corp.example", "--name", name
        )
        match = ONE_TIME_PASSWORD_RE.search(result.stdout)
        assert match, f"no one-time password in the output:\n{result.stdout}"
        return match.group(1)


def _wait_until_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(
        f"the server did not answer /healthz within {START_TIMEOUT:.0f} s:\n{log.read_text()}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("site")
    database = request.getfixturevalue("postgres").empty() if TEST_DATABASE_URL else None
    site = Server(config=folder / "config.toml", port=free_port(), database_url=database)
    site.cli("install", "--local")
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(command_path()),
                "serve",
                "--config",
                str(site.config),
                "--listen",
                f"127.0.0.1:{site.port}",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=site.environment,
        )
        try:
            _wait_until_healthy(process, site.origin, log)
            yield site
        finally:
            _stop(process)


@pytest.fixture(scope="session", autouse=True)
def _chromium_installed() -> None:
    """Skip the browser tests without Chromium, before any server starts; fail them in CI."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing; install Debian's chromium package (./scripts/test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@dataclass
class WatchedPage:
    """A page that records its requests and aborts any that would leave the server."""

    page: Page
    origin: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            return True
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def route(self, route: Route) -> None:
        if self.is_local(route.request.url):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort("blockedbyclient")

    def record(self, request: Request) -> None:
        self.requests.append(request.url)

    def assert_stayed_local(self) -> None:
        elsewhere = [url for url in self.requests if not self.is_local(url)]
        assert not elsewhere and not self.blocked, (
            "the page asked for addresses other than the server:\n  "
            + "\n  ".join(sorted({*elsewhere, *self.blocked}))
        )

    def submit(self, fields: dict[str, str], button: str) -> None:
        """Fill form fields by their ``name`` and press the button; wait for the next page."""
        for name, value in fields.items():
            self.page.locator(f'input[name="{name}"]').fill(value)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button).click()

    def log_in(self, username: str, password: str) -> None:
        self.page.goto("/login")
        self.submit({"username": username, "password": password}, "Log in")

    def first_sign_in(self, username: str, one_time_password: str) -> str:
        """Sign in with a one-time password and choose a new one; return the new password."""
        new_password = f"{username}-{secrets.token_urlsafe(12)}"
        self.log_in(username, one_time_password)
        self.submit(
            {
                "current_password": one_time_password,
                "new_password": new_password,
                "new_password_confirm": new_password,
            },
            "Save new password",
        )
        assert self.path == "/", f"expected the feed after the password change, got {self.page.url}"
        return new_password

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    def assert_accessible(self) -> None:
        """Run axe on the page as it is; fail on any serious or critical violation."""
        violations = Axe().run(self.page).response["violations"]
        blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
        assert not blocking, f"accessibility problems on {self.page.url}:\n" + "\n".join(
            _describe(v) for v in blocking
        )


def _describe(violation: dict[str, Any]) -> str:
    nodes = "\n".join(f"      {' '.join(node['target'])}" for node in violation["nodes"][:5])
    return (
        f"  [{violation['impact']}] {violation['id']}: {violation['help']}\n"
        f"    {violation['helpUrl']}\n{nodes}"
    )


def open_page(browser: Browser, server: Server, viewport: dict[str, int]) -> Iterator[WatchedPage]:
    context = browser.new_context(viewport=viewport, base_url=server.origin)
    watched = WatchedPage(page=context.new_page(), origin=server.origin)
    context.route("**/*", watched.route)
    watched.page.on("request", watched.record)
    try:
        yield watched
    finally:
        context.close()


@pytest.fixture
def web(browser: Browser, server: Server) -> Iterator[WatchedPage]:
    """A desktop-sized page in a fresh browser profile (no cookies)."""
    yield from open_page(browser, server, DESKTOP)


@pytest.fixture
def phone(browser: Browser, server: Server) -> Iterator[WatchedPage]:
    """A small phone's screen in a fresh browser profile."""
    yield from open_page(browser, server, PHONE)
