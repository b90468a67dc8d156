"""Conversations, messages, unread counts and blocks, through the services."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet_social.accounts.models import User
from intranet_social.core.errors import Forbidden, Invalid, NotFound
from intranet_social.extensions import db
from intranet_social.friends import blocks
from intranet_social.friends import service as friends
from intranet_social.messaging import groups, service
from intranet_social.messaging.models import Conversation
from intranet_social.site_settings.models import SiteSetting
from tests.messaging.conftest import counts


def send(user: User, conversation_id: int, body: str) -> int:
    message = service.send_message(user, conversation_id, body)
    db.session.commit()
    return message.id


def test_friends_share_one_conversation_whoever_opens_it(ana: User, ben: User) -> None:
    first = service.open_direct(ana, "ben").id
    db.session.commit()
    second = service.open_direct(ben, "ana").id
    db.session.commit()
    assert first == second
    assert db.session.scalar(select(Conversation.pair_key)) == f"{ana.id}:{ben.id}"


def test_stranger_cannot_start_a_conversation_by_default(ana: User, cyd: User) -> None:
    before = counts()
    with pytest.raises(Forbidden):
        service.open_direct(ana, "cyd")
    assert counts() == before


def test_anyone_may_message_anyone_when_the_site_allows_it(ana: User, cyd: User) -> None:
    db.session.merge(SiteSetting(key="messaging", value="everyone"))
    db.session.commit()
    conversation = service.open_direct(ana, "cyd")
    db.session.commit()
    assert send(ana, conversation.id, "hello") > 0


def test_nobody_can_start_a_conversation_with_themselves_or_nobody(ana: User) -> None:
    before = counts()
    with pytest.raises(Invalid):
        service.open_direct(ana, "ana")
    with pytest.raises(NotFound):
        service.open_direct(ana, "nobody")
    assert counts() == before


def test_unread_counts_follow_messages_and_reading(ana: User, ben: User) -> None:
    conversation_id = service.open_direct(ana, "ben").id
    db.session.commit()
    send(ana, conversation_id, "one")
    send(ana, conversation_id, "two")
    assert service.unread_count(ben) == 2
    assert service.unread_count(ana) == 0
    assert service.conversations_of(ben)[0].unread == 2
    service.mark_read(ben, conversation_id)
    db.session.commit()
    assert service.unread_count(ben) == 0
    send(ana, conversation_id, "three")
    assert service.unread_count(ben) == 1


def test_older_messages_come_by_keyset_oldest_first(ana: User, ben: User) -> None:
    conversation_id = service.open_direct(ana, "ben").id
    db.session.commit()
    ids = [send(ana, conversation_id, f"message {number}") for number in range(5)]
    newest, older = service.messages_before(ben, conversation_id, limit=3)
    assert [message.id for message in newest] == ids[2:]
    rest, none_left = service.messages_before(ben, conversation_id, older, limit=3)
    assert [message.id for message in rest] == ids[:2]
    assert none_left is None
    assert [m.id for m in service.messages_after(ben, conversation_id, ids[3])] == ids[4:]


def test_poll_sees_news_only_after_the_last_message(ana: User, ben: User, cyd: User) -> None:
    conversation_id = service.open_direct(ana, "ben").id
    db.session.commit()
    assert not service.has_news(ben, conversation_id, 0)
    last = send(ana, conversation_id, "hi")
    assert service.has_news(ben, conversation_id, 0)
    assert not service.has_news(ben, conversation_id, last)
    with pytest.raises(NotFound):
        service.has_news(cyd, conversation_id, 0)


def test_outsider_cannot_read_or_write_a_conversation(ana: User, ben: User, cyd: User) -> None:
    conversation_id = service.open_direct(ana, "ben").id
    db.session.commit()
    before = counts()
    for attempt in (
        lambda: service.get_conversation(cyd, conversation_id),
        lambda: service.messages_before(cyd, conversation_id),
        lambda: service.messages_after(cyd, conversation_id, 0),
        lambda: service.send_message(cyd, conversation_id, "let me in"),
        lambda: service.mark_read(cyd, conversation_id),
        lambda: service.get_conversation(ana, 2**70),
    ):
        with pytest.raises(NotFound):
            attempt()
    assert counts() == before


def test_groups_take_friends_and_members_may_add_and_leave(ana: User, ben: User, cyd: User) -> None:
    group = groups.create_group(ana, ["ben"], "  Lunch   club ")
    db.session.commit()
    assert group.name == "Lunch club"
    friends.send_friend_request(ben, "cyd")
    friends.send_friend_request(cyd, "ben")
    groups.add_member(ben, group.id, "cyd")
    db.session.commit()
    assert [user.username for user in service.members_of(group.id)] == ["ana", "ben", "cyd"]
    send(cyd, group.id, "thanks")
    groups.leave(cyd, group.id)
    db.session.commit()
    with pytest.raises(NotFound):
        service.get_conversation(cyd, group.id)


@pytest.mark.parametrize(
    ("members", "name", "field"),
    [([], "Team", "members"), (["ben"], "   ", "name"), (["ben"], "x" * 101, "name")],
)
def test_bad_groups_are_refused_and_nothing_is_kept(
    ana: User, ben: User, members: list[str], name: str, field: str
) -> None:
    before = counts()
    with pytest.raises(Invalid) as refused:
        groups.create_group(ana, members, name)
    assert refused.value.field == field
    assert counts() == before


def test_stranger_cannot_be_put_in_a_group(ana: User, ben: User, cyd: User) -> None:
    before = counts()
    with pytest.raises(Forbidden):
        groups.create_group(ana, ["ben", "cyd"], "Team")
    assert counts() == before


def test_one_to_one_conversations_cannot_be_left_or_grown(ana: User, ben: User) -> None:
    conversation_id = service.open_direct(ana, "ben").id
    db.session.commit()
    with pytest.raises(Invalid):
        groups.leave(ana, conversation_id)
    with pytest.raises(Invalid):
        groups.add_member(ana, conversation_id, "ben")


def test_empty_and_oversized_messages_are_refused(ana: User, ben: User) -> None:
    conversation_id = service.open_direct(ana, "ben").id
    db.session.commit()
    before = counts()
    for body in ("   ", "x" * 5001, "nul\x00"):
        with pytest.raises(Invalid):
            service.send_message(ana, conversation_id, body)
        db.session.rollback()
    assert counts() == before


def test_blocked_person_can_no_longer_message(ana: User, ben: User) -> None:
    conversation_id = service.open_direct(ana, "ben").id
    db.session.commit()
    blocks.block(ben, "ana")
    db.session.commit()
    before = counts()
    with pytest.raises(Forbidden):
        service.send_message(ana, conversation_id, "hello?")
    with pytest.raises(Forbidden):
        service.send_message(ben, conversation_id, "bye")
    assert counts() == before
    blocks.unblock(ben, "ana")
    db.session.commit()
    assert send(ana, conversation_id, "hello again") > 0


def test_blocked_person_cannot_send_a_friend_request(ana: User, cyd: User) -> None:
    blocks.block(cyd, "ana")
    db.session.commit()
    with pytest.raises(Forbidden):
        friends.send_friend_request(ana, "cyd")
    with pytest.raises(Forbidden):
        friends.send_friend_request(cyd, "ana")
    assert friends.outgoing_requests(ana) == []


def test_blocked_people_are_not_suggested(make_user, ana: User) -> None:
    colleague = make_user("dee", name="Dee Colleague", department="Sales")
    ana.department = "Sales"
    db.session.commit()
    assert [person.id for person, _ in friends.suggestions(ana)] == [colleague.id]
    blocks.block(colleague, "ana")
    db.session.commit()
    assert friends.suggestions(ana) == []
    assert friends.suggestions(colleague) == []
    assert [person.username for person in blocks.blocked_people(colleague)] == ["ana"]


def test_nobody_can_block_themselves(ana: User) -> None:
    before = counts()
    with pytest.raises(Invalid):
        blocks.block(ana, "ana")
    assert counts() == before


def test_blocking_closes_open_friend_requests_both_ways(make_user, ana: User, cyd: User) -> None:
    make_user("dee", name="Dee Asker")
    friends.send_friend_request(cyd, "ana")
    friends.send_friend_request(ana, "dee")
    db.session.commit()
    blocks.block(ana, "cyd")
    blocks.block(ana, "dee")
    db.session.commit()
    assert friends.incoming_requests(ana) == []
    assert friends.outgoing_requests(ana) == []
    assert [pending.recipient.username for pending in friends.outgoing_requests(cyd)] == ["ana"]
