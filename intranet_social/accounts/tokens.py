"""Personal access tokens for the JSON API: shown once, stored hashed, scoped, revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from intranet_social.accounts.models import ApiToken, Status, TokenScope, User
from intranet_social.audit import service as audit
from intranet_social.core import transaction
from intranet_social.core.errors import Forbidden, Invalid, NotFound
from intranet_social.core.models import utcnow
from intranet_social.extensions import db

TOKEN_PREFIX = "isk_"  # noqa: S105  (a marker, not a secret)
MAX_EXPIRES_DAYS = 3650
LAST_USED_INTERVAL = timedelta(minutes=5)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    user: User,
    *,
    name: str = "",
    scope: str = TokenScope.READ,
    expires_days: int | None = None,
    actor: User | None = None,
    actor_name: str | None = None,
) -> NewToken:
    name = " ".join((name or "").split()) or "API token"
    if len(name) > 100:
        raise Invalid("Use at most 100 characters.", "name")
    if scope not in {s.value for s in TokenScope}:
        raise Invalid(f"Unknown scope {scope!r}; use read, write or admin.", "scope")
    if scope == TokenScope.ADMIN and not user.is_moderator:
        raise Forbidden("Only moderators and admins can hold an admin-scope token.", "scope")
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRES_DAYS:
        raise Invalid(f"A token can last 1 to {MAX_EXPIRES_DAYS} days.", "expires_days")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=_hash(secret),
        prefix=secret[:10],
        scope=str(scope),
        expires_at=utcnow() + timedelta(days=expires_days) if expires_days else None,
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        "token.create",
        actor=actor or user,
        actor_name=actor_name,
        target=user.username,
        token_id=token.id,
        scope=str(scope),
    )
    return NewToken(token, secret)


def list_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc())
        )
    )


def revoke_token(user: User, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise NotFound("No such token.", "token")
    token.revoked_at = utcnow()
    audit.record("token.revoke", actor=user, target=user.username, token_id=token.id)
    db.session.flush()
    return token


#: built once: every API call makes this look-up, and building the statement costs more
#: than running it. The ORM loads both, with every column's type conversions.
_TOKEN_AND_USER = (
    select(ApiToken, User)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


def user_for_token(secret: str) -> tuple[User, ApiToken] | None:
    """The active user and token a bearer secret stands for, or ``None``."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    found = db.session.execute(_TOKEN_AND_USER, {"token_hash": _hash(secret)}).first()
    if found is None:
        return None
    token, user = found
    now = utcnow()
    if token.revoked_at is not None or (token.expires_at and token.expires_at <= now):
        return None
    if user.status != Status.ACTIVE:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_INTERVAL:
        # Bookkeeping apart from the request's own transaction (see core/transaction.py),
        # only every few minutes; the object shows the new time without becoming a change.
        transaction.note_apart(
            update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
        )
        set_committed_value(token, "last_used_at", now)
    return user, token


def token_allows(token: ApiToken, user: User, method: str, *, admin: bool = False) -> bool:
    """Whether ``token`` may make a request: read for GET, write for changes, admin for /admin.

    An admin-scope token opens the admin area to a moderator or an admin; what they may do
    there is their role's business, checked by the services as for the console's pages."""
    if admin:
        return token.scope == TokenScope.ADMIN and user.is_moderator
    if method in ("GET", "HEAD", "OPTIONS"):
        return True
    return token.scope in (TokenScope.WRITE, TokenScope.ADMIN)
