"""``/users`` and ``/friends`` in the API: shapes as documented, idempotent, owners checked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet_social.extensions import db
from intranet_social.friends import service
from intranet_social.friends.models import FriendRequest, Friendship


@pytest.fixture
def bob(make_user):
    return make_user(
        "bob.builder",
        name="Bob Builder",
        department="Finance",
        title="Engineer",
        birthday="1990-07-14",
    )


@pytest.fixture
def api(api_as, member):
    return api_as(member)


def friendships() -> int:
    return len(db.session.scalars(select(Friendship)).all())


def request_rows() -> list[tuple[int, int, str]]:
    rows = db.session.execute(
        select(FriendRequest.from_id, FriendRequest.to_id, FriendRequest.status)
    )
    return [tuple(row) for row in rows]


def test_person_shows_profile_fields_but_never_the_birth_year(api, bob, documented):
    response = api.get("/users/Bob.Builder")
    assert response.status_code == 200
    documented(response, "GET", "/users/{username}")
    person = response.get_json()
    assert person["username"] == "bob.builder"
    assert person["birthday"] == "07-14"
    assert "1990" not in response.get_data(as_text=True)
    assert person["is_friend"] is False and person["friend_request"] is None
    assert person["friendship"] == "none"
    assert person["avatar_url"].startswith("/media/avatars/initials/")
    assert {"location", "bio", "joined", "title", "department", "name"} <= person.keys()


@pytest.mark.parametrize("status", ["pending", "disabled"])
def test_people_who_are_not_active_are_not_found(api, make_user, error_of, status):
    make_user("hidden.hal", status=status)
    for path in ("/users/hidden.hal", "/users/nobody.at.all", "/users/hidden.hal/mutual-friends"):
        response = api.get(path)
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    assert "hidden.hal" not in api.get("/users").get_data(as_text=True)


def test_directory_searches_filters_and_pages_by_cursor(api, bob, make_user, documented):
    make_user("carla", name="Carla Cruz", department="Sales")
    make_user("cedric", name="Cedric Cole", department="Sales")
    response = api.get("/users?department=Sales&limit=1")
    documented(response, "GET", "/users")
    first = response.get_json()
    assert [p["username"] for p in first["items"]] == ["carla"]
    second = api.get(f"/users?department=Sales&limit=1&cursor={first['next_cursor']}").get_json()
    assert [p["username"] for p in second["items"]] == ["cedric"]
    assert second["next_cursor"] is None
    found = api.get("/users?q=bob%20engineer").get_json()["items"]
    assert [p["username"] for p in found] == ["bob.builder"]
    assert api.get("/users?q=%25").get_json()["items"] == []
    endless = "%20".join(["bob"] * 5000)
    assert [p["username"] for p in api.get(f"/users?q={endless}").get_json()["items"]] == [
        "bob.builder"
    ]


def test_directory_refuses_a_bad_cursor_or_limit(api, error_of):
    assert error_of(api.get("/users?cursor=!!"))["field"] == "cursor"
    assert error_of(api.get("/users?limit=0"))["field"] == "limit"
    assert error_of(api.get("/users?q=a%00b"))["field"] == "q"


def test_member_sends_a_request_and_it_shows_both_ways(api, api_as, member, bob, documented):
    response = api.post("/friends/requests", json={"username": "bob.builder"})
    assert response.status_code == 200
    documented(response, "POST", "/friends/requests")
    person = response.get_json()
    assert person["friendship"] == "request_sent"
    request = person["friend_request"]
    assert (
        request["from"]["username"] == "ana.member" and request["to"]["username"] == "bob.builder"
    )
    again = api.post("/friends/requests", json={"username": "bob.builder"}).get_json()
    assert again["friend_request"]["id"] == request["id"]
    assert len(request_rows()) == 1
    mine = api.get("/friends/requests")
    documented(mine, "GET", "/friends/requests")
    assert [r["id"] for r in mine.get_json()["outgoing"]] == [request["id"]]
    theirs = api_as(bob).get("/friends/requests").get_json()
    assert theirs["incoming"][0]["from"]["username"] == "ana.member"
    assert set(theirs["incoming"][0]) == {"id", "from", "to", "created_at"}


def test_accept_twice_counts_once_and_lists_the_friend(api, api_as, member, bob, documented):
    service.send_friend_request(bob, "ana.member")
    db.session.commit()
    rid = db.session.scalar(select(FriendRequest.id))
    for _ in range(2):
        response = api.post(f"/friends/requests/{rid}/accept")
        assert response.status_code == 200
        documented(response, "POST", "/friends/requests/{request_id}/accept")
        assert response.get_json()["is_friend"] is True
    assert friendships() == 2
    friends = api.get("/friends")
    documented(friends, "GET", "/friends")
    assert [p["username"] for p in friends.get_json()["items"]] == ["bob.builder"]
    assert api_as(bob).get("/users/ana.member").get_json()["is_friend"] is True


def test_request_to_someone_who_asked_you_makes_you_friends(api, member, bob):
    service.send_friend_request(bob, "ana.member")
    db.session.commit()
    person = api.post("/friends/requests", json={"username": "bob.builder"}).get_json()
    assert person["is_friend"] is True and person["friend_request"] is None
    assert friendships() == 2


def test_accepting_or_cancelling_someone_elses_request_is_not_found(api, bob, make_user, error_of):
    make_user("carla")
    service.send_friend_request(bob, "carla")
    db.session.commit()
    rid = db.session.scalar(select(FriendRequest.id))
    for method, path in (
        ("POST", f"/friends/requests/{rid}/accept"),
        ("POST", f"/friends/requests/{rid}/decline"),
        ("DELETE", f"/friends/requests/{rid}"),
        ("POST", "/friends/requests/999999/accept"),
    ):
        response = api.call(method, path)
        assert response.status_code == 404, path
        assert error_of(response)["code"] == "not_found"
    assert friendships() == 0
    assert [status for *_, status in request_rows()] == ["pending"]


def test_decline_then_accept_is_a_conflict(api, bob, error_of, documented):
    service.send_friend_request(bob, "ana.member")
    db.session.commit()
    rid = db.session.scalar(select(FriendRequest.id))
    response = api.post(f"/friends/requests/{rid}/decline")
    documented(response, "POST", "/friends/requests/{request_id}/decline")
    assert response.get_json()["friendship"] == "none"
    response = api.post(f"/friends/requests/{rid}/accept")
    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
    assert friendships() == 0


def test_cancel_and_unfriend_answer_204_each_time(api, api_as, member, bob, documented):
    api.post("/friends/requests", json={"username": "bob.builder"})
    rid = db.session.scalar(select(FriendRequest.id))
    for _ in range(2):
        response = api.delete(f"/friends/requests/{rid}")
        assert response.status_code == 204
    documented(response, "DELETE", "/friends/requests/{request_id}")
    assert api_as(bob).get("/friends/requests").get_json()["incoming"] == []
    api.post("/friends/requests", json={"username": "bob.builder"})
    api_as(bob).post(f"/friends/requests/{rid}/accept")
    assert friendships() == 2
    for _ in range(2):
        response = api.delete("/friends/bob.builder")
        assert response.status_code == 204
    documented(response, "DELETE", "/friends/{username}")
    assert friendships() == 0


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"username": "ana.member"}, 422, "username"),
        ({"username": "no.such.person"}, 404, "username"),
        ({"username": 42}, 422, "username"),
        ({}, 422, "username"),
        ({"username": "bob.builder", "note": "hi"}, 422, "note"),
    ],
    ids=["self", "unknown", "not-text", "missing", "unknown-field"],
)
def test_bad_friend_request_gets_a_clear_answer_and_changes_nothing(
    api, bob, error_of, body, status, field
):
    response = api.post("/friends/requests", json=body)
    assert response.status_code == status
    assert error_of(response)["field"] == field
    assert request_rows() == []


def test_read_token_cannot_send_requests(api_as, member, bob, error_of):
    response = api_as(member, "read").post("/friends/requests", json={"username": "bob.builder"})
    assert response.status_code == 403
    assert request_rows() == []


def test_session_caller_needs_the_csrf_header(client, auth, member, bob, error_of):
    auth.login("ana.member")
    response = client.post("/api/v1/friends/requests", json={"username": "bob.builder"})
    assert response.status_code == 400
    assert error_of(response)["code"] == "csrf_failed"
    assert request_rows() == []


def test_suggestions_and_mutual_friends(api, member, bob, make_user, documented):
    carla, dora = make_user("carla"), make_user("dora", department="Finance")
    for a, b in ((member, bob), (carla, bob)):
        service.send_friend_request(a, b.username)
        service.send_friend_request(b, a.username)
    db.session.commit()
    response = api.get("/friends/suggestions")
    documented(response, "GET", "/friends/suggestions")
    items = response.get_json()["items"]
    assert [(p["username"], p["mutual_friends"]) for p in items] == [("carla", 1), ("dora", 0)]
    mutual = api.get("/users/carla/mutual-friends")
    documented(mutual, "GET", "/users/{username}/mutual-friends")
    assert [p["username"] for p in mutual.get_json()["items"]] == ["bob.builder"]
    assert dora.username not in mutual.get_data(as_text=True)
