"""``GET /api/v1/search``: people or posts, in the list format, only what the caller may see."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.posts import service as posts
from intranet_social.posts.models import Post


def write(author: User, body: str, audience: str = "everyone") -> int:
    post = posts.create_post(author, body, audience=audience)
    db.session.commit()
    return post.id


def test_caller_finds_people_by_prefix_as_person_objects(api, searcher, make_user):
    make_user("asmith", name="Anna Smith", department="Finance", title="Accountant")

    answer = api(searcher, "read").get("/search?type=people&q=ann")

    assert answer.status_code == 200
    body = answer.get_json()
    assert [person["username"] for person in body["items"]] == ["asmith"]
    assert body["items"][0]["department"] == "Finance"
    assert body["next_cursor"] is None


def test_caller_finds_posts_but_never_a_strangers_friends_only_post(
    api, searcher, stranger, friend
):
    write(stranger, "hidden offsite plans", "friends")
    shown = write(friend, "offsite plans for friends", "friends")

    body = api(searcher, "read").get("/search?type=posts&q=offsite").get_json()

    assert [post["id"] for post in body["items"]] == [shown]
    assert body["items"][0]["author"]["username"] == "fay.friend"


def test_results_come_in_pages_by_cursor(api, searcher, make_user):
    for number in range(3):
        make_user(f"pia{number}", name=f"Pia Page{number}")
        write(searcher, f"paged item {number}")
    client = api(searcher, "read")

    people = client.get("/search?type=people&q=pia&limit=2").get_json()
    more_people = client.get(f"/search?type=people&q=pia&cursor={people['next_cursor']}")
    found = client.get("/search?type=posts&q=paged&limit=2").get_json()
    more_posts = client.get(f"/search?type=posts&q=paged&cursor={found['next_cursor']}")

    assert [p["username"] for p in people["items"]] == ["pia0", "pia1"]
    assert [p["username"] for p in more_people.get_json()["items"]] == ["pia2"]
    assert [p["body"] for p in found["items"]] == ["paged item 2", "paged item 1"]
    assert [p["body"] for p in more_posts.get_json()["items"]] == ["paged item 0"]


@pytest.mark.parametrize("kind", ["", "everything", "PEOPLE"])
def test_a_missing_or_unknown_type_is_refused_naming_the_field(api, searcher, kind):
    answer = api(searcher, "read").get(f"/search?type={kind}&q=x")

    assert answer.status_code == 422
    assert answer.get_json()["error"]["field"] == "type"


@pytest.mark.parametrize(
    "args", ["type=posts&cursor=%22x%22", "type=people&cursor=123", "type=posts&limit=0"]
)
def test_a_bad_cursor_or_limit_is_refused(api, searcher, args):
    answer = api(searcher, "read").get(f"/search?q=x&{args}")

    assert answer.status_code == 422
    assert answer.get_json()["error"]["field"] in ("cursor", "limit")


@pytest.mark.parametrize("query", ["%22", "AND", "*", "%00", "NEAR(", "-x", "%27"])
@pytest.mark.parametrize("kind", ["people", "posts"])
def test_fts_syntax_is_searched_as_text_and_never_fails(api, searcher, query, kind):
    write(searcher, "and near")
    before = db.session.scalar(select(func.count()).select_from(Post))

    answer = api(searcher, "read").get(f"/search?type={kind}&q={query}")

    assert answer.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Post)) == before


def test_someone_without_a_token_is_refused(client):
    assert client.get("/api/v1/search?type=posts&q=x").status_code == 401
