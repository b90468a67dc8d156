"""People and their passwords: create, sign in, one-time passwords, roles and status.

Every function takes the acting user explicitly, only ``flush()``es, and leaves the commit
to the view, API handler or CLI command that called it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, delete, func, or_, select, update

from intranet_social.accounts import organisation, passwords, staff
from intranet_social.accounts.models import Role, Status, User, UserSession
from intranet_social.accounts.validation import (
    clean_email,
    clean_name,
    clean_text,
    clean_username,
    parse_birthday,
)
from intranet_social.audit import service as audit
from intranet_social.core import events, transaction
from intranet_social.core.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from intranet_social.core.models import utcnow
from intranet_social.extensions import db

LOCKOUT_THRESHOLD = 5
LOCKOUT_DURATION = timedelta(minutes=15)
SESSION_TOUCH_INTERVAL = timedelta(minutes=5)
WRONG_CREDENTIALS = "Wrong username or password."


@dataclass(frozen=True)
class NewAccount:
    """A freshly created account and the one-time password to hand over (shown once)."""

    user: User
    one_time_password: str | None


# ---------------------------------------------------------------- look-ups


def get_user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == (username or "").lower()))
    if user is None:
        raise NotFound(f"No user called {username!r}.", "username")
    return user


def find_by_login(identifier: str) -> User | None:
    """The account named by a username or an e-mail address, if any."""
    value = (identifier or "").strip().lower()
    if not value:
        return None
    column = User.email if "@" in value else User.username
    return db.session.scalar(select(User).where(column == value))


def list_users(
    *,
    role: str | None = None,
    status: str | None = None,
    q: str | None = None,
    after: str | None = None,
    limit: int | None = None,
) -> list[User]:
    """People by username; ``after`` and ``limit`` page through them by keyset."""
    query = select(User).order_by(User.username)
    if role:
        if role not in {r.value for r in Role}:
            raise Invalid(f"Unknown role {role!r}; use admin, moderator or member.", "role")
        query = query.where(User.role == role)
    if status:
        if status not in {s.value for s in Status}:
            raise Invalid(f"Unknown status {status!r}; use active, pending or disabled.", "status")
        query = query.where(User.status == status)
    if q:
        pattern = f"%{q.strip().lower()}%"
        query = query.where(or_(func.lower(User.name).like(pattern), User.username.like(pattern)))
    if after is not None:
        query = query.where(User.username > after)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- creating people


def _ensure_unique(username: str, email: str, exclude_id: int | None = None) -> None:
    clash = db.session.execute(
        select(User.username, User.email).where(
            or_(User.username == username, User.email == email),
            User.id != (exclude_id or 0),
        )
    ).first()
    if clash is None:
        return
    if clash.username == username:
        raise Conflict(f"The username {username!r} is already taken.", "username")
    raise Conflict(f"The e-mail address {email!r} is already in use.", "email")


def create_user(
    username: str,
    email: str,
    name: str,
    *,
    role: str = Role.MEMBER,
    department: str = "",
    title: str = "",
    birthday: str | None = None,
    manager: str | None = None,
    start_date: str | None = None,
    password: str | None = None,
    status: str = Status.ACTIVE,
    actor: User | None = None,
    actor_name: str | None = None,
) -> NewAccount:
    """Create an account. Without ``password`` it gets a one-time password it must change.
    ``manager`` is a username; ``start_date`` is ``YYYY-MM-DD``."""
    staff.require_admin(actor)
    username = clean_username(username)
    email = clean_email(email)
    name = clean_name(name)
    born = parse_birthday(birthday)
    boss = organisation.manager_of(manager, None)
    started = organisation.parse_start_date(start_date)
    if role not in {r.value for r in Role}:
        raise Invalid(f"Unknown role {role!r}; use admin, moderator or member.", "role")
    _ensure_unique(username, email)
    one_time = None
    if password is None:
        one_time = passwords.generate_one_time_password()
        secret = one_time
    else:
        passwords.check_password_policy(password, username=username, email=email)
        secret = password
    user = User(
        username=username,
        email=email,
        name=name,
        role=str(role),
        status=str(status),
        department=clean_text(department, "department"),
        title=clean_text(title, "title"),
        password_hash=passwords.hash_password(secret),
        must_change_password=one_time is not None,
        password_set_at=utcnow(),
        manager_id=boss.id if boss is not None else None,
        start_date=started,
    )
    if born:
        user.birthday_month, user.birthday_day, user.birth_year = born
    db.session.add(user)
    db.session.flush()
    events.department_changed.send(user, old=None)
    details: dict[str, Any] = {"role": str(role)}
    if boss is not None:
        details["manager"] = boss.username
    audit.record("user.create", actor=actor, actor_name=actor_name, target=username, **details)
    return NewAccount(user, one_time)


def update_user(
    user: User,
    *,
    email: str | None = None,
    name: str | None = None,
    department: str | None = None,
    title: str | None = None,
    birthday: str | None = None,
    start_date: str | None = None,
) -> User:
    """Change the directory fields of an account (``None`` leaves a field as it is; the
    manager changes through :func:`organisation.set_manager`)."""
    if email is not None:
        email = clean_email(email)
        _ensure_unique(user.username, email, exclude_id=user.id)
        user.email = email
    if name is not None:
        user.name = clean_name(name)
    if department is not None:
        set_department(user, department)
    if title is not None:
        user.title = clean_text(title, "title")
    if birthday is not None:
        born = parse_birthday(birthday)
        user.birthday_month, user.birthday_day, user.birth_year = born or (None, None, None)
    if start_date is not None:
        user.start_date = organisation.parse_start_date(start_date)
    db.session.flush()
    return user


def set_department(user: User, department: str) -> User:
    """Put ``user`` in ``department`` (empty: none); the spaces linked to a department
    follow its people (``events.department_changed``). Every face that changes a person's
    department comes through here."""
    new = clean_text(department, "department")
    old = user.department
    if new != old:
        user.department = new
        db.session.flush()
        events.department_changed.send(user, old=old)
    return user


# ---------------------------------------------------------------- signing in


def authenticate(identifier: str, password: str) -> User:
    """The account these credentials open, or a domain error saying why not.

    Failed attempts count towards a temporary lock-out; the caller keeps the changes in every
    case (a request calls ``transaction.keep_changes()``), so the count and the security
    event stay even though sign-in failed.
    """
    user = find_by_login(identifier)
    now = utcnow()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise RateLimited(
            f"Too many failed sign-in attempts; try again in {minutes} minutes "
            "or ask an admin to reset your password.",
            "password",
        )
    if not passwords.verify_password(user.password_hash if user else None, password or ""):
        if user is not None:
            _count_failure(user, now)
        audit.record("login.failure", target=(identifier or "")[:200])
        raise Invalid(WRONG_CREDENTIALS, "password")
    assert user is not None
    if user.status == Status.DISABLED:
        audit.record("login.refused_disabled", target=user.username)
        raise Forbidden("This account is disabled; ask an admin.", "username")
    if user.status == Status.PENDING:
        raise Forbidden("This account is waiting for an admin's approval.", "username")
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record("login.success", actor=user, target=user.username)
    db.session.flush()
    return user


def _count_failure(user: User, now: datetime) -> None:
    db.session.execute(
        update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
    )
    db.session.refresh(user, ["failed_logins"])
    if user.failed_logins >= LOCKOUT_THRESHOLD:
        user.locked_until = now + LOCKOUT_DURATION
        user.failed_logins = 0
        audit.record("login.lockout", target=user.username, minutes=LOCKOUT_DURATION.seconds // 60)
    db.session.flush()


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(user: User, ip: str = "", user_agent: str = "") -> str:
    """Open a session for a signed-in browser; returns the secret key for its cookie."""
    key = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user_id=user.id, key_hash=_hash_key(key), ip=ip[:64], user_agent=user_agent[:255]
        )
    )
    db.session.flush()
    return key


#: built once: every signed-in request makes this look-up, and building the statement costs
#: more than running it. The ORM loads the user, with every column's type conversions.
_SESSION_AND_USER = (
    select(User, UserSession.id, UserSession.last_seen_at)
    .join(UserSession, UserSession.user_id == User.id)
    .where(UserSession.key_hash == bindparam("key_hash"), User.id == bindparam("user_id"))
)


def session_user(user_id: str, key: str | None) -> User | None:
    """The active user of an open session, or ``None`` (signed out, disabled, revoked)."""
    if not key or not user_id.isdigit():
        return None
    found = db.session.execute(
        _SESSION_AND_USER, {"key_hash": _hash_key(key), "user_id": int(user_id)}
    ).first()
    if found is None:
        return None
    user, session_id, last_seen_at = found
    if user.status != Status.ACTIVE:
        return None
    if utcnow() - last_seen_at > SESSION_TOUCH_INTERVAL:
        # Bookkeeping apart from the request's transaction (core/transaction.py), and only
        # every few minutes, so most requests write nothing.
        transaction.note_apart(
            update(UserSession).where(UserSession.id == session_id).values(last_seen_at=utcnow())
        )
    return user


def current_session_id(key: str | None) -> int | None:
    if not key:
        return None
    return db.session.scalar(select(UserSession.id).where(UserSession.key_hash == _hash_key(key)))


def list_sessions(user: User) -> list[UserSession]:
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id)
            .order_by(UserSession.last_seen_at.desc())
        )
    )


def end_session(key: str | None) -> None:
    if key:
        db.session.execute(delete(UserSession).where(UserSession.key_hash == _hash_key(key)))


def end_session_by_id(user: User, session_id: int) -> None:
    # a DELETE's result is a CursorResult, which counts the rows; execute is typed for any
    result = cast(
        CursorResult[Any],
        db.session.execute(
            delete(UserSession).where(UserSession.id == session_id, UserSession.user_id == user.id)
        ),
    )
    if result.rowcount == 0:
        raise NotFound("No such session.", "session")


def end_all_sessions(user: User, *, keep_key: str | None = None) -> int:
    """Sign the person out everywhere (except the session ``keep_key`` belongs to)."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_key:
        query = query.where(UserSession.key_hash != _hash_key(keep_key))
    return cast(CursorResult[Any], db.session.execute(query)).rowcount


