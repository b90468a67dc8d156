"""Who may call the API: bearer tokens, their scopes, session cookies with CSRF."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from intranet_social.accounts import service
from intranet_social.accounts.models import ApiToken, User
from intranet_social.core.models import utcnow
from intranet_social.extensions import db


def token_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ApiToken))


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Basic YWRhOnB3",
        "Bearer",
        "Bearer   ",
        "Token isk_abc",
        "Bearer isk_not-a-real-token",
        "Bearer not-even-our-format",
    ],
)
def test_caller_without_a_valid_bearer_token_gets_401(api_as, error_of, member, authorization):
    api = api_as(None)
    headers = {"Authorization": authorization} if authorization else {}
    response = api.get("/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["code"] == "unauthorized"


def test_holder_of_a_revoked_token_gets_401(api_as, error_of, member):
    api = api_as(member)
    token_id = api.get("/tokens").get_json()["items"][0]["id"]
    assert api.delete(f"/tokens/{token_id}").status_code == 204
    response = api.get("/me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"


def test_holder_of_an_expired_token_gets_401(api_as, member):
    api = api_as(member, "read", expires_days=1)
    assert api.get("/me").status_code == 200
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == member.id))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert api.get("/me").status_code == 401


def test_token_of_a_disabled_person_stops_working(api_as, admin, member):
    api = api_as(member, "read")
    assert api.get("/me").status_code == 200
    service.disable_user(member, actor=admin)
    db.session.commit()
    assert api.get("/me").status_code == 401


def test_read_token_can_read_but_not_change(api_as, error_of, member):
    api = api_as(member, "read")
    assert api.get("/me").status_code == 200
    before = token_count()
    response = api.post("/tokens", json={"name": "more"})
    assert response.status_code == 403
    assert "write" in error_of(response)["message"]
    assert token_count() == before


def test_write_token_of_an_admin_cannot_use_the_admin_area(api_as, error_of, admin):
    api = api_as(admin, "write")
    response = api.get("/admin/users")
    assert response.status_code == 403
    assert "admin scope" in error_of(response)["message"]


def test_member_cannot_get_an_admin_scope_token(api_as, error_of, member):
    api = api_as(member, "write")
    before = token_count()
    response = api.post("/tokens", json={"scope": "admin"})
    assert response.status_code == 403
    assert error_of(response)["field"] == "scope"
    assert token_count() == before


def test_admin_token_of_a_demoted_admin_no_longer_opens_the_admin_area(api_as, make_user, admin):
    other_admin = make_user("bo.admin", role="admin")
    api = api_as(other_admin, "admin")
    assert api.get("/admin/users").status_code == 200
    service.set_role(other_admin, "member", actor=admin)
    db.session.commit()
    assert api.get("/admin/users").status_code == 403


@pytest.mark.parametrize(("own", "wanted"), [("read", "write"), ("write", "admin")])
def test_token_cannot_create_a_token_wider_than_itself(api_as, error_of, admin, own, wanted):
    api = api_as(admin, own)
    before = token_count()
    response = api.post("/tokens", json={"scope": wanted})
    assert response.status_code == 403
    assert token_count() == before
    if own == "write":
        assert error_of(response)["field"] == "scope"


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/me"), ("GET", "/tokens"), ("POST", "/tokens"), ("GET", "/admin/users")],
)
def test_one_time_password_holder_with_a_token_must_change_password_first(
    api_as, error_of, make_user, method, path
):
    person = make_user("otto.onetime", one_time=True, role="admin")
    api = api_as(person, "admin")
    before = token_count()
    response = api.call(method, path, json={} if method == "POST" else None)
    assert response.status_code == 403
    assert error_of(response)["code"] == "password_change_required"
    assert token_count() == before


def test_one_time_password_holder_with_a_session_gets_json_not_a_redirect(
    client, auth, error_of, make_user
):
    person = make_user("otto.onetime", one_time=True)
    auth.login("otto.onetime", person.one_time_password)
    response = client.get("/api/v1/me")
    assert response.status_code == 403
    assert error_of(response)["code"] == "password_change_required"
    unknown = client.get("/api/v1/no-such-thing")
    assert unknown.status_code == 404
    assert unknown.is_json


def test_signed_in_page_can_read_with_the_session_cookie(client, auth, member):
    auth.login(member.username)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.get_json()["username"] == member.username


def test_session_change_without_csrf_header_is_refused_and_changes_nothing(
    client, auth, error_of, member
):
    auth.login(member.username)
    before = token_count()
    response = client.post("/api/v1/tokens", json={"name": "from a page"})
    assert response.status_code == 400
    assert error_of(response)["code"] == "csrf_failed"
    wrong = client.post(
        "/api/v1/tokens", json={"name": "from a page"}, headers={"X-CSRFToken": "forged"}
    )
    assert wrong.status_code == 400
    assert token_count() == before


def test_session_change_with_csrf_header_works(client, auth, member):
    auth.login(member.username)
    csrf_token = auth.csrf("/account")
    response = client.post(
        "/api/v1/tokens", json={"name": "from a page"}, headers={"X-CSRFToken": csrf_token}
    )
    assert response.status_code == 201
    assert response.get_json()["name"] == "from a page"


def test_member_session_cannot_use_the_admin_area(client, auth, error_of, member):
    auth.login(member.username)
    response = client.get("/api/v1/admin/users")
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_session_of_a_disabled_person_stops_working(client, auth, admin, member):
    auth.login(member.username)
    assert client.get("/api/v1/me").status_code == 200
    person = db.session.get(User, member.id)
    service.disable_user(person, actor=admin)
    db.session.commit()
    assert client.get("/api/v1/me").status_code == 401
