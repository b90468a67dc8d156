"""The notification centre in a real browser: colleagues send a person a friend request, like
(two of them) and comment on her post, write on her wall and mention her, over the JSON API
with their own tokens; she sees each on /notifications (the two likes as one entry), the
badge counts them, "Mark read" and "Mark all read" work, and each entry leads to what it is
about. Every page is checked with axe, and nothing is fetched from another host."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest
from playwright.sync_api import APIRequestContext, Browser, Playwright, expect

from tests.browser.conftest import DESKTOP, Server, WatchedPage, open_page

pytestmark = pytest.mark.browser

PEOPLE = {"nora": "Nora North", "ivo": "Ivo Ilves", "lia": "Lia Lind", "kai": "Kai Kern"}
SECRET_LINE = re.compile(r"^isk_\S+$", re.MULTILINE)


@pytest.fixture
def open_browser(browser: Browser, server: Server) -> Iterator[Callable[[], WatchedPage]]:
    """Opens a fresh browser profile for each person; all are closed after the test."""
    with ExitStack() as stack:

        def open_one() -> WatchedPage:
            return stack.enter_context(contextmanager(open_page)(browser, server, DESKTOP))

        yield open_one


class Client:
    """One person's API calls over HTTP with a write-scope token made by the CLI."""

    def __init__(self, playwright: Playwright, server: Server, username: str) -> None:
        output = server.cli("token", "create", username, "--scope", "write").stdout
        secret = SECRET_LINE.search(output)
        assert secret, f"no token in the output:\n{output}"
        self.request: APIRequestContext = playwright.request.new_context(
            base_url=server.origin,
            extra_http_headers={"Authorization": f"Bearer {secret.group(0)}"},
        )

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        answer = self.request.fetch(f"/api/v1{path}", method=method, data=body)
        assert answer.ok, f"{method} {path}: {answer.status} {answer.text()}"
        return answer.json()


def badge(person: WatchedPage):  # noqa: ANN201  (a Playwright locator)
    return person.page.locator('.nav a.nav__link[href="/notifications"] .nav__count')


def visit(person: WatchedPage, address: str) -> None:
    response = person.page.goto(address)
    assert response is not None and response.status == 200, f"{address}: {response}"
    person.assert_accessible()


def entry(person: WatchedPage, text: str | re.Pattern[str]):  # noqa: ANN201
    return person.page.locator(".notification").filter(has_text=text)


def test_a_person_sees_reads_and_follows_her_notifications(
    server: Server, playwright: Playwright, open_browser: Callable[[], WatchedPage]
) -> None:
    pages: dict[str, WatchedPage] = {}
    for username, name in PEOPLE.items():
        pages[username] = open_browser()
        pages[username].first_sign_in(username, server.create_user(username, name))
    nora = pages["nora"]
    api = {username: Client(playwright, server, username) for username in PEOPLE}
    try:
        post = api["nora"].call(
            "POST", "/posts", {"body": "Cake in the kitchen", "audience": "everyone"}
        )
        api["nora"].call("POST", "/friends/requests", {"username": "lia"})
        [request] = api["lia"].call("GET", "/friends/requests")["incoming"]
        api["lia"].call("POST", f"/friends/requests/{request['id']}/accept")
        api["lia"].call("POST", f"/posts/{post['id']}/like")
        api["kai"].call("POST", f"/posts/{post['id']}/like")
        comment = api["lia"].call("POST", f"/posts/{post['id']}/comments", {"body": "Which cake?"})
        wall = api["lia"].call("POST", "/posts", {"body": "Welcome back!", "wall": "nora"})
        mention = api["kai"].call(
            "POST", "/posts", {"body": "Thanks @nora for the cake", "audience": "everyone"}
        )
        api["ivo"].call("POST", "/friends/requests", {"username": "nora"})
        unread = api["nora"].call("GET", "/notifications/unread")["notifications"]
    finally:
        for client in api.values():
            client.request.dispose()
    assert unread == 6

    visit(nora, "/notifications")
    expect(badge(nora)).to_have_text(re.compile(r"^6\b"))
    expected = {
        "Ivo Ilves sent you a friend request.": "/friends",
        "Kai Kern mentioned you in a post.": f"/posts/{mention['id']}",
        "Lia Lind wrote on your wall.": f"/posts/{wall['id']}",
        "Lia Lind commented on your post.": f"/posts/{post['id']}#comment-{comment['id']}",
        "Kai Kern and 1 other liked your post.": f"/posts/{post['id']}",
        "Lia Lind accepted your friend request.": "/u/lia",
    }
    entries = nora.page.locator(".notification")
    expect(entries).to_have_count(len(expected))
    expect(nora.page.locator(".notification--unread")).to_have_count(len(expected))
    for text, address in expected.items():
        expect(entry(nora, text).locator("a.notification__text")).to_have_attribute("href", address)

    with nora.page.expect_navigation():
        entry(nora, "Ivo Ilves sent you a friend request.").get_by_role(
            "button", name=re.compile(r"^Mark read\b")
        ).click()
    assert nora.path == "/notifications"
    nora.assert_accessible()
    expect(badge(nora)).to_have_text(re.compile(r"^5\b"))
    expect(entry(nora, "Ivo Ilves sent you a friend request.")).not_to_have_class(
        re.compile(r"notification--unread")
    )
    expect(nora.page.locator(".notification--unread")).to_have_count(5)

    for text, address, shows in (
        ("Lia Lind commented on your post.", f"/posts/{post['id']}", "Which cake?"),
        ("Kai Kern mentioned you in a post.", f"/posts/{mention['id']}", "Thanks @nora"),
        ("Ivo Ilves sent you a friend request.", "/friends", "Ivo Ilves"),
    ):
        with nora.page.expect_navigation():
            entry(nora, text).locator("a.notification__text").click()
        assert nora.path == address, nora.page.url
        expect(nora.page.locator("main")).to_contain_text(shows)
        nora.assert_accessible()
        visit(nora, "/notifications")

    with nora.page.expect_navigation():
        nora.page.get_by_role("button", name="Mark all read").click()
    assert nora.path == "/notifications"
    nora.assert_accessible()
    expect(badge(nora)).to_have_count(0)
    expect(nora.page.locator(".notification--unread")).to_have_count(0)
    expect(nora.page.get_by_role("button", name="Mark all read")).to_have_count(0)
    expect(entries).to_have_count(len(expected))
    for person in pages.values():
        person.assert_stayed_local()
