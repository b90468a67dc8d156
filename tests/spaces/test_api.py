"""The spaces API: the contract's shapes, the rules of the service, bad input changing
nothing."""

from __future__ import annotations

import pytest

from intranet_social.extensions import db
from intranet_social.site_settings.service import set_setting
from tests.spaces.helpers import audit_actions, snapshot

SPACE_KEYS = {
    "slug",
    "name",
    "visibility",
    "description",
    "member_count",
    "my_role",
    "requested",
    "muted",
    "department",
    "avatar_url",
    "cover_url",
}


@pytest.fixture
def owner_api(api, author):
    return api(author)


def test_create_read_change_and_delete_a_space(owner_api, author):
    made = owner_api.post("/spaces", json={"name": "Team News", "visibility": "closed"})
    assert made.status_code == 201, made.get_json()
    space = made.get_json()
    assert set(space) == SPACE_KEYS
    assert (space["slug"], space["member_count"], space["my_role"]) == ("team-news", 1, "owner")
    changed = owner_api.patch("/spaces/team-news", json={"visibility": "secret"}).get_json()
    assert changed["visibility"] == "secret"
    assert [item["slug"] for item in owner_api.get("/spaces").get_json()["items"]] == ["team-news"]
    assert owner_api.delete("/spaces/team-news").status_code == 204
    assert owner_api.get("/spaces/team-news").status_code == 404
    assert audit_actions() == ["space.create", "space.visibility", "space.delete"]


def test_members_join_leave_and_are_managed(owner_api, api, author, friend, stranger):
    owner_api.post("/spaces", json={"name": "Club", "slug": "club", "visibility": "closed"})
    joined = api(stranger).post("/spaces/club/join").get_json()
    assert joined["status"] == "requested" and joined["space"]["requested"]
    assert [r["username"] for r in owner_api.get("/spaces/club/requests").get_json()["items"]] == [
        stranger.username
    ]
    added = owner_api.post(
        "/spaces/club/members", json={"username": friend.username, "role": "moderator"}
    )
    assert added.status_code == 201 and added.get_json()["role"] == "moderator"
    members = owner_api.get("/spaces/club/members").get_json()["items"]
    assert [(m["username"], m["role"]) for m in members] == [
        (author.username, "owner"),
        (friend.username, "moderator"),
    ]
    assert api(friend).post("/spaces/club/leave").status_code == 200
    assert owner_api.delete(f"/spaces/club/members/{author.username}").status_code == 409


def test_a_post_in_a_space_carries_the_space_and_its_members_read_it(owner_api, api, friend):
    owner_api.post("/spaces", json={"name": "Club", "slug": "club", "visibility": "closed"})
    post = owner_api.post(
        "/posts", json={"body": "hello club", "audience": "space", "space": "club"}
    )
    assert post.status_code == 201, post.get_json()
    assert post.get_json()["space"] == "club" and post.get_json()["audience"] == "space"
    assert owner_api.get("/spaces/club/posts").get_json()["items"][0]["body"] == "hello club"
    friend_api = api(friend)
    assert friend_api.get("/spaces/club/posts").status_code == 403
    assert friend_api.get(f"/posts/{post.get_json()['id']}").status_code == 404
    wall = owner_api.post("/posts", json={"body": "on my wall"}).get_json()
    assert wall["space"] is None


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": "Bad", "slug": "has spaces"}, 422, "slug"),
        ({"name": "Bad", "slug": "Capitals"}, 422, "slug"),
        ({"name": "Taken", "slug": "club"}, 409, "slug"),
        ({"name": "Bad", "visibility": "public"}, 422, "visibility"),
        ({"slug": "no-name"}, 422, "name"),
    ],
)
def test_bad_new_spaces_are_refused_and_nothing_changes(owner_api, body, status, field):
    owner_api.post("/spaces", json={"name": "Club", "slug": "club"})
    before = snapshot()
    answer = owner_api.post("/spaces", json=body)
    assert answer.status_code == status
    assert answer.get_json()["error"]["field"] == field
    assert snapshot() == before


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("post", "/spaces/club/members", {"username": "nobody"}, 404),
        ("post", "/spaces/nowhere/members", {"username": "ben"}, 404),
        ("post", "/spaces/club/members", {"username": "ana", "role": "member"}, 409),
        ("delete", "/spaces/club/members/ana", None, 409),
        ("post", "/spaces/club/leave", None, 409),
        ("post", "/posts", {"body": "x", "audience": "space", "space": "nowhere"}, 404),
        ("post", "/posts", {"body": "x", "audience": "space"}, 422),
        ("post", "/posts", {"body": "x", "audience": "friends", "space": "club"}, 422),
    ],
)
def test_bad_member_changes_are_refused_and_nothing_changes(
    owner_api, friend, method, path, body, status
):
    owner_api.post("/spaces", json={"name": "Club", "slug": "club"})
    db.session.commit()
    before = snapshot()
    answer = (
        getattr(owner_api, method)(path, json=body) if body else getattr(owner_api, method)(path)
    )
    assert answer.status_code == status, answer.get_json()
    assert snapshot() == before


def test_no_one_but_admins_creates_spaces_when_the_setting_says_so(owner_api):
    set_setting("space_creation", "admins")
    db.session.commit()
    assert owner_api.post("/spaces", json={"name": "Club"}).status_code == 403
    assert snapshot()[0] == []


def test_outsiders_do_not_find_a_secret_space(owner_api, api, stranger):
    owner_api.post("/spaces", json={"name": "Hush", "visibility": "secret"})
    outsider = api(stranger)
    for path in ("/spaces/hush", "/spaces/hush/members", "/spaces/hush/posts"):
        assert outsider.get(path).status_code == 404, path
    assert outsider.post("/spaces/hush/join").status_code == 404
    assert outsider.get("/spaces").get_json()["items"] == []
