"""``/me`` and personal access tokens through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from intranet_social.accounts.models import ApiToken
from intranet_social.audit.models import AuditEvent
from intranet_social.core.models import utcnow
from intranet_social.extensions import db


def token_rows() -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.id)))


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_person_reads_their_own_account(api_as, documented, member):
    response = api_as(member, "read").get("/me")
    assert response.status_code == 200
    me = response.get_json()
    assert me["username"] == "ana.member"
    assert me["name"] == "Ana Member"
    assert me["department"] == "Finance"
    assert me["role"] == "member"
    assert me["status"] == "active"
    assert "password_hash" not in me
    documented(response, "GET", "/me")


def test_new_token_secret_is_shown_once_and_only_its_hash_is_stored(api_as, documented, member):
    api = api_as(member, "write")
    response = api.post("/tokens", json={"name": "backup script", "scope": "read"})
    assert response.status_code == 201
    documented(response, "POST", "/tokens")
    created = response.get_json()
    secret = created["token"]
    assert created["name"] == "backup script"
    assert created["scope"] == "read"
    assert created["expires_at"] is None
    assert secret.startswith(created["prefix"])

    row = db.session.get(ApiToken, created["id"])
    stored = [str(getattr(row, column.key)) for column in ApiToken.__table__.columns]
    assert not any(secret in value for value in stored)
    assert row.token_hash != secret

    listed = api.get("/tokens")
    documented(listed, "GET", "/tokens")
    items = listed.get_json()["items"]
    assert [item["name"] for item in items] == ["backup script", "API token"]
    assert all("token" not in item for item in items)
    assert listed.get_json()["next_cursor"] is None

    reader = api_as(None)
    reader.authorization = f"Bearer {secret}"
    assert reader.get("/me").get_json()["username"] == member.username


def test_new_token_may_expire(api_as, member):
    response = api_as(member).post("/tokens", json={"expires_days": 7})
    assert response.status_code == 201
    row = db.session.get(ApiToken, response.get_json()["id"])
    assert abs(row.expires_at - (utcnow() + timedelta(days=7))) < timedelta(minutes=1)


def test_token_creation_and_revocation_are_audited(api_as, member):
    api = api_as(member)
    token_id = api.post("/tokens", json={"name": "audited"}).get_json()["id"]
    api.delete(f"/tokens/{token_id}")
    assert audit_actions()[-3:] == ["token.create", "token.create", "token.revoke"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": 5}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "nul\x00byte"}, "name"),
        ({"scope": "root"}, "scope"),
        ({"scope": ["read"]}, "scope"),
        ({"expires_days": 0}, "expires_days"),
        ({"expires_days": 3651}, "expires_days"),
        ({"expires_days": "7"}, "expires_days"),
        ({"expires_days": True}, "expires_days"),
        ({"expires_days": 1.5}, "expires_days"),
        ({"expires_days": 10**30}, "expires_days"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_token_request_names_the_field_and_creates_nothing(
    api_as, error_of, member, body, field
):
    api = api_as(member)
    before = len(token_rows())
    response = api.post("/tokens", json=body)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["field"] == field
    assert len(token_rows()) == before


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
        ('"a string"', "application/json"),
        ("", "application/json"),
        ('{"name": "x"}', "text/plain"),
        ("[" * 100_000, "application/json"),
    ],
)
def test_malformed_body_answers_422_naming_the_body(api_as, error_of, member, data, content_type):
    api = api_as(member)
    before = len(token_rows())
    response = api.post("/tokens", data=data, content_type=content_type)
    assert response.status_code == 422
    assert error_of(response)["field"] == "body"
    assert len(token_rows()) == before


def test_person_revokes_own_token_and_it_stops_working(api_as, error_of, member):
    api = api_as(member)
    spare = api.post("/tokens", json={"name": "spare"}).get_json()
    response = api.delete(f"/tokens/{spare['id']}")
    assert response.status_code == 204
    assert response.get_data() == b""
    assert [item["name"] for item in api.get("/tokens").get_json()["items"]] == ["API token"]
    again = api.delete(f"/tokens/{spare['id']}")
    assert again.status_code == 404
    assert error_of(again)["code"] == "not_found"
    spare_api = api_as(None)
    spare_api.authorization = f"Bearer {spare['token']}"
    assert spare_api.get("/me").status_code == 401


def test_person_cannot_revoke_someone_elses_token(api_as, make_user, member):
    other = make_user("olga.other")
    other_api = api_as(other)
    other_id = other_api.get("/tokens").get_json()["items"][0]["id"]
    response = api_as(member).delete(f"/tokens/{other_id}")
    assert response.status_code == 404
    assert other_api.get("/me").status_code == 200
    assert db.session.get(ApiToken, other_id).revoked_at is None


@pytest.mark.parametrize("token_id", ["0", "-1", "abc", str(2**63), "9" * 40])
def test_revoking_an_impossible_token_id_answers_404(api_as, member, token_id):
    api = api_as(member)
    response = api.delete(f"/tokens/{token_id}")
    assert response.status_code == 404
    assert response.is_json
    assert all(row.revoked_at is None for row in token_rows())
