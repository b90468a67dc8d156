"""Fixtures: a clean migrated database per test (SQLite, or PostgreSQL when TEST_DATABASE_URL
is set), the app, clients, people and sign-in helpers."""

from __future__ import annotations

import contextvars
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from werkzeug.test import TestResponse

from intranet_social import create_app
from intranet_social.accounts import passwords, service
from intranet_social.accounts.models import User
from intranet_social.config import load_config
from intranet_social.core.database import upgrade_database
from intranet_social.extensions import db, limiter
from tests.databases import PostgresDatabases

#: the people the feature tests share (ana, ben, dee, cyd), and browsers and API clients
pytest_plugins = ["tests.people"]

STRONG_PASSWORD = "violet-harbour-lantern-42"
#: a PostgreSQL server (and a database there to connect to): the whole run uses it when set
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
#: where the tests marked ``postgres`` make their databases
POSTGRES_SERVER_URL = TEST_DATABASE_URL or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def write_config(folder: Path, **sections: dict[str, Any]) -> Path:
    """Write a config.toml into ``folder``; ``sections`` override the test defaults."""
    values: dict[str, dict[str, Any]] = {
        "site": {"name": "Test Social", "hostnames": [], "timezone": "UTC"},
        "database": {"url": "sqlite:///social.db"},
        "media": {"dir": "media"},
        "security": {"secret_key": secrets.token_urlsafe(48), "registration": "approval"},
    }
    for name, overrides in sections.items():
        values.setdefault(name, {}).update(overrides)
    lines = []
    for name, keys in values.items():
        lines.append(f"[{name}]")
        for key, value in keys.items():
            lines.append(f"{key} = {_toml(value)}")
        lines.append("")
    path = folder / "config.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


@pytest.fixture(scope="session", autouse=True)
def light_password_hashing() -> Iterator[None]:
    """Argon2id with small costs in-process: the algorithm is the real one, the suite fast.

    Servers started by browser tests run as their own processes with the production costs.
    """
    light = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    patcher = pytest.MonkeyPatch()
    patcher.setattr(passwords, "_hasher", light)
    passwords._dummy_hash.cache_clear()
    yield
    patcher.undo()
    passwords._dummy_hash.cache_clear()


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database at the newest migration, made once and copied for each test."""
    folder = tmp_path_factory.mktemp("template")
    app = create_app(load_config(write_config(folder)))
    upgrade_database(app)
    with app.app_context():
        db.engine.dispose()
    return folder / "social.db"


def _migrate(url: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="social-migrate-"))
    try:
        app = create_app(load_config(write_config(folder, database={"url": url})))
        upgrade_database(app)
        with app.app_context():
            db.engine.dispose()
    finally:
        shutil.rmtree(folder)


def _postgres_unavailable(reason: str) -> None:
    """No PostgreSQL for a test that needs one: a skip, but a failure in CI or on the
    PostgreSQL run, where it must not pass unnoticed."""
    if TEST_DATABASE_URL or os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def pytest_configure(config: pytest.Config) -> None:
    """On the PostgreSQL run, refuse to start without the server rather than quietly
    running everything on SQLite."""
    if not TEST_DATABASE_URL:
        return
    if make_url(TEST_DATABASE_URL).get_backend_name() != "postgresql":
        raise pytest.UsageError(
            "TEST_DATABASE_URL must name a PostgreSQL server, "
            "e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        )
    engine = create_engine(TEST_DATABASE_URL)
    try:
        engine.connect().close()
    except OperationalError as exc:
        raise pytest.UsageError(
            f"TEST_DATABASE_URL is set but the PostgreSQL server does not answer: {exc.orig}"
        ) from None
    finally:
        engine.dispose()


def pytest_report_header(config: pytest.Config) -> str:
    if TEST_DATABASE_URL:
        return f"database: PostgreSQL at {make_url(TEST_DATABASE_URL).host} (TEST_DATABASE_URL)"
    return "database: SQLite (set TEST_DATABASE_URL to run on PostgreSQL)"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases]:
    """This run's databases on the PostgreSQL server; a test needing one skips without a
    server, except in CI and on the PostgreSQL run."""
    databases = PostgresDatabases(POSTGRES_SERVER_URL, _migrate)
    try:
        databases.start()
    except OperationalError:
        databases.close()
        _postgres_unavailable(f"no PostgreSQL server answers at {databases.where}")
    yield databases
    databases.close()


def _on_sqlite(request: pytest.FixtureRequest) -> bool:
    """Whether this test runs on SQLite: always, unless this is the PostgreSQL run and the
    test's subject is not SQLite itself."""
    marker = request.node.get_closest_marker("sqlite")
    if marker is not None:
        assert marker.kwargs.get("reason"), "say why with @pytest.mark.sqlite(reason=...)"
    return not TEST_DATABASE_URL or marker is not None


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A clean database at the newest migration for this test: a copy of the SQLite
    template as ``social.db`` in ``tmp_path`` (the URL is relative to a config written
    there), or on the PostgreSQL run a clean PostgreSQL database."""
    if _on_sqlite(request):
        shutil.copyfile(request.getfixturevalue("migrated_db"), tmp_path / "social.db")
        yield "sqlite:///social.db"
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres")
    url = databases.take()
    yield url
    databases.give_back(url)


@pytest.fixture
def empty_database_url(request: pytest.FixtureRequest) -> str:
    """A database without tables, for tests of migrating: ``social.db`` beside a config
    written in ``tmp_path``, or on the PostgreSQL run a new PostgreSQL database."""
    if _on_sqlite(request):
        return "sqlite:///social.db"
    return request.getfixturevalue("postgres").empty()


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A clean PostgreSQL database at the newest migration (on the PostgreSQL run, the
    test's own database). Use it through ``site_settings`` to run a test there."""
    if TEST_DATABASE_URL:
        yield request.getfixturevalue("database_url")
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres")
    url = databases.take()
    yield url
    databases.give_back(url)


