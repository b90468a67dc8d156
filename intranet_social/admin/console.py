"""What the admin console shows and changes: the dashboard's numbers, the people list, and a
person's department."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, or_, select

from intranet_social.accounts import service as accounts
from intranet_social.accounts.models import Role, Status, User, UserSession
from intranet_social.audit import service as audit
from intranet_social.core.errors import Invalid
from intranet_social.core.models import utcnow
from intranet_social.core.settings import current_config
from intranet_social.extensions import db
from intranet_social.posts.models import Post

STORAGE_CACHE_SECONDS = 60
_storage_cache: dict[Path, tuple[float, int]] = {}


@dataclass(frozen=True)
class Dashboard:
    people: int
    pending: int
    posts_today: int
    active_week: int
    storage_bytes: int


def _start_of_today() -> datetime:
    """Midnight in the site's time zone, as a UTC moment."""
    config = current_config()
    local = utcnow().astimezone(config.tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def storage_used() -> int:
    """Bytes under the media folder; walked at most once a minute."""
    folder = current_config().media_path
    cached = _storage_cache.get(folder)
    if cached is not None and time.monotonic() - cached[0] < STORAGE_CACHE_SECONDS:
        return cached[1]
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name)).st_size
            except OSError:
                continue
    _storage_cache[folder] = (time.monotonic(), total)
    return total


def dashboard() -> Dashboard:
    week_ago = utcnow() - timedelta(days=7)
    active = select(UserSession.user_id).where(UserSession.last_seen_at >= week_ago)
    return Dashboard(
        people=db.session.scalar(
            select(func.count()).select_from(User).where(User.status == Status.ACTIVE.value)
        )
        or 0,
        pending=db.session.scalar(
            select(func.count()).select_from(User).where(User.status == Status.PENDING.value)
        )
        or 0,
        posts_today=db.session.scalar(
            select(func.count()).select_from(Post).where(Post.created_at >= _start_of_today())
        )
        or 0,
        active_week=db.session.scalar(
            select(func.count())
            .select_from(User)
            .where(or_(User.last_login_at >= week_ago, User.id.in_(active)))
        )
        or 0,
        storage_bytes=storage_used(),
    )


def people_page(
    *,
    q: str = "",
    status: str = "",
    role: str = "",
    department: str = "",
    after: str | None = None,
    limit: int = 50,
) -> tuple[list[User], str | None]:
    """People by username with filters; the username to continue after (None on the last page)."""
    query = select(User).order_by(User.username)
    if status:
        if status not in {s.value for s in Status}:
            raise Invalid("Choose a status: active, pending or disabled.", "status")
        query = query.where(User.status == status)
    if role:
        if role not in {r.value for r in Role}:
            raise Invalid("Choose a role: admin, moderator or member.", "role")
        query = query.where(User.role == role)
    if department.strip():
        query = query.where(func.lower(User.department) == department.strip().lower())
    if q.strip():
        pattern = q.strip().lower().replace("%", "").replace("_", "") + "%"
        query = query.where(
            or_(
                User.username.like(pattern),
                func.lower(User.name).like(pattern),
                func.lower(User.name).like("% " + pattern),
                func.lower(User.email).like(pattern),
            )
        )
    if after:
        query = query.where(User.username > after)
    people = list(db.session.scalars(query.limit(limit + 1)))
    more = len(people) > limit
    people = people[:limit]
    return people, (people[-1].username if more and people else None)


def departments() -> list[str]:
    query = select(User.department).where(User.department != "").distinct()
    return list(db.session.scalars(query.order_by(User.department)))


def set_department(person: User, department: str, *, actor: User) -> User:
    """Move ``person`` to ``department`` (an admin's change, audited); their department
    spaces follow."""
    old = person.department
    accounts.set_department(person, department)
    if person.department != old:
        audit.record(
            "user.update",
            actor=actor,
            target=person.username,
            fields=["department"],
            old=old,
            new=person.department,
        )
    return person
