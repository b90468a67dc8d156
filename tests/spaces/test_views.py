"""The space pages: the directory with its search and form, a space's page with its feed,
composer, about and members, and the buttons, each through the service's rules."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet_social.extensions import db
from intranet_social.posts.models import Post
from intranet_social.site_settings.service import set_setting
from intranet_social.spaces import service
from tests.spaces.helpers import snapshot


@pytest.fixture
def club(author):
    space = service.create_space(author, "Book Club", visibility="closed", description="We read")
    db.session.commit()
    return space


def test_the_directory_lists_my_spaces_first_with_member_counts_and_searches(
    browser, author, friend, club
):
    service.create_space(friend, "Alpine Walks", visibility="open")
    service.create_space(friend, "Hidden Den", visibility="secret")
    db.session.commit()
    page = browser(author).get("/spaces").get_data(as_text=True)
    assert page.index("Book Club") < page.index("Alpine Walks")
    assert "Hidden Den" not in page and "1 member" in page
    found = browser(author).get("/spaces?q=alpine").get_data(as_text=True)
    assert "Alpine Walks" in found and "Book Club" not in found


def test_creating_a_space_from_the_form_leads_to_its_page(browser, author):
    page = browser(author)
    answer = page.post(
        "/spaces", {"name": "Climbing", "slug": "", "visibility": "open", "description": ""}
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/s/climbing")
    shown = page.get("/s/climbing").get_data(as_text=True)
    assert "Climbing" in shown and "Write in Climbing" in shown


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "Club", "slug": "Book Club"}, "lower-case letters"),
        ({"name": "Book Club", "slug": ""}, "is taken"),
        ({"name": "", "slug": ""}, "Give the space a name"),
    ],
)
def test_a_bad_space_form_names_the_problem_and_changes_nothing(
    browser, author, club, fields, message
):
    before = snapshot()
    answer = browser(author).post("/spaces", {"visibility": "open", "description": "", **fields})
    assert answer.status_code in (409, 422)
    assert message in answer.get_data(as_text=True)
    assert snapshot() == before


def test_the_form_is_refused_when_only_admins_create_spaces(browser, author):
    set_setting("space_creation", "admins")
    db.session.commit()
    page = browser(author)
    assert "Create a space" not in page.get("/spaces").get_data(as_text=True)
    answer = page.post(
        "/spaces", {"name": "Mine", "slug": "", "visibility": "open", "description": ""}
    )
    assert answer.status_code == 403 and snapshot()[0] == []


def test_a_closed_space_lets_outsiders_ask_and_owners_let_them_in(browser, author, stranger, club):
    outsider = browser(stranger)
    page = outsider.get("/s/book-club").get_data(as_text=True)
    assert "Only members read" in page and "Ask to join" in page
    outsider.post("/s/book-club/join")
    owner = browser(author)
    assert "Asking to join" in owner.get("/s/book-club").get_data(as_text=True)
    owner.post(f"/s/book-club/requests/{stranger.username}/approve")
    assert "Write in Book Club" in outsider.get("/s/book-club").get_data(as_text=True)


def test_a_post_from_the_space_composer_shows_in_the_space_on_its_card(browser, author, club):
    page = browser(author)
    answer = page.post(
        "/posts", {"body": "first chapter", "space": "book-club", "next": "/s/book-club"}
    )
    assert answer.status_code == 302
    shown = page.get("/s/book-club").get_data(as_text=True)
    assert "first chapter" in shown and 'class="post__space"' in shown


def test_owners_add_and_remove_members_and_the_last_owner_stays(browser, author, friend, club):
    owner = browser(author)
    owner.post("/s/book-club/members", {"username": friend.username, "role": "moderator"})
    assert service.get_space(friend, "book-club").my_role == "moderator"
    owner.post(f"/s/book-club/members/{friend.username}/remove")
    assert service.get_space(friend, "book-club").my_role is None
    before = snapshot()
    answer = owner.post(f"/s/book-club/members/{author.username}/role", {"role": "member"})
    assert answer.status_code == 302
    assert "at least one owner" in owner.get("/s/book-club").get_data(as_text=True)
    assert snapshot() == before
    answer = owner.post("/s/book-club/members", {"username": "nobody", "role": "member"})
    assert "no one called" in owner.get("/s/book-club").get_data(as_text=True)
    assert snapshot() == before


def test_owners_change_settings_and_delete_the_space(browser, author, friend, club):
    owner = browser(author)
    assert browser(friend).get("/s/book-club/settings").status_code == 403
    answer = owner.post(
        "/s/book-club/settings", {"name": "Book Club", "visibility": "secret", "description": ""}
    )
    assert answer.status_code == 302
    assert browser(friend).get("/s/book-club").status_code == 404
    owner.post("/s/book-club/delete")
    assert owner.get("/s/book-club").status_code == 404


def test_a_space_post_is_edited_without_leaving_its_space(browser, author, club):
    page = browser(author)
    page.post("/posts", {"body": "draft", "space": "book-club", "next": "/s/book-club"})
    post_id = newest_post_id()
    form = page.get(f"/posts/{post_id}/edit").get_data(as_text=True)
    assert 'name="audience"' not in form
    assert page.post(f"/posts/{post_id}/edit", {"body": "final"}).status_code == 302
    assert "final" in page.get("/s/book-club").get_data(as_text=True)


def newest_post_id() -> int:
    return db.session.scalars(select(Post.id).order_by(Post.id.desc())).first()