# ---------------------------------------------------------------- passwords


def change_password(
    user: User, current: str, new: str, confirm: str, *, keep_key: str | None = None
) -> None:
    """The holder changes their own password; every other session of theirs ends."""
    if not passwords.verify_password(user.password_hash, current or ""):
        raise Invalid("Your current password is not right.", "current_password")
    if new != confirm:
        raise Invalid("The two new passwords differ.", "new_password_confirm")
    passwords.check_password_policy(
        new, username=user.username, email=user.email, field="new_password"
    )
    if passwords.verify_password(user.password_hash, new):
        raise Invalid("Choose a password different from the current one.", "new_password")
    user.password_hash = passwords.hash_password(new)
    user.must_change_password = False
    user.password_set_at = utcnow()
    end_all_sessions(user, keep_key=keep_key)
    audit.record("password.change", actor=user, target=user.username)
    db.session.flush()


def reset_password(user: User, *, actor: User | None = None, actor_name: str | None = None) -> str:
    """Give the account a new one-time password (returned once); its sessions end."""
    staff.require_may_change(actor, user, "reset-password")
    one_time = passwords.generate_one_time_password()
    user.password_hash = passwords.hash_password(one_time)
    user.must_change_password = True
    user.password_set_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    end_all_sessions(user)
    audit.record("password.reset", actor=actor, actor_name=actor_name, target=user.username)
    db.session.flush()
    return one_time


