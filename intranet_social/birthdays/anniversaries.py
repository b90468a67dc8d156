"""Work anniversaries: who celebrates a year (or more) here today and in the coming days,
congratulations, and the daily notices. They follow birthdays (:mod:`.service`) rule for
rule:

- **today** is the date in the site's time zone; someone who started on 29 February
  celebrates on 28 February in other years;
- only whole years count: the day someone starts is not their anniversary (``years`` is
  1 or more);
- **congratulating** is a friends-only post on the person's wall, so it needs what every
  wall post needs, being their friend;
- **notices** (:func:`record_anniversary_notices`) are written by ``intranet-social
  birthdays notify`` from the hourly timer, never by a page; each new notice tells the
  person's friends (``events.anniversaries_noted``, heard by notifications).

Functions only ``flush()``; the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import ColumnElement, case, extract, func, literal, select, true
from sqlalchemy.dialects import postgresql, sqlite

from intranet_social.accounts.models import User
from intranet_social.birthdays.models import AnniversaryNotice
from intranet_social.birthdays.service import (
    DAYS_MESSAGE,
    EVERYONE_LIMIT,
    MAX_DAYS,
    UPCOMING_DAYS,
    WHO,
    CelebrationCard,
    Upcoming,
    birthdays_on,
    celebrating,
    celebration_card,
    first_name,
    friends_celebrating_on,
    friends_celebrating_today,
    greeted_today,
    local_today,
    window,
)
from intranet_social.core import events
from intranet_social.core.errors import Forbidden, Invalid
from intranet_social.core.models import utcnow
from intranet_social.extensions import db
from intranet_social.friends.service import active_user, are_friends, friend_ids
from intranet_social.posts.models import Audience, Post
from intranet_social.posts.service import create_post


def default_congratulations(name: str, years: int) -> str:
    span = "one year" if years == 1 else f"{years} years"
    return f"Happy work anniversary, {first_name(name)}! Congratulations on {span}."


def years_on(start: date, day: date) -> int:
    """Whole years from ``start`` to its anniversary ``day``."""
    return day.year - start.year


def _started(pairs: Sequence[tuple[int, int]]) -> ColumnElement[bool]:
    """Active people whose start day is one of ``pairs``, as for birthdays."""
    return celebrating(pairs, User.start_month, User.start_day)


#: built once, as the feed asks on every visit (see friends_celebrating_on)
_FRIENDS_STARTED = friends_celebrating_on(User.start_month, User.start_day)


# ---------------------------------------------------------------- who celebrates


def todays_anniversaries(viewer: User, *, today: date | None = None) -> list[CelebrationCard]:
    """The viewer's friends with a work anniversary today, for the feed's box."""
    today = today or local_today()
    rows = [(user, True) for user in friends_celebrating_today(_FRIENDS_STARTED, viewer, today)]
    return _cards(viewer, rows, dict.fromkeys(birthdays_on(today), 0), today)


def upcoming_anniversaries(
    viewer: User, days: int = UPCOMING_DAYS, who: str = "friends", *, today: date | None = None
) -> Upcoming:
    """Work anniversaries in the ``days`` days from today (today included), by date then
    name; ``who`` is "friends" or "everyone" (at most :data:`EVERYONE_LIMIT`)."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise Invalid(DAYS_MESSAGE, "days")
    if who not in WHO:
        raise Invalid("Choose whose anniversaries: friends or everyone.", "who")
    today = today or local_today()
    days_ahead = window(today, days)
    key = User.start_month * 100 + User.start_day
    distance = case(
        {month * 100 + day: offset for (month, day), offset in days_ahead.items()}, value=key
    )
    is_friend = User.id.in_(friend_ids(viewer.id))
    everyone = who == "everyone"
    # people who start within the window (no whole year yet) are left out after reading;
    # the limit allows for a few of them
    query = (
        select(User, is_friend if everyone else true())
        .where(
            _started(list(days_ahead)),
            User.start_date < today + timedelta(days=days),
            User.id != viewer.id if everyone else is_friend,
        )
        .order_by(distance, func.lower(User.name), User.username)
    )
    if everyone:
        query = query.limit(EVERYONE_LIMIT + 1)
    rows = [(user, bool(friend)) for user, friend in db.session.execute(query)]
    cards = _cards(viewer, rows, days_ahead, today)
    truncated = everyone and len(cards) > EVERYONE_LIMIT
    return Upcoming(cards[:EVERYONE_LIMIT] if everyone else cards, truncated)


def _cards(
    viewer: User,
    rows: Sequence[tuple[User, bool]],
    days_ahead: dict[tuple[int, int], int],
    today: date,
) -> list[CelebrationCard]:
    greeted = greeted_today(viewer, [user.id for user, _ in rows], today)
    cards = []
    for user, friends in rows:
        assert user.start_date is not None  # they were found by their start day
        offset = days_ahead[(user.start_date.month, user.start_date.day)]
        years = years_on(user.start_date, today + timedelta(days=offset))
        if years < 1:
            continue
        cards.append(
            celebration_card(
                user,
                user.start_date.strftime("%m-%d"),
                today,
                offset,
                can_greet=friends,
                greeted=greeted,
                greeting=default_congratulations(user.name, years),
                years=years,
            )
        )
    return cards


# ---------------------------------------------------------------- congratulations


def congratulate(viewer: User, username: str, text: str | None = None) -> Post:
    """Post congratulations on ``username``'s wall, friends only; empty ``text`` posts the
    default "Happy work anniversary, <first name>! …"."""
    person = active_user(username)
    if person.id == viewer.id:
        raise Invalid("You cannot congratulate yourself.", "username")
    if not are_friends(viewer.id, person.id):
        raise Forbidden(f"You can congratulate {person.name} once you are friends.")
    years = max(years_on(person.start_date, local_today()), 1) if person.start_date else 1
    body = text if text and text.strip() else default_congratulations(person.name, years)
    return create_post(viewer, body, audience=Audience.FRIENDS, wall_owner=person)


# ---------------------------------------------------------------- notices


def record_anniversary_notices(today: date | None = None) -> int:
    """Store a notice for everyone with a work anniversary (one year or more) on ``today``
    who has none yet; returns how many were added. A second run adds nothing."""
    day = today or local_today()
    columns = AnniversaryNotice.__table__.c
    celebrants = select(
        User.id,
        literal(day, columns.celebrated_on.type),
        literal(day.year, columns.years.type) - extract("year", User.start_date),
        literal(utcnow(), columns.created_at.type),
    ).where(_started(birthdays_on(day)), User.start_date < date(day.year, 1, 1))
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(AnniversaryNotice)
        .from_select(["user_id", "celebrated_on", "years", "created_at"], celebrants)
        .on_conflict_do_nothing()
        .returning(AnniversaryNotice.id)
    )
    added = list(db.session.scalars(statement))
    events.anniversaries_noted.send(added)
    db.session.flush()
    return len(added)
