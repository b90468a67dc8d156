"""Fixtures for posts, walls and the feed: people in their places, browsers and API clients."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from intranet_social.accounts import tokens
from intranet_social.accounts.models import User
from intranet_social.extensions import db
from tests.posts.helpers import Api, Browser, befriend


@pytest.fixture
def author(make_user: Callable[..., User]) -> User:
    return make_user("ana", name="Ana Author")


@pytest.fixture
def friend(make_user: Callable[..., User], author: User) -> User:
    user = make_user("ben", name="Ben Friend")
    befriend(author, user)
    return user


@pytest.fixture
def stranger(make_user: Callable[..., User]) -> User:
    return make_user("cyd", name="Cyd Stranger")


@pytest.fixture
def browser(app: Flask) -> Callable[[User], Browser]:
    """``browser(user)``: a new client signed in as ``user``."""
    return lambda user: Browser(app.test_client(), user)


@pytest.fixture
def api(app: Flask) -> Callable[..., Api]:
    """``api(user, scope="write")``: an API client with a fresh token of ``user``."""

    def _api(user: User, scope: str = "write") -> Api:
        new = tokens.create_token(user, name="test", scope=scope)
        db.session.commit()
        return Api(app.test_client(), new.secret)

    return _api
