"""Fixtures for search: people in departments, friends and strangers, posts of each kind."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from intranet_social.accounts import tokens
from intranet_social.accounts.models import User
from intranet_social.extensions import db
from tests.posts.helpers import Api, Browser, befriend


@pytest.fixture
def searcher(make_user: Callable[..., User]) -> User:
    return make_user("sam.searcher", name="Sam Searcher", department="Sales")


@pytest.fixture
def friend(make_user: Callable[..., User], searcher: User) -> User:
    user = make_user("fay.friend", name="Fay Friend", department="Legal")
    befriend(searcher, user)
    return user


@pytest.fixture
def stranger(make_user: Callable[..., User]) -> User:
    return make_user("sid.stranger", name="Sid Stranger", department="Legal")


@pytest.fixture
def browser(app: Flask) -> Callable[[User], Browser]:
    """``browser(user)``: a new client signed in as ``user``."""
    return lambda user: Browser(app.test_client(), user)


@pytest.fixture
def api(app: Flask) -> Callable[..., Api]:
    """``api(user, scope="read")``: an API client with a fresh token of ``user``."""

    def _api(user: User, scope: str = "read") -> Api:
        new = tokens.create_token(user, name="test", scope=scope)
        db.session.commit()
        return Api(app.test_client(), new.secret)

    return _api


@pytest.fixture
def in_request(app: Flask) -> Iterator[None]:
    """A request context, for services that build the URLs of what they return."""
    with app.test_request_context("/"):
        yield
