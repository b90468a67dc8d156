"""``GET /healthz``: 200 when the database answers, 503 when it does not; never a login,
never a traceback."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy.exc import OperationalError

from intranet_social import create_app
from intranet_social.config import load_config
from intranet_social.extensions import db
from tests.conftest import write_config


def test_anyone_gets_ok_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.mimetype == "application/json"


def test_holder_of_a_one_time_password_is_not_sent_to_change_it(client, auth, make_user):
    user = make_user("new.hire", one_time=True)
    auth.login("new.hire", user.one_time_password)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_monitoring_can_poll_without_being_rate_limited(client):
    assert {client.get("/healthz").status_code for _ in range(60)} == {200}


def _assert_unavailable(response) -> None:
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "OperationalError" not in body and "sqlite" not in body


@pytest.fixture
def site_with_database_folder(tmp_path, migrated_db):
    """A site whose SQLite file lives in ``data/``, so a test can take the folder away."""
    (tmp_path / "data").mkdir()
    shutil.copyfile(migrated_db, tmp_path / "data" / "social.db")
    path = write_config(tmp_path, database={"url": "sqlite:///data/social.db"})
    app = create_app(load_config(path, environ={}), TESTING=True)
    yield app, tmp_path / "data"
    with app.app_context():
        db.engine.dispose()


def test_unreachable_database_answers_503_then_recovers(site_with_database_folder):
    app, data = site_with_database_folder
    client = app.test_client()
    data.rename(data.with_name("moved-away"))
    _assert_unavailable(client.get("/healthz"))
    data.with_name("moved-away").rename(data)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_database_error_answers_503_with_security_headers(app, client, monkeypatch):
    def fail(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    monkeypatch.setattr(db.session, "execute", fail)
    response = client.get("/healthz")
    _assert_unavailable(response)
    assert "database is locked" not in response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers


def test_pages_still_show_the_site_name_while_the_database_is_away(site_with_database_folder):
    """The page frame reads the stored settings and unread counts; while the database
    cannot be opened it shows the config file's values instead of failing."""
    app, data = site_with_database_folder
    client = app.test_client()
    assert client.get("/login").status_code == 200
    data.rename(data.with_name("moved-away"))
    with app.app_context():
        db.engine.dispose()  # the open connection would still reach the moved file
    response = client.get("/no/such/page")
    data.with_name("moved-away").rename(data)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert '<span class="brand__name">Test Social</span>' in body
    assert "Traceback" not in body and "OperationalError" not in body
