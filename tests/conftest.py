"""Fixtures: a migrated SQLite database per test, the app, clients, people and sign-in helpers."""

from __future__ import annotations

import contextvars
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from werkzeug.test import TestResponse

from intranet_social import create_app
from intranet_social.accounts import passwords, service
from intranet_social.accounts.models import User
from intranet_social.config import load_config
from intranet_social.core.database import upgrade_database
from intranet_social.extensions import db, limiter

STRONG_PASSWORD = "violet-harbour-lantern-42"
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
    """An empty database at the newest migration, made once and copied for each test."""
    folder = tmp_path_factory.mktemp("template")
    app = create_app(load_config(write_config(folder)))
    upgrade_database(app)
    with app.app_context():
        db.engine.dispose()
    return folder / "social.db"


POSTGRES_SERVER_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new PostgreSQL database at the newest migration, dropped afterwards; the test
    skips when no server answers. Use it through ``site_settings`` to run a test there."""
    server = create_engine(POSTGRES_SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        server.connect().close()
    except OperationalError:
        server.dispose()
        pytest.skip(f"no PostgreSQL server answers at {make_url(POSTGRES_SERVER_URL).host}")
    name = f"social_test_{secrets.token_hex(6)}"
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_SERVER_URL).set(database=name).render_as_string(hide_password=False)
    folder = tmp_path_factory.mktemp("postgres")
    migrator = create_app(load_config(write_config(folder, database={"url": url})))
    upgrade_database(migrator)
    with migrator.app_context():
        db.engine.dispose()
    try:
        yield url
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture
def site_settings() -> dict[str, dict[str, Any]]:
    """Config overrides for this test's site; a test module may override the fixture."""
    return {}


@pytest.fixture
def config_path(
    tmp_path: Path, migrated_db: Path, site_settings: dict[str, dict[str, Any]]
) -> Path:
    shutil.copyfile(migrated_db, tmp_path / "social.db")
    return write_config(tmp_path, **site_settings)


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
