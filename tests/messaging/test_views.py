"""The messaging pages: conversations, groups, the profile's Message button, blocking, photos."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.friends.models import Block
from intranet_social.messaging import service
from intranet_social.messaging.models import Conversation, Message, MessageMedia
from tests.messaging.conftest import counts
from tests.posts.helpers import Browser, upload


def direct(a: User, b: User) -> int:
    conversation_id = service.open_direct(a, b.username).id
    db.session.commit()
    return conversation_id


def test_message_button_opens_the_one_shared_conversation(
    browser: Callable[[User], Browser], ana: User, ben: User
) -> None:
    page = browser(ana)
    assert 'action="/messages/with/ben"' in page.get("/u/ben").get_data(as_text=True)
    first = page.post("/messages/with/ben")
    second = browser(ben).post("/messages/with/ana")
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert db.session.scalar(select(db.func.count()).select_from(Conversation)) == 1


def test_stranger_gets_a_clear_answer_and_no_conversation(
    browser: Callable[[User], Browser], ana: User, cyd: User
) -> None:
    before = counts()
    answer = browser(ana).post("/messages/with/cyd", follow_redirects=True)
    assert "You cannot send messages to Cyd Stranger." in answer.get_data(as_text=True)
    assert counts() == before


def test_friends_exchange_messages_and_see_unread_badges(
    browser: Callable[[User], Browser], ana: User, ben: User
) -> None:
    conversation_id = direct(ana, ben)
    sent = browser(ana).post(f"/messages/{conversation_id}", data={"body": "Hi <script>x</script>"})
    assert sent.status_code == 302
    reader = browser(ben)
    listing = reader.get("/messages").get_data(as_text=True)
    assert "Ana Author" in listing
    assert '<span class="nav__count">1<span class="visually-hidden"> unread</span>' in listing
    page = reader.get(f"/messages/{conversation_id}").get_data(as_text=True)
    assert "Hi &lt;script&gt;x&lt;/script&gt;" in page
    assert "<script>x" not in page
    assert service.unread_count(ben) == 0


def test_top_bar_shows_the_unread_messages(
    browser: Callable[[User], Browser], ana: User, ben: User
) -> None:
    conversation_id = direct(ana, ben)
    service.send_message(ana, conversation_id, "one")
    service.send_message(ana, conversation_id, "two")
    db.session.commit()
    page = browser(ben).get("/").get_data(as_text=True)
    assert 'href="/messages"' in page
    assert '<span class="nav__count">2<span class="visually-hidden"> new</span>' in page


def test_empty_message_names_the_field_and_keeps_nothing(
    browser: Callable[[User], Browser], ana: User, ben: User
) -> None:
    conversation_id = direct(ana, ben)
    before = counts()
    answer = browser(ana).post(f"/messages/{conversation_id}", data={"body": "  "})
    assert answer.status_code == 422
    assert "Write a message, or attach a photo." in answer.get_data(as_text=True)
    assert counts() == before


def test_outsider_cannot_read_post_to_or_see_photos_of_a_conversation(
    browser: Callable[[User], Browser], ana: User, ben: User, cyd: User
) -> None:
    conversation_id = direct(ana, ben)
    sender = browser(ana)
    sent = sender.post(
        f"/messages/{conversation_id}",
        data={"body": "look", "photos": [upload(png_bytes(), "a.png")]},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    media_id = db.session.scalar(select(MessageMedia.id))
    with sender.get(f"/messages/media/{media_id}/thumb") as thumb:
        assert thumb.status_code == 200 and thumb.mimetype == "image/webp"
    with browser(ben).get(f"/messages/media/{media_id}/full") as full:
        assert full.status_code == 200
    outsider = browser(cyd)
    before = counts()
    assert outsider.get(f"/messages/{conversation_id}").status_code == 404
    assert outsider.post(f"/messages/{conversation_id}", data={"body": "hi"}).status_code == 404
    assert outsider.get(f"/messages/media/{media_id}/thumb").status_code == 404
    assert outsider.post(f"/messages/{conversation_id}/leave").status_code == 404
    assert outsider.get("/messages/999999").status_code == 404
    assert counts() == before


def test_older_messages_are_one_click_away(
    browser: Callable[[User], Browser], ana: User, ben: User
) -> None:
    conversation_id = direct(ana, ben)
    for number in range(35):
        service.send_message(ana, conversation_id, f"note {number:02d}")
    db.session.commit()
    page = browser(ben).get(f"/messages/{conversation_id}").get_data(as_text=True)
    assert "note 34" in page and "note 04" not in page
    oldest_shown = db.session.scalar(select(Message.id).where(Message.body == "note 05"))
    assert f"/messages/{conversation_id}?before={oldest_shown}" in page
    older = browser(ben).get(f"/messages/{conversation_id}?before={oldest_shown}")
    assert "note 04" in older.get_data(as_text=True)


def test_group_is_made_grown_and_left_through_the_pages(
    browser: Callable[[User], Browser], make_user: Callable[..., User], ana: User, ben: User
) -> None:
    from tests.posts.helpers import befriend

    dee = make_user("dee", name="Dee Friend")
    befriend(ana, dee)
    page = browser(ana)
    made = page.post("/messages/groups", data={"name": "Lunch", "members": "@ben"})
    assert made.status_code == 302
    group_id = db.session.scalar(select(Conversation.id).where(Conversation.is_group))
    added = page.post(f"/messages/{group_id}/members", data={"username": "dee"})
    assert added.status_code == 302
    assert [u.username for u in service.members_of(group_id)] == ["ana", "ben", "dee"]
    assert browser(dee).post(f"/messages/{group_id}/leave").status_code == 302
    assert browser(dee).get(f"/messages/{group_id}").status_code == 404


def test_bad_group_form_names_the_field_and_keeps_nothing(
    browser: Callable[[User], Browser], ana: User, ben: User
) -> None:
    before = counts()
    answer = browser(ana).post("/messages/groups", data={"name": "", "members": "ben"})
    assert answer.status_code == 422
    assert "Give the group a name." in answer.get_data(as_text=True)
    assert counts() == before


def test_blocking_from_the_conversation_stops_messages(
    browser: Callable[[User], Browser], ana: User, ben: User
) -> None:
    conversation_id = direct(ana, ben)
    blocker = browser(ben)
    assert blocker.post("/messages/block/ana").status_code == 302
    assert db.session.scalar(select(Block.blocker_id)) == ben.id
    before = counts()
    refused = browser(ana).post(f"/messages/{conversation_id}", data={"body": "hello?"})
    assert refused.status_code == 422
    assert "You cannot send messages to Ben Friend." in refused.get_data(as_text=True)
    assert counts() == before
    assert "Ana Author" in blocker.get("/messages").get_data(as_text=True)
    assert blocker.post("/messages/unblock/ana").status_code == 302
    assert db.session.scalar(select(Block.blocker_id)) is None


def png_bytes() -> bytes:
    from tests.media.pictures import png

    return png()
