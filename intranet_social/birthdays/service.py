"""Birthdays: who celebrates today and in the coming days, greetings, and the daily notices.

**Today** is the date in the site's time zone (``[site] timezone``), not in UTC: at 01:00 in
Auckland it is already tomorrow there while UTC is still on yesterday. A birthday on 29
February is celebrated on 28 February in years that have no 29th.

**Privacy**: only the day and month ("MM-DD") ever leave this module; the year of birth
(``User.birth_year``) is neither returned nor shown.

**Greeting** someone is writing a friends-only post on their wall, so it needs what every
wall post needs: being their friend. It is allowed on any day (a belated or an early
greeting is still kind); the pages offer the form first on the day itself.

**Notices**: :func:`record_birthday_notices` stores one :class:`BirthdayNotice` per person
celebrating on a day (a unique ``(user_id, celebrated_on)`` makes a second run add nothing).
``intranet-social birthdays notify`` runs it from the timer ``install`` sets up (hourly, so
the day's notices come soon after midnight in the site's time zone, whatever the server's
clock says, and someone who sets today as their birthday later in the day still gets one).
Pages never write them: a GET does not write (``core/transaction.py``); the "Birthdays
today" box is computed on read. Each new notice tells the celebrant's friends, in the same
transaction (``events.birthdays_noted``, heard by notifications).

Functions only ``flush()``; the caller commits.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import QueryableAttribute

from intranet_social.accounts.models import Status, User
from intranet_social.birthdays.models import BirthdayNotice
from intranet_social.core import events
from intranet_social.core.errors import Forbidden, Invalid
from intranet_social.core.models import utcnow
from intranet_social.core.reads import Packed
from intranet_social.core.settings import current_config
from intranet_social.extensions import db
from intranet_social.friends.cards import PersonRef, ProfileCard, profile_cards
from intranet_social.friends.models import Friendship
from intranet_social.friends.service import active_user, are_friends, friend_ids
from intranet_social.media.avatars import SMALL_AVATAR, avatar_url
from intranet_social.posts.models import Audience, Post
from intranet_social.posts.service import create_post

Who = Literal["friends", "everyone"]
WHO: tuple[Who, ...] = ("friends", "everyone")
UPCOMING_DAYS = 30
MAX_DAYS = 60
#: the longest "everyone" list: about a month of birthdays in a company of 2,400. A larger
#: company sees the nearest 200 (the page says the list was cut; the API documents it).
EVERYONE_LIMIT = 200
DAYS_MESSAGE = f"days must be a whole number from 1 to {MAX_DAYS}."


@dataclass(frozen=True)
class CelebrationCard:
    """Someone's coming birthday or work anniversary as the viewer sees it; never with the
    year of birth."""

    user_id: int
    person: PersonRef
    #: the birthday, or the start date's month and day, "MM-DD" (29 February stays "02-29"
    #: when celebrated on the 28th)
    date: str
    #: the day it is celebrated within the window, in the site's time zone (``dt.date``: the
    #: field ``date`` above hides the type's name in this class)
    celebrated_on: dt.date
    is_today: bool
    days_until: int
    #: whether the viewer may post the greeting: friends only, as for any wall post
    can_greet: bool
    #: whether the viewer has already written on the person's wall today
    greeted: bool
    #: the default greeting or congratulations, for the form to prefill
    greeting: str
    #: whole years worked here on the day, for a work anniversary; None for a birthday
    years: int | None = None

    @property
    def first_name(self) -> str:
        return first_name(self.person.name)

    @property
    def day_text(self) -> str:
        return day_text(self.days_until, self.celebrated_on)

    @property
    def years_text(self) -> str:
        return f"{self.years} year{'s' if self.years != 1 else ''}"


@dataclass(frozen=True)
class Upcoming:
    cards: list[CelebrationCard]
    #: whether more people celebrate in the window than the list holds
    truncated: bool


# ---------------------------------------------------------------- dates


def day_text(days_until: int, day: date) -> str:
    """Today, Tomorrow, or the weekday and date like Saturday 14 March; never a year."""
    if days_until == 0:
        return "Today"
    if days_until == 1:
        return "Tomorrow"
    return f"{calendar.day_name[day.weekday()]} {day.day} {calendar.month_name[day.month]}"


def local_today() -> date:
    """Today's date in the site's time zone."""
    return utcnow().astimezone(current_config().tz).date()


def birthdays_on(day: date) -> list[tuple[int, int]]:
    """The (month, day) birthdays celebrated on ``day``: 29 February ones fall on the 28th
    in years without a 29th."""
    pairs = [(day.month, day.day)]
    if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
        pairs.append((2, 29))
    return pairs


def window(today: date, days: int) -> dict[tuple[int, int], int]:
    """Each (month, day) celebrated in the ``days`` days from ``today``, with its distance."""
    return {
        pair: offset
        for offset in range(days)
        for pair in birthdays_on(today + timedelta(days=offset))
    }


def celebrating(
    pairs: Sequence[tuple[int | BindParameter[int], int | BindParameter[int]]],
    month: QueryableAttribute[int | None] = User.birthday_month,
    day: QueryableAttribute[int | None] = User.birthday_day,
) -> ColumnElement[bool]:
    """Active people whose day (their birthday, or the ``month`` and ``day`` columns given:
    a start date's) is one of ``pairs``: an indexed (month, day) look-up (one ``month = ?
    AND day = ?`` term per pair, which SQLite answers from the index, where it scans for a
    row-value ``IN``)."""
    return (User.status == Status.ACTIVE) & or_(
        *((month == month_) & (day == day_) for month_, day_ in pairs)
    )


def first_name(name: str) -> str:
    return (name.split() or [name])[0]


def default_greeting(name: str) -> str:
    return f"Happy birthday, {first_name(name)}!"


# ---------------------------------------------------------------- who celebrates


def friends_celebrating_on(
    month: QueryableAttribute[int | None], day: QueryableAttribute[int | None]
) -> Packed:
    """Built once per kind of day, as the feed asks on every visit: the ids of the viewer's
    friends whose ``month`` and ``day`` are either of two pairs (the day's own twice, or 28
    and 29 February in a common year); on most days none of them. It starts from the
    viewer's friendships and looks each friend up by id: with the filters on users first,
    SQLite walks every active person."""
    return Packed(
        select(User.id)
        .select_from(Friendship)
        .join(User, User.id == Friendship.friend_id)
        .where(
            Friendship.user_id == bindparam("viewer"),
            celebrating(
                [(bindparam(f"month{n}"), bindparam(f"day{n}")) for n in (1, 2)], month, day
            ),
        ),
        unordered=True,
    )


def friends_celebrating_today(statement: Packed, viewer: User, today: date) -> list[User]:
    """The viewer's friends that ``statement`` (:func:`friends_celebrating_on`) finds for
    ``today``, by name."""
    pairs = birthdays_on(today)
    (month1, day1), (month2, day2) = pairs[0], pairs[-1]
    params = {"viewer": viewer.id, "month1": month1, "day1": day1, "month2": month2, "day2": day2}
    ids = [user_id for (user_id,) in statement.rows(params)]
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(User).where(User.id.in_(ids)).order_by(func.lower(User.name), User.username)
        )
    )


_FRIENDS_CELEBRATING = friends_celebrating_on(User.birthday_month, User.birthday_day)


def todays_birthdays(viewer: User, *, today: date | None = None) -> list[CelebrationCard]:
    """The viewer's friends celebrating today, by name, for the feed's "Birthdays today"."""
    today = today or local_today()
    people = friends_celebrating_today(_FRIENDS_CELEBRATING, viewer, today)
    return _birthday_cards(
        viewer, [(user, True) for user in people], dict.fromkeys(birthdays_on(today), 0), today
    )


def upcoming_birthdays(
    viewer: User, days: int = UPCOMING_DAYS, who: str = "friends", *, today: date | None = None
) -> Upcoming:
    """Birthdays in the ``days`` days from today (today included), by date then name.

    ``who`` is "friends" (the viewer's friends) or "everyone" (every active person but the
    viewer, at most :data:`EVERYONE_LIMIT`)."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise Invalid(DAYS_MESSAGE, "days")
    if who not in WHO:
        raise Invalid("Choose whose birthdays: friends or everyone.", "who")
    limit = EVERYONE_LIMIT if who == "everyone" else None
    return _cards(viewer, today or local_today(), days, who, limit=limit)


