"""``/search``: people, spaces and posts matching the top bar's query, each kind paged on its
own.

``type`` narrows the page to ``people``, ``spaces`` or ``posts`` (anything else shows all).
People page by ``after`` (the last username shown), spaces by ``after`` too (the last
address); posts by ``cursor``, like the feed, whose page script fetches the next page with
``partial=1`` and appends it.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import login_required

from intranet_social.accounts.auth import signed_in_user
from intranet_social.core.errors import Invalid
from intranet_social.core.paging import encode_cursor, id_cursor
from intranet_social.search.service import Kind, search

bp = Blueprint("search", __name__, template_folder="templates")

#: the longest username or space address there is; a longer ``after`` names nothing
MAX_AFTER = 64


def _kind(raw: str | None) -> Kind | None:
    return Kind(raw) if raw in (Kind.PEOPLE, Kind.POSTS, Kind.SPACES) else None


def _after() -> str | None:
    after = request.args.get("after", "")
    if len(after) > MAX_AFTER or "\x00" in after:
        raise Invalid("The page link is not valid; start the search again.", "after")
    return after or None


@bp.get("/search")
@login_required
def show_results() -> str:
    viewer = signed_in_user()
    q = request.args.get("q", "")
    kind = _kind(request.args.get("type"))
    results = search(viewer, q, kind, after=_after(), before=id_cursor())
    here = request.full_path.rstrip("?")
    more_posts = None
    if results.posts.next_before is not None:
        cursor = encode_cursor(results.posts.next_before)
        more_posts = url_for("search.show_results", q=results.q, type=Kind.POSTS, cursor=cursor)
    if request.args.get("partial"):
        return render_template(
            "posts/_page.html", page=results.posts, more_url=more_posts, here=here
        )
    more_people = None
    if results.people.next_after is not None:
        more_people = url_for(
            "search.show_results",
            q=results.q,
            type=Kind.PEOPLE,
            after=results.people.next_after if kind is Kind.PEOPLE else None,
        )
    more_spaces = None
    if results.spaces.next_after is not None:
        more_spaces = url_for(
            "search.show_results",
            q=results.q,
            type=Kind.SPACES,
            after=results.spaces.next_after if kind is Kind.SPACES else None,
        )
    return render_template(
        "search/results.html",
        results=results,
        kind=kind,
        page=results.posts,
        more_url=more_posts,
        more_people=more_people,
        more_spaces=more_spaces,
        here=here,
    )
