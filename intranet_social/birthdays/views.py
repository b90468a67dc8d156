"""The celebrations page at ``/birthdays`` (birthdays and work anniversaries in the next 30
days, friends or everyone), the greeting and the congratulations forms.

The greeting is a small POST form with its text prefilled and editable; after it the browser
goes back where it came from (``next``) with a message.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from intranet_social.birthdays import anniversaries, service
from intranet_social.core.errors import Invalid
from intranet_social.core.forms import safe_next
from intranet_social.core.transaction import discard_changes
from intranet_social.friends.service import active_user

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


@bp.post("/birthdays/greet/<username>")
@login_required
def greet_birthday(username: str) -> Response:
    target = request.form.get("next")
    back = redirect(safe_next(target) if target else url_for("birthdays.show_birthdays"))
    try:
        service.greet_birthday(current_user, username, request.form.get("body"))
    except Invalid as error:
        discard_changes()
        flash(error.message, "error")
        return back
    flash(f"Your greeting is on {active_user(username).name}'s wall.", "success")
    return back


@bp.post("/anniversaries/congratulate/<username>")
@login_required
def congratulate_anniversary(username: str) -> Response:
    target = request.form.get("next")
    back = redirect(safe_next(target) if target else url_for("birthdays.show_birthdays"))
    try:
        anniversaries.congratulate(current_user, username, request.form.get("body"))
    except Invalid as error:
        discard_changes()
        flash(error.message, "error")
        return back
    flash(f"Your congratulations are on {active_user(username).name}'s wall.", "success")
    return back
