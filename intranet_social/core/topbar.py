"""The top bar every page opens with, rendered once per distinct bar and kept per process
(:mod:`intranet_social.core.fragments`).

Its HTML depends on the :class:`TopBar` alone: who is signed in (name, whether they may use
the site yet, whether they moderate), the unread counts, the page's endpoint (the current
link, the search box's text), the site's name and registration, and the URL root. Signing
in, a new message or a renamed site makes another bar, so none is ever stale.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import Flask, current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup

from intranet_social.core.fragments import Fragments
from intranet_social.core.memo import app_cache

TEMPLATE = "_topbar.html"
#: bars kept per process: a few pages for each of many people, about 1.5 MB
MAX_BARS = 512
#: the search box shows a query this long at most when kept; a longer one is rendered once
MAX_KEPT_QUERY = 200
SEARCH_ENDPOINT = "search.show_results"


class TopBar(NamedTuple):
    root: str
    endpoint: str | None
    site_name: str
    registration_open: bool
    brand_mark: str
    signed_in: bool
    #: signed in and free to use the site (no password change pending): nav and search show
    member: bool
    name: str
    is_moderator: bool
    messages: int
    notifications: int
    search_q: str


def _bars() -> Fragments:
    return app_cache(current_app, "topbar", lambda: Fragments(MAX_BARS))


def top_bar(site_name: str, registration_open: bool, messages: int, notifications: int) -> Markup:
    """The top bar's HTML for this request, with the session's CSRF token."""
    signed_in = bool(current_user.is_authenticated)
    member = signed_in and not current_user.must_change_password
    endpoint = request.endpoint
    search_q = request.args.get("q", "") if member and endpoint == SEARCH_ENDPOINT else ""
    bar = TopBar(
        root=request.script_root,
        endpoint=endpoint,
        site_name=site_name,
        registration_open=registration_open,
        brand_mark=url_for("static", filename="img/favicon.svg"),
        signed_in=signed_in,
        member=member,
        name=current_user.name if signed_in else "",
        is_moderator=member and current_user.is_moderator,
        messages=messages,
        notifications=notifications,
        search_q=search_q,
    )
    bars = _bars()
    if len(search_q) > MAX_KEPT_QUERY:
        return bars.with_token(bars.render_once(TEMPLATE, bar=bar))
    return bars.with_token(bars.render(TEMPLATE, bar, bar=bar))


def init_app(app: Flask) -> None:
    app.add_template_global(top_bar)
