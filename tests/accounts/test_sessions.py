"""Each signed-in request finds its session and person in one read: through real HTTP, the
session's "last seen" moves on only every few minutes, a disabled or signed-out person is
let in no more, and reading the person writes nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, select, update

from intranet_social.accounts import service
from intranet_social.accounts.models import User, UserSession
from intranet_social.core.models import utcnow
from intranet_social.core.reads import columns_of, loaded, run
from intranet_social.extensions import db


def session_row(member) -> UserSession:
    db.session.expire_all()
    return db.session.scalars(select(UserSession).where(UserSession.user_id == member.id)).one()


def test_last_seen_moves_on_after_a_while_and_not_on_every_request(client, auth, member):
    auth.login("ana.member")
    long_ago = utcnow() - service.SESSION_TOUCH_INTERVAL - timedelta(minutes=1)
    db.session.execute(update(UserSession).values(last_seen_at=long_ago))
    db.session.commit()
    assert client.get("/").status_code == 200
    touched = session_row(member).last_seen_at
    assert touched > long_ago + timedelta(minutes=1)
    assert client.get("/").status_code == 200
    assert session_row(member).last_seen_at == touched


def test_a_page_read_writes_nothing_to_the_person(app, client, auth, member):
    auth.login("ana.member")
    written = []

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE")):
            written.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get("/").status_code == 200
        assert client.get("/account").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert written == []


def test_a_disabled_person_is_signed_out_at_the_next_request(client, auth, member):
    auth.login("ana.member")
    assert client.get("/").status_code == 200
    service.disable_user(member)
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_deleted_session_lets_nobody_in(client, auth, member):
    auth.login("ana.member")
    db.session.execute(UserSession.__table__.delete())
    db.session.commit()
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_person_read_by_columns_is_the_sessions_own_object(app, member):
    values = list(run(select(*columns_of(User)).where(User.id == member.id)).one())
    assert loaded(User, values) is member, "the session's copy wins, as with a query"
    db.session.expunge(member)
    fresh = loaded(User, values)
    assert fresh is not member and fresh in db.session
    assert (fresh.id, fresh.username, fresh.name, fresh.status) == (
        member.id,
        "ana.member",
        "Ana Member",
        "active",
    )
    assert not db.session.dirty and fresh.created_at == member.created_at
    assert db.session.get(User, member.id) is fresh, "no second copy"
