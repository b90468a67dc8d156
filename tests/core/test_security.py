"""The security baseline seen through HTTP: headers, cookies, the Host check, CSRF, safe
redirects after sign-in, styled error pages and long-cached static files."""

from __future__ import annotations

import logging
import re

import pytest
from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from intranet_social import create_app
from intranet_social.accounts import service, tokens
from intranet_social.accounts.models import ApiToken, User, UserSession
from intranet_social.config import load_config
from intranet_social.core.errors import Forbidden
from intranet_social.core.reads import Packed
from intranet_social.extensions import db
from tests.conftest import STRONG_PASSWORD, csrf_from

ALLOWED_SOURCES = {"'self'", "'none'"}
SITE = {"site": {"hostnames": ["social.corp.example"]}}
NEW_PASSWORD = "copper-meadow-thistle-77"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _assert_security_headers(response) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {
        name: sources
        for name, *sources in (part.split() for part in policy.split(";") if part.strip())
    }
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    for name, sources in directives.items():
        assert set(sources) <= ALLOWED_SOURCES, f"{name} allows {sources}"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin")


def _assert_error_page(response, status: int) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert f'<p class="error-page__code">{status}</p>' in page
    assert "Test Social" in page  # the site's own layout, not a bare server page
    assert "Traceback" not in page and 'File "' not in page
    _assert_security_headers(response)
    return page


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if "_session=" in c]
    assert len(cookies) == 1, response.headers.getlist("Set-Cookie")
    return cookies[0]


def _cookie_flags(cookie: str) -> set[str]:
    return {part.strip().lower() for part in cookie.split(";")[1:]}


# --- headers on every response ------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/login", 200),
        ("/register", 200),
        ("/static/css/site.css", 200),
        ("/static/js/site.js", 200),
        ("/api/v1/me", 401),
        ("/api/v1/no-such-thing", 404),
        ("/no-such-page", 404),
        ("/logout", 405),
        ("/healthz", 200),
    ],
)
def test_every_response_carries_the_security_headers(client, path, status):
    with client.get(path) as response:
        assert response.status_code == status
        _assert_security_headers(response)


def test_signed_in_pages_carry_the_headers_and_are_not_cached(client, auth, member):
    auth.login("ana.member")
    for path in ("/", "/account", "/account/password"):
        response = client.get(path)
        assert response.status_code == 200
        _assert_security_headers(response)
        assert response.headers["Cache-Control"] == "no-store"


# --- session cookie -----------------------------------------------------------------------


def test_session_cookie_is_httponly_lax_and_not_secure_over_http(client):
    flags = _cookie_flags(_session_cookie(client.get("/login")))
    assert "httponly" in flags and "samesite=lax" in flags
    assert "secure" not in flags


def test_session_cookie_is_secure_over_https(client, member):
    response = client.get("/login", base_url="https://localhost")
    flags = _cookie_flags(_session_cookie(response))
    assert {"secure", "httponly", "samesite=lax"} <= flags
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    # Signing in over https works (the browser sends its same-origin Referer) and
    # the new session's cookie is Secure too.
    signed_in = client.post(
        "/login",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},
        data={
            "username": "ana.member",
            "password": STRONG_PASSWORD,
            "csrf_token": csrf_from(response.get_data(as_text=True)),
        },
    )
    assert signed_in.status_code == 302
    assert "secure" in _cookie_flags(_session_cookie(signed_in))


def test_http_responses_do_not_send_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


@pytest.mark.parametrize("site_settings", [{"server": {"trusted_proxies": 1}}])
def test_cookie_is_secure_behind_a_trusted_proxy_that_says_https(client):
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "secure" in _cookie_flags(_session_cookie(response))


@pytest.mark.parametrize("site_settings", [{"server": {"trusted_proxies": 0}}])
def test_forwarded_proto_is_ignored_without_a_trusted_proxy(client):
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "secure" not in _cookie_flags(_session_cookie(response))
    assert "Strict-Transport-Security" not in response.headers


# --- Host check ---------------------------------------------------------------------------


@pytest.mark.parametrize("site_settings", [SITE])
@pytest.mark.parametrize("host", ["evil.example", "social.corp.example.evil.example", "127.0.0.1"])
def test_request_for_another_host_gets_the_styled_400_page(client, host):
    response = client.get("/login", base_url=f"http://{host}")
    page = _assert_error_page(response, 400)
    assert "not served under that name" in page
    assert not response.headers.getlist("Set-Cookie")
    with client.get("/static/css/site.css", base_url=f"http://{host}") as static:
        assert static.status_code == 400


