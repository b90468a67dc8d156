"""The birthdays page, the feed's "Birthdays today" box and the greeting form."""

from __future__ import annotations

import pytest

from intranet_social.accounts.models import Status
from intranet_social.birthdays import service
from intranet_social.posts.models import Audience
from tests.birthdays.conftest import notices, post_count, posts_on_wall


@pytest.fixture
def friend(person, viewer):  # type: ignore[no-untyped-def]
    """Ben, the viewer's friend, born on this day in 1987."""
    return person("ben", "1987-03-14", friend_of=viewer, name="Ben Friend")


@pytest.fixture
def stranger(person):  # type: ignore[no-untyped-def]
    return person("cyd", "03-14", name="Cyd Stranger")


# ---------------------------------------------------------------- the feed


def test_feed_shows_friends_celebrating_today_with_a_greeting_form(
    browser, viewer, friend, stranger, person
):
    person("later", "03-20", friend_of=viewer, name="Lou Later")
    page = browser(viewer).get("/").get_data(as_text=True)
    assert "Birthdays today" in page
    box = page[page.index("Birthdays today") :]
    assert "Ben Friend" in box
    assert "Happy birthday, Ben!" in box
    assert 'action="/birthdays/greet/ben"' in box
    assert "Cyd Stranger" not in page, "only friends' birthdays are on the feed"
    assert "Lou Later" not in page


def test_feed_has_no_birthday_box_when_no_friend_celebrates(browser, viewer, stranger):
    page = browser(viewer).get("/").get_data(as_text=True)
    assert "Birthdays today" not in page


def test_visiting_the_feed_and_the_birthdays_page_records_no_notices(
    browser, viewer, friend, stranger
):
    reader = browser(viewer)
    assert "Ben Friend" in reader.get("/").get_data(as_text=True)
    assert "Ben Friend" in reader.get("/birthdays").get_data(as_text=True)
    assert notices() == [], "the daily timer's command records them; a page never writes"


def test_the_nav_links_to_the_birthdays_page(browser, viewer):
    page = browser(viewer).get("/").get_data(as_text=True)
    assert 'href="/birthdays"' in page


# ---------------------------------------------------------------- the page


def test_birthdays_page_lists_the_next_30_days_of_friends_by_date(
    browser, viewer, friend, stranger, person
):
    person("later", "03-20", friend_of=viewer, name="Lou Later")
    person("toolate", "04-14", friend_of=viewer, name="Tom Toolate")
    page = browser(viewer).get("/birthdays").get_data(as_text=True)
    assert page.index("Ben Friend") < page.index("Lou Later")
    assert "Today" in page
    assert "Thursday 20 March" in page
    assert "Tom Toolate" not in page
    assert "Cyd Stranger" not in page
    assert 'aria-current="page">Friends' in page


def test_everyone_tab_lists_colleagues_without_a_greeting_form_for_strangers(
    browser, viewer, friend, stranger
):
    page = browser(viewer).get("/birthdays?who=everyone").get_data(as_text=True)
    assert "Cyd Stranger" in page and "Ben Friend" in page
    assert 'action="/birthdays/greet/ben"' in page
    assert 'action="/birthdays/greet/cyd"' not in page
    assert 'aria-current="page">Everyone' in page


def test_an_unknown_tab_shows_friends(browser, viewer, friend, stranger):
    answer = browser(viewer).get("/birthdays?who=%00nope")
    assert answer.status_code == 200
    assert "Cyd Stranger" not in answer.get_data(as_text=True)


def test_upcoming_friends_get_a_folded_greeting_form(browser, viewer, person):
    person("later", "03-20", friend_of=viewer, name="Lou Later")
    page = browser(viewer).get("/birthdays").get_data(as_text=True)
    assert "<details" in page and "Write a greeting now" in page
    assert 'action="/birthdays/greet/later"' in page


def test_signed_out_visitors_are_sent_to_log_in(client):
    answer = client.get("/birthdays")
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def test_the_year_of_birth_is_never_shown(browser, viewer, friend):
    signed_in = browser(viewer)
    for address in ("/", "/birthdays", "/birthdays?who=everyone"):
        page = signed_in.get(address).get_data(as_text=True)
        assert "Ben Friend" in page
        assert "1987" not in page, address


