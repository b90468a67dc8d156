"""``/api/v1/conversations``: starting, reading, polling and writing, members only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.friends import blocks
from intranet_social.messaging import service
from intranet_social.messaging.models import Conversation
from tests.messaging.conftest import counts
from tests.posts.helpers import Api, Browser
from tests.statements import statements_run


def test_friends_open_their_conversation_and_exchange_messages(
    api: Callable[..., Api], ana: User, ben: User
) -> None:
    sender, reader = api(ana), api(ben)
    opened = sender.post("/conversations", json={"members": ["ben"]})
    assert opened.status_code == 200
    conversation = opened.get_json()
    assert conversation["title"] == "Ben Friend" and conversation["is_group"] is False
    again = reader.post("/conversations", json={"members": ["ana"]}).get_json()
    assert again["id"] == conversation["id"]
    path = f"/conversations/{conversation['id']}/messages"
    sent = sender.post(path, json={"body": "Hi @ben <script>alert(1)</script>"})
    assert sent.status_code == 201
    message = sent.get_json()
    assert "&lt;script&gt;" in message["html"] and "<script>" not in message["html"]
    assert '<a href="/u/ben" class="mention">@ben</a>' in message["html"]
    listed = reader.get("/conversations").get_json()["items"]
    assert [(item["id"], item["unread"]) for item in listed] == [(conversation["id"], 1)]
    assert reader.get(path).get_json()["items"][0]["id"] == message["id"]
    assert reader.post(f"/conversations/{conversation['id']}/read").get_json() == {"messages": 0}


def test_poll_answers_no_content_when_nothing_is_new(
    api: Callable[..., Api], ana: User, ben: User
) -> None:
    conversation_id = service.open_direct(ana, "ben").id
    db.session.commit()
    reader = api(ben)
    path = f"/conversations/{conversation_id}/messages"
    empty = reader.get(f"{path}?after=0")
    assert empty.status_code == 204 and empty.data == b""
    first = service.send_message(ana, conversation_id, "first").id
    db.session.commit()
    news = reader.get(f"{path}?after=0")
    assert [item["body"] for item in news.get_json()["items"]] == ["first"]
    assert reader.get(f"{path}?after={first}").status_code == 204


def test_poll_with_nothing_new_costs_one_query_after_the_token(
    api: Callable[..., Api], ana: User, ben: User
) -> None:
    conversation_id = service.open_direct(ana, "ben").id
    db.session.commit()
    reader = api(ben)
    reader.get("/conversations")  # the token's first use is recorded once
    with statements_run() as statements:
        answer = reader.get(f"/conversations/{conversation_id}/messages?after=0")
    assert answer.status_code == 204
    assert len(statements) == 2, statements
    assert "FROM api_tokens" in statements[0]
    assert "FROM conversations JOIN conversation_members" in statements[1]


@pytest.mark.parametrize("after", ["-1", "abc", "1.5", "99999999999999999999"])
def test_bad_after_names_the_parameter(
    api: Callable[..., Api], ana: User, ben: User, after: str
) -> None:
    conversation_id = service.open_direct(ana, "ben").id
    db.session.commit()
    answer = api(ana).get(f"/conversations/{conversation_id}/messages?after={after}")
    assert answer.status_code == 422
    assert answer.get_json()["error"]["field"] == "after"


def test_outsider_gets_not_found_by_id_and_through_the_poll(
    api: Callable[..., Api], ana: User, ben: User, cyd: User
) -> None:
    conversation_id = service.open_direct(ana, "ben").id
    service.send_message(ana, conversation_id, "private")
    db.session.commit()
    outsider = api(cyd)
    before = counts()
    for method, path, body in (
        ("GET", f"/conversations/{conversation_id}", None),
        ("GET", f"/conversations/{conversation_id}/messages", None),
        ("GET", f"/conversations/{conversation_id}/messages?after=0", None),
        ("POST", f"/conversations/{conversation_id}/messages", {"body": "hi"}),
        ("POST", f"/conversations/{conversation_id}/read", None),
    ):
        answer = outsider.call(method, path, json=body)
        assert answer.status_code == 404, path
        assert answer.get_json()["error"]["code"] == "not_found"
    assert outsider.get("/conversations").get_json()["items"] == []
    assert counts() == before


def test_session_poll_of_a_stranger_conversation_is_not_found(
    browser: Callable[[User], Browser], ana: User, ben: User, cyd: User
) -> None:
    conversation_id = service.open_direct(ana, "ben").id
    db.session.commit()
    outsider = browser(cyd)
    answer = outsider.get(f"/api/v1/conversations/{conversation_id}/messages?after=0")
    assert answer.status_code == 404


def test_group_through_the_api(api: Callable[..., Api], ana: User, ben: User) -> None:
    made = api(ana).post("/conversations", json={"members": ["ben"], "name": "Pair"})
    assert made.status_code == 201
    group = made.get_json()
    assert group["is_group"] and group["name"] == "Pair"
    assert [member["username"] for member in group["members"]] == ["ana", "ben"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"members": "ben"}, 422, "members"),
        ({"members": [1]}, 422, "members"),
        ({"members": []}, 422, "members"),
        ({"members": ["cyd"]}, 403, "username"),
        ({"members": ["ben", "cyd"], "name": "Team"}, 403, "members"),
        ({"members": ["nobody"]}, 404, "username"),
        ({"members": ["ben"], "extra": 1}, 422, "extra"),
    ],
)
def test_bad_conversations_are_refused_and_nothing_is_kept(
    api: Callable[..., Api], ana: User, ben: User, cyd: User, body: dict, status: int, field: str
) -> None:
    before = counts()
    answer = api(ana).post("/conversations", json=body)
    assert answer.status_code == status
    assert answer.get_json()["error"]["field"] == field
    assert counts() == before


def test_blocked_person_cannot_message_through_the_api(
    api: Callable[..., Api], ana: User, ben: User
) -> None:
    conversation_id = service.open_direct(ana, "ben").id
    blocks.block(ben, "ana")
    db.session.commit()
    before = counts()
    answer = api(ana).post(f"/conversations/{conversation_id}/messages", json={"body": "hi"})
    assert answer.status_code == 403
    assert counts() == before
    assert db.session.scalar(select(Conversation.last_message_id)) is None
