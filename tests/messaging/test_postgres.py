"""Messages sent at the same moment on PostgreSQL (needs a local server)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, select

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.messaging import service
from intranet_social.messaging.models import Conversation, ConversationMember, Message

pytestmark = pytest.mark.postgres


@pytest.fixture
def site_settings(postgres_url: str) -> dict[str, dict[str, str]]:
    return {"database": {"url": postgres_url}}


def test_two_messages_at_once_leave_the_newest_as_the_conversations_last(app, ana, ben):
    """Ana's message is written first but committed last: the conversation must still point
    at the newest message, and messages must commit in the order of their ids, so a poller
    that saw Ben's message cannot miss Ana's."""
    conversation_id = service.open_direct(ana, "ben").id
    db.session.commit()
    ana_inserted, ben_done = threading.Event(), threading.Event()
    sent: dict[str, int] = {}
    errors: list[BaseException] = []

    def hold_after_first_flush(_session, _context) -> None:  # type: ignore[no-untyped-def]
        if not ana_inserted.is_set():
            ana_inserted.set()
            # Ben sends meanwhile, unless sending waits for Ana's transaction: then go on.
            ben_done.wait(3)

    def send(name: str, user_id: int, body: str) -> None:
        with app.app_context():
            try:
                if name == "ana":
                    event.listen(db.session(), "after_flush", hold_after_first_flush)
                else:
                    ana_inserted.wait(10)
                user = db.session.get(User, user_id)
                sent[name] = service.send_message(user, conversation_id, body).id
                db.session.commit()
            except BaseException as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()
                if name == "ben":
                    ben_done.set()

    threads = [
        threading.Thread(target=send, args=("ana", ana.id, "first")),
        threading.Thread(target=send, args=("ben", ben.id, "second")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []

    db.session.rollback()
    newest = db.session.scalar(select(Message).order_by(Message.id.desc()).limit(1))
    conversation = db.session.get(Conversation, conversation_id)
    assert sent["ana"] < sent["ben"] == newest.id
    assert conversation.last_message_id == newest.id
    assert conversation.last_message_at == newest.created_at
    ben_member = db.session.get(ConversationMember, (conversation_id, ben.id))
    assert ben_member.last_read_message_id == sent["ben"]
    assert service.conversation_unread(ana, conversation_id) == 1
