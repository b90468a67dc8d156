"""Notification e-mail through a relay started by the test: sent after the commit to those
who opted in, and a relay that refuses never fails the action or loses the notification."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import date
from email.message import EmailMessage
from typing import Any

import pytest
from sqlalchemy import select

from intranet_social.accounts.models import User
from intranet_social.birthdays import service as birthdays
from intranet_social.extensions import db
from intranet_social.notifications import service
from intranet_social.notifications.models import Notification
from intranet_social.posts import likes
from intranet_social.posts import service as posts
from intranet_social.posts.models import Comment, Post
from intranet_social.spaces import service as spaces
from tests.notifications.conftest import inbox
from tests.notifications.smtp import LocalRelay
from tests.posts.helpers import Browser, befriend


@pytest.fixture
def relay() -> Iterator[LocalRelay]:
    server = LocalRelay()
    yield server
    if server.listener.fileno() != -1:
        server.stop()


@pytest.fixture
def site_settings(relay: LocalRelay) -> dict[str, dict[str, Any]]:
    return {
        "site": {"hostnames": ["social.corp.example", "localhost"]},
        "mail": {"host": "127.0.0.1", "port": relay.port, "sender": "social@corp.example"},
    }


def subject(message: EmailMessage) -> str:
    return str(message["Subject"]).strip()


def emailed(user: User) -> list[bool]:
    rows = db.session.scalars(
        select(Notification.emailed_at).where(Notification.user_id == user.id)
    )
    return [moment is not None for moment in rows]


def test_someone_who_opted_in_gets_an_email_when_their_post_is_liked(
    ana: User, ben: User, relay: LocalRelay, browser: Callable[[User], Browser]
) -> None:
    service.set_email_enabled(ana, True)
    post = posts.create_post(ana, "Lunch?")
    db.session.commit()
    answer = browser(ben).post(f"/posts/{post.id}/like")
    assert answer.status_code in (200, 302, 303)
    assert relay.received.wait(5)
    [message] = relay.messages
    assert message["To"] == "ana@corp.example"
    assert message["From"] == "social@corp.example"
    assert subject(message) == "Test Social: Ben Friend liked your post."
    assert f"http://localhost/posts/{post.id}" in message.get_content()
    assert emailed(ana) == [True]


def test_people_who_did_not_opt_in_get_no_email(ana: User, ben: User, relay: LocalRelay) -> None:
    post = posts.create_post(ana, "Lunch?")
    db.session.commit()
    likes.like_post(ben, post.id)
    db.session.commit()
    assert relay.messages == []
    assert emailed(ana) == [False]


def test_a_rolled_back_action_sends_no_email(ana: User, ben: User, relay: LocalRelay) -> None:
    service.set_email_enabled(ana, True)
    post = posts.create_post(ana, "Lunch?")
    db.session.commit()
    likes.like_post(ben, post.id)
    db.session.rollback()
    db.session.commit()
    assert relay.messages == []


def test_a_relay_that_refuses_does_not_fail_the_comment_or_like_and_loses_nothing(
    ana: User,
    ben: User,
    relay: LocalRelay,
    browser: Callable[[User], Browser],
    caplog: pytest.LogCaptureFixture,
) -> None:
    service.set_email_enabled(ana, True)
    post = posts.create_post(ana, "Lunch?")
    db.session.commit()
    relay.stop()
    bens = browser(ben)
    with caplog.at_level(logging.ERROR, logger="intranet_social.notifications.mail"):
        commented = bens.post(f"/posts/{post.id}/comments", data={"body": "Yes!"})
        liked = bens.post(f"/posts/{post.id}/like")
    assert commented.status_code in (200, 302, 303)
    assert liked.status_code in (200, 302, 303)
    assert list(db.session.scalars(select(Comment.body))) == ["Yes!"]
    assert db.session.get(Post, post.id).like_count == 1
    assert inbox(ana) == [("comment", ben.id), ("post_like", ben.id)]
    assert emailed(ana) == [False, False]
    assert caplog.text.count("could not e-mail 1 notifications") == 2


def test_birthday_emails_name_the_configured_host_outside_a_request(
    make_user: Callable[..., User], ana: User, relay: LocalRelay
) -> None:
    gus = make_user("gus", name="Gus Birthday", birthday="03-14")
    befriend(ana, gus)
    service.set_email_enabled(ana, True)
    db.session.commit()
    birthdays.record_birthday_notices(date(2025, 3, 14))
    db.session.commit()
    assert relay.received.wait(5)
    [message] = relay.messages
    assert subject(message) == (
        "Test Social: It is Gus Birthday's birthday: wish them a happy birthday."
    )
    assert "https://social.corp.example/u/gus" in message.get_content()


def test_the_notifications_page_offers_the_email_choice_when_the_site_has_a_relay(
    ana: User, browser: Callable[[User], Browser]
) -> None:
    anas = browser(ana)
    page = anas.get("/notifications").get_data(as_text=True)
    assert 'name="email_enabled"' in page and " checked" not in page
    anas.post("/notifications/email", data={"email_enabled": "on"})
    page = anas.get("/notifications").get_data(as_text=True)
    assert 'id="email_enabled" name="email_enabled" checked' in page


def test_a_run_of_new_posts_in_a_space_is_emailed_once(
    ana: User, ben: User, relay: LocalRelay
) -> None:
    spaces.create_space(ana, "Design", slug="design", visibility="closed")
    spaces.add_member(ana, "design", "ben")
    service.set_email_enabled(ana, True)
    db.session.commit()
    first = posts.create_post(ben, "New logo", audience="space", space="design")
    db.session.commit()
    assert relay.received.wait(5)
    posts.create_post(ben, "And the colours", audience="space", space="design")
    db.session.commit()
    [message] = relay.messages
    assert subject(message) == "Test Social: Ben Friend posted in Design."
    assert f"/posts/{first.id}\r\n" in message.get_content()
    assert emailed(ana) == [True, False]
