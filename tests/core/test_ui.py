"""The page frame through real HTTP: assets under hashed URLs, styled error pages, form errors,
the page scripts' CSRF token, navigation and landmarks."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from flask import render_template_string

from intranet_social.accounts import tokens
from intranet_social.extensions import db
from tests.conftest import STRONG_PASSWORD, csrf_from

STYLESHEET_RE = re.compile(r'<link rel="stylesheet" href="(/static/css/site\.css\?v=([0-9a-f]+))">')
SCRIPT_RE = re.compile(r'<script src="(/static/js/site\.js\?v=([0-9a-f]+))" defer></script>')
ICON_RE = re.compile(r'<link rel="icon" href="(/static/img/favicon\.svg\?v=([0-9a-f]+))"')
META_CSRF_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
ONE_YEAR = "public, max-age=31536000, immutable"


@pytest.fixture
def site_settings():
    return {"security": {"registration": "open"}}


def page(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)


def assert_styled_error_page(html: str, code: int, title: str) -> None:
    assert STYLESHEET_RE.search(html), "the error page uses the site's stylesheet"
    assert 'class="card card--narrow error-page"' in html
    assert f'<p class="error-page__code">{code}</p>' in html
    assert f'<h1 id="error-title">{title}</h1>' in html
    assert "Traceback" not in html and "werkzeug" not in html.lower()


def test_login_page_loads_stylesheet_script_and_icon_under_content_hashed_urls(app, client):
    html = page(client, "/login")
    static = Path(app.static_folder)
    for pattern, name in (
        (STYLESHEET_RE, "css/site.css"),
        (SCRIPT_RE, "js/site.js"),
        (ICON_RE, "img/favicon.svg"),
    ):
        match = pattern.search(html)
        assert match, f"no hashed link to {name}"
        expected = hashlib.sha256((static / name).read_bytes()).hexdigest()[:12]
        assert match.group(2) == expected, f"{name} hash does not follow its content"


def test_hashed_static_file_is_cached_by_browsers_for_a_year(app, client):
    html = page(client, "/login")
    with client.get(STYLESHEET_RE.search(html).group(1)) as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"
        assert response.headers["Cache-Control"] == ONE_YEAR
        assert response.data == (Path(app.static_folder) / "css" / "site.css").read_bytes()
    with client.get(SCRIPT_RE.search(html).group(1)) as script:
        assert script.headers["Cache-Control"] == ONE_YEAR
        assert "javascript" in script.mimetype


def test_static_file_without_hash_is_cached_only_briefly(client):
    with client.get("/static/css/site.css") as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=300"


def test_stranger_gets_the_styled_not_found_page_for_an_unknown_address(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert_styled_error_page(response.get_data(as_text=True), 404, "Not found")


def test_missing_static_file_is_a_plain_not_found(client):
    assert client.get("/static/css/missing.css").status_code == 404


def test_wrong_method_gets_the_styled_405_page_naming_the_allowed_method(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert_styled_error_page(response.get_data(as_text=True), 405, "Method not allowed")


def test_form_sent_without_csrf_token_gets_the_styled_400_page(client):
    response = client.post("/login", data={"username": "ana", "password": "x"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert_styled_error_page(html, 400, "Bad request")
    assert "The form expired" in html


def test_too_large_request_gets_the_styled_413_page_naming_the_limit(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    response = client.post("/login", data={"username": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert_styled_error_page(html, 413, "Too large")
    assert "(1 MB)" in html


def test_unexpected_error_shows_the_styled_500_page_without_details(app, client, caplog):
    def broken_page() -> str:
        raise RuntimeError("database password is hunter2")

    app.add_url_rule("/broken", "broken_page", broken_page)
    response = client.get("/broken")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert_styled_error_page(html, 500, "Something went wrong")
    assert "hunter2" not in html and "RuntimeError" not in html
    assert "database password is hunter2" in caplog.text, "the details go to the log"


def test_empty_login_shows_each_error_beside_its_field(client, auth):
    response = client.post(
        "/login", data={"username": "", "password": "", "csrf_token": auth.csrf("/login")}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    fields = {
        re.search(r'<input[^>]*\bid="([^"]+)"', block).group(1): block
        for block in re.findall(r'<div class="field field--error">(.*?)</div>', html, re.DOTALL)
    }
    assert set(fields) == {"username", "password"}
    for name, message in (
        ("username", "Enter your username or e-mail address."),
        ("password", "Enter your password."),
    ):
        block = fields[name]
        assert f'aria-describedby="{name}-error"' in block
        assert 'aria-invalid="true"' in block
        assert f'<p class="field__error" id="{name}-error">{message}</p>' in block
        assert f'<label class="field__label" for="{name}">' in block


def test_field_hint_is_linked_to_its_input(client):
    html = page(client, "/register")
    assert 'aria-describedby="password-hint"' in html
    assert '<p class="field__hint" id="password-hint">' in html


def test_signed_in_pages_carry_the_csrf_token_page_scripts_send_to_the_api(client, auth, member):
    assert not META_CSRF_RE.search(page(client, "/login")), "strangers get no token to use"
    auth.login("ana.member")
    token = META_CSRF_RE.search(page(client, "/")).group(1)

    response = client.post("/api/v1/tokens", json={"name": "page script"})
    assert response.status_code == 400, "the session alone must not be enough to write"
    assert response.json["error"]["code"]
    assert tokens.list_tokens(member) == []

    response = client.post(
        "/api/v1/tokens", json={"name": "page script"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201
    db.session.expire_all()
    assert [t.name for t in tokens.list_tokens(member)] == ["page script"]


def test_navigation_marks_the_current_page_only(client, auth, member):
    auth.login("ana.member")
    html = page(client, "/account")
    current = re.findall(r'<a class="nav__link" href="([^"]+)"[^>]* aria-current="page">', html)
    assert current == ["/account"]
    assert '<nav class="nav" aria-label="Main">' in html


def test_signing_out_everywhere_asks_first(client, auth, member):
    auth.login("ana.member")
    html = page(client, "/account")
    assert re.search(
        r'<form method="post" action="/account/sessions/end-all" class="inline-form"'
        r' data-confirm="[^"]+">',
        html,
    )


def test_holder_of_a_one_time_password_sees_no_navigation_until_choosing_one(
    client, auth, make_user
):
    person = make_user("olga", one_time=True)
    auth.login("olga", person.one_time_password)
    html = page(client, "/account/password")
    assert '<nav class="nav"' not in html
    assert "Log out" in html, "signing out stays possible"


@pytest.mark.parametrize(
    ("path", "signed_in", "status"),
    [
        ("/login", False, 200),
        ("/register", False, 200),
        ("/no/such/page", False, 404),
        ("/", True, 200),
        ("/account", True, 200),
        ("/account/password", True, 200),
        ("/no/such/page", True, 404),
    ],
)
def test_every_page_has_landmarks_a_skip_link_and_one_heading(
    client, auth, member, path, signed_in, status
):
    if signed_in:
        auth.login("ana.member")
    html = page(client, path, status)
    assert '<html lang="en">' in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    for landmark in ("<header", "<footer"):
        assert html.count(landmark) == 1, landmark
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert (META_CSRF_RE.search(html) is not None) == signed_in


def test_flash_message_is_shown_once_in_the_page_frame(client, auth, member):
    auth.login("ana.member")
    response = client.post("/logout", data={"csrf_token": csrf_from(page(client, "/account"))})
    assert response.status_code == 302
    html = page(client, "/login")
    assert '<p class="flash flash--info">You are signed out.</p>' in html
    assert "You are signed out." not in page(client, "/login")


def test_user_menu_shows_initials_and_name(client, auth, make_user):
    make_user("jo.smith", name="Jo van Smith")
    auth.login("jo.smith", STRONG_PASSWORD)
    html = page(client, "/")
    assert '<span class="avatar" aria-hidden="true">JV</span>' in html
    assert '<span class="topbar__name">Jo van Smith</span>' in html


@pytest.mark.parametrize(("count", "shown"), [(0, None), (3, "3"), (99, "99"), (250, "99+")])
def test_nav_link_shows_an_unread_count_badge(app, count, shown):
    template = (
        '{% from "_macros.html" import nav_link %}'
        "{{ nav_link('accounts.account', 'Account', 'user', count=count) }}"
    )
    with app.test_request_context("/"):
        html = render_template_string(template, count=count)
    if shown is None:
        assert "nav__count" not in html
    else:
        assert f'<span class="nav__count">{shown}<span class="visually-hidden"> new</span>' in html
