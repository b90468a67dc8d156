"""The celebrations page at ``/birthdays`` (birthdays and work anniversaries in the next 30
days, friends or everyone), the greeting and the congratulations forms.

The greeting is a small POST form with its text prefilled and editable; after it the browser
goes back where it came from (``next``) with a message.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from intranet_social.accounts.models import User
from intranet_social.birthdays import anniversaries, service
from intranet_social.core.errors import Invalid
from intranet_social.core.forms import safe_next
from intranet_social.core.transaction import discard_changes
from intranet_social.friends.service import active_user
from intranet_social.posts.models import Post

#: a service that writes a celebration's text on a person's wall: (viewer, username, text)
WallWriter = Callable[[User, str, str | None], Post]

bp = Blueprint("birthdays", __name__, template_folder="templates")


@bp.get("/birthdays")
@login_required
def show_birthdays() -> str:
    who = request.args.get("who", "friends")
    if who not in service.WHO:
        who = "friends"
    upcoming = service.upcoming_birthdays(current_user, who=who)
    return render_template(
        "birthdays/index.html",
        upcoming=upcoming,
        anniversaries=anniversaries.upcoming_anniversaries(current_user, who=who),
        who=who,
        days=service.UPCOMING_DAYS,
        limit=service.EVERYONE_LIMIT,
        here=request.full_path.rstrip("?"),
    )


def _write_on_wall(write: WallWriter, username: str, done: str) -> Response:
    """Post the form's text with ``write`` on ``username``'s wall, then go back where the
    browser came from with ``done`` (its ``{name}`` the person's name), or with the reason
    when the text was refused (nothing kept)."""
    target = request.form.get("next")
    back = redirect(safe_next(target) if target else url_for("birthdays.show_birthdays"))
    try:
        write(current_user, username, request.form.get("body"))
    except Invalid as error:
        discard_changes()
        flash(error.message, "error")
        return back
    flash(done.format(name=active_user(username).name), "success")
    return back


@bp.post("/birthdays/greet/<username>")
@login_required
def greet_birthday(username: str) -> Response:
    return _write_on_wall(service.greet_birthday, username, "Your greeting is on {name}'s wall.")


@bp.post("/anniversaries/congratulate/<username>")
@login_required
def congratulate_anniversary(username: str) -> Response:
    return _write_on_wall(
        anniversaries.congratulate, username, "Your congratulations are on {name}'s wall."
    )
