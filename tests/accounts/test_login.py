"""Signing in and out: one-time passwords, forced change, lock-out, rate limits, sessions."""

from sqlalchemy import func, select

from intranet_social.accounts import service
from intranet_social.accounts.models import User, UserSession
from intranet_social.audit.models import AuditEvent
from intranet_social.extensions import db
from tests.conftest import STRONG_PASSWORD, csrf_from


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_member_logs_in_with_username_or_email(client, auth, member):
    response = auth.login("ana.member")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    auth.logout()
    response = auth.login("ANA.MEMBER@corp.example")
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_beside_the_field(client, auth, member):
    response = auth.login("ana.member", "wrong-password-123")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Wrong username or password." in page
    assert 'id="password-error"' in page
    assert client.get("/").status_code == 302


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(auth, member):
    response = auth.login("nobody", "wrong-password-123")
    assert response.status_code == 422
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_admin_password_is_refused_for_every_account(auth, admin):
    for guess in ("password", "admin", "123456"):
        assert auth.login("ada.admin", guess).status_code == 422
        assert auth.login("admin", guess).status_code in (422, 429)


def test_one_time_password_holder_is_forced_to_change_it(client, auth, make_user):
    user = make_user("bob.new", one_time=True)
    response = auth.login("bob.new", user.one_time_password)
    assert response.headers["Location"] == "/account/password"
    for path in ("/", "/account", "/does-not-exist"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/account/password"
    page = client.get("/account/password").get_data(as_text=True)
    assert "one-time password" in page
    token = csrf_from(page)
    response = client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": user.one_time_password,
            "new_password": "password1234",
            "new_password_confirm": "password1234",
        },
    )
    assert response.status_code == 422
    assert "commonly used" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.must_change_password
    response = client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": user.one_time_password,
            "new_password": "quiet-meadow-copper-77",
            "new_password_confirm": "quiet-meadow-copper-77",
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert not user.must_change_password
    assert client.get("/").status_code == 200
    auth.logout()
    assert auth.login("bob.new", user.one_time_password).status_code == 422
    assert auth.login("bob.new", "quiet-meadow-copper-77").status_code == 302


def test_logout_is_a_post_and_ends_the_session(client, auth, member):
    auth.login("ana.member")
    assert _count(UserSession) == 1
    assert client.get("/logout").status_code == 405
    response = auth.logout()
    assert response.headers["Location"] == "/login"
    assert _count(UserSession) == 0
    assert client.get("/").status_code == 302


def test_login_starts_a_fresh_session(app, client, auth, member):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login("ana.member")
    with client.session_transaction() as session:
        assert "planted" not in session
        first_key = session["sid"]
    auth.logout()
    auth.login("ana.member")
    with client.session_transaction() as session:
        assert session["sid"] != first_key


def test_five_wrong_passwords_lock_the_account_with_an_audit_event(client, auth, member):
    for _ in range(service.LOCKOUT_THRESHOLD):
        assert auth.login("ana.member", "wrong-password-123").status_code == 422
    response = auth.login("ana.member")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "login.lockout" in actions
    assert actions.count("login.failure") == service.LOCKOUT_THRESHOLD


def test_admin_reset_lifts_a_lock_out(client, auth, member):
    for _ in range(service.LOCKOUT_THRESHOLD):
        auth.login("ana.member", "wrong-password-123")
    one_time = service.reset_password(db.session.get(User, member.id), actor_name="test")
    db.session.commit()
    assert auth.login("ana.member", one_time).status_code == 302


def test_a_burst_of_bad_logins_from_one_address_gets_429(client, auth, make_user):
    for index in range(3):
        make_user(f"burst{index}")
    statuses = []
    for attempt in range(25):
        statuses.append(auth.login(f"burst{attempt % 3}", "wrong-password-123").status_code)
    assert 429 in statuses
    limited = auth.login("burst0", "wrong-password-123")
    assert limited.status_code == 429
    assert "Retry-After" in limited.headers


def test_per_account_limit_holds_across_addresses(client, auth, member):
    statuses = []
    for attempt in range(12):
        response = auth.login(
            "ana.member",
            "wrong-password-123",
            environ_base={"REMOTE_ADDR": f"10.0.0.{attempt + 1}"},
        )
        statuses.append(response.status_code)
    assert statuses[-1] == 429


