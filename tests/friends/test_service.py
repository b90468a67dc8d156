"""Friend requests and friendships: every action idempotent, nothing changed by bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from intranet_social.accounts import service as accounts
from intranet_social.core.errors import Conflict, Invalid, NotFound
from intranet_social.extensions import db
from intranet_social.friends import service
from intranet_social.friends.models import FriendRequest, Friendship, RequestStatus


def friendship_rows() -> set[tuple[int, int]]:
    rows = db.session.execute(select(Friendship.user_id, Friendship.friend_id))
    return {tuple(row) for row in rows}


def requests() -> list[tuple[int, int, str]]:
    rows = db.session.execute(
        select(FriendRequest.from_id, FriendRequest.to_id, FriendRequest.status).order_by(
            FriendRequest.id
        )
    )
    return [tuple(row) for row in rows]


def request_id(sender, recipient) -> int:
    return db.session.scalar(
        select(FriendRequest.id).where(
            FriendRequest.from_id == sender.id, FriendRequest.to_id == recipient.id
        )
    )


def befriend(a, b) -> None:
    service.send_friend_request(a, b.username)
    service.send_friend_request(b, a.username)
    db.session.commit()


@pytest.fixture
def bob(make_user):
    return make_user("bob.builder", name="Bob Builder", department="Finance")


@pytest.fixture
def carla(make_user):
    return make_user("carla", name="Carla Cruz", department="Sales")


def test_member_sends_one_request_however_often_they_ask(member, bob):
    service.send_friend_request(member, "bob.builder")
    service.send_friend_request(member, "BOB.builder")
    db.session.commit()
    assert requests() == [(member.id, bob.id, "pending")]
    assert not service.are_friends(member.id, bob.id)
    assert [p.sender.id for p in service.incoming_requests(bob)] == [member.id]
    assert [p.recipient.id for p in service.outgoing_requests(member)] == [bob.id]


def test_asking_someone_who_asked_you_makes_you_friends(member, bob):
    service.send_friend_request(bob, "ana.member")
    service.send_friend_request(member, "bob.builder")
    db.session.commit()
    assert friendship_rows() == {(member.id, bob.id), (bob.id, member.id)}
    assert service.are_friends(member.id, bob.id) and service.are_friends(bob.id, member.id)
    assert [status for *_, status in requests()] == ["accepted"]
    assert service.incoming_requests(member) == [] and service.outgoing_requests(bob) == []


def test_double_accept_counts_once(member, bob):
    service.send_friend_request(bob, "ana.member")
    db.session.commit()
    rid = request_id(bob, member)
    assert service.accept_request(member, rid).id == bob.id
    assert service.accept_request(member, rid).id == bob.id
    db.session.commit()
    assert friendship_rows() == {(member.id, bob.id), (bob.id, member.id)}
    assert db.session.scalar(select(func.count()).select_from(Friendship)) == 2


def test_accepting_when_already_friends_changes_nothing(member, bob):
    db.session.add_all(
        [
            Friendship(user_id=member.id, friend_id=bob.id),
            Friendship(user_id=bob.id, friend_id=member.id),
        ]
    )
    db.session.add(FriendRequest(from_id=bob.id, to_id=member.id))
    db.session.commit()
    service.accept_request(member, request_id(bob, member))
    db.session.commit()
    assert len(friendship_rows()) == 2


def test_asking_a_friend_again_changes_nothing(member, bob):
    befriend(member, bob)
    before = requests()
    service.send_friend_request(member, "bob.builder")
    db.session.commit()
    assert requests() == before
    assert len(friendship_rows()) == 2


@pytest.mark.parametrize("who", ["sender", "stranger"])
def test_only_the_recipient_can_accept_or_decline(member, bob, carla, who):
    service.send_friend_request(bob, "ana.member")
    db.session.commit()
    rid = request_id(bob, member)
    actor = bob if who == "sender" else carla
    with pytest.raises(NotFound):
        service.accept_request(actor, rid)
    with pytest.raises(NotFound):
        service.decline_request(actor, rid)
    db.session.rollback()
    assert friendship_rows() == set()
    assert requests() == [(bob.id, member.id, "pending")]


def test_only_the_sender_can_cancel(member, bob, carla):
    service.send_friend_request(bob, "ana.member")
    db.session.commit()
    for actor in (member, carla):
        with pytest.raises(NotFound):
            service.cancel_request(actor, request_id(bob, member))
    db.session.rollback()
    assert requests() == [(bob.id, member.id, "pending")]


def test_unknown_request_is_not_found(member):
    for action in (service.accept_request, service.decline_request, service.cancel_request):
        with pytest.raises(NotFound):
            action(member, 999)


def test_declined_request_still_looks_sent_to_its_sender(member, bob):
    service.send_friend_request(bob, "ana.member")
    db.session.commit()
    rid = request_id(bob, member)
    service.decline_request(member, rid)
    service.decline_request(member, rid)
    db.session.commit()
    assert requests() == [(bob.id, member.id, "declined")]
    assert service.incoming_requests(member) == []
    assert [p.request.id for p in service.outgoing_requests(bob)] == [rid]
    assert service.relations(bob.id, [member.id])[member.id].state == "request_sent"
    assert service.relations(member.id, [bob.id])[bob.id].state == "none"
    service.send_friend_request(bob, "ana.member")
    db.session.commit()
    assert requests() == [(bob.id, member.id, "declined")]


def test_declined_request_cannot_be_accepted_later(member, bob):
    service.send_friend_request(bob, "ana.member")
    db.session.commit()
    rid = request_id(bob, member)
    service.decline_request(member, rid)
    db.session.commit()
    with pytest.raises(Conflict):
        service.accept_request(member, rid)
    db.session.rollback()
    assert friendship_rows() == set()


def test_recipient_who_declined_can_still_ask_themselves(member, bob):
    service.send_friend_request(bob, "ana.member")
    service.decline_request(member, request_id(bob, member))
    service.send_friend_request(member, "bob.builder")
    db.session.commit()
    assert service.incoming_requests(bob)[0].sender.id == member.id


def test_cancel_is_idempotent_and_asking_again_reopens_the_request(member, bob):
    service.send_friend_request(member, "bob.builder")
    db.session.commit()
    rid = request_id(member, bob)
    service.cancel_request(member, rid)
    service.cancel_request(member, rid)
    db.session.commit()
    assert requests() == [(member.id, bob.id, "cancelled")]
    assert service.incoming_requests(bob) == []
    with pytest.raises(Conflict):
        service.accept_request(bob, rid)
    db.session.rollback()
    service.send_friend_request(member, "bob.builder")
    db.session.commit()
    assert requests() == [(member.id, bob.id, "pending")]


def test_accepted_request_cannot_be_cancelled_or_declined(member, bob):
    service.send_friend_request(member, "bob.builder")
    db.session.commit()
    rid = request_id(member, bob)
    service.accept_request(bob, rid)
    db.session.commit()
    with pytest.raises(Conflict):
        service.cancel_request(member, rid)
    with pytest.raises(Conflict):
        service.decline_request(bob, rid)
    db.session.rollback()
    assert len(friendship_rows()) == 2


def test_unfriend_removes_both_rows_and_is_idempotent(member, bob, carla):
    befriend(member, bob)
    befriend(member, carla)
    service.unfriend(member, "bob.builder")
    service.unfriend(member, "bob.builder")
    db.session.commit()
    assert friendship_rows() == {(member.id, carla.id), (carla.id, member.id)}
    service.send_friend_request(bob, "ana.member")
    db.session.commit()
    assert service.incoming_requests(member)[0].sender.id == bob.id


def test_unfriending_an_old_request_does_not_bring_the_friendship_back(member, bob):
    service.send_friend_request(bob, "ana.member")
    rid = request_id(bob, member)
    service.accept_request(member, rid)
    service.unfriend(member, "bob.builder")
    service.accept_request(member, rid)
    db.session.commit()
    assert friendship_rows() == set()


def test_nobody_can_befriend_themselves(member):
    with pytest.raises(Invalid) as refused:
        service.send_friend_request(member, "ana.member")
    assert refused.value.field == "username"
    db.session.rollback()
    assert requests() == [] and friendship_rows() == set()


@pytest.mark.parametrize("status", ["disabled", "pending"])
def test_disabled_or_pending_people_cannot_be_befriended(member, make_user, status):
    make_user("gone.person", status=status)
    with pytest.raises(NotFound):
        service.send_friend_request(member, "gone.person")
    with pytest.raises(NotFound):
        service.send_friend_request(member, "nobody.here")
    db.session.rollback()
    assert requests() == []


def test_request_from_someone_since_disabled_cannot_be_accepted(member, bob, admin):
    service.send_friend_request(bob, "ana.member")
    db.session.commit()
    accounts.disable_user(bob, actor=admin)
    db.session.commit()
    assert service.incoming_requests(member) == []
    with pytest.raises(NotFound):
        service.accept_request(member, request_id(bob, member))
    db.session.rollback()
    assert friendship_rows() == set()


def test_friend_ids_is_usable_inside_other_queries(member, bob, carla):
    befriend(member, bob)
    ids = set(
        db.session.scalars(
            select(Friendship.user_id).where(Friendship.user_id.in_(service.friend_ids(member.id)))
        )
    )
    assert ids == {bob.id}
    assert [u.id for u in service.friends_page(member)] == [bob.id]


def test_mutual_friends_and_their_count(member, bob, carla, make_user):
    dora = make_user("dora")
    for person in (bob, carla):
        befriend(member, person)
        befriend(dora, person)
    assert [u.username for u in service.mutual_friends(member, dora)] == ["bob.builder", "carla"]
    assert service.mutual_counts(member.id, [dora.id, bob.id]) == {dora.id: 2}
    assert service.relations(member.id, [dora.id])[dora.id].mutual_friends == 2


def test_relations_name_every_state(member, bob, carla, make_user):
    dora, eve = make_user("dora"), make_user("eve")
    befriend(member, bob)
    service.send_friend_request(member, "carla")
    service.send_friend_request(dora, "ana.member")
    db.session.commit()
    found = service.relations(member.id, [member.id, bob.id, carla.id, dora.id, eve.id])
    assert {uid: r.state for uid, r in found.items()} == {
        member.id: "self",
        bob.id: "friends",
        carla.id: "request_sent",
        dora.id: "request_received",
        eve.id: "none",
    }
    assert found[carla.id].request.to_id == carla.id
    assert found[dora.id].request.from_id == dora.id


def test_suggestions_rank_friends_of_friends_then_colleagues(member, make_user):
    # member (Finance) is friends with f1, f2, f3.
    f1, f2, f3 = (make_user(f"friend{i}") for i in (1, 2, 3))
    for friend in (f1, f2, f3):
        befriend(member, friend)
    two_mutual = make_user("zed.two", name="Zed Two")
    one_mutual_same_dept = make_user("yan.one", name="Yan One", department="Finance")
    one_mutual = make_user("abe.one", name="Abe One")
    make_user("cat.colleague", name="Cat Colleague", department="Finance")
    requested = make_user("req.sent", department="Finance")
    asked_me = make_user("req.received", department="Finance")
    make_user("dis.abled", department="Finance", status="disabled")
    make_user("other.dept", department="Sales")
    befriend(f1, two_mutual)
    befriend(f2, two_mutual)
    befriend(f3, one_mutual_same_dept)
    befriend(f3, one_mutual)
    befriend(f1, requested)
    service.send_friend_request(member, "req.sent")
    service.send_friend_request(asked_me, "ana.member")
    db.session.commit()
    found = [(user.username, mutual) for user, mutual in service.suggestions(member)]
    assert found == [
        ("zed.two", 2),
        ("yan.one", 1),
        ("abe.one", 1),
        ("cat.colleague", 0),
    ]
    assert len(service.suggestions(member, limit=2)) == 2


def test_request_status_starts_pending(member, bob):
    service.send_friend_request(member, "bob.builder")
    db.session.commit()
    row = db.session.scalar(select(FriendRequest))
    assert row.status == RequestStatus.PENDING
