"""The account page: personal access tokens created, shown once, revoked."""

import hashlib

from sqlalchemy import func, select

from intranet_social.accounts import tokens
from intranet_social.accounts.models import ApiToken
from intranet_social.extensions import db


def _count_tokens() -> int:
    return db.session.scalar(select(func.count()).select_from(ApiToken))


def test_member_creates_a_token_that_is_shown_once_and_stored_hashed(client, auth, member):
    auth.login("ana.member")
    token = auth.csrf("/account")
    response = client.post(
        "/account/tokens",
        data={"csrf_token": token, "name": "Report script", "scope": "read", "expires_days": "30"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    secret = page.split('<code class="secret">', 1)[1].split("</code>", 1)[0]
    assert secret.startswith("isk_")
    row = db.session.scalar(select(ApiToken))
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (row.token_hash, row.prefix)
    again = client.get("/account").get_data(as_text=True)
    assert secret not in again
    assert "Report script" in again
    api = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200
    assert api.json["username"] == "ana.member"


def test_member_cannot_create_an_admin_token(client, auth, member):
    auth.login("ana.member")
    token = auth.csrf("/account")
    response = client.post(
        "/account/tokens", data={"csrf_token": token, "name": "Sneaky", "scope": "admin"}
    )
    assert response.status_code == 422
    assert "Only moderators and admins" in response.get_data(as_text=True)
    assert _count_tokens() == 0


def test_token_without_csrf_is_refused(client, auth, member):
    auth.login("ana.member")
    response = client.post("/account/tokens", data={"name": "No token", "scope": "read"})
    assert response.status_code == 400
    assert _count_tokens() == 0


def test_member_revokes_own_token_but_not_someone_elses(client, auth, member, make_user):
    other = make_user("olga.other")
    theirs = tokens.create_token(other, name="Theirs")
    mine = tokens.create_token(member, name="Mine")
    db.session.commit()
    auth.login("ana.member")
    token = auth.csrf("/account")
    response = client.post(f"/account/tokens/{theirs.token.id}/revoke", data={"csrf_token": token})
    assert response.status_code == 404
    assert db.session.get(ApiToken, theirs.token.id).revoked_at is None
    response = client.post(f"/account/tokens/{mine.token.id}/revoke", data={"csrf_token": token})
    assert response.status_code == 302
    assert db.session.get(ApiToken, mine.token.id).revoked_at is not None
    api = client.get("/api/v1/me", headers={"Authorization": f"Bearer {mine.secret}"})
    assert api.status_code == 401
