"""Search finds spaces by the words of their name and description, and posts in spaces by the
audience rule: open and closed spaces for everyone, a secret one never outside it (not by
its name, its description or a post's text), a closed space's posts only for its members,
an open space's for everyone, and nothing of a secret space once one has left it. The whole
module runs on PostgreSQL too (the suite's PostgreSQL run)."""

from __future__ import annotations

import pytest

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.posts import service as posts
from intranet_social.search.service import find_posts, find_spaces
from intranet_social.spaces import service as spaces

pytestmark = pytest.mark.usefixtures("in_request")


@pytest.fixture
def places(friend: User, make_user) -> dict[str, str]:
    """An open, a closed and a secret space of Fay's, each with a post of hers; Sam searches
    from outside them all."""
    made = {}
    for visibility, name, about in (
        ("open", "Pelican Walks", "weekend hikes by the lagoon"),
        ("closed", "Heron Board", "quarterly budgets"),
        ("secret", "Osprey Merger", "the acquisition nobody knows about"),
    ):
        space = spaces.create_space(friend, name, visibility=visibility, description=about)
        posts.create_post(
            friend, f"{visibility}word update from the team", audience="space", space=space.slug
        )
        made[visibility] = space.slug
    db.session.commit()
    return made


def slugs(viewer: User, q: str) -> list[str]:
    return [view.slug for view in find_spaces(viewer, q).spaces]


def bodies(viewer: User, q: str) -> list[str]:
    return [card.body for card in find_posts(viewer, q).items]


def test_a_secret_space_is_never_found_by_someone_outside_it(searcher, friend, places):
    for q in ("osprey", "merger", "acquisition", "nobody knows", "osprey merger"):
        assert slugs(searcher, q) == [], q
        assert slugs(friend, q) == ["osprey-merger"], q
    assert bodies(searcher, "secretword") == []
    assert bodies(friend, "secretword") == ["secretword update from the team"]


def test_open_and_closed_spaces_are_found_by_name_and_description_by_everyone(searcher, places):
    assert slugs(searcher, "pelican") == ["pelican-walks"]
    assert slugs(searcher, "LAGOON hikes") == ["pelican-walks"]
    assert slugs(searcher, "heron") == ["heron-board"]
    assert slugs(searcher, "budgets") == ["heron-board"]
    assert slugs(searcher, "lagoon budgets") == []


def test_a_closed_spaces_posts_are_found_by_its_members_only(searcher, friend, places):
    assert bodies(searcher, "closedword") == []
    assert bodies(friend, "closedword") == ["closedword update from the team"]
    spaces.add_member(friend, places["closed"], searcher.username)
    db.session.commit()
    assert bodies(searcher, "closedword") == ["closedword update from the team"]


def test_an_open_spaces_posts_are_found_by_everyone(searcher, stranger, places):
    for viewer in (searcher, stranger):
        assert bodies(viewer, "openword") == ["openword update from the team"]


def test_after_leaving_a_secret_space_neither_it_nor_its_posts_are_found(searcher, friend, places):
    spaces.add_member(friend, places["secret"], searcher.username)
    db.session.commit()
    assert slugs(searcher, "osprey") == ["osprey-merger"]
    assert bodies(searcher, "secretword") == ["secretword update from the team"]
    spaces.leave(searcher, places["secret"])
    db.session.commit()
    assert slugs(searcher, "osprey") == []
    assert bodies(searcher, "secretword") == []


def test_a_space_made_secret_leaves_the_results_of_those_outside(searcher, friend, places):
    assert slugs(searcher, "pelican") == ["pelican-walks"]
    spaces.update_space(friend, places["open"], visibility="secret")
    db.session.commit()
    assert slugs(searcher, "pelican") == [] and bodies(searcher, "openword") == []


