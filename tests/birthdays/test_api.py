"""``GET /birthdays`` and ``POST /users/{username}/greet``, checked against the document."""

from __future__ import annotations

import pytest
from werkzeug.test import TestResponse

from intranet_social.accounts.models import Status
from tests.api.conftest import DOCUMENT
from tests.birthdays.conftest import post_count, posts_on_wall


def documented(response: TestResponse, method: str, path: str) -> None:
    DOCUMENT[path][method].validate_response(response)


def error(response: TestResponse) -> dict[str, str]:
    return response.get_json()["error"]


@pytest.fixture
def friend(person, viewer):  # type: ignore[no-untyped-def]
    return person("ben", "1987-03-14", friend_of=viewer, name="Ben Friend")


@pytest.fixture
def stranger(person):  # type: ignore[no-untyped-def]
    return person("cyd", "03-16", name="Cyd Stranger")


# ---------------------------------------------------------------- the list


def test_birthdays_list_friends_in_the_next_30_days(api, viewer, friend, stranger, person):
    person("later", "04-12", friend_of=viewer)
    person("toolate", "04-13", friend_of=viewer)
    answer = api(viewer, "read").get("/birthdays")
    assert answer.status_code == 200
    documented(answer, "GET", "/birthdays")
    body = answer.get_json()
    assert body["next_cursor"] is None
    assert [(i["user"]["username"], i["date"], i["is_today"]) for i in body["items"]] == [
        ("ben", "03-14", True),
        ("later", "04-12", False),
    ]
    assert body["items"][0]["user"]["name"] == "Ben Friend"
    assert body["items"][0]["user"]["is_friend"] is True
    assert body["items"][0]["can_greet"] is True
    assert "1987" not in answer.get_data(as_text=True)


def test_everyone_lists_colleagues_with_who_may_be_greeted(api, viewer, friend, stranger):
    answer = api(viewer, "read").get("/birthdays?who=everyone&days=3")
    documented(answer, "GET", "/birthdays")
    items = answer.get_json()["items"]
    assert [(i["user"]["username"], i["days_until"], i["can_greet"]) for i in items] == [
        ("ben", 0, True),
        ("cyd", 2, False),
    ]


def test_days_narrows_the_window(api, viewer, friend, stranger, person):
    person("pal", "03-16", friend_of=viewer)
    items = api(viewer, "read").get("/birthdays?days=2").get_json()["items"]
    assert [i["user"]["username"] for i in items] == ["ben"]


@pytest.mark.parametrize("days", ["0", "61", "-1", "abc", "1.5", "9" * 5000, "%EF%BC%91"])
def test_days_outside_1_to_60_is_refused(api, viewer, days):
    answer = api(viewer, "read").get(f"/birthdays?days={days}")
    assert answer.status_code == 422
    documented(answer, "GET", "/birthdays")
    assert error(answer)["field"] == "days"
    assert "1 to 60" in error(answer)["message"]


@pytest.mark.parametrize("who", ["managers", "%00"])
def test_an_unknown_list_is_refused(api, viewer, who):
    answer = api(viewer, "read").get(f"/birthdays?who={who}")
    assert answer.status_code == 422
    assert error(answer)["field"] == "who"


def test_the_list_needs_credentials(client):
    assert client.get("/api/v1/birthdays").status_code == 401


# ---------------------------------------------------------------- greeting


def test_friend_greets_with_the_default_text_when_the_body_is_absent(api, viewer, friend):
    answer = api(viewer).post("/users/ben/greet")
    assert answer.status_code == 201
    documented(answer, "POST", "/users/{username}/greet")
    post = answer.get_json()
    assert (post["wall"], post["body"], post["audience"]) == (
        "ben",
        "Happy birthday, Ben!",
        "friends",
    )
    assert post["author"]["username"] == "vera"
    assert [p.id for p in posts_on_wall(friend)] == [post["id"]]


def test_friend_greets_with_their_own_words(api, viewer, friend):
    answer = api(viewer).post("/users/BEN/greet", json={"body": "<b>Cake</b> time"})
    assert answer.status_code == 201
    post = answer.get_json()
    assert post["body"] == "<b>Cake</b> time"
    assert "<b>" not in post["html"]


def test_stranger_cannot_greet_a_non_friend(api, viewer, stranger):
    answer = api(viewer).post("/users/cyd/greet", json={"body": "Hi"})
    assert answer.status_code == 403
    documented(answer, "POST", "/users/{username}/greet")
    assert "once you are friends" in error(answer)["message"]
    assert post_count() == 0


@pytest.mark.parametrize("username", ["nobody", "gone"])
def test_greeting_an_unknown_or_disabled_person_is_not_found(api, viewer, person, username):
    person("gone", "03-14", friend_of=viewer, status=Status.DISABLED)
    answer = api(viewer).post(f"/users/{username}/greet", json={})
    assert answer.status_code == 404
    documented(answer, "POST", "/users/{username}/greet")
    assert post_count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": 5}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"text": "Hi"}, "text"),
        (["Hi"], "body"),
    ],
)
def test_a_bad_greeting_body_is_refused(api, viewer, friend, body, field):
    answer = api(viewer).post("/users/ben/greet", json=body)
    assert answer.status_code == 422
    documented(answer, "POST", "/users/{username}/greet")
    assert error(answer)["field"] == field
    assert post_count() == 0


def test_nobody_can_greet_themselves(api, viewer):
    answer = api(viewer).post("/users/vera/greet")
    assert answer.status_code == 422
    assert error(answer)["field"] == "username"
    assert post_count() == 0


def test_a_read_only_token_cannot_greet(api, viewer, friend):
    answer = api(viewer, "read").post("/users/ben/greet")
    assert answer.status_code == 403
    assert post_count() == 0


def test_a_greeting_is_hidden_from_people_who_are_friends_of_neither(api, viewer, friend, stranger):
    post = api(viewer).post("/users/ben/greet").get_json()
    assert api(friend, "read").get(f"/posts/{post['id']}").status_code == 200
    hidden = api(stranger, "read").get(f"/posts/{post['id']}")
    assert hidden.status_code == 404
    wall = api(stranger, "read").get("/users/ben/posts").get_json()
    assert wall["items"] == []
