"""``/api/v1/blocks``: whom I block, block, unblock, and what a block stops."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.friends import blocks
from intranet_social.friends.models import Block, FriendRequest
from intranet_social.messaging import service
from tests.api.conftest import documented, error_of
from tests.messaging.conftest import counts
from tests.posts.helpers import Api, befriend

__all__ = ["documented", "error_of"]


def blocked_by(user: User) -> list[str]:
    db.session.rollback()
    query = select(User.username).join(Block, Block.blocked_id == User.id)
    return list(db.session.scalars(query.where(Block.blocker_id == user.id)))


def test_person_blocks_lists_and_unblocks_again_and_again(
    api: Callable[..., Api], documented, ana: User, cyd: User
) -> None:
    client = api(ana)
    for _ in range(2):
        blocked = client.post("/blocks", json={"username": "CYD"})
        documented(blocked, "POST", "/blocks")
        assert blocked.get_json()["username"] == "cyd"
    assert blocked_by(ana) == ["cyd"]
    listed = client.get("/blocks")
    documented(listed, "GET", "/blocks")
    assert listed.get_json() == {
        "items": [
            {"username": "cyd", "name": "Cyd Stranger", "avatar_url": blocked.json["avatar_url"]}
        ],
        "next_cursor": None,
    }
    assert api(cyd).get("/blocks").get_json()["items"] == []
    for _ in range(2):
        lifted = client.delete("/blocks/cyd")
        documented(lifted, "DELETE", "/blocks/{username}")
        assert lifted.status_code == 204
    assert blocked_by(ana) == []
    assert client.get("/blocks").get_json()["items"] == []


def test_a_block_stops_messages_both_ways(api: Callable[..., Api], ana: User, ben: User) -> None:
    conversation_id = service.open_direct(ana, "ben").id
    db.session.commit()
    path = f"/conversations/{conversation_id}/messages"
    assert api(ben).post("/blocks", json={"username": "ana"}).status_code == 200
    before = counts()
    for sender in (ana, ben):
        refused = api(sender).post(path, json={"body": "hello?"})
        assert refused.status_code == 403, sender.username
        assert refused.get_json()["error"]["code"] == "forbidden"
    assert counts() == before
    assert api(ben).delete("/blocks/ana").status_code == 204
    assert api(ana).post(path, json={"body": "hello again"}).status_code == 201


def test_a_block_refuses_friend_requests_and_hides_from_suggestions(
    api: Callable[..., Api], make_user: Callable[..., User], ana: User, ben: User
) -> None:
    dee = make_user("dee", name="Dee Colleague")
    befriend(ben, dee)
    client = api(ana)
    suggested = client.get("/friends/suggestions").get_json()["items"]
    assert [person["username"] for person in suggested] == ["dee"]
    assert api(dee).post("/friends/requests", json={"username": "ana"}).status_code == 200
    assert [r["from"]["username"] for r in client.get("/friends/requests").json["incoming"]] == [
        "dee"
    ]

    assert client.post("/blocks", json={"username": "dee"}).status_code == 200
    assert client.get("/friends/requests").get_json()["incoming"] == []
    assert client.get("/friends/suggestions").get_json()["items"] == []
    assert api(dee).get("/friends/suggestions").get_json()["items"] == []
    requests_before = db.session.scalar(select(func.count()).select_from(FriendRequest))
    for sender, recipient in ((dee, "ana"), (ana, "dee")):
        refused = api(sender).post("/friends/requests", json={"username": recipient})
        assert refused.status_code == 403
        assert refused.get_json()["error"]["field"] == "username"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(FriendRequest)) == requests_before


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"username": "ana"}, 422, "username"),
        ({"username": "nobody"}, 404, "username"),
        ({"username": 7}, 422, "username"),
        ({}, 422, "username"),
        ({"username": "cyd", "why": "rude"}, 422, "why"),
    ],
)
def test_bad_blocks_are_refused_and_nothing_changes(
    api: Callable[..., Api], error_of, ana: User, cyd: User, body: dict, status: int, field: str
) -> None:
    client = api(ana)
    before = counts()
    answer = client.post("/blocks", json=body)
    assert answer.status_code == status
    assert error_of(answer)["field"] == field
    assert counts() == before


def test_unblocking_no_one_is_not_found(api: Callable[..., Api], error_of, ana: User) -> None:
    answer = api(ana).delete("/blocks/nobody")
    assert answer.status_code == 404 and error_of(answer)["code"] == "not_found"


def test_blocking_needs_a_write_token(
    api: Callable[..., Api], app, error_of, ana: User, ben: User, cyd: User
) -> None:
    blocks.block(ana, "cyd")
    db.session.commit()
    reader = api(ana, "read")
    assert [person["username"] for person in reader.get("/blocks").json["items"]] == ["cyd"]
    before = counts()
    for answer in (
        reader.post("/blocks", json={"username": "ben"}),
        reader.delete("/blocks/cyd"),
    ):
        assert answer.status_code == 403 and error_of(answer)["code"] == "forbidden"
    anonymous = app.test_client().post("/api/v1/blocks", json={"username": "cyd"})
    assert anonymous.status_code == 401
    assert counts() == before
