"""The admin area: people and the audit log, for admins with an admin-scope token (what
moderators may do there is in test_moderators.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from intranet_social.accounts import service
from intranet_social.accounts.models import User, UserSession
from intranet_social.audit.models import AuditEvent
from intranet_social.extensions import db

NEW_PERSON = {"username": "nina.new", "email": "nina@corp.example", "name": "Nina New"}
ADMIN_OPERATIONS = [
    ("GET", "/admin/users"),
    ("POST", "/admin/users"),
    ("POST", "/admin/users/{username}/disable"),
    ("POST", "/admin/users/{username}/enable"),
    ("POST", "/admin/users/{username}/approve"),
    ("POST", "/admin/users/{username}/reset-password"),
    ("POST", "/admin/users/{username}/role"),
    ("GET", "/admin/audit"),
]
#: moderators see the people list, as on the console; the rest is refused to them
MODERATOR_REFUSED = [
    operation for operation in ADMIN_OPERATIONS if operation != ("GET", "/admin/users")
]
ACCOUNT_ACTIONS = ["disable", "enable", "approve", "reset-password"]


def snapshot() -> tuple[list[tuple], int]:
    """Every account's state and the audit log's length, to show nothing changed."""
    people = db.session.execute(
        select(User.username, User.status, User.role, User.password_hash).order_by(User.id)
    ).all()
    return [tuple(row) for row in people], db.session.scalar(
        select(func.count()).select_from(AuditEvent)
    )


def last_event() -> AuditEvent:
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


@pytest.mark.parametrize(("method", "path"), ADMIN_OPERATIONS)
def test_member_cannot_use_any_admin_operation(api_as, error_of, make_user, member, method, path):
    make_user("pat.pending", status="pending")
    api = api_as(member, "write")
    before = snapshot()
    response = api.call(
        method, path.format(username="pat.pending"), json=NEW_PERSON if method == "POST" else None
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert snapshot() == before


@pytest.mark.parametrize(("method", "path"), MODERATOR_REFUSED)
def test_moderator_session_cannot_use_an_admins_operation(client, auth, moderator, method, path):
    auth.login(moderator.username)
    csrf_token = auth.csrf("/account")
    body = {"role": "admin"} if path.endswith("/role") else NEW_PERSON
    before = snapshot()
    response = client.open(
        "/api/v1" + path.format(username=moderator.username),
        method=method,
        json=body if method == "POST" else None,
        headers={"X-CSRFToken": csrf_token},
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_admin_lists_people_with_filters(admin_api, documented, make_user, member):
    make_user("pat.pending", name="Pat Pending", status="pending")
    make_user("dee.disabled", status="disabled", role="moderator")
    response = admin_api.get("/admin/users")
    documented(response, "GET", "/admin/users")
    people = {item["username"]: item for item in response.get_json()["items"]}
    assert set(people) == {"ada.admin", "ana.member", "dee.disabled", "pat.pending"}
    assert people["ana.member"]["email"] == "ana.member@corp.example"
    assert people["ana.member"]["must_change_password"] is False

    def usernames(**query: str) -> list[str]:
        body = admin_api.get("/admin/users", query_string=query).get_json()
        return [item["username"] for item in body["items"]]

    assert usernames(status="pending") == ["pat.pending"]
    assert usernames(role="moderator") == ["dee.disabled"]
    assert usernames(q="PAT") == ["pat.pending"]
    assert usernames(q="nobody") == []


@pytest.mark.parametrize(("name", "value"), [("role", "boss"), ("status", "gone"), ("q", "a\x00")])
def test_bad_filter_answers_422_naming_it(admin_api, error_of, name, value):
    response = admin_api.get("/admin/users", query_string={name: value})
    assert response.status_code == 422
    assert error_of(response)["field"] == name


def test_admin_adds_a_person_who_gets_a_one_time_password(admin_api, documented, admin):
    body = {
        **NEW_PERSON,
        "role": "moderator",
        "department": "Sales",
        "title": "Lead",
        "birthday": "1990-02-28",
    }
    response = admin_api.post("/admin/users", json=body)
    assert response.status_code == 201
    documented(response, "POST", "/admin/users")
    answer = response.get_json()
    assert answer["username"] == "nina.new"
    assert answer["role"] == "moderator"
    assert answer["birthday"] == "02-28"
    assert answer["must_change_password"] is True

    person = service.get_user("nina.new")
    assert person.must_change_password
    assert answer["one_time_password"] not in person.password_hash
    signed_in = service.authenticate("nina.new", answer["one_time_password"])
    assert signed_in.id == person.id

    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "user.create", AuditEvent.target == "nina.new"
        )
    ).one()
    assert event.actor_id == admin.id
    assert event.actor_name == admin.username


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"username": "ana.member"}, 409, "username"),
        ({"username": "ANA.MEMBER"}, 409, "username"),
        ({"email": "ana.member@corp.example"}, 409, "email"),
        ({"email": "not-an-address"}, 422, "email"),
        ({"email": 42}, 422, "email"),
        ({"username": "x"}, 422, "username"),
        ({"username": "api"}, 422, "username"),
        ({"username": None}, 422, "username"),
        ({"name": "   "}, 422, "name"),
        ({"name": "a" * 101}, 422, "name"),
        ({"role": "owner"}, 422, "role"),
        ({"birthday": "31-31"}, 422, "birthday"),
        ({"department": ["Sales"]}, 422, "department"),
        ({"title": "t" * 101}, 422, "title"),
        ({"password": "violet-harbour-lantern-42"}, 422, "password"),
    ],
)
def test_bad_new_person_names_the_field_and_adds_no_one(
    admin_api, error_of, member, changes, status, field
):
    before = snapshot()
    response = admin_api.post("/admin/users", json={**NEW_PERSON, **changes})
    assert response.status_code == status
    assert error_of(response)["field"] == field
    assert snapshot() == before


@pytest.mark.parametrize("missing", ["username", "email", "name"])
def test_new_person_without_a_required_field_is_refused(admin_api, error_of, missing):
    before = snapshot()
    body = {key: value for key, value in NEW_PERSON.items() if key != missing}
    response = admin_api.post("/admin/users", json=body)
    assert response.status_code == 422
    assert error_of(response)["field"] == missing
    assert snapshot() == before


def test_admin_disables_a_person_whose_token_and_sessions_stop(
    admin_api, api_as, documented, client, auth, admin, member
):
    member_api = api_as(member, "read")
    auth.login(member.username)
    response = admin_api.post("/admin/users/ana.member/disable")
    assert response.status_code == 200
    documented(response, "POST", "/admin/users/{username}/disable")
    assert response.get_json()["status"] == "disabled"
    assert member_api.get("/me").status_code == 401
    assert (
        db.session.scalar(
            select(func.count()).select_from(UserSession).where(UserSession.user_id == member.id)
        )
        == 0
    )
    event = last_event()
    assert (event.action, event.target, event.actor_name) == (
        "user.disable",
        "ana.member",
        admin.username,
    )

    enabled = admin_api.post("/admin/users/ana.member/enable")
    assert enabled.status_code == 200
    documented(enabled, "POST", "/admin/users/{username}/enable")
    assert enabled.get_json()["status"] == "active"
    assert last_event().action == "user.enable"
    assert api_as(member, "read").get("/me").status_code == 200


def test_last_active_admin_cannot_be_disabled(admin_api, error_of, admin):
    before = snapshot()
    response = admin_api.post("/admin/users/ada.admin/disable")
    assert response.status_code == 409
    assert error_of(response)["field"] == "username"
    assert snapshot() == before


def test_admin_approves_a_waiting_registration_once(admin_api, error_of, documented, make_user):
    make_user("pat.pending", status="pending")
    response = admin_api.post("/admin/users/pat.pending/approve")
    assert response.status_code == 200
    documented(response, "POST", "/admin/users/{username}/approve")
    assert response.get_json()["status"] == "active"
    assert last_event().action == "user.approve"

    before = snapshot()
    again = admin_api.post("/admin/users/pat.pending/approve")
    assert again.status_code == 409
    assert error_of(again)["field"] == "username"
    assert snapshot() == before


def test_admin_resets_a_password_and_the_old_one_stops_working(
    admin_api, documented, client, auth, admin, member
):
    auth.login(member.username)
    response = admin_api.post("/admin/users/ana.member/reset-password")
    assert response.status_code == 200
    documented(response, "POST", "/admin/users/{username}/reset-password")
    answer = response.get_json()
    assert answer["must_change_password"] is True
    person = service.get_user("ana.member")
    assert service.authenticate("ana.member", answer["one_time_password"]).id == person.id
    assert client.get("/api/v1/me").status_code == 401
    event = last_event()
    assert (event.action, event.actor_name) == ("password.reset", admin.username)


@pytest.mark.parametrize("action", ACCOUNT_ACTIONS)
@pytest.mark.parametrize("username", ["nobody", "a%00b", "x" * 300])
def test_action_on_an_unknown_person_answers_404(admin_api, error_of, action, username):
    before = snapshot()
    response = admin_api.post(f"/admin/users/{username}/{action}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert snapshot() == before


def test_admin_reads_the_audit_log_newest_first(admin_api, documented, admin, member):
    admin_api.post("/admin/users/ana.member/disable")
    response = admin_api.get("/admin/audit", query_string={"limit": 2})
    assert response.status_code == 200
    documented(response, "GET", "/admin/audit")
    items = response.get_json()["items"]
    assert items[0]["action"] == "user.disable"
    assert items[0]["actor"] == admin.username
    assert items[0]["target"] == "ana.member"
    assert items[0]["id"] > items[1]["id"]


def test_admins_never_see_a_persons_year_of_birth(app, make_user, admin):
    from intranet_social.accounts import tokens

    make_user("yara.year", birthday="1990-04-05")
    secret = tokens.create_token(admin, name="t", scope="admin").secret
    db.session.commit()
    client = app.test_client()
    answer = client.get("/api/v1/admin/users", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200
    assert "1990" not in answer.get_data(as_text=True)
    person = next(item for item in answer.json["items"] if item["username"] == "yara.year")
    assert person["birthday"] == "04-05"
    assert "birth_year" not in person
