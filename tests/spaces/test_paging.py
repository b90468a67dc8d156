"""More spaces or members than a page holds: the directory, a space's members and their API
lists go page by page, keep the search, and never lose or repeat anyone."""

from __future__ import annotations

import re

import pytest

from intranet_social.extensions import db
from intranet_social.spaces import service
from intranet_social.spaces.models import Space, SpaceMember

NEXT_LINK = re.compile(r'<a class="button" href="([^"]+)" rel="next">')


@pytest.fixture
def many_spaces(author, friend):
    """35 open spaces of ben's (Space 00 .. Space 34), 2 of ana's and one secret one."""
    for number in range(35):
        service.create_space(friend, f"Space {number:02d}", description="a topic")
    service.create_space(author, "Zebra", description="a topic")
    service.create_space(author, "Yak")
    service.create_space(friend, "Hidden", visibility="secret", description="a topic")
    db.session.commit()


@pytest.fixture
def crowded(author, make_user):
    """A space with its owner ana, a moderator and 40 members."""
    space = service.create_space(author, "Crowd", visibility="secret")
    service.add_member(author, "crowd", make_user("mod").username, "moderator")
    for number in range(40):
        person = make_user(f"m{number:02d}")
        db.session.add(SpaceMember(space_id=space.id, user_id=person.id))
    db.session.commit()
    return space


def names_in(html: str) -> list[str]:
    return re.findall(r"<strong>([^<]+)</strong></a>", html)


def test_the_directory_pages_by_thirty_my_spaces_first(browser, author, many_spaces):
    page = browser(author)
    first = page.get("/spaces").get_data(as_text=True)
    shown = names_in(first)
    assert shown[:2] == ["Yak", "Zebra"] and len(shown) == 30 and "Hidden" not in shown
    assert "First page" not in first
    second = page.get(NEXT_LINK.search(first).group(1).replace("&amp;", "&")).get_data(as_text=True)
    rest = names_in(second)
    assert shown + rest == ["Yak", "Zebra"] + [f"Space {n:02d}" for n in range(35)]
    assert "First page" in second and NEXT_LINK.search(second) is None


def test_the_next_page_keeps_the_search(browser, author, many_spaces):
    page = browser(author)
    first = page.get("/spaces?q=topic").get_data(as_text=True)
    link = NEXT_LINK.search(first).group(1).replace("&amp;", "&")
    assert "q=topic" in link
    found = names_in(first) + names_in(page.get(link).get_data(as_text=True))
    assert found == ["Zebra"] + [f"Space {n:02d}" for n in range(35)]


def test_a_bad_cursor_is_refused_clearly(browser, api, author, many_spaces):
    assert browser(author).get("/spaces?cursor=bm90LWEta2V5").status_code == 422
    answer = api(author).get("/spaces?cursor=bm90LWEta2V5")
    assert answer.status_code == 422 and answer.get_json()["error"]["field"] == "cursor"
    assert api(author).get("/spaces/crowd/members?cursor=%%%").status_code in (404, 422)


def test_the_api_pages_spaces_with_a_cursor(api, author, many_spaces):
    client = api(author)
    seen: list[str] = []
    cursor = ""
    while True:
        answer = client.get(f"/spaces?limit=10&cursor={cursor}").get_json()
        seen += [space["name"] for space in answer["items"]]
        cursor = answer["next_cursor"]
        if cursor is None:
            break
    assert seen == ["Yak", "Zebra"] + [f"Space {n:02d}" for n in range(35)]
    assert client.get("/spaces?limit=0").status_code == 422


def test_the_api_pages_members_owners_first(api, author, crowded):
    client = api(author)
    first = client.get("/spaces/crowd/members?limit=20").get_json()
    names = [member["username"] for member in first["items"]]
    assert names[:3] == [author.username, "mod", "m00"] and first["next_cursor"]
    cursor = first["next_cursor"]
    while cursor:
        answer = client.get(f"/spaces/crowd/members?limit=20&cursor={cursor}").get_json()
        names += [member["username"] for member in answer["items"]]
        cursor = answer["next_cursor"]
    assert names == [author.username, "mod"] + [f"m{n:02d}" for n in range(40)]


def test_outsiders_get_no_page_of_a_secret_spaces_members(api, browser, stranger, crowded):
    assert api(stranger).get("/spaces/crowd/members").status_code == 404
    assert browser(stranger).get("/s/crowd/members").status_code == 404


def test_the_space_page_shows_thirty_members_and_links_to_the_rest(browser, author, crowded):
    page = browser(author)
    shown = page.get("/s/crowd").get_data(as_text=True)
    assert "m27" in shown and "m28" not in shown and "All 42 members" in shown
    listed = page.get("/s/crowd/members").get_data(as_text=True)
    assert "m27" in listed and "m28" not in listed and 'name="role"' in listed
    second = page.get(NEXT_LINK.search(listed).group(1).replace("&amp;", "&"))
    rest = second.get_data(as_text=True)
    assert "m28" in rest and "m39" in rest and "m27" not in rest and "First page" in rest


def test_few_members_need_no_paging(browser, author):
    service.create_space(author, "Small")
    db.session.commit()
    shown = browser(author).get("/s/small").get_data(as_text=True)
    assert "All 1 member" not in shown and db.session.query(Space).count() == 1
