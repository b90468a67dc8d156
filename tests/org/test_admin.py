"""Admins set managers in the console (audited) and when creating accounts by the API."""

from __future__ import annotations

from sqlalchemy import select

from intranet_social.accounts.models import User
from intranet_social.audit.models import AuditEvent
from intranet_social.extensions import db
from tests.cli.conftest import db_state


def manager_id_of(username: str) -> int | None:
    db.session.expire_all()
    return db.session.scalar(select(User.manager_id).where(User.username == username))


def test_an_admin_sets_a_manager_in_the_console_and_the_change_is_audited(browser, admin, org):
    console = browser(admin)

    answer = console.post("/admin/people/loner/manager", {"manager": "lead.b"})

    assert answer.status_code == 302
    assert manager_id_of("loner") == org["lead.b"].id
    page = console.get("/admin/people").get_data(as_text=True)
    assert 'id="manager-loner" name="manager" value="lead.b"' in page
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.manager")).one()
    assert (event.target, event.actor_name) == ("loner", admin.username)


def test_the_console_refuses_a_cycle_and_changes_nothing(browser, admin, org):
    console = browser(admin)
    before = db_state()

    answer = console.post(
        "/admin/people/chief/manager", {"manager": "dev.two"}, follow_redirects=True
    )

    assert "dev.two already reports to this person" in answer.get_data(as_text=True)
    assert db_state() == before


def test_a_member_cannot_set_managers_in_the_console(browser, org):
    member = browser(org["loner"])
    before = db_state()
    answer = member.post("/admin/people/chief/manager", {"manager": "loner"})
    assert answer.status_code == 403
    assert db_state() == before


def test_the_admin_api_creates_a_person_with_a_manager_and_start_date(api_as, admin, org):
    answer = api_as(admin, "admin").post(
        "/admin/users",
        json={
            "username": "new.hire",
            "email": "new.hire@corp.example",
            "name": "New Hire",
            "manager": "lead.a",
            "start_date": "2025-03-14",
        },
    )

    assert answer.status_code == 201, answer.json
    person = api_as(admin).get("/users/new.hire").json
    assert (person["manager"], person["start_date"]) == ("lead.a", "2025-03-14")
