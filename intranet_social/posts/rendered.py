"""Post cards rendered once and reused across requests.

Lists of posts (the feed, walls, search) spend most of their time turning cards into HTML.
A card (:class:`~intranet_social.posts.cards.PostCard`) holds everything its HTML shows,
the viewer's part included (liked, may edit, delete, pin or report), and it is built from
the database on every request. Its HTML is kept under a key made of the card itself and the
page it sits on, so equal cards share their HTML, and any change a card shows — an edit, a
like, a comment, a new name, a different viewer's rights — makes a different key: nothing
can be shown that the card being rendered would not show, in whichever process.

The one part of the HTML that is neither in the card nor in the page's address is the
session's CSRF token; it is rendered as a per-process random marker and put in afterwards.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterable

from flask import Flask, current_app
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from intranet_social.posts.cards import PostCard

#: cards kept per process: a few pages of posts for each of many readers, about 8 MB
MAX_CARDS = 1024
TEMPLATE = "posts/_post.html"


class RenderedCards:
    """A bounded, thread-safe map from (card, page) to the card's HTML, least recently
    used first out."""

    def __init__(self, size: int = MAX_CARDS) -> None:
        self.size = size
        #: hex digits only, so neither HTML escaping nor URL quoting changes it; random, so
        #: no text a person writes can contain it
        self.csrf_marker = secrets.token_hex(16)
        self._lock = threading.Lock()
        self._html: OrderedDict[tuple[PostCard, str], Markup] = OrderedDict()

    def get(self, key: tuple[PostCard, str]) -> Markup | None:
        with self._lock:
            html = self._html.get(key)
            if html is not None:
                self._html.move_to_end(key)
            return html

    def put(self, key: tuple[PostCard, str], html: Markup) -> None:
        with self._lock:
            self._html[key] = html
            self._html.move_to_end(key)
            while len(self._html) > self.size:
                self._html.popitem(last=False)

    def __len__(self) -> int:
        return len(self._html)


def rendered_cards(app: Flask) -> RenderedCards:
    cache = app.extensions.get("rendered_cards")
    if cache is None:
        cache = app.extensions.setdefault("rendered_cards", RenderedCards())
    return cache


def post_cards_html(posts: Iterable[PostCard], here: str) -> Markup:
    """``posts/_post.html`` for each of ``posts``, in a list on the page ``here``."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cache = rendered_cards(app)
    marker, token = cache.csrf_marker, generate_csrf()
    parts = []
    for post in posts:
        key = (post, here)
        html = cache.get(key)
        if html is None:
            template = app.jinja_env.get_template(TEMPLATE)
            # the template escapes what it shows, as every page does
            html = Markup(  # noqa: S704
                template.render(post=post, here=here, full=False, csrf_token=lambda: marker)
            )
            if token in html:
                # a macro imported without context calls the real csrf_token()
                raise RuntimeError(f"{TEMPLATE} put the session's CSRF token in a shared card")
            cache.put(key, html)
        parts.append(html)
    return Markup("").join(parts).replace(marker, token)
