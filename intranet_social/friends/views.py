"""Friends pages: the people directory, the friends page and the friend buttons."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from intranet_social.core.forms import safe_next
from intranet_social.friends import people, service

bp = Blueprint("friends", __name__, template_folder="templates")

DIRECTORY_PAGE_SIZE = 30
FRIENDS_PAGE_SIZE = 60


def _query(name: str) -> str | None:
    """A query parameter, stripped; absent, empty or with a NUL character means not given."""
    value = request.args.get(name, "").strip()
    return value if value and "\x00" not in value else None


def _back() -> Response:
    """To the page the button was on (``next``), else the friends page."""
    target = request.args.get("next")
    return redirect(safe_next(target) if target else url_for("friends.show_friends"))


@bp.get("/people")
@login_required
def people_directory() -> str:
    q, department = _query("q"), _query("department")
    page = people.directory(
        current_user,
        q=q,
        department=department,
        after=_query("after"),
        limit=DIRECTORY_PAGE_SIZE,
    )
    return render_template(
        "friends/people.html",
        page=page,
        q=q or "",
        department=department or "",
        departments=people.departments(),
    )


@bp.get("/friends")
@login_required
def show_friends() -> str:
    overview = people.friends_overview(current_user, after=_query("after"), limit=FRIENDS_PAGE_SIZE)
    return render_template("friends/index.html", overview=overview)


@bp.post("/friends/add/<username>")
@login_required
def send_request(username: str) -> Response:
    other = service.send_friend_request(current_user, username)
    if service.are_friends(current_user.id, other.id):
        flash(f"You and {other.name} are now friends.", "success")
    else:
        flash(f"Friend request sent to {other.name}.", "success")
    return _back()


@bp.post("/friends/requests/<int:request_id>/accept")
@login_required
def accept_request(request_id: int) -> Response:
    other = service.accept_request(current_user, request_id)
    flash(f"You and {other.name} are now friends.", "success")
    return _back()


@bp.post("/friends/requests/<int:request_id>/decline")
@login_required
def decline_request(request_id: int) -> Response:
    other = service.decline_request(current_user, request_id)
    flash(f"You declined {other.name}'s friend request.", "info")
    return _back()


@bp.post("/friends/requests/<int:request_id>/cancel")
@login_required
def cancel_request(request_id: int) -> Response:
    other = service.cancel_request(current_user, request_id)
    flash(f"You withdrew your friend request to {other.name}.", "info")
    return _back()


@bp.post("/friends/unfriend/<username>")
@login_required
def unfriend(username: str) -> Response:
    other = service.unfriend(current_user, username)
    flash(f"You and {other.name} are no longer friends.", "info")
    return _back()
