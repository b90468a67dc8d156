"""The top bar is rendered once per distinct bar and kept: through real HTTP, each person
still gets their own name, links, counts and CSRF token, and a change shows on the next
page."""

from __future__ import annotations

import re

import pytest

from intranet_social.core.topbar import MAX_KEPT_QUERY
from intranet_social.extensions import db
from intranet_social.friends.service import send_friend_request
from intranet_social.profiles.service import update_profile
from intranet_social.site_settings.service import set_setting
from tests.conftest import AuthActions, csrf_from

LOGOUT_TOKEN_RE = re.compile(
    r'<form method="post" action="/logout" class="inline-form">\s*'
    r'<input type="hidden" name="csrf_token" value="([^"]+)">'
)
META_CSRF_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
NAME_RE = re.compile(r'<span class="topbar__name">([^<]*)</span>')
BRAND_RE = re.compile(r'<span class="brand__name">([^<]*)</span>')
SEARCH_BOX_RE = re.compile(r'<input class="topbar-search__input"[^>]* value="([^"]*)">')


def page(client, path: str = "/") -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def signed_in(app, username: str):
    client = app.test_client()
    assert AuthActions(client).login(username).status_code == 302
    return client


def test_two_people_on_the_same_page_each_get_their_own_name_and_csrf_token(app, make_user):
    make_user("ann.one", name="Ann One")
    make_user("bob.two", name="Bob Two")
    ann, bob = signed_in(app, "ann.one"), signed_in(app, "bob.two")
    first_ann, first_bob = page(ann), page(bob)
    again_ann = page(ann)
    assert NAME_RE.findall(first_ann) == NAME_RE.findall(again_ann) == ["Ann One"]
    assert NAME_RE.findall(first_bob) == ["Bob Two"]
    ann_token = LOGOUT_TOKEN_RE.search(again_ann).group(1)
    bob_token = LOGOUT_TOKEN_RE.search(first_bob).group(1)
    assert ann_token != bob_token
    # the bar's token is the session's own: it is the page's, and it signs Ann out
    assert ann_token == META_CSRF_RE.search(again_ann).group(1)
    assert ann.post("/logout", data={"csrf_token": ann_token}).status_code == 302
    assert ann.get("/").status_code == 302, "Ann is signed out"
    assert page(bob).count("Bob Two") >= 1, "Bob is not"


def test_a_token_from_another_persons_bar_does_not_sign_anyone_out(app, make_user):
    make_user("ann.one")
    make_user("bob.two")
    ann, bob = signed_in(app, "ann.one"), signed_in(app, "bob.two")
    bob_token = LOGOUT_TOKEN_RE.search(page(bob)).group(1)
    page(ann)
    assert ann.post("/logout", data={"csrf_token": bob_token}).status_code == 400
    assert ann.get("/").status_code == 200, "Ann is still signed in"


def test_a_new_name_shows_in_the_bar_on_the_next_page(app, make_user):
    person = make_user("ann.one", name="Ann One")
    client = signed_in(app, "ann.one")
    assert NAME_RE.findall(page(client)) == ["Ann One"]
    update_profile(person, {"name": "Ann Newname"})
    db.session.commit()
    assert NAME_RE.findall(page(client)) == ["Ann Newname"]


def test_a_renamed_site_shows_in_the_bar_at_once(app, member):
    client = signed_in(app, "ana.member")
    before = BRAND_RE.findall(page(client))
    set_setting("site_name", "Acme People")
    db.session.commit()
    assert before != ["Acme People"]
    assert BRAND_RE.findall(page(client)) == ["Acme People"]


def test_a_new_notification_counts_in_the_bar_on_the_next_page(app, member, make_user):
    other = make_user("bob.two")
    client = signed_in(app, "ana.member")
    assert "nav__count" not in page(client)
    send_friend_request(other, "ana.member")
    db.session.commit()
    assert '<span class="nav__count">1<span class="visually-hidden"> new</span>' in page(client)


def test_only_moderators_see_the_admin_link(app, member, moderator):
    assert 'href="/admin"' not in page(signed_in(app, "ana.member"))
    assert 'href="/admin"' in page(signed_in(app, "mo.moderator"))


def test_the_search_box_holds_the_query_on_the_search_page_only(app, member):
    client = signed_in(app, "ana.member")
    assert SEARCH_BOX_RE.findall(page(client, "/search?q=budget")) == ["budget"]
    assert SEARCH_BOX_RE.findall(page(client, "/")) == [""]


def test_a_script_in_the_query_is_shown_as_text_in_the_search_box(app, member):
    client = signed_in(app, "ana.member")
    html = page(client, "/search?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in html
    assert SEARCH_BOX_RE.findall(html) == ["&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"]


@pytest.mark.parametrize("extra", [1, 500])
def test_a_long_query_is_shown_whole_but_not_kept(app, member, extra):
    client = signed_in(app, "ana.member")
    query = "x" * (MAX_KEPT_QUERY + extra)
    kept = len(app.extensions["topbar"]) if "topbar" in app.extensions else 0
    assert SEARCH_BOX_RE.findall(page(client, f"/search?q={query}")) == [query]
    assert len(app.extensions["topbar"]) == kept


def test_signed_out_pages_show_log_in_and_set_no_cookie_for_the_bar(app, client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<a class="nav__link" href="/login">Log in</a>' in html
    assert '<nav class="nav"' not in html
    assert not response.headers.getlist("Set-Cookie")


def test_a_one_time_password_holder_gets_the_bar_without_navigation(app, client, make_user):
    person = make_user("olga", one_time=True)
    AuthActions(client).login("olga", person.one_time_password)
    html = page(client, "/account/password")
    assert '<nav class="nav"' not in html
    assert "topbar-search" not in html
    token = LOGOUT_TOKEN_RE.search(html).group(1)
    assert token == csrf_from(html)
