"""``/notifications``: the list, marking read, the e-mail choice, and the top-bar badge."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from intranet_social.core.paging import encode_cursor, id_cursor
from intranet_social.core.settings import current_config
from intranet_social.notifications import service
from intranet_social.notifications.inbox import notification_page

bp = Blueprint("notifications", __name__, template_folder="templates")


@bp.before_request
@login_required
def _signed_in_only() -> None:
    """Every page here is for signed-in people."""


@bp.app_context_processor
def _unread_notifications() -> dict[str, Callable[[], int]]:
    """``notifications_unread()`` for the top bar: one indexed query, only on pages that
    show the bar."""

    def notifications_unread() -> int:
        if not current_user.is_authenticated or current_user.must_change_password:
            return 0
        try:
            return service.unread_count(current_user)
        except SQLAlchemyError:  # an error page still renders while the database is away
            return 0

    return {"notifications_unread": notifications_unread}


def _back() -> Response:
    return redirect(url_for("notifications.show_notifications"))


@bp.get("/notifications")
def show_notifications() -> str:
    cards, before = notification_page(current_user, id_cursor())
    more_url = None
    if before is not None:
        more_url = url_for("notifications.show_notifications", cursor=encode_cursor(before))
    return render_template(
        "notifications/index.html",
        cards=cards,
        more_url=more_url,
        mail_available=bool(current_config().mail.host),
        email_enabled=service.email_enabled(current_user),
        unread=service.unread_count(current_user),
    )


@bp.post("/notifications/<int:notification_id>/read")
def mark_read(notification_id: int) -> Response:
    service.mark_read(current_user, [notification_id])
    return _back()


@bp.post("/notifications/read")
def mark_all_read() -> Response:
    service.mark_all_read(current_user)
    flash("All notifications are marked read.", "success")
    return _back()


@bp.post("/notifications/email")
def set_email() -> Response:
    enabled = request.form.get("email_enabled") == "on"
    service.set_email_enabled(current_user, enabled)
    if enabled:
        flash("You will get an e-mail for each new notification.", "success")
    else:
        flash("You will not get e-mails about notifications.", "success")
    return _back()
