"""Others keep writing while a message's photos are re-encoded (SQLite: one writer at a time)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.media import images
from intranet_social.messaging import service
from intranet_social.messaging.models import Message, MessageMedia
from tests.posts.helpers import photo


def test_others_write_while_a_messages_photos_are_re_encoded(app, ana, ben, monkeypatch):
    """SQLite lets one transaction write at a time, across every app process: a message must
    not take that lock before its photos are re-encoded, or every other writer waits."""
    conversation_id = service.open_direct(ana, "ben").id
    db.session.commit()
    encoding, written = threading.Event(), threading.Event()
    original = images.encode

    def slow_encode(image):  # type: ignore[no-untyped-def]
        encoding.set()
        written.wait(5)
        return original(image)

    monkeypatch.setattr(images, "encode", slow_encode)
    errors: list[BaseException] = []

    def send_photo() -> None:
        with app.app_context():
            try:
                user = db.session.get(User, ana.id)
                service.send_message(user, conversation_id, "look", [photo()])
                db.session.commit()
            except BaseException as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    sender = threading.Thread(target=send_photo)
    sender.start()
    try:
        assert encoding.wait(10)
        with app.app_context():
            service.send_message(db.session.get(User, ben.id), conversation_id, "meanwhile")
            db.session.commit()
            messages_when_written = db.session.scalar(select(func.count()).select_from(Message))
            db.session.remove()
    finally:
        written.set()
        sender.join(30)
    assert errors == []
    # Ben's message went in while Ana's photo was still being encoded
    assert messages_when_written == 1
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(MessageMedia)) == 1
