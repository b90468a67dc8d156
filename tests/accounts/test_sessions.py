"""Each signed-in request finds its session and person in one read: through real HTTP, the
session's "last seen" moves on only every few minutes, a disabled or signed-out person is
let in no more, and reading the person writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select, update

from intranet_social.accounts import service
from intranet_social.accounts.models import User, UserSession
from intranet_social.core.models import utcnow
from intranet_social.extensions import db
from tests.statements import statements_run


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
    with statements_run() as statements:
        assert client.get("/").status_code == 200
        assert client.get("/account").status_code == 200
    writes = ("UPDATE", "INSERT", "DELETE")
    assert [sql for sql in statements if sql.lstrip().upper().startswith(writes)] == []


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


def test_the_signed_in_person_holds_every_column_as_written(app, client, auth, member):
    """Whatever a column's type (times with their zone, flags, numbers, empty values), the
    person a signed-in request is given holds what was written, typed as the ORM reads it,
    on SQLite and PostgreSQL alike: a new column cannot break sign-in on one database."""
    member.locked_until = datetime(2020, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    member.last_login_at = datetime(2026, 2, 28, 23, 59, 59, 1, tzinfo=UTC)
    member.birthday_month, member.birthday_day, member.birth_year = 2, 29, 1996
    member.bio = 'She said "hi" \\ é 😀'
    member.avatar_key = None
    key = service.start_session(member)
    db.session.commit()
    written = {attr.key: getattr(member, attr.key) for attr in sa_inspect(User).column_attrs}
    db.session.expunge_all()

    person = service.session_user(str(member.id), key)

    assert person is not None
    read = {name: getattr(person, name) for name in written}
    assert read == written
    assert {name: type(value) for name, value in read.items()} == {
        name: type(value) for name, value in written.items()
    }
    assert person in db.session and not db.session.dirty
    assert db.session.get(User, member.id) is person, "the session's one copy"
    auth.login("ana.member")
    assert client.get("/account").status_code == 200
