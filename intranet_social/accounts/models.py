"""People, their sign-in sessions, invites and personal access tokens."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from intranet_social.core.models import utcnow
from intranet_social.extensions import Model


class Role(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


class Status(enum.StrEnum):
    ACTIVE = "active"
    PENDING = "pending"
    DISABLED = "disabled"


class TokenScope(enum.StrEnum):
    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


class User(Model):
    """A person. ``username`` and ``email`` are stored lower-case, so uniqueness is case-blind."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    password_set_at: Mapped[datetime] = mapped_column(default=utcnow)
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER.value)
    status: Mapped[str] = mapped_column(String(16), default=Status.ACTIVE.value)
    department: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(100), default="")
    birthday_month: Mapped[int | None]
    birthday_day: Mapped[int | None]
    birth_year: Mapped[int | None]
    #: the person's manager; ``None`` for the top of the organisation (or not yet known);
    #: cleared by ``delete_user`` before the manager's account goes
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the day the person joined; ``start_month`` and ``start_day`` repeat its month and day
    #: (kept in step by :meth:`_keep_start_day`) so anniversaries are an indexed look-up
    start_date: Mapped[date | None]
    start_month: Mapped[int | None]
    start_day: Mapped[int | None]
    location: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    bio: Mapped[str] = mapped_column(String(2000), default="")
    #: stem of the stored avatar and cover files (server-made); ``None`` = generated default
    avatar_key: Mapped[str | None] = mapped_column(String(64))
    cover_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]

    sessions: Mapped[list[UserSession]] = relationship(
        back_populates="user", passive_deletes=True, lazy="raise"
    )
    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", passive_deletes=True, lazy="raise"
    )

    __table_args__ = (
        Index("ix_users_status_role", "status", "role"),
        Index("ix_users_department", "department"),
        Index("ix_users_birthday", "birthday_month", "birthday_day"),
        Index("ix_users_manager_id", "manager_id"),
        Index("ix_users_anniversary", "start_month", "start_day"),
    )

    @validates("start_date")
    def _keep_start_day(self, _key: str, value: date | None) -> date | None:
        self.start_month = value.month if value else None
        self.start_day = value.day if value else None
        return value

    # Flask-Login's interface, spelt out so no mixin guesses for us.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.ADMIN, Role.MODERATOR)

    @property
    def birthday(self) -> str | None:
        """``MM-DD`` or ``None``; the year is private and never part of it."""
        if self.birthday_month is None or self.birthday_day is None:
            return None
        return f"{self.birthday_month:02d}-{self.birthday_day:02d}"

    @property
    def birthday_date(self) -> date | None:
        if self.birthday_month is None or self.birthday_day is None:
            return None
        return date(self.birth_year or 2000, self.birthday_month, self.birthday_day)

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserSession(Model):
    """One signed-in browser. Deleting the row signs that browser out at its next request."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")

    user: Mapped[User] = relationship(back_populates="sessions", lazy="raise")


class Invite(Model):
    """A registration link; the code itself is shown once and only its hash is kept."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    max_uses: Mapped[int] = mapped_column(default=1)
    uses: Mapped[int] = mapped_column(default=0)
    revoked_at: Mapped[datetime | None]

    def usable_at(self, moment: datetime) -> bool:
        return self.revoked_at is None and self.uses < self.max_uses and moment < self.expires_at


class ApiToken(Model):
    """A personal access token for the JSON API; stored as a SHA-256 hash."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(8), default=TokenScope.READ.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens", lazy="raise")
