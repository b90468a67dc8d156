"""The search page and the top bar's search box."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.posts import service as posts
from tests.conftest import csrf_from
from tests.posts.helpers import Browser


def write(author: User, body: str, audience: str = "everyone") -> int:
    post = posts.create_post(author, body, audience=audience)
    db.session.commit()
    return post.id


def test_the_top_bar_has_a_labelled_search_box(browser, searcher):
    page = browser(searcher).get("/").get_data(as_text=True)

    assert 'role="search"' in page
    assert '<label class="visually-hidden" for="topbar-search-q">' in page
    assert 'action="/search"' in page


def test_someone_signed_out_is_sent_to_log_in(client):
    answer = client.get("/search?q=anna")

    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def test_member_finds_people_and_posts_on_one_page(browser, searcher, stranger, make_user):
    make_user("asmith", name="Anna Smith", department="Finance")
    write(stranger, "Finance review on Monday")

    page = browser(searcher).get("/search?q=fin").get_data(as_text=True)

    assert "Anna Smith" in page
    page = browser(searcher).get("/search?q=finance").get_data(as_text=True)
    assert "Anna Smith" in page and "Finance review on Monday" in page


def test_stranger_never_sees_a_friends_only_post_in_results(browser, searcher, stranger, friend):
    write(stranger, "confidential salary numbers", "friends")
    write(friend, "salary day is friday", "friends")

    page = browser(searcher).get("/search?q=salary&type=posts").get_data(as_text=True)

    assert "salary day is friday" in page
    assert "confidential" not in page


def test_people_only_pages_on_with_a_more_link(browser, searcher, make_user):
    for number in range(22):
        make_user(f"quin{number:02}", name=f"Quin Person{number:02}")
    reader: Browser = browser(searcher)

    first = reader.get("/search?q=quin&type=people").get_data(as_text=True)
    second = reader.get("/search?q=quin&type=people&after=quin19").get_data(as_text=True)

    assert "Quin Person19" in first and "Quin Person20" not in first
    assert "after=quin19" in first
    assert "Quin Person20" in second and "Quin Person19" not in second
    assert "More people" not in second


def test_posts_page_on_and_the_script_gets_only_the_posts(browser, searcher):
    for number in range(21):
        write(searcher, f"weekly note {number}")
    reader: Browser = browser(searcher)

    first = reader.get("/search?q=weekly&type=posts").get_data(as_text=True)
    assert "weekly note 20" in first and "weekly note 0<" not in first
    more = first.split("data-load-more")[0].rsplit('href="', 1)[1].split('"')[0]
    partial = reader.get(more.replace("&amp;", "&") + "&partial=1").get_data(as_text=True)

    assert "weekly note 0" in partial
    assert "<html" not in partial


@pytest.mark.parametrize("query", ['"', "AND", "*", "OR", "%00", "NEAR(", "a:b", "%22%22%22"])
def test_fts_syntax_in_the_box_never_breaks_the_page(browser, searcher, query):
    write(searcher, "and or near")

    answer = browser(searcher).get(f"/search?q={query}")

    assert answer.status_code == 200


def test_an_empty_search_explains_what_to_type(browser, searcher):
    page = browser(searcher).get("/search?q=").get_data(as_text=True)

    assert "Type a name" in page


@pytest.mark.parametrize(
    "args", ["cursor=nonsense", "cursor=" + quote("eyJ4IjoxfQ"), "after=" + "x" * 65]
)
def test_a_bad_page_link_gets_a_clear_answer(browser, searcher, args):
    answer = browser(searcher).get(f"/search?q=anything&{args}")

    assert answer.status_code == 422
    assert "not valid" in answer.get_data(as_text=True)


def test_someone_with_a_one_time_password_gets_no_search_box(app, make_user: Callable[..., User]):
    user = make_user("new.hire", one_time=True)
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    client.post(
        "/login",
        data={"username": user.username, "password": user.one_time_password, "csrf_token": token},
    )

    page = client.get("/account/password").get_data(as_text=True)

    assert 'role="search"' not in page
