"""Who is told what: each kind of notification, grouping, nobody told of their own actions,
mentions only for people who may see the post, and removal with the object."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select

from intranet_social.accounts.models import User
from intranet_social.birthdays import service as birthdays
from intranet_social.extensions import db
from intranet_social.friends import service as friends
from intranet_social.notifications import inbox as notification_inbox
from intranet_social.notifications import service
from intranet_social.notifications.models import Notification
from intranet_social.posts import comments, likes
from intranet_social.posts import service as posts
from tests.notifications.conftest import inbox, snapshot


@pytest.fixture(autouse=True)
def request_context(app: Flask) -> Iterator[None]:
    """The list links to avatars, which takes a request to build URLs."""
    with app.test_request_context():
        yield


def test_friend_request_tells_its_recipient_and_accepting_tells_the_sender(
    ana: User, cyd: User
) -> None:
    friends.send_friend_request(cyd, "ana")
    db.session.commit()
    assert inbox(ana) == [("friend_request", cyd.id)]
    assert inbox(cyd) == []
    request = friends.incoming_requests(ana)[0].request
    friends.accept_request(ana, request.id)
    db.session.commit()
    assert inbox(cyd) == [("friend_accept", ana.id)]


def test_asking_someone_who_asked_you_tells_them_you_accepted(ana: User, cyd: User) -> None:
    friends.send_friend_request(cyd, "ana")
    friends.send_friend_request(ana, "cyd")
    db.session.commit()
    assert inbox(cyd) == [("friend_accept", ana.id)]


def test_asking_twice_tells_once_and_withdrawing_removes_the_notification(
    ana: User, cyd: User
) -> None:
    friends.send_friend_request(cyd, "ana")
    friends.send_friend_request(cyd, "ana")
    db.session.commit()
    assert inbox(ana) == [("friend_request", cyd.id)]
    friends.cancel_request(cyd, friends.outgoing_requests(cyd)[0].request.id)
    db.session.commit()
    assert inbox(ana) == []


def test_likes_of_one_post_are_one_entry_and_unliking_removes_that_like(
    ana: User, ben: User, dee: User, make_user: Callable[..., User]
) -> None:
    post = posts.create_post(ana, "Lunch?", audience="everyone")
    db.session.commit()
    likers = [ben, dee, make_user("eve", name="Eve Else"), make_user("fay", name="Fay Far")]
    for liker in likers:
        likes.like_post(liker, post.id)
    likes.like_post(ana, post.id)
    db.session.commit()
    assert [kind for kind, _actor in inbox(ana)] == ["post_like"] * 4
    cards, _next = notification_inbox.notification_page(ana)
    assert len(cards) == 1
    assert cards[0].text == "Fay Far and 3 others liked your post."
    assert cards[0].object_url == f"/posts/{post.id}"
    assert service.unread_count(ana) == 1

    likes.unlike_post(dee, post.id)
    db.session.commit()
    assert dee.id not in {actor for _kind, actor in inbox(ana)}
    assert notification_inbox.notification_page(ana)[0][0].others == 2


def test_comment_likes_tell_the_comment_author(ana: User, ben: User) -> None:
    post = posts.create_post(ana, "Hello")
    comment = comments.create_comment(ben, post.id, "Hi")
    db.session.commit()
    likes.like_comment(ana, comment.id)
    db.session.commit()
    assert inbox(ben) == [("comment_like", ana.id)]
    likes.unlike_comment(ana, comment.id)
    db.session.commit()
    assert inbox(ben) == []


def test_a_comment_tells_the_post_author_and_the_wall_owner_but_not_the_commenter(
    ana: User, ben: User, dee: User
) -> None:
    post = posts.create_post(ben, "On Ana's wall", wall_owner=ana)
    db.session.commit()
    assert inbox(ana) == [("wall_post", ben.id)]
    comments.create_comment(dee, post.id, "Nice")
    comments.create_comment(ben, post.id, "Thanks")
    db.session.commit()
    assert inbox(ben) == [("comment", dee.id)]
    assert inbox(ana) == [("wall_post", ben.id), ("comment", dee.id), ("comment", ben.id)]
    texts = [card.text for card in notification_inbox.notification_page(ana)[0]]
    assert texts[0] == "Ben Friend commented on a post on your wall."
    assert inbox(dee) == []


def test_nobody_is_told_of_their_own_posts_likes_and_comments(ana: User) -> None:
    post = posts.create_post(ana, "Me, @ana")
    likes.like_post(ana, post.id)
    comments.create_comment(ana, post.id, "Me again @ana")
    db.session.commit()
    assert inbox(ana) == []


def test_mentions_tell_people_who_may_see_the_post(ana: User, ben: User, cyd: User) -> None:
    post = posts.create_post(ana, "Thanks @ben and @cyd and @nobody", audience="friends")
    db.session.commit()
    assert inbox(ben) == [("mention", ana.id)]
    assert inbox(cyd) == []
    comments.create_comment(ben, post.id, "You're welcome, @cyd @ana")
    db.session.commit()
    assert inbox(cyd) == []
    assert inbox(ana) == [("comment", ben.id)]


def test_mentions_in_a_public_post_tell_anyone(ana: User, cyd: User) -> None:
    post = posts.create_post(ana, "Welcome @cyd", audience="everyone")
    db.session.commit()
    assert inbox(cyd) == [("mention", ana.id)]
    card = notification_inbox.notification_page(cyd)[0][0]
    assert card.text == "Ana Author mentioned you in a post."
    assert card.object_url == f"/posts/{post.id}"


def test_an_edit_tells_only_the_people_it_newly_mentions(ana: User, ben: User, dee: User) -> None:
    post = posts.create_post(ana, "Hi @ben")
    db.session.commit()
    posts.edit_post(ana, post.id, "Hi @ben and @dee")
    db.session.commit()
    assert inbox(ben) == [("mention", ana.id)]
    assert inbox(dee) == [("mention", ana.id)]


def test_a_mention_in_a_comment_links_to_the_comment(ana: User, ben: User, dee: User) -> None:
    post = posts.create_post(ana, "Hello")
    comment = comments.create_comment(ben, post.id, "@dee look")
    db.session.commit()
    card = notification_inbox.notification_page(dee)[0][0]
    assert card.text == "Ben Friend mentioned you in a comment."
    assert card.object_url == f"/posts/{post.id}#comment-{comment.id}"


def test_friends_are_told_of_a_birthday_once(
    make_user: Callable[..., User], ana: User, ben: User, cyd: User
) -> None:
    today = date(2025, 3, 14)
    celebrant = make_user("gus", name="Gus Birthday", birthday="03-14")
    friends.send_friend_request(ana, "gus")
    friends.accept_request(celebrant, friends.incoming_requests(celebrant)[0].request.id)
    db.session.commit()
    assert birthdays.record_birthday_notices(today) == 1
    assert birthdays.record_birthday_notices(today) == 0
    db.session.commit()
    assert inbox(ana)[-1] == ("birthday", celebrant.id)
    assert [kind for kind, _actor in inbox(ana)].count("birthday") == 1
    assert inbox(ben) == [] and inbox(cyd) == []
    card = notification_inbox.notification_page(ana)[0][0]
    assert card.object_url == "/u/gus"


def test_notifications_go_with_their_post_and_comment(ana: User, ben: User) -> None:
    post = posts.create_post(ana, "Hello")
    db.session.commit()
    comment = comments.create_comment(ben, post.id, "Hi @ana")
    likes.like_post(ben, post.id)
    db.session.commit()
    assert len(inbox(ana)) == 2
    comments.delete_comment(ben, comment.id)
    db.session.commit()
    assert inbox(ana) == [("post_like", ben.id)]
    posts.delete_post(ana, post.id)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_a_failed_action_leaves_no_notification(ana: User, ben: User) -> None:
    posts.create_post(ben, "Hi @ana", wall_owner=ana)
    db.session.rollback()
    assert inbox(ana) == []


def test_marking_read_marks_the_whole_group(ana: User, ben: User, dee: User) -> None:
    post = posts.create_post(ana, "Hello")
    likes.like_post(ben, post.id)
    likes.like_post(dee, post.id)
    comments.create_comment(ben, post.id, "Hi")
    db.session.commit()
    cards, _next = notification_inbox.notification_page(ana)
    assert service.unread_count(ana) == 2
    like_entry = next(card for card in cards if card.kind == "post_like")
    assert service.mark_read(ana, [like_entry.id]) == 2
    db.session.commit()
    assert service.unread_count(ana) == 1
    assert service.mark_all_read(ana) == 1
    db.session.commit()
    assert service.unread_count(ana) == 0
    assert all(card.read for card in notification_inbox.notification_page(ana)[0])


def test_nobody_can_mark_someone_elses_notification_read(ana: User, ben: User) -> None:
    posts.create_post(ben, "Hi", wall_owner=ana)
    db.session.commit()
    mine = posts.create_post(ana, "Hi", wall_owner=ben)
    db.session.commit()
    theirs = db.session.scalar(select(Notification.id).where(Notification.user_id == ana.id))
    own = db.session.scalar(select(Notification.id).where(Notification.user_id == ben.id))
    assert mine is not None
    before = snapshot()
    with pytest.raises(service.NotFound):
        service.mark_read(ben, [own, theirs])
    db.session.rollback()
    assert snapshot() == before


def test_the_list_pages_by_keyset(ana: User, make_user: Callable[..., User]) -> None:
    for number in range(5):
        person = make_user(f"person{number}", name=f"Person {number}")
        friends.send_friend_request(person, "ana")
    db.session.commit()
    first, after = notification_inbox.notification_page(ana, limit=3)
    assert len(first) == 3 and after is not None
    rest, last = notification_inbox.notification_page(ana, before=after, limit=3)
    assert len(rest) == 2 and last is None
    assert [card.id for card in first + rest] == sorted((c.id for c in first + rest), reverse=True)