@pytest.fixture
def site_settings() -> dict[str, dict[str, Any]]:
    """Config overrides for this test's site; a test module may override the fixture."""
    return {}


@pytest.fixture
def config_path(
    tmp_path: Path, database_url: str, site_settings: dict[str, dict[str, Any]]
) -> Path:
    return write_config(tmp_path, **{"database": {"url": database_url}, **site_settings})


class IsolatedClient(FlaskClient):
    """Runs each request in its own app context, as a real server does.

    The test itself holds an app context (for ``db.session``); without this, requests would
    share its ``g`` and database session and hide bugs. After each request the test's session
    ends its transaction so it sees what the request wrote.
    """

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.rollback()
        return response


@pytest.fixture
def app(config_path: Path) -> Iterator[Flask]:
    app = create_app(load_config(config_path), TESTING=True)
    app.test_client_class = IsolatedClient
    limiter.reset()
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def _make_user(
        username: str | None = None,
        *,
        password: str = STRONG_PASSWORD,
        one_time: bool = False,
        **fields: Any,
    ) -> User:
        username = username or f"person{next(counter)}"
        fields.setdefault("email", f"{username}@corp.example")
        fields.setdefault("name", username.replace(".", " ").title())
        account = service.create_user(
            username,
            fields.pop("email"),
            fields.pop("name"),
            password=None if one_time else password,
            **fields,
        )
        db.session.commit()
        if one_time:
            account.user.one_time_password = account.one_time_password  # type: ignore[attr-defined]
        return account.user

    return _make_user


@pytest.fixture
def member(make_user: Callable[..., User]) -> User:
    return make_user("ana.member", name="Ana Member", department="Finance")


@pytest.fixture
def moderator(make_user: Callable[..., User]) -> User:
    return make_user("mo.moderator", name="Mo Moderator", role="moderator")


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user("ada.admin", name="Ada Admin", role="admin")


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no csrf_token field"
    return match.group(1)


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def csrf(self, path: str = "/login") -> str:
        return csrf_from(self.client.get(path).get_data(as_text=True))

    def login(self, username: str, password: str = STRONG_PASSWORD, **kwargs: Any):  # type: ignore[no-untyped-def]
        token = self.csrf("/login")
        return self.client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token},
            **kwargs,
        )

    def logout(self):  # type: ignore[no-untyped-def]
        token = self.csrf("/account")
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)
