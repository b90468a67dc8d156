"""Notification fixtures: Ana, her friends Ben and Dee, Cyd whom nobody knows; browsers and
API clients; and what a refused request must leave unchanged."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.notifications.models import Notification
from tests.posts.conftest import api, browser  # noqa: F401
from tests.posts.helpers import befriend


@pytest.fixture
def ana(make_user: Callable[..., User]) -> User:
    return make_user("ana", name="Ana Author")


@pytest.fixture
def ben(make_user: Callable[..., User], ana: User) -> User:
    user = make_user("ben", name="Ben Friend")
    befriend(ana, user)
    return user


@pytest.fixture
def dee(make_user: Callable[..., User], ana: User) -> User:
    user = make_user("dee", name="Dee Friend")
    befriend(ana, user)
    return user


@pytest.fixture
def cyd(make_user: Callable[..., User]) -> User:
    return make_user("cyd", name="Cyd Stranger")


def inbox(user: User) -> list[tuple[str, int | None]]:
    """``user``'s notifications as (kind, actor id), oldest first."""
    rows = db.session.execute(
        select(Notification.kind, Notification.actor_id)
        .where(Notification.user_id == user.id)
        .order_by(Notification.id)
    )
    return [(kind, actor_id) for kind, actor_id in rows]


def snapshot() -> list[tuple[int, int, str, bool]]:
    """Every notification as (id, recipient, kind, read), to compare before and after."""
    rows = db.session.execute(
        select(
            Notification.id, Notification.user_id, Notification.kind, Notification.read_at
        ).order_by(Notification.id)
    )
    return [(id_, user_id, kind, read_at is not None) for id_, user_id, kind, read_at in rows]
