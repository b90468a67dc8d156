"""People who message each other, signed-in browsers and API clients for the messaging tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.messaging.models import Block, Conversation, ConversationMember, Message
from intranet_social.site_settings.models import SiteSetting
from tests.posts.conftest import api, browser  # noqa: F401
from tests.posts.helpers import befriend


@pytest.fixture(autouse=True)
def friends_only(app: Flask) -> None:
    """Only friends may message each other (the product's rule unless an admin widens it)."""
    with app.app_context():
        db.session.merge(SiteSetting(key="messaging", value="friends"))
        db.session.commit()


@pytest.fixture
def ana(make_user: Callable[..., User]) -> User:
    return make_user("ana", name="Ana Sender")


@pytest.fixture
def ben(make_user: Callable[..., User], ana: User) -> User:
    user = make_user("ben", name="Ben Friend")
    befriend(ana, user)
    return user


@pytest.fixture
def cyd(make_user: Callable[..., User]) -> User:
    return make_user("cyd", name="Cyd Stranger")


def counts() -> dict[str, int]:
    """Rows in every messaging table: what a refused request must leave unchanged."""
    db.session.rollback()
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Conversation, ConversationMember, Message, Block)
    }