def test_disabled_account_cannot_log_in_and_open_sessions_end_at_once(app, client, auth, member):
    auth.login("ana.member")
    assert client.get("/").status_code == 200
    other = app.test_client()
    service.disable_user(db.session.get(User, member.id), actor_name="test")
    db.session.commit()
    assert client.get("/").status_code == 302
    response = auth.login("ana.member")
    assert response.status_code == 422
    assert "disabled" in response.get_data(as_text=True)
    assert other.get("/").status_code == 302


def test_pending_account_cannot_log_in(auth, make_user):
    make_user("pat.pending", status="pending")
    response = auth.login("pat.pending")
    assert response.status_code == 422
    assert "approval" in response.get_data(as_text=True)


def test_password_reset_ends_every_session(app, client, auth, member):
    auth.login("ana.member")
    service.reset_password(db.session.get(User, member.id), actor_name="test")
    db.session.commit()
    assert client.get("/").status_code == 302


def test_log_out_everywhere_ends_all_sessions(app, client, auth, member):
    second = app.test_client()
    auth.login("ana.member")
    from tests.conftest import AuthActions

    AuthActions(second).login("ana.member")
    assert _count(UserSession) == 2
    token = auth.csrf("/account")
    response = client.post("/account/sessions/end-all", data={"csrf_token": token})
    assert response.headers["Location"] == "/login"
    assert _count(UserSession) == 0
    assert second.get("/").status_code == 302


def test_member_can_end_another_of_their_sessions_but_not_someone_elses(
    app, client, auth, member, make_user
):
    from tests.conftest import AuthActions

    other_browser = app.test_client()
    AuthActions(other_browser).login("ana.member")
    stranger = make_user("sam.stranger")
    stranger_browser = app.test_client()
    AuthActions(stranger_browser).login("sam.stranger")
    auth.login("ana.member")
    sessions = {s.user_id: s for s in db.session.scalars(select(UserSession))}
    stranger_session = sessions[stranger.id]
    token = auth.csrf("/account")
    response = client.post(
        f"/account/sessions/{stranger_session.id}/end", data={"csrf_token": token}
    )
    assert response.status_code == 404
    assert stranger_browser.get("/").status_code == 200
    mine = db.session.scalars(
        select(UserSession).where(UserSession.user_id == member.id).order_by(UserSession.id)
    ).first()
    response = client.post(f"/account/sessions/{mine.id}/end", data={"csrf_token": token})
    assert response.status_code == 302
    assert other_browser.get("/").status_code == 302
    assert client.get("/").status_code == 200


def test_change_password_checks_the_current_one(client, auth, member):
    auth.login("ana.member")
    token = auth.csrf("/account/password")
    response = client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": "not-my-password-1",
            "new_password": "quiet-meadow-copper-77",
            "new_password_confirm": "quiet-meadow-copper-77",
        },
    )
    assert response.status_code == 422
    assert "current password is not right" in response.get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": STRONG_PASSWORD,
            "new_password": "quiet-meadow-copper-77",
            "new_password_confirm": "quiet-meadow-copper-78",
        },
    )
    assert response.status_code == 422
    assert "differ" in response.get_data(as_text=True)
    db.session.refresh(member)
    from intranet_social.accounts.passwords import verify_password

    assert verify_password(member.password_hash, STRONG_PASSWORD)


def _session_cookie_sent(response) -> bool:
    return any(
        header.startswith("intranet_social_session=")
        for header in response.headers.getlist("Set-Cookie")
    )


def test_the_session_cookie_is_sent_again_every_few_minutes_not_on_every_request(
    client, auth, member, monkeypatch
):
    from intranet_social.accounts import auth as signed_in

    auth.login("ana.member")
    client.get("/")
    assert not _session_cookie_sent(client.get("/"))
    assert not _session_cookie_sent(client.get("/api/v1/notifications"))
    # the next period starts: the cookie comes again, with its expiry moved on
    monkeypatch.setattr(signed_in, "COOKIE_REFRESH_SECONDS", signed_in.COOKIE_REFRESH_SECONDS - 1)
    answer = client.get("/")
    assert answer.status_code == 200 and _session_cookie_sent(answer)
    cookie = next(h for h in answer.headers.getlist("Set-Cookie") if "intranet_social_session" in h)
    assert "Expires=" in cookie
    assert not _session_cookie_sent(client.get("/"))
