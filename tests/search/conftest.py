"""Fixtures for search: people in departments, a friend and a stranger of their own (in place
of the shared ones), and a request context."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from intranet_social.accounts.models import User
from tests.posts.helpers import befriend


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
def in_request(app: Flask) -> Iterator[None]:
    """A request context, for services that build the URLs of what they return."""
    with app.test_request_context("/"):
        yield