# ---------------------------------------------------------------- roles and status


def _active_admin_count() -> int:
    count = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.status == Status.ACTIVE)
    )
    return count or 0


def _guard_last_admin(user: User, what: str) -> None:
    if user.role == Role.ADMIN and user.status == Status.ACTIVE and _active_admin_count() <= 1:
        raise Conflict(
            f"{user.username} is the last active admin and cannot be {what}; "
            "make someone else an admin first.",
            "username",
        )


def set_role(
    user: User, role: str, *, actor: User | None = None, actor_name: str | None = None
) -> User:
    staff.require_may_change(actor, user, "set-role")
    if role not in {r.value for r in Role}:
        raise Invalid(f"Unknown role {role!r}; use admin, moderator or member.", "role")
    if role != Role.ADMIN:
        _guard_last_admin(user, "demoted")
    old = user.role
    user.role = role
    audit.record(
        "user.set_role",
        actor=actor,
        actor_name=actor_name,
        target=user.username,
        old=old,
        new=role,
    )
    db.session.flush()
    return user


def disable_user(user: User, *, actor: User | None = None, actor_name: str | None = None) -> User:
    """Disable an account; its open sessions and tokens stop working at once."""
    staff.require_may_change(actor, user, "disable")
    _guard_last_admin(user, "disabled")
    user.status = Status.DISABLED
    end_all_sessions(user)
    audit.record("user.disable", actor=actor, actor_name=actor_name, target=user.username)
    db.session.flush()
    return user


def enable_user(user: User, *, actor: User | None = None, actor_name: str | None = None) -> User:
    staff.require_may_change(actor, user, "enable")
    user.status = Status.ACTIVE
    audit.record("user.enable", actor=actor, actor_name=actor_name, target=user.username)
    db.session.flush()
    events.department_changed.send(user, old=user.department)
    return user


def approve_user(user: User, *, actor: User | None = None, actor_name: str | None = None) -> User:
    staff.require_may_change(actor, user, "approve")
    if user.status != Status.PENDING:
        raise Conflict(f"{user.username} is not waiting for approval.", "username")
    user.status = Status.ACTIVE
    audit.record("user.approve", actor=actor, actor_name=actor_name, target=user.username)
    db.session.flush()
    events.department_changed.send(user, old=user.department)
    return user


def delete_user(user: User, *, actor: User | None = None, actor_name: str | None = None) -> None:
    staff.require_may_change(actor, user, "delete")
    _guard_last_admin(user, "deleted")
    audit.record("user.delete", actor=actor, actor_name=actor_name, target=user.username)
    # media and posts forget the account's files once the deletion commits
    events.user_deleting.send(user)
    # the person's reports have no manager from now on
    db.session.execute(update(User).where(User.manager_id == user.id).values(manager_id=None))
    # The database cascades to sessions, tokens, friendships and posts; nothing is loaded
    # row by row.
    db.session.execute(delete(User).where(User.id == user.id))
    db.session.expunge(user)
