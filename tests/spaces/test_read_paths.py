"""Who sees a space's posts, on every read path: for each visibility and each standing
(owner, moderator, member, someone outside, a friend of the author outside), and after
leaving, removal, a space made secret or deleted. Whoever may not see the post is told it
does not exist."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from intranet_social.extensions import db
from intranet_social.posts import service as posts
from intranet_social.posts.models import PostMedia
from intranet_social.spaces import service
from tests.posts.helpers import befriend, photo

WORD = "okapispacepost"
#: in the post too, but never in a query: a page that echoes the search shows only WORD
MARK = "zebrafinchmark"
STANDINGS = ("owner", "moderator", "member", "outsider", "author's friend")
VISIBILITIES = ("open", "closed", "secret")


@dataclass
class Setting:
    people: dict[str, Any]
    slug: str
    post: int
    media: int


@pytest.fixture
def setting(request, make_user) -> Setting:
    visibility = request.param
    people = {
        standing: make_user(standing.replace("'s ", "-").replace(" ", "-"))
        for standing in STANDINGS
    }
    owner = people["owner"]
    space = service.create_space(owner, "Okapi Team", visibility=visibility)
    service.add_member(owner, space.slug, people["moderator"].username, "moderator")
    service.add_member(owner, space.slug, people["member"].username)
    befriend(people["member"], people["author's friend"])
    post = posts.create_post(
        people["member"], f"{WORD} {MARK}", audience="space", space=space.slug, images=[photo()]
    )
    db.session.commit()
    media = db.session.scalars(select(PostMedia.id).where(PostMedia.post_id == post.id)).one()
    return Setting(people, space.slug, post.id, media)


def may_see(visibility: str, standing: str) -> bool:
    return standing in ("owner", "moderator", "member") or visibility == "open"


def read_paths(setting: Setting, browser, api, person) -> dict[str, tuple[int, bool]]:
    """Each read path: its status and whether the post shows there."""
    page, client = browser(person), api(person, scope="read")
    answers = {
        "space page": page.get(f"/s/{setting.slug}"),
        "post page": page.get(f"/posts/{setting.post}"),
        "search": page.get(f"/search?q={WORD}"),
        "author's profile": page.get("/u/member"),
        "photo": page.get(f"/posts/media/{setting.media}/full"),
        "api space posts": client.get(f"/spaces/{setting.slug}/posts"),
        "api post": client.get(f"/posts/{setting.post}"),
        "api search": client.get("/search", query_string={"q": WORD, "type": "posts"}),
        "api wall": client.get("/users/member/posts"),
    }
    found = {}
    for name, answer in answers.items():
        body = answer.get_data()
        answer.close()
        shown = MARK.encode() in body or (name == "photo" and answer.status_code == 200)
        found[name] = (answer.status_code, shown)
    return found


def assert_reads(setting: Setting, browser, api, standing: str, allowed: bool, secret: bool):
    found = read_paths(setting, browser, api, setting.people[standing])
    for name, (status, shown) in found.items():
        where = f"{standing}: {name} answered {status}"
        assert shown is allowed, where
        if name in ("post page", "photo", "api post"):
            assert status == (200 if allowed else 404), where
        if name in ("space page", "api space posts") and secret and not allowed:
            assert status == 404, where
        assert status < 500, where


@pytest.mark.parametrize(
    ("setting", "standing"),
    list(itertools.product(VISIBILITIES, STANDINGS)),
    indirect=["setting"],
)
def test_a_space_post_shows_on_every_read_path_to_whom_the_space_lets_see_it(
    setting, standing, browser, api
):
    visibility = service.get_space(None, setting.slug).visibility
    allowed = may_see(visibility, standing)
    assert_reads(setting, browser, api, standing, allowed, visibility == "secret")


@pytest.mark.parametrize("setting", ["closed", "secret"], indirect=True)
@pytest.mark.parametrize("how", ["leaves", "is removed"])
def test_leaving_or_removal_hides_the_spaces_posts_at_once(setting, how, browser, api):
    moderator = setting.people["moderator"]
    if how == "leaves":
        service.leave(moderator, setting.slug)
    else:
        service.remove_member(setting.people["owner"], setting.slug, moderator.username)
    db.session.commit()
    secret = service.get_space(None, setting.slug).visibility == "secret"
    assert_reads(setting, browser, api, "moderator", False, secret)


@pytest.mark.parametrize("setting", ["open"], indirect=True)
def test_a_space_made_secret_hides_its_posts_from_outsiders_at_once(setting, browser, api):
    service.update_space(setting.people["owner"], setting.slug, visibility="secret")
    db.session.commit()
    assert_reads(setting, browser, api, "outsider", False, True)
    assert_reads(setting, browser, api, "member", True, True)


@pytest.mark.parametrize("setting", ["open"], indirect=True)
def test_a_deleted_space_takes_its_posts_and_files_with_it(setting, browser, api):
    service.delete_space(setting.people["owner"], setting.slug)
    db.session.commit()
    for standing in ("owner", "member", "outsider"):
        assert_reads(setting, browser, api, standing, False, True)


@pytest.mark.parametrize("setting", VISIBILITIES, indirect=True)
def test_members_find_the_spaces_posts_in_their_home_feed(setting, browser, api):
    visibility = service.get_space(None, setting.slug).visibility
    for standing in STANDINGS:
        person = setting.people[standing]
        # a space's posts reach the home feeds of its members only: friendship opens a
        # friend's wall posts, not their space posts (an open space's posts are read on its
        # page, by anyone)
        expected = standing in ("owner", "moderator", "member")
        assert visibility in VISIBILITIES
        page = browser(person).get("/").get_data(as_text=True)
        feed = api(person, scope="read").get("/feed").get_data(as_text=True)
        assert (MARK in page) is expected, standing
        assert (MARK in feed) is expected, standing
