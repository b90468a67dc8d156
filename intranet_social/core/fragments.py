"""Parts of pages rendered once and reused across requests.

Lists of posts and the post composer cost more to render than the rest of their page. A
fragment's HTML is kept under a key that its caller makes of *everything* the template shows
(for a post card: the card itself, with the viewer's part of it, and the page it sits on), so
a change to any of it makes a new key and nothing stale can be shown (see
:mod:`intranet_social.core.memo`).

The one value in such HTML that is not in its key is the session's CSRF token: fragments are
rendered with a per-process random marker in its place, which :meth:`Fragments.with_token`
replaces on the way out; a fragment that comes out holding the real token is refused.
"""

from __future__ import annotations

import secrets
from collections.abc import Hashable
from typing import Any

from flask import current_app, g
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from intranet_social.core.memo import BoundedCache, app_cache

#: fragments kept per process: a few pages of posts for each of many readers, about 8 MB
MAX_FRAGMENTS = 1024


class Fragments:
    def __init__(self, size: int = MAX_FRAGMENTS) -> None:
        #: hex digits only, so neither HTML escaping nor URL quoting changes it; random, so
        #: no text a person writes can contain it
        self.csrf_marker = secrets.token_hex(16)
        self.html: BoundedCache[tuple[str, Hashable], Markup] = BoundedCache(size)

    def render(self, template: str, key: Hashable, **context: Any) -> Markup:
        """``template``'s HTML for ``context``, which ``key`` must describe entirely, with the
        marker in place of the CSRF token."""
        html = self.html.get((template, key))
        if html is None:
            html = self.render_once(template, **context)
            self.html.put((template, key), html)
        return html

    def render_once(self, template: str, **context: Any) -> Markup:
        """``template``'s HTML for ``context`` with the marker, not kept."""
        page = current_app.jinja_env.get_template(template)
        # the template escapes what it shows, as every page does
        html = Markup(page.render(csrf_token=lambda: self.csrf_marker, **context))  # noqa: S704
        # the token made for this request, if any: a macro imported without context would
        # have called the real csrf_token() (which makes one on first use)
        token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        if token and token in html:
            raise RuntimeError(f"{template} put the session's CSRF token in a shared fragment")
        return html

    def with_token(self, html: Markup) -> Markup:
        """``html`` with the session's CSRF token in place of the marker; HTML without a
        form (a signed-out top bar) makes no token, so such a page sets no cookie."""
        if self.csrf_marker not in html:
            return html
        return html.replace(self.csrf_marker, generate_csrf())

    def __len__(self) -> int:
        return len(self.html)


def fragments() -> Fragments:
    """The current app's fragments."""
    return app_cache(current_app, "fragments", Fragments)