# ---------------------------------------------------------------- greeting


def test_friend_greets_with_the_default_text_and_it_is_on_their_wall(browser, viewer, friend):
    signed_in = browser(viewer)
    answer = signed_in.post(
        "/birthdays/greet/ben", {"body": "Happy birthday, Ben!", "next": "/birthdays"}
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/birthdays"
    (post,) = posts_on_wall(friend)
    assert (post.author_id, post.body, post.audience) == (
        viewer.id,
        "Happy birthday, Ben!",
        Audience.FRIENDS,
    )
    page = signed_in.get("/birthdays").get_data(as_text=True)
    assert "Your greeting is on Ben Friend&#39;s wall." in page
    assert "You wrote on Ben's wall today." in page
    assert 'action="/birthdays/greet/ben"' not in page
    assert "Happy birthday, Ben!" in signed_in.get("/u/ben").get_data(as_text=True)


def test_friend_may_edit_the_greeting_before_sending(browser, viewer, friend):
    browser(viewer).post("/birthdays/greet/ben", {"body": "Many happy returns, Ben"})
    assert [post.body for post in posts_on_wall(friend)] == ["Many happy returns, Ben"]


def test_an_emptied_greeting_sends_the_default_text(browser, viewer, friend):
    browser(viewer).post("/birthdays/greet/ben", {"body": "   "})
    assert [post.body for post in posts_on_wall(friend)] == ["Happy birthday, Ben!"]


def test_greeting_text_is_escaped_on_the_wall(browser, viewer, friend):
    signed_in = browser(viewer)
    signed_in.post("/birthdays/greet/ben", {"body": "<script>alert('hi')</script> cake"})
    wall = signed_in.get("/u/ben").get_data(as_text=True)
    assert "<script>alert" not in wall
    assert "&lt;script&gt;" in wall


def test_stranger_cannot_greet_someone_who_is_not_their_friend(browser, viewer, stranger):
    answer = browser(viewer).post("/birthdays/greet/cyd", {"body": "Happy birthday!"})
    assert answer.status_code == 403
    assert "once you are friends" in answer.get_data(as_text=True)
    assert post_count() == 0


@pytest.mark.parametrize("username", ["nobody", "gone"])
def test_greeting_an_unknown_or_disabled_person_is_not_found(browser, viewer, person, username):
    person("gone", "03-14", friend_of=viewer, status=Status.DISABLED)
    answer = browser(viewer).post(f"/birthdays/greet/{username}", {"body": "Hi"})
    assert answer.status_code == 404
    assert post_count() == 0


def test_greeting_without_the_csrf_token_is_refused(browser, viewer, friend):
    answer = browser(viewer).post("/birthdays/greet/ben", {"body": "Hi", "csrf_token": ""})
    assert answer.status_code == 400
    assert post_count() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [("x" * 5001, "at most 5,000 characters"), ("nul \x00 here", "NUL character")],
)
def test_a_bad_greeting_is_refused_with_a_message(browser, viewer, friend, body, message):
    signed_in = browser(viewer)
    answer = signed_in.post("/birthdays/greet/ben", {"body": body, "next": "/birthdays"})
    assert answer.status_code == 302
    assert message in signed_in.get("/birthdays").get_data(as_text=True)
    assert post_count() == 0


def test_nobody_can_greet_themselves(browser, viewer):
    signed_in = browser(viewer)
    signed_in.post("/birthdays/greet/vera", {"body": "Me!"})
    assert "cannot send yourself" in signed_in.get("/birthdays").get_data(as_text=True)
    assert post_count() == 0


def test_greeting_returns_only_to_pages_of_this_site(browser, viewer, friend):
    answer = browser(viewer).post(
        "/birthdays/greet/ben", {"body": "Hi", "next": "https://elsewhere.example/"}
    )
    assert answer.headers["Location"] == "/"


def test_the_everyone_page_says_when_the_list_was_cut(browser, viewer, person, monkeypatch):
    monkeypatch.setattr(service, "EVERYONE_LIMIT", 1)
    person("amy", "03-15")
    person("bob", "03-16")
    page = browser(viewer).get("/birthdays?who=everyone").get_data(as_text=True)
    assert "These are the nearest 1" in page
    assert "Amy" in page and "Bob" not in page
