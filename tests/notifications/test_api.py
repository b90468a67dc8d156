"""``/api/v1/notifications``: the list, the two unread counts and marking read (own only)."""

from __future__ import annotations

from collections.abc import Callable

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.posts import likes
from intranet_social.posts import service as posts
from tests.notifications.conftest import snapshot
from tests.posts.helpers import Api


def liked_post(ana: User, *likers: User) -> int:
    post = posts.create_post(ana, "Lunch?")
    for liker in likers:
        likes.like_post(liker, post.id)
    db.session.commit()
    return post.id


def test_the_list_shows_one_entry_per_group_with_its_link(
    ana: User, ben: User, dee: User, api: Callable[..., Api]
) -> None:
    post_id = liked_post(ana, ben, dee)
    answer = api(ana).get("/notifications")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["next_cursor"] is None
    [item] = body["items"]
    assert item["kind"] == "post_like"
    assert item["actor"]["username"] == "dee"
    assert item["others"] == 1
    assert item["text"] == "Dee Friend and 1 other liked your post."
    assert item["object_url"] == f"/posts/{post_id}"
    assert item["read"] is False
    assert item["created_at"]


def test_the_list_pages_by_cursor(
    ana: User, make_user: Callable[..., User], api: Callable[..., Api]
) -> None:
    for number in range(3):
        posts.create_post(make_user(f"person{number}"), f"Hi @ana {number}", audience="everyone")
    db.session.commit()
    client = api(ana)
    first = client.get("/notifications?limit=2").get_json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = client.get(f"/notifications?limit=2&cursor={first['next_cursor']}").get_json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    bad = client.get("/notifications?cursor=nonsense")
    assert bad.status_code == 422
    assert bad.get_json()["error"]["field"] == "cursor"


def test_unread_counts_notifications_and_messages_apart(
    ana: User, ben: User, dee: User, api: Callable[..., Api]
) -> None:
    liked_post(ana, ben, dee)
    answer = api(ana).get("/notifications/unread")
    assert answer.get_json() == {"notifications": 1, "messages": 0}


def test_marking_some_then_all_read(ana: User, ben: User, api: Callable[..., Api]) -> None:
    liked_post(ana, ben)
    posts.create_post(ben, "Hi", wall_owner=ana)
    db.session.commit()
    client = api(ana)
    items = client.get("/notifications").get_json()["items"]
    answer = client.post("/notifications/read", json={"ids": [items[0]["id"]]})
    assert answer.status_code == 200
    assert answer.get_json() == {"notifications": 1}
    answer = client.post("/notifications/read", json={"all": True})
    assert answer.get_json() == {"notifications": 0}
    assert all(item["read"] for item in client.get("/notifications").get_json()["items"])


def test_nobody_can_mark_someone_elses_notifications_read(
    ana: User, ben: User, api: Callable[..., Api]
) -> None:
    liked_post(ana, ben)
    posts.create_post(ana, "Hi", wall_owner=ben)
    db.session.commit()
    before = snapshot()
    anas_id = next(id_ for id_, user_id, _kind, _read in before if user_id == ana.id)
    bens_id = next(id_ for id_, user_id, _kind, _read in before if user_id == ben.id)
    answer = api(ben).post("/notifications/read", json={"ids": [bens_id, anas_id]})
    assert answer.status_code == 404
    assert answer.get_json()["error"]["field"] == "ids"
    assert snapshot() == before


def test_bad_read_requests_name_the_field_and_change_nothing(
    ana: User, ben: User, api: Callable[..., Api]
) -> None:
    liked_post(ana, ben)
    before = snapshot()
    client = api(ana)
    for body, field in [
        ({"ids": "1"}, "ids"),
        ({"ids": []}, "ids"),
        ({"ids": [True]}, "ids"),
        ({"ids": list(range(1, 102))}, "ids"),
        ({"all": False}, "body"),
        ({}, "body"),
        ({"ids": [1], "all": True}, "body"),
        ({"what": 1}, "what"),
    ]:
        answer = client.post("/notifications/read", json=body)
        assert answer.status_code == 422, body
        assert answer.get_json()["error"]["field"] == field
    assert client.post("/notifications/read", json={"ids": [2**70]}).status_code == 404
    assert snapshot() == before


def test_a_read_only_token_cannot_mark_read(ana: User, ben: User, api: Callable[..., Api]) -> None:
    liked_post(ana, ben)
    before = snapshot()
    answer = api(ana, scope="read").post("/notifications/read", json={"all": True})
    assert answer.status_code == 403
    assert snapshot() == before