def test_the_search_page_shows_spaces_with_links_and_member_counts(browser, searcher, places):
    page = browser(searcher).get("/search?q=heron").get_data(as_text=True)
    assert '<h2 id="spaces-title">Spaces</h2>' in page
    assert 'href="/s/heron-board"' in page and "1 member" in page
    only = browser(searcher).get("/search?q=pelican&type=spaces").get_data(as_text=True)
    assert 'href="/s/pelican-walks"' in only and 'id="people-title"' not in only
    assert 'id="posts-title"' not in only


def test_the_search_page_never_shows_a_secret_space_or_its_post_outside_it(
    browser, searcher, places
):
    for q in ("osprey", "acquisition", "secretword"):
        page = browser(searcher).get(f"/search?q={q}").get_data(as_text=True)
        assert "osprey-merger" not in page and "Osprey" not in page.replace(f"“{q}”", "")
        assert "secretword update" not in page


def test_the_search_page_pages_spaces_with_a_more_link(browser, searcher, friend):
    for number in range(7):
        spaces.create_space(friend, f"Kite Club {number}", visibility="open")
    db.session.commit()
    page = browser(searcher).get("/search?q=kite").get_data(as_text=True)
    assert page.count('href="/s/kite-club-') == 5
    assert "/search?q=kite&amp;type=spaces" in page
    first = browser(searcher).get("/search?q=kite&type=spaces").get_data(as_text=True)
    assert first.count('href="/s/kite-club-') == 7


def test_a_space_name_with_markup_is_shown_as_text(browser, searcher, friend):
    spaces.create_space(friend, "<script>alert(1)</script> Gulls", slug="gulls")
    db.session.commit()
    page = browser(searcher).get("/search?q=gulls").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Gulls" in page
    assert "<script>alert(1)" not in page


def test_the_api_finds_spaces_as_space_objects(api, searcher, friend, places):
    client = api(searcher, "read")
    body = client.get("/search", query_string={"type": "spaces", "q": "heron"}).get_json()
    assert [item["slug"] for item in body["items"]] == ["heron-board"]
    item = body["items"][0]
    assert (item["member_count"], item["my_role"], item["visibility"]) == (1, None, "closed")
    assert body["next_cursor"] is None
    for q in ("osprey", "acquisition"):
        found = client.get("/search", query_string={"type": "spaces", "q": q}).get_json()
        assert found["items"] == []
    found = client.get("/search", query_string={"type": "posts", "q": "secretword"}).get_json()
    assert found["items"] == []
    mine = api(friend, "read").get("/search", query_string={"type": "spaces", "q": "osprey"})
    assert [item["slug"] for item in mine.get_json()["items"]] == ["osprey-merger"]


def test_the_api_pages_spaces_by_cursor(api, searcher, friend):
    for number in range(3):
        spaces.create_space(friend, f"Kite Club {number}", visibility="open")
    db.session.commit()
    client = api(searcher, "read")
    first = client.get("/search", query_string={"type": "spaces", "q": "kite", "limit": 2})
    body = first.get_json()
    assert [item["slug"] for item in body["items"]] == ["kite-club-0", "kite-club-1"]
    rest = client.get(
        "/search",
        query_string={"type": "spaces", "q": "kite", "limit": 2, "cursor": body["next_cursor"]},
    ).get_json()
    assert [item["slug"] for item in rest["items"]] == ["kite-club-2"]
    assert rest["next_cursor"] is None


@pytest.mark.parametrize("q", ["%", "_", "%25", "' OR 1=1 --", "\\", ""])
def test_wildcards_and_quotes_find_no_space(api, searcher, places, q):
    answer = api(searcher, "read").get("/search", query_string={"type": "spaces", "q": q})
    assert answer.status_code == 200
    assert answer.get_json()["items"] == []


def test_an_unknown_search_type_names_the_choices(api, searcher):
    answer = api(searcher, "read").get("/search", query_string={"type": "rooms", "q": "x"})
    assert answer.status_code == 422
    assert "type=spaces" in answer.get_json()["error"]["message"]
