"""Messaging in a real browser, one person per browser profile: two friends exchange messages
and each sees the other's message and the unread badge appear without reloading. Every page
is checked with axe, and nothing is fetched from another host."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import DESKTOP, Server, WatchedPage, open_page

pytestmark = pytest.mark.browser

#: the list page refreshes every 10 s and a conversation every 3 s; allow for a slow machine
LIST_WAIT_MS = 25_000
CONVERSATION_WAIT_MS = 15_000


@pytest.fixture
def open_browser(browser: Browser, server: Server) -> Iterator[Callable[[], WatchedPage]]:
    """Opens a fresh browser profile for each person; all are closed after the test."""
    with ExitStack() as stack:

        def open_one() -> WatchedPage:
            return stack.enter_context(contextmanager(open_page)(browser, server, DESKTOP))

        yield open_one


def visit(person: WatchedPage, address: str) -> None:
    response = person.page.goto(address)
    assert response is not None and response.status == 200, f"{address}: {response}"
    person.assert_accessible()


def badge(person: WatchedPage):  # noqa: ANN201  (a Playwright locator)
    return person.page.locator('.nav a.nav__link[href="/messages"] .nav__count')


def send(person: WatchedPage, text: str) -> None:
    """Type and send a message; the page stays where it is and shows it."""
    person.page.get_by_label("Message", exact=True).fill(text)
    person.page.get_by_role("button", name="Send").click()
    expect(person.page.locator(".messages")).to_contain_text(text)


def test_two_friends_exchange_messages_without_reloading(
    server: Server, open_browser: Callable[[], WatchedPage]
) -> None:
    mira, otto = open_browser(), open_browser()
    mira.first_sign_in("mira", server.create_user("mira", "Mira Moss"))
    otto.first_sign_in("otto", server.create_user("otto", "Otto Olsen"))

    visit(mira, "/u/otto")
    with mira.page.expect_navigation():
        mira.page.get_by_role("button", name=re.compile(r"^Add friend\b.*Otto Olsen")).click()
    visit(otto, "/friends")
    with otto.page.expect_navigation():
        otto.page.get_by_role("button", name=re.compile(r"^Accept\b.*Mira Moss")).click()

    visit(mira, "/u/otto")
    with mira.page.expect_navigation():
        mira.page.get_by_role("button", name="Message", exact=True).click()
    conversation = mira.path
    assert re.fullmatch(r"/messages/\d+", conversation), conversation
    mira.assert_accessible()

    visit(otto, "/messages")
    expect(badge(otto)).to_have_count(0)
    send(mira, "Lunch at noon? <b>not bold</b>")
    assert mira.path == conversation
    expect(badge(otto)).to_have_text(re.compile(r"^1\b"), timeout=LIST_WAIT_MS)
    otto.assert_accessible()

    visit(otto, conversation)
    expect(otto.page.locator(".messages")).to_contain_text("Lunch at noon? <b>not bold</b>")
    expect(badge(otto)).to_have_count(0)
    send(otto, "Noon works, see you there.")
    expect(mira.page.locator(".messages")).to_contain_text(
        "Noon works, see you there.", timeout=CONVERSATION_WAIT_MS
    )
    assert mira.path == conversation

    visit(mira, "/messages")
    send(otto, "I booked a table.")
    expect(badge(mira)).to_have_text(re.compile(r"^1\b"), timeout=LIST_WAIT_MS)
    mira.assert_accessible()
    for person in (mira, otto):
        person.assert_stayed_local()