def _cards(viewer: User, today: date, days: int, who: str, *, limit: int | None) -> Upcoming:
    days_ahead = window(today, days)
    key = User.birthday_month * 100 + User.birthday_day
    distance = case(
        {month * 100 + day: offset for (month, day), offset in days_ahead.items()}, value=key
    )
    is_friend = User.id.in_(friend_ids(viewer.id))
    everyone = who == "everyone"
    query = (
        select(User, is_friend if everyone else true())
        .where(celebrating(list(days_ahead)), User.id != viewer.id if everyone else is_friend)
        .order_by(distance, func.lower(User.name), User.username)
    )
    if limit is not None:
        query = query.limit(limit + 1)
    rows = list(db.session.execute(query))
    truncated = limit is not None and len(rows) > limit
    rows = rows[:limit] if limit is not None else rows
    return Upcoming(_birthday_cards(viewer, rows, days_ahead, today), truncated)


def _birthday_cards(
    viewer: User,
    rows: Sequence[tuple[User, bool]],
    days_ahead: dict[tuple[int, int], int],
    today: date,
) -> list[CelebrationCard]:
    """Cards for the (person, is a friend) ``rows``, whose birthdays fall in ``days_ahead``."""
    greeted = greeted_today(viewer, [user.id for user, _ in rows], today)
    cards = []
    for user, friends in rows:
        # the rows are people celebrating in the window, so with a birthday
        assert user.birthday_month is not None and user.birthday_day is not None
        offset = days_ahead[(user.birthday_month, user.birthday_day)]
        cards.append(
            celebration_card(
                user,
                user.birthday or "",
                today,
                offset,
                can_greet=bool(friends),
                greeted=greeted,
                greeting=default_greeting(user.name),
            )
        )
    return cards