@pytest.mark.parametrize("site_settings", [SITE])
@pytest.mark.parametrize(
    "host", ["social.corp.example", "SOCIAL.Corp.Example", "social.corp.example:8443"]
)
def test_configured_host_is_served(client, host):
    assert client.get("/login", base_url=f"http://{host}").status_code == 200


@pytest.mark.parametrize("site_settings", [SITE])
def test_sign_in_under_another_host_is_refused_and_starts_no_session(client, member):
    token = csrf_from(client.get("/login", base_url="http://social.corp.example").text)
    response = client.post(
        "/login",
        base_url="http://evil.example",
        data={"username": "ana.member", "password": STRONG_PASSWORD, "csrf_token": token},
    )
    _assert_error_page(response, 400)
    assert _count(UserSession) == 0


@pytest.mark.parametrize("site_settings", [SITE])
def test_health_check_answers_under_any_host(client):
    response = client.get("/healthz", base_url="http://10.1.2.3:8080")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


@pytest.mark.parametrize("site_settings", [SITE])
def test_forwarded_host_is_ignored_without_a_trusted_proxy(client):
    response = client.get(
        "/login", base_url="http://social.corp.example", headers={"X-Forwarded-Host": "evil"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "site_settings", [{**SITE, "server": {"trusted_proxies": 1}}], ids=["behind-proxy"]
)
def test_forwarded_host_from_a_trusted_proxy_is_checked(client):
    good = {"X-Forwarded-Host": "social.corp.example"}
    assert client.get("/login", base_url="http://127.0.0.1", headers=good).status_code == 200
    evil = {"X-Forwarded-Host": "evil.example"}
    response = client.get("/login", base_url="http://social.corp.example", headers=evil)
    _assert_error_page(response, 400)


def test_without_configured_hostnames_any_host_is_served(client):
    assert client.get("/login", base_url="http://whatever.example").status_code == 200


# --- CSRF ---------------------------------------------------------------------------------


def test_sign_in_without_csrf_token_is_refused(client, member):
    response = client.post("/login", data={"username": "ana.member", "password": STRONG_PASSWORD})
    _assert_error_page(response, 400)
    assert _count(UserSession) == 0
    assert client.get("/").status_code == 302


def test_csrf_token_of_another_browser_is_refused(app, client, member):
    other_token = csrf_from(app.test_client().get("/login").text)
    client.get("/login")
    response = client.post(
        "/login",
        data={"username": "ana.member", "password": STRONG_PASSWORD, "csrf_token": other_token},
    )
    assert response.status_code == 400
    assert _count(UserSession) == 0


def test_logout_without_csrf_token_leaves_the_member_signed_in(client, auth, member):
    auth.login("ana.member")
    response = client.post("/logout")
    _assert_error_page(response, 400)
    assert client.get("/").status_code == 200
    assert _count(UserSession) == 1


@pytest.mark.parametrize("site_settings", [{"security": {"registration": "open"}}])
def test_registration_without_csrf_token_creates_nobody(client):
    response = client.post(
        "/register",
        data={
            "username": "eve",
            "email": "eve@corp.example",
            "name": "Eve",
            "password": STRONG_PASSWORD,
            "password_confirm": STRONG_PASSWORD,
        },
    )
    _assert_error_page(response, 400)
    assert _count(User) == 0


def test_password_change_without_csrf_token_keeps_the_old_password(client, auth, member):
    auth.login("ana.member")
    old_hash = member.password_hash
    response = client.post(
        "/account/password",
        data={
            "current_password": STRONG_PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
        },
    )
    _assert_error_page(response, 400)
    db.session.expire_all()
    assert db.session.get(User, member.id).password_hash == old_hash
    assert service.authenticate("ana.member", STRONG_PASSWORD).id == member.id


def test_token_creation_without_csrf_token_creates_no_token(client, auth, member):
    auth.login("ana.member")
    response = client.post("/account/tokens", data={"name": "laptop", "scope": "read"})
    _assert_error_page(response, 400)
    assert _count(ApiToken) == 0


def test_api_call_with_session_cookie_needs_the_csrf_header(client, auth, member):
    auth.login("ana.member")
    response = client.post("/api/v1/tokens", json={"name": "script"})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "csrf_failed"
    assert _count(ApiToken) == 0
    token = auth.csrf("/account")
    response = client.post(
        "/api/v1/tokens", json={"name": "script"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201
    assert _count(ApiToken) == 1


# --- where sign-in leads ------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/\t/evil.example",
        "evil.example",
    ],
)
def test_sign_in_never_redirects_off_the_site(client, auth, member, target):
    response = auth.login("ana.member", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    # Already signed in, /login?next= goes nowhere else either.
    again = client.get("/login", query_string={"next": target})
    assert again.headers["Location"] == "/"


def test_sign_in_honours_a_path_on_this_site(client, auth, member):
    response = auth.login("ana.member", query_string={"next": "/account"})
    assert response.headers["Location"] == "/account"
    assert client.get("/login?next=/account").headers["Location"] == "/account"


# --- styled error pages, never a traceback ------------------------------------------------


def test_not_found_and_method_not_allowed_pages(client):
    _assert_error_page(client.get("/no-such-page"), 404)
    response = client.get("/logout")
    _assert_error_page(response, 405)
    assert "POST" in response.headers["Allow"]


def test_forbidden_page_from_a_service_refusal(app, client):
    def refuse() -> str:
        raise Forbidden("Only admins can see this.")

    app.add_url_rule("/test-only/forbidden", "test_forbidden", refuse)
    page = _assert_error_page(client.get("/test-only/forbidden"), 403)
    assert "Only admins can see this." in page


def test_rate_limited_sign_in_gets_the_429_page(client):
    token = csrf_from(client.get("/login").text)
    # Empty passwords keep each attempt cheap; the per-address limit counts them all.
    statuses = [
        client.post("/login", data={"username": f"guess{n}", "csrf_token": token}).status_code
        for n in range(20)
    ]
    assert statuses == [422] * 20
    response = client.post("/login", data={"username": "guess", "csrf_token": token})
    page = _assert_error_page(response, 429)
    assert "Wait a moment" in page and "per 1 minute" not in page
    assert int(response.headers["Retry-After"]) > 0


def test_unexpected_error_gets_the_500_page_without_details(app, client, caplog):
    def crash() -> str:
        raise RuntimeError("secret internals: /srv/db password=hunter2")

    app.add_url_rule("/test-only/crash", "test_crash", crash)
    with caplog.at_level(logging.ERROR):
        response = client.get("/test-only/crash")
    page = _assert_error_page(response, 500)
    assert "hunter2" not in page and "RuntimeError" not in page
    assert "secret internals" in caplog.text  # logged for the IT team instead


def test_database_failure_while_signed_in_still_gets_a_500_page(client, auth, member, monkeypatch):
    auth.login("ana.member")

    def fail(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("disk I/O error"))

    # Even the page layout cannot load the signed-in person now: every read fails, through
    # the session and packed straight to the driver alike.
    monkeypatch.setattr(db.session, "execute", fail)
    monkeypatch.setattr(Packed, "rows", fail)
    page = _assert_error_page(client.get("/account"), 500)
    assert "disk I/O error" not in page and "ana.member" not in page


def test_unexpected_api_error_is_json_without_details(app, client, member):
    def crash() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/api/v1/test-only/crash", "test_api_crash", crash)
    response = client.get("/api/v1/test-only/crash")
    assert response.status_code == 500
    assert response.json["error"]["code"] == "server_error"
    assert "secret internals" not in response.text and "Traceback" not in response.text
    _assert_security_headers(response)


@pytest.fixture
def small_upload_app(config_path):
    app = create_app(load_config(config_path), TESTING=True, MAX_CONTENT_LENGTH=4096)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_too_large_request_gets_the_413_page_saying_the_limit(small_upload_app):
    client = small_upload_app.test_client()
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "x" * 10_000, "password": "x", "csrf_token": token}
    )
    page = _assert_error_page(response, 413)
    assert "4 KB" in page
    assert _count(UserSession) == 0


