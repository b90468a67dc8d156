"""Self-registration in each mode, and invite links."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from intranet_social.accounts import invites
from intranet_social.accounts.models import Invite, User
from intranet_social.core.models import utcnow
from intranet_social.extensions import db
from tests.conftest import csrf_from


def _count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def _form(**overrides):
    data = {
        "username": "nia.new",
        "email": "nia.new@corp.example",
        "name": "Nia New",
        "password": "amber-willow-signal-31",
        "password_confirm": "amber-willow-signal-31",
    }
    data.update(overrides)
    return data


def _register(client, path="/register", **overrides):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **_form(**overrides)})


@pytest.fixture
def site_settings(request):
    return getattr(request, "param", {})


def test_default_approval_mode_makes_the_account_wait(client, auth):
    response = _register(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    user = db.session.scalar(select(User).where(User.username == "nia.new"))
    assert user.status == "pending"
    assert not user.must_change_password
    login = auth.login("nia.new", "amber-willow-signal-31")
    assert "approval" in login.get_data(as_text=True)


@pytest.mark.parametrize("site_settings", [{"security": {"registration": "open"}}], indirect=True)
def test_open_mode_signs_the_new_person_in(client):
    response = _register(client)
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("site_settings", [{"security": {"registration": "closed"}}], indirect=True)
def test_closed_mode_refuses_everyone(client):
    assert client.get("/register").status_code == 403
    response = _register(client)
    assert response.status_code == 403
    assert _count_users() == 0


@pytest.mark.parametrize(
    "site_settings",
    [{"security": {"registration": "domain", "email_domains": ["corp.example"]}}],
    indirect=True,
)
def test_domain_mode_accepts_only_allowed_domains(client):
    response = _register(client, email="nia@gmail.example")
    assert response.status_code == 422
    assert "organisation&#39;s e-mail address (corp.example)" in response.get_data(as_text=True)
    assert _count_users() == 0
    assert _register(client).headers["Location"] == "/"


@pytest.mark.parametrize("site_settings", [{"security": {"registration": "invite"}}], indirect=True)
def test_invite_mode_needs_a_valid_invite(client, app):
    response = _register(client)
    assert response.status_code == 422
    assert "invite link is not valid" in response.get_data(as_text=True)
    new = invites.create_invite(max_uses=1, actor_name="test")
    db.session.commit()
    response = _register(client, path=f"/register?invite={new.code}")
    assert response.headers["Location"] == "/"
    invite = db.session.get(Invite, new.invite.id)
    assert invite.uses == 1
    second = app.test_client()
    response = _register(
        second,
        path=f"/register?invite={new.code}",
        username="omar.two",
        email="omar.two@corp.example",
    )
    assert response.status_code == 422
    assert _count_users() == 1


@pytest.mark.parametrize("site_settings", [{"security": {"registration": "invite"}}], indirect=True)
def test_expired_or_revoked_invite_is_refused(client):
    expired = invites.create_invite(actor_name="test")
    expired.invite.expires_at = utcnow() - timedelta(minutes=1)
    revoked = invites.create_invite(actor_name="test")
    invites.revoke_invite(revoked.invite.id, actor_name="test")
    db.session.commit()
    for code in (expired.code, revoked.code, "made-up-code"):
        response = _register(client, path=f"/register?invite={code}")
        assert response.status_code == 422
    assert _count_users() == 0


@pytest.mark.parametrize("site_settings", [{"security": {"registration": "invite"}}], indirect=True)
def test_multi_use_invite_counts_its_uses(app):
    new = invites.create_invite(max_uses=2, actor_name="test")
    db.session.commit()
    for index in range(3):
        client = app.test_client()
        response = _register(
            client,
            path=f"/register?invite={new.code}",
            username=f"guest{index}",
            email=f"guest{index}@corp.example",
        )
        assert response.status_code == (302 if index < 2 else 422)
    assert _count_users() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"username": "A"}, "username", "3 to 32"),
        ({"username": "bad name!"}, "username", "3 to 32"),
        ({"email": "not-an-email"}, "email", "valid e-mail"),
        (
            {"password": "password1234", "password_confirm": "password1234"},
            "password",
            "commonly used",
        ),
        ({"password": "short", "password_confirm": "short"}, "password", "10 characters"),
        ({"password": "nia.new", "password_confirm": "nia.new"}, "password", "10 characters"),
        ({"password_confirm": "something-else-99"}, "password_confirm", "differ"),
        ({"name": ""}, "name", "Enter your name"),
    ],
)
def test_bad_registration_shows_the_error_beside_the_field(client, overrides, field, message):
    response = _register(client, **overrides)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message in page
    assert _count_users() == 0


def test_duplicate_username_or_email_is_refused(client, make_user):
    make_user("nia.new", email="someone@corp.example")
    response = _register(client)
    assert response.status_code == 422
    assert "already taken" in response.get_data(as_text=True)
    response = _register(client, username="nia.other", email="someone@corp.example")
    assert "already in use" in response.get_data(as_text=True)
    assert _count_users() == 1


def test_script_in_a_name_is_stored_as_text_and_escaped(client, make_user, auth):
    make_user("eve.x", name="<script>alert(1)</script>")
    auth.login("eve.x")
    page = client.get("/account").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_registration_is_rate_limited_per_address(app):
    statuses = []
    for index in range(12):
        client = app.test_client()
        response = _register(client, username=f"flood{index}", email=f"flood{index}@corp.example")
        statuses.append(response.status_code)
    assert statuses[-1] == 429
    assert _count_users() == 10
