"""Every main page works with no internet: loaded by a browser that aborts any request to
another host, each page renders completely (styles, scripts, pictures) from the server alone,
asks nothing of any other address, and passes axe."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Request, Response, expect
from playwright.sync_api import Error as PlaywrightError

from intranet_social.config import load_config
from tests.browser.conftest import DESKTOP, ONE_TIME_PASSWORD_RE, Server, WatchedPage, open_page
from tests.browser.sample_media import jpeg

pytestmark = pytest.mark.browser

USERNAME = "olive"
NAME = "Olive Offline"
POST_TEXT = "Posted on a network with no way out."
#: loads every picture (also lazy ones) and reports what the page shows and loaded
RENDER_STATE = """
async () => {
  const images = Array.from(document.images);
  for (const image of images) {
    image.loading = "eager";
  }
  await Promise.all(images.map((image) => image.decode().catch(() => null)));
  const heading = document.querySelector("h1");
  return {
    heading: heading ? heading.textContent.trim() : null,
    stylesheets: document.querySelectorAll('link[rel="stylesheet"]').length,
    styledSheets: Array.from(document.styleSheets).filter((s) => s.cssRules.length > 0).length,
    script: typeof window.IntranetSocial === "object",
    brokenImages: images
      .filter((image) => !(image.complete && image.naturalWidth > 0))
      .map((image) => image.currentSrc || image.src),
  };
}
"""


@dataclass
class Member:
    cookies: list[Any]
    post_id: int


@dataclass
class Trouble:
    """What went wrong while a page loaded, besides the page's own status."""

    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def watch(self, person: WatchedPage) -> None:
        page = person.page
        page.on("requestfailed", self.request_failed)
        page.on("response", self.response)
        page.on("console", self.console_message)
        page.on("pageerror", lambda error: self.console.append(f"script error: {error}"))

    def request_failed(self, request: Request) -> None:
        self.failed.append(f"{request.url}: {request.failure}")

    def response(self, response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.errors.append(f"{response.url}: {response.status}")

    def console_message(self, message: ConsoleMessage) -> None:
        # A navigation answered with an error status is logged too; it is checked elsewhere.
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.console.append(message.text)

    def assert_none(self) -> None:
        assert not (self.failed or self.errors or self.console), (
            f"failed requests: {self.failed}\nerror answers: {self.errors}\n"
            f"console errors (a refused script or style shows here): {self.console}"
        )


@pytest.fixture(scope="module")
def member(browser: Browser, server: Server) -> Iterator[Member]:
    """A signed-in member with a profile photo and a post with a photo; their cookies."""
    result = server.cli(
        "user", "create", USERNAME, "--email", f"{USERNAME}@corp.example", "--name", NAME
    )
    match = ONE_TIME_PASSWORD_RE.search(result.stdout)
    assert match, result.stdout
    with contextmanager(open_page)(browser, server, DESKTOP) as person:
        person.first_sign_in(USERNAME, match.group(1))
        page = person.page
        page.goto("/account/profile")
        page.get_by_label("New profile photo").set_input_files(
            files=[{"name": "me.jpg", "mimeType": "image/jpeg", "buffer": jpeg("#8c564b")}]
        )
        page.get_by_role("button", name="Upload profile photo").click()
        expect(page.get_by_text("Your photo is uploaded.")).to_be_visible()

        page.goto("/")
        page.get_by_label("What's on your mind?").fill(POST_TEXT)
        page.get_by_label("Photos").set_input_files(
            files=[{"name": "view.jpg", "mimeType": "image/jpeg", "buffer": jpeg("#17becf")}]
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Post", exact=True).click()
        post = page.locator("article.post").filter(has_text=POST_TEXT)
        expect(post).to_have_count(1)
        post_id = int(post.get_attribute("id").removeprefix("post-"))
        yield Member(person.page.context.cookies(), post_id)


def load(person: WatchedPage, address: str, status: int) -> None:
    """Open ``address``; check its status, that it rendered whole and offline, and axe."""
    trouble = Trouble()
    trouble.watch(person)
    response = person.page.goto(address)
    assert response is not None and response.status == status, (
        f"{address} answered {response and response.status}, expected {status}"
    )
    assert response.headers["content-type"].startswith("text/html")
    state = person.page.evaluate(RENDER_STATE)
    assert state["heading"], f"{address} shows no heading"
    assert state["stylesheets"] and state["styledSheets"] == state["stylesheets"], (
        f"{address}: {state['styledSheets']} of {state['stylesheets']} style sheets loaded"
    )
    assert state["script"], f"{address}: the site's script did not run"
    assert not state["brokenImages"], f"{address}: pictures that did not load"
    trouble.assert_none()
    person.assert_stayed_local()
    person.assert_accessible()


def registration_status(server: Server) -> int:
    """``/register`` answers 403 when the site takes no registrations, else the form."""
    return 403 if load_config(server.config).security.registration == "closed" else 200


@pytest.mark.parametrize("address", ["/login", "/register", "/no/such/page"])
def test_signed_out_visitor_gets_every_page_from_the_server_alone(server, web, address):
    expected = {"/register": registration_status(server), "/no/such/page": 404}
    load(web, address, expected.get(address, 200))


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/", 200),
        (f"/u/{USERNAME}", 200),
        ("/people", 200),
        ("/friends", 200),
        ("/birthdays", 200),
        ("/org", 200),
        (f"/org/{USERNAME}", 200),
        ("/account", 200),
        ("/account/profile", 200),
        ("/account/password", 200),
        ("/search?q=olive", 200),
        ("/search?q=network&type=posts", 200),
        ("/posts/{post_id}", 200),
        ("/posts/{post_id}/edit", 200),
        ("/posts/999999999", 404),
        ("/u/nobody-here", 404),
        ("/no/such/page", 404),
    ],
)
def test_member_gets_every_page_from_the_server_alone(member, web, address, status):
    web.page.context.add_cookies(member.cookies)
    load(web, address.format(post_id=member.post_id), status)


def test_api_document_loads_from_the_server_alone(web):
    trouble = Trouble()
    trouble.watch(web)
    response = web.page.goto("/api/v1/openapi.json")
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["openapi"].startswith("3.1")
    trouble.assert_none()
    web.assert_stayed_local()


def test_a_request_to_another_host_is_aborted_and_reported(web):
    """The guard every browser test relies on: it stops and reports an outside request."""
    web.page.goto("/login")
    # A navigation: the site's own Content-Security-Policy would stop a fetch before the guard.
    with pytest.raises(PlaywrightError, match="ERR_BLOCKED_BY_CLIENT"):
        web.page.goto("http://192.0.2.1/beacon")
    assert web.blocked == ["http://192.0.2.1/beacon"]
    with pytest.raises(AssertionError, match="192.0.2.1"):
        web.assert_stayed_local()
