"""Post cards and the post composer, rendered once and reused across requests
(:mod:`intranet_social.core.fragments`).

A card (:class:`~intranet_social.posts.cards.PostCard`) holds everything its HTML shows, the
viewer's part included (liked, may edit, delete, pin or report), and it is built from the
database on every request, with the permission checks; its HTML is kept under the card and
the page it sits on, so equal cards share their HTML and any change a card shows (an edit, a
like, a comment, a new name, a different viewer's rights) makes a different key. The
composer's HTML depends on its title and its fields' values only, while no error shows.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from intranet_social.core.fragments import fragments
from intranet_social.posts.cards import PostCard
from intranet_social.posts.forms import PostForm

CARD_TEMPLATE = "posts/_post.html"
COMPOSER_TEMPLATE = "posts/_composer.html"
#: rendered by the template as a plain input, with the marker
CSRF_FIELD = "csrf_token"


def post_cards_html(posts: Iterable[PostCard], here: str) -> Markup:
    """``posts/_post.html`` for each of ``posts``, in a list on the page ``here``."""
    kept = fragments()
    parts = [
        kept.render(CARD_TEMPLATE, (post, here), post=post, here=here, full=False) for post in posts
    ]
    return kept.with_token(Markup("").join(parts))


def composer_html(form: PostForm, title: str | None = None) -> Markup:
    """The post composer for ``form``, titled ``title`` ("Write a post" by default)."""
    kept = fragments()
    if form.errors:
        # shown once, after a refused post: not worth keeping
        html = kept.render_once(COMPOSER_TEMPLATE, form=form, composer_title=title)
    else:
        # the fields' data, written out: what the template shows of each (files: none)
        values = tuple((field.name, repr(field.data)) for field in form if field.name != CSRF_FIELD)
        key = (title, values)
        html = kept.render(COMPOSER_TEMPLATE, key, form=form, composer_title=title)
    return kept.with_token(html)
