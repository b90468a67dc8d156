"""The organisation: who manages whom, and since when each person works here.

A person has at most one manager (``User.manager_id``); the people with none are the top of
the organisation. Manager links never form a cycle: :func:`check_manager` walks up from the
proposed manager (one recursive query, bounded by :data:`MAX_DEPTH`) and refuses a manager
who already reports, directly or not, to the person.

Every face (profile form, admin console, API, CLI, CSV import) sets these fields through
this module, so the rules are the same everywhere. Functions only ``flush()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy import func, literal, select

from intranet_social.accounts.models import Status, User
from intranet_social.audit import service as audit
from intranet_social.core.errors import Invalid
from intranet_social.core.models import Actor
from intranet_social.extensions import db

#: the longest chain of command walked; deeper organisations are cut there
MAX_DEPTH = 64


def parse_start_date(value: str | None, field: str = "start_date") -> date | None:
    """``YYYY-MM-DD`` to a date; empty means none."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"Start date {text!r} is not a date; use YYYY-MM-DD.", field) from None
    if day.year < 1900:
        raise Invalid(f"Start date {text!r} is too long ago; use YYYY-MM-DD.", field)
    return day


def find_manager(username: str, field: str = "manager") -> User:
    """The account named to be someone's manager."""
    manager = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if manager is None:
        raise Invalid(f"There is no one called {username.strip()!r} to be the manager.", field)
    return manager


def chain_ids(user_id: int, depth: int = MAX_DEPTH) -> list[int]:
    """The ids above ``user_id``: their manager, the manager's manager, … (nearest first)."""
    start = select(User.manager_id.label("id"), literal(1).label("depth")).where(
        User.id == user_id, User.manager_id.is_not(None)
    )
    chain = start.cte("chain", recursive=True)
    above = select(User.manager_id, chain.c.depth + 1).where(
        User.id == chain.c.id, User.manager_id.is_not(None), chain.c.depth < depth
    )
    chain = chain.union_all(above)
    rows = db.session.execute(select(chain.c.id).order_by(chain.c.depth))
    ids: list[int] = []
    for (found,) in rows:
        if found in ids:  # a cycle made before the rule existed: stop at its second turn
            break
        ids.append(found)
    return ids


def check_manager(user_id: int | None, manager: User, field: str = "manager") -> None:
    """Refuse ``manager`` for the person ``user_id`` (``None`` for someone not yet created):
    the person themselves, or someone who already reports to them."""
    if user_id is None:
        return
    if manager.id == user_id:
        raise Invalid("A person cannot be their own manager.", field)
    if user_id in chain_ids(manager.id):
        raise Invalid(
            f"{manager.username} already reports to this person, directly or through others; "
            "choose a manager outside their team.",
            field,
        )


def manager_of(username: str | None, user: User | None, field: str = "manager") -> User | None:
    """The manager named by ``username`` for ``user`` (``None`` while not yet created),
    checked; an empty name means no manager."""
    if username is None or not username.strip():
        return None
    manager = find_manager(username, field)
    check_manager(user.id if user is not None else None, manager, field)
    return manager


def set_manager(
    user: User,
    username: str | None,
    *,
    by_admin: bool = False,
    actor: Actor | None = None,
    actor_name: str | None = None,
) -> bool:
    """Make ``username`` (empty: nobody) the manager of ``user``; returns whether it changed.
    A change made by an administrator (console, admin API, CLI, import) is audited."""
    manager = manager_of(username, user)
    new_id = manager.id if manager is not None else None
    if new_id == user.manager_id:
        return False
    previous = manager_username(user)
    user.manager_id = new_id
    if by_admin:
        audit.record(
            "user.manager",
            actor=actor,
            actor_name=actor_name,
            target=user.username,
            manager=manager.username if manager is not None else None,
            previous=previous,
        )
    db.session.flush()
    return True


def manager_username(user: User) -> str | None:
    if user.manager_id is None:
        return None
    return manager_usernames([user.manager_id]).get(user.manager_id)


def manager_usernames(ids: Iterable[int | None]) -> Mapping[int, str]:
    """The usernames of the people with ``ids`` (managers), in one query."""
    wanted = {found for found in ids if found is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(User.id, User.username).where(User.id.in_(wanted)))
    return {found: username for found, username in rows}


# ---------------------------------------------------------------- reading the tree


def people_by_ids(ids: list[int]) -> list[User]:
    """The people with ``ids``, in the order of ``ids``."""
    if not ids:
        return []
    found = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def direct_reports(user_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active people reporting to each of ``user_ids``, by name."""
    wanted = list(user_ids)
    reports: dict[int, list[User]] = {i: [] for i in wanted}
    if not wanted:
        return reports
    query = (
        select(User)
        .where(User.manager_id.in_(wanted), User.status == Status.ACTIVE)
        .order_by(func.lower(User.name), User.username)
    )
    for user in db.session.scalars(query):
        assert user.manager_id is not None
        reports[user.manager_id].append(user)
    return reports


def report_counts(user_ids: Iterable[int]) -> dict[int, int]:
    """How many active people report directly to each of ``user_ids``."""
    wanted = list(user_ids)
    counts = dict.fromkeys(wanted, 0)
    if not wanted:
        return counts
    query = (
        select(User.manager_id, func.count())
        .where(User.manager_id.in_(wanted), User.status == Status.ACTIVE)
        .group_by(User.manager_id)
    )
    for manager_id, count in db.session.execute(query):
        if manager_id is not None:
            counts[manager_id] = count
    return counts


def top_of_organisation() -> list[User]:
    """The active people with no manager: those with reports first, then by name."""
    managers = select(User.manager_id).where(
        User.manager_id.is_not(None), User.status == Status.ACTIVE
    )
    leads = User.id.in_(managers)
    query = (
        select(User)
        .where(User.manager_id.is_(None), User.status == Status.ACTIVE)
        .order_by(leads.desc(), func.lower(User.name), User.username)
    )
    return list(db.session.scalars(query))