def celebration_card(
    user: User,
    month_day: str,
    today: date,
    offset: int,
    *,
    can_greet: bool,
    greeted: set[int],
    greeting: str,
    years: int | None = None,
) -> CelebrationCard:
    """The card of ``user``, who celebrates ``month_day`` ("MM-DD") ``offset`` days from
    ``today``; ``greeted`` holds the ids of the people the viewer wrote to today."""
    return CelebrationCard(
        user_id=user.id,
        person=PersonRef(user.username, user.name, avatar_url(user, SMALL_AVATAR)),
        date=month_day,
        celebrated_on=today + timedelta(days=offset),
        is_today=offset == 0,
        days_until=offset,
        can_greet=can_greet,
        greeted=user.id in greeted,
        greeting=greeting,
        years=years,
    )


def greeted_today(viewer: User, user_ids: list[int], today: date) -> set[int]:
    """Whose walls among ``user_ids`` the viewer wrote on since today began (site time)."""
    if not user_ids:
        return set()
    start = datetime.combine(today, time.min, tzinfo=current_config().tz)
    query = select(Post.wall_id).where(
        Post.author_id == viewer.id, Post.wall_id.in_(user_ids), Post.created_at >= start
    )
    return set(db.session.scalars(query))


def profiles_of(viewer: User, cards: Sequence[CelebrationCard]) -> dict[int, ProfileCard]:
    """The full profile cards of the people in ``cards``, by user id, for the API."""
    if not cards:
        return {}
    users = db.session.scalars(select(User).where(User.id.in_([c.user_id for c in cards])))
    return {card.user_id: card for card in profile_cards(viewer, list(users))}


# ---------------------------------------------------------------- greeting


def greet_birthday(viewer: User, username: str, text: str | None = None) -> Post:
    """Post a birthday greeting on ``username``'s wall, friends only; empty ``text`` posts
    the default "Happy birthday, <first name>!"."""
    person = active_user(username)
    if person.id == viewer.id:
        raise Invalid("You cannot send yourself a birthday greeting.", "username")
    if not are_friends(viewer.id, person.id):
        raise Forbidden(f"You can greet {person.name} once you are friends.")
    body = text if text and text.strip() else default_greeting(person.name)
    return create_post(viewer, body, audience=Audience.FRIENDS, wall_owner=person)


# ---------------------------------------------------------------- notices


def record_birthday_notices(today: date | None = None) -> int:
    """Store a notice for everyone celebrating on ``today`` (default: today in the site's
    time zone) who has none yet; returns how many were added. Running it twice adds
    nothing the second time, even when two processes run it at once."""
    day = today or local_today()
    columns = BirthdayNotice.__table__.c
    celebrants = select(
        User.id,
        literal(day, columns.celebrated_on.type),
        literal(utcnow(), columns.created_at.type),
    ).where(celebrating(birthdays_on(day)))
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(BirthdayNotice)
        .from_select(["user_id", "celebrated_on", "created_at"], celebrants)
        .on_conflict_do_nothing()
        .returning(BirthdayNotice.id)
    )
    added = list(db.session.scalars(statement))
    events.birthdays_noted.send(added)
    db.session.flush()
    return len(added)
