"""Birthday fixtures: a frozen clock, people with birthdays, friends, browsers and API clients.

The clock is frozen by replacing the birthdays service's ``utcnow``: "today" is then whatever
the site's time zone makes of that moment, so no test depends on the day it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from intranet_social.accounts.models import User
from intranet_social.birthdays import service
from intranet_social.birthdays.models import BirthdayNotice
from intranet_social.extensions import db
from intranet_social.posts.models import Post
from tests.cli.conftest import cli  # noqa: F401
from tests.posts.helpers import befriend

#: the frozen moment: Friday 14 March 2025, noon in UTC, already Saturday the 15th (01:00)
#: in Auckland
NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """``clock(moment)`` freezes the birthdays' clock at ``moment`` (UTC); NOW to begin with."""

    def freeze(moment: datetime) -> None:
        monkeypatch.setattr(service, "utcnow", lambda: moment)

    freeze(NOW)
    return freeze


@pytest.fixture
def viewer(make_user: Callable[..., User], clock: Callable[[datetime], None]) -> User:
    return make_user("vera", name="Vera Viewer", birthday="07-01")


@pytest.fixture
def person(make_user: Callable[..., User]) -> Callable[..., User]:
    """``person(username, birthday, friend_of=None, **fields)``: someone with a birthday,
    befriended with ``friend_of`` when given."""

    def _person(
        username: str, birthday: str | None, friend_of: User | None = None, **fields: object
    ) -> User:
        user = make_user(username, birthday=birthday, **fields)
        if friend_of is not None:
            befriend(friend_of, user)
        return user

    return _person


def posts_on_wall(user: User) -> list[Post]:
    db.session.rollback()
    return list(db.session.scalars(select(Post).where(Post.wall_id == user.id)))


def post_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Post)) or 0


def notices() -> list[tuple[str, str]]:
    """(username, day) of every birthday notice, sorted."""
    db.session.rollback()
    rows = db.session.execute(
        select(User.username, BirthdayNotice.celebrated_on).join(
            User, User.id == BirthdayNotice.user_id
        )
    )
    return sorted((username, day.isoformat()) for username, day in rows)
