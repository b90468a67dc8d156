"""``/feed`` and ``/spaces/{slug}/posts``: the JSON face of the news feed and of a space's
feed, in the same shape as a wall's posts."""

from __future__ import annotations

from flask import Blueprint, g
from werkzeug.wrappers import Response

from intranet_social.core.paging import id_cursor, page_limit
from intranet_social.feed.service import feed_page
from intranet_social.posts import service as posts
from intranet_social.posts.api import page_response

bp = Blueprint("feed", __name__)


@bp.get("/feed")
def get_feed() -> Response:
    return page_response(feed_page(g.api_user, id_cursor(), page_limit()))


@bp.get("/spaces/<slug>/posts")
def list_space_posts(slug: str) -> Response:
    return page_response(posts.space_page(g.api_user, slug, id_cursor(), page_limit()))
