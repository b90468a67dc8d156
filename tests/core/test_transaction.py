"""One transaction per request and per command: a success is committed before its answer
leaves, anything else leaves nothing, a refused sign-in still counts, and a read request
that writes fails under test."""

from __future__ import annotations

import pytest
from flask import redirect
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from intranet_social.accounts.models import User
from intranet_social.audit.models import AuditEvent
from intranet_social.audit.service import record
from intranet_social.cli.runtime import open_site
from intranet_social.config import load_config
from intranet_social.core.errors import Invalid
from intranet_social.core.transaction import WriteDuringRead, discard_changes
from intranet_social.extensions import csrf, db

ACTION = "test.write"


def written() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).where(AuditEvent.action == ACTION)) or 0


def write() -> None:
    record(ACTION)
    db.session.flush()


@pytest.fixture
def route(app):  # type: ignore[no-untyped-def]
    """Add a test-only view at ``/test/<name>`` (before the app's first request)."""

    def add(name: str, view, methods=("POST",)):  # type: ignore[no-untyped-def]
        app.add_url_rule(f"/test/{name}", f"test_{name}", csrf.exempt(view), methods=methods)

    return add


def test_a_successful_post_is_committed_before_its_answer_leaves(app, client, route):
    def view():  # type: ignore[no-untyped-def]
        write()
        return redirect("/")

    route("ok", view)
    assert client.post("/test/ok").status_code == 302
    assert written() == 1


def test_a_request_that_raises_after_writing_leaves_nothing(client, route):
    def view():  # type: ignore[no-untyped-def]
        write()
        raise Invalid("That will not do.", "body")

    route("raises", view)
    assert client.post("/test/raises").status_code == 422
    assert written() == 0


def test_a_form_answered_with_an_error_status_leaves_nothing(client, route):
    def view():  # type: ignore[no-untyped-def]
        write()
        return "the form again, with its error", 422

    route("form", view)
    assert client.post("/test/form").status_code == 422
    assert written() == 0


def test_a_refusal_answered_with_a_redirect_leaves_nothing_when_discarded(client, route):
    def view():  # type: ignore[no-untyped-def]
        write()
        discard_changes()
        return redirect("/")

    route("refused", view)
    assert client.post("/test/refused").status_code == 302
    assert written() == 0


def test_a_commit_that_fails_answers_an_error_not_a_success(app, client, route):
    def view():  # type: ignore[no-untyped-def]
        write()
        return "saved"

    def refuse(_session: Session) -> None:
        raise RuntimeError("the disk is full")

    route("commit-fails", view)
    app.testing = False  # the error page people see, instead of the test seeing the exception
    event.listen(Session, "before_commit", refuse)
    try:
        response = client.post("/test/commit-fails")
    finally:
        event.remove(Session, "before_commit", refuse)
    assert response.status_code == 500
    assert written() == 0


def test_a_read_request_that_writes_fails_under_test(client, route):
    def view():  # type: ignore[no-untyped-def]
        write()
        return "a page"

    route("read-writes", view, methods=("GET",))
    with pytest.raises(WriteDuringRead, match="GET /test/read-writes wrote AuditEvent"):
        client.get("/test/read-writes")
    assert written() == 0


def test_a_failed_sign_in_keeps_its_count_and_security_event(client, auth, member):
    response = auth.login("ana.member", "not-the-password-at-all")

    assert response.status_code == 422
    db.session.rollback()
    assert db.session.get(User, member.id).failed_logins == 1
    failures = select(func.count()).where(AuditEvent.action == "login.failure")
    assert db.session.scalar(failures) == 1


def test_a_command_is_committed_when_it_ends_and_leaves_nothing_when_it_fails(app, config_path):
    config = load_config(config_path)
    with open_site(config):
        write()
    with pytest.raises(RuntimeError), open_site(config):
        write()
        raise RuntimeError("the command failed half-way")
    assert written() == 1
