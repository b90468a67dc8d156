"""The feed tests use the people, browsers and API clients of the posts tests."""

from tests.posts.conftest import api, author, browser, friend, stranger  # noqa: F401