def test_too_large_api_request_is_a_json_413(small_upload_app):
    account = service.create_user("ana.member", "ana@corp.example", "Ana", password=STRONG_PASSWORD)
    secret = tokens.create_token(account.user, scope="write").secret
    db.session.commit()
    response = small_upload_app.test_client().post(
        "/api/v1/tokens",
        json={"name": "x" * 10_000},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"
    assert _count(ApiToken) == 1


# --- static files -------------------------------------------------------------------------


def test_static_file_with_version_is_cached_for_a_year(app, client):
    with app.test_request_context():
        url = url_for("static", filename="css/site.css")
    assert re.search(r"\?v=[0-9a-f]{12}$", url)
    assert url in client.get("/login").text  # pages link the versioned URL
    with client.get(url) as response:
        assert response.status_code == 200
        cache = response.headers["Cache-Control"]
        _assert_security_headers(response)
    assert "immutable" in cache and "max-age=31536000" in cache and "public" in cache


def test_a_nul_character_in_a_page_address_is_not_found(client, auth, member):
    auth.login("ana.member")
    for path in ("/u/ana%00member", "/friends/add/x%00y", "/posts/1%00"):
        response = client.get(path)
        assert response.status_code in (404, 405), path
        assert "Traceback" not in response.get_data(as_text=True)
