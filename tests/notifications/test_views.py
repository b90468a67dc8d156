"""The notifications page, marking read, the e-mail choice and the top-bar badge."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.friends import service as friends
from intranet_social.notifications import service
from intranet_social.notifications.models import Notification, NotificationPreference
from intranet_social.posts import likes
from intranet_social.posts import service as posts
from tests.notifications.conftest import snapshot
from tests.posts.helpers import Browser


def liked_post(ana: User, *likers: User) -> int:
    post = posts.create_post(ana, "Lunch?")
    for liker in likers:
        likes.like_post(liker, post.id)
    db.session.commit()
    return post.id


def test_the_page_lists_grouped_likes_linking_to_the_post(
    ana: User, ben: User, dee: User, browser: Callable[[User], Browser]
) -> None:
    post_id = liked_post(ana, ben, dee)
    page = browser(ana).get("/notifications").get_data(as_text=True)
    assert "Dee Friend and 1 other liked your post." in page
    assert f'href="/posts/{post_id}"' in page
    assert page.count('class="notification notification--unread"') == 1


def test_the_top_bar_shows_the_unread_count(
    ana: User, ben: User, dee: User, browser: Callable[[User], Browser]
) -> None:
    liked_post(ana, ben, dee)
    page = browser(ana).get("/").get_data(as_text=True)
    assert 'href="/notifications"' in page
    assert '<span class="nav__count">1<span class="visually-hidden"> new</span>' in page
    other = browser(ben).get("/").get_data(as_text=True)
    assert '<span class="nav__count">1<' not in other


def test_marking_one_read_then_all_read(
    ana: User, ben: User, dee: User, browser: Callable[[User], Browser]
) -> None:
    liked_post(ana, ben)
    posts.create_post(dee, "Hi", wall_owner=ana)
    db.session.commit()
    anas = browser(ana)
    like = db.session.scalar(select(Notification.id).where(Notification.kind == "post_like"))
    answer = anas.post(f"/notifications/{like}/read")
    assert answer.status_code == 302
    assert service.unread_count(ana) == 1
    answer = anas.post("/notifications/read", follow_redirects=True)
    assert "All notifications are marked read." in answer.get_data(as_text=True)
    assert service.unread_count(ana) == 0


def test_nobody_can_mark_someone_elses_notification_read(
    ana: User, ben: User, browser: Callable[[User], Browser]
) -> None:
    liked_post(ana, ben)
    before = snapshot()
    answer = browser(ben).post(f"/notifications/{before[0][0]}/read")
    assert answer.status_code == 404
    assert browser(ben).post("/notifications/99999999999999999999/read").status_code == 404
    assert snapshot() == before


def test_marking_read_without_csrf_token_is_refused(
    ana: User, ben: User, browser: Callable[[User], Browser]
) -> None:
    liked_post(ana, ben)
    before = snapshot()
    answer = browser(ana).post("/notifications/read", data={"csrf_token": ""})
    assert answer.status_code == 400
    assert snapshot() == before


def test_signed_out_visitors_are_sent_to_the_login_page(client) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/notifications")
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def test_the_email_choice_shows_only_when_the_site_has_a_relay(
    ana: User, browser: Callable[[User], Browser]
) -> None:
    page = browser(ana).get("/notifications").get_data(as_text=True)
    assert "email_enabled" not in page
    assert "Nothing yet." in page


def test_someone_turns_notification_emails_on_and_off(
    ana: User, browser: Callable[[User], Browser]
) -> None:
    anas = browser(ana)
    anas.post("/notifications/email", data={"email_enabled": "on"})
    assert db.session.get(NotificationPreference, ana.id).email_enabled is True
    anas.post("/notifications/email", data={})
    assert db.session.get(NotificationPreference, ana.id).email_enabled is False


def test_the_list_pages_with_a_cursor(
    ana: User, make_user: Callable[..., User], browser: Callable[[User], Browser]
) -> None:
    for number in range(25):
        friends.send_friend_request(make_user(f"person{number}"), "ana")
    db.session.commit()
    anas = browser(ana)
    first = anas.get("/notifications").get_data(as_text=True)
    assert first.count('class="notification__text"') == 20
    assert "Older notifications" in first
    assert anas.get("/notifications?cursor=nonsense").status_code in (400, 404, 422)
