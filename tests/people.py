"""The people the feature tests share, and how they reach the site.

Ana writes; Ben and Dee are her friends; Cyd knows nobody. The posts and feed tests call
them by their part (``author``, ``friend``, ``stranger``): the same people. ``browser(user)``
signs a new client in, ``api(user)`` gives one a fresh token. Registered for every test in
``tests/conftest.py``; a test package with people of its own overrides a name in its
conftest.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from intranet_social.accounts import tokens
from intranet_social.accounts.models import User
from intranet_social.extensions import db
from tests.posts.helpers import Api, Browser, befriend


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


@pytest.fixture
def author(ana: User) -> User:
    return ana


@pytest.fixture
def friend(ben: User) -> User:
    return ben


@pytest.fixture
def stranger(cyd: User) -> User:
    return cyd


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
