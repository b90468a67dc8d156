"""One signed-in person for the benchmark, set up the way a browser would: the login form,
an API token from the account page, and the feed's "Load more" links."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from intranet_social.accounts.tokens import TOKEN_PREFIX
from intranet_social.devtools.load import Connection, CookieJar
from intranet_social.devtools.server import BenchError

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TOKEN_RE = re.compile(rf"{re.escape(TOKEN_PREFIX)}[A-Za-z0-9_-]+")
#: the feed's own "Load more" link: back to ``/`` with a cursor
NEXT_PAGE_RE = re.compile(r'href="(/\?(?:[^"]*&(?:amp;)?)?cursor=[^"]*)"')
FEED_PAGES = 10
CONVERSATION_RE = re.compile(r"/messages/(\d+)")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class Visitor:
    username: str
    profile: str  # whose profile page this person opens
    #: the slug of the space whose page this person opens (``None``: in no space)
    space: str | None = None
    session: dict[str, str] = field(default_factory=dict)  # the browser's Cookie header
    token: dict[str, str] = field(default_factory=dict)  # Authorization header for the API
    feed_page10: str = "/"
    feed_pages_found: int = 1
    #: the poll of a conversation with the profile's owner, after its newest message
    messages_poll: str = "/"

    def set_up(self, connection: Connection, password: str) -> None:
        """Sign in, make a read-only API token (valid one day), open a conversation with the
        profile's owner, find the feed's tenth page."""
        jar = sign_in(connection, self.username, password)
        self.token = {"Authorization": f"Bearer {create_token(connection, jar)}"}
        self.find_conversation(connection, jar)
        self.session = jar.header()
        self.find_feed_page(connection)

    def find_conversation(self, connection: Connection, jar: CookieJar) -> None:
        """Press "Message" on the profile page, then poll after the newest message."""
        page = connection.request("GET", f"/u/{self.profile}", jar.header())
        jar.take(page)
        form = {"csrf_token": _csrf_token(page.text, "the profile page", page.status)}
        headers = {**jar.header(), **FORM}
        path = f"/messages/with/{self.profile}"
        answer = connection.request("POST", path, headers, urlencode(form).encode())
        jar.take(answer)
        found = CONVERSATION_RE.search(answer.headers.get("Location", ""))
        if answer.status != 302 or found is None:
            raise BenchError(
                f"opening a conversation with {self.profile} failed (HTTP {answer.status})"
            )
        poll = f"/api/v1/conversations/{found[1]}/messages"
        latest = connection.request("GET", f"/api/v1/conversations/{found[1]}", self.token)
        last_id = json.loads(latest.text).get("last_message_id") if latest.status == 200 else None
        self.messages_poll = f"{poll}?after={last_id or 0}"

    def find_feed_page(self, connection: Connection) -> None:
        """Follow "Load more" from the first page to the tenth (or the last there is)."""
        path = "/"
        for page in range(1, FEED_PAGES):
            answer = connection.request("GET", path, self.session)
            found = NEXT_PAGE_RE.search(answer.text) if answer.status == 200 else None
            if found is None:
                break
            path = html.unescape(found[1])
            self.feed_page10, self.feed_pages_found = path, page + 1


def _csrf_token(text: str, where: str, status: int) -> str:
    match = CSRF_RE.search(text)
    if status != 200 or match is None:
        raise BenchError(f"{where} answered HTTP {status} without a form")
    return html.unescape(match[1])


def sign_in(connection: Connection, username: str, password: str) -> CookieJar:
    """Sign in through the login form, as a browser does; returns the browser's cookies."""
    jar = CookieJar()
    page = connection.request("GET", "/login")
    jar.take(page)
    form = {
        "username": username,
        "password": password,
        "csrf_token": _csrf_token(page.text, "the login page", page.status),
    }
    answer = connection.request(
        "POST", "/login", {**jar.header(), **FORM}, urlencode(form).encode()
    )
    jar.take(answer)
    if answer.status != 302 or "/account/password" in answer.headers.get("Location", ""):
        raise BenchError(
            f"signing in as {username} failed (HTTP {answer.status}); "
            "use the password given to scripts/seed"
        )
    return jar


def create_token(connection: Connection, jar: CookieJar) -> str:
    """A read-scope token made on the account page, as a person would make one."""
    page = connection.request("GET", "/account", jar.header())
    jar.take(page)  # the session now holds the page's CSRF secret
    form = {
        "name": "benchmark",
        "scope": "read",
        "expires_days": "1",
        "csrf_token": _csrf_token(page.text, "the account page", page.status),
    }
    answer = connection.request(
        "POST", "/account/tokens", {**jar.header(), **FORM}, urlencode(form).encode()
    )
    jar.take(answer)
    # The page also lists older tokens by their first characters; the new one is whole.
    shown = TOKEN_RE.findall(answer.text) if answer.status == 200 else []
    secret = max(shown, key=len, default="")
    if len(secret) < 40:
        raise BenchError(f"creating an API token on the account page failed (HTTP {answer.status})")
    return secret
