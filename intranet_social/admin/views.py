"""The report form anyone signed in uses, and the moderators' report queue."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from intranet_social.admin import (
    console_views,  # noqa: F401  (its pages register their routes on the same blueprint)
    reports,
)
from intranet_social.admin.forms import ReportForm
from intranet_social.admin.models import ReportStatus
from intranet_social.admin.pages import bp, page_cursor, require_moderator
from intranet_social.core.errors import DomainError, NotFound
from intranet_social.core.forms import apply_error, safe_next

#: the admin blueprint, with these pages and the console's on it, for create_app to register
__all__ = ["bp"]


@bp.route("/report/<kind>/<target>", methods=["GET", "POST"])
@login_required
def report_content(kind: str, target: str) -> ResponseReturnValue:
    if kind not in reports.KINDS:
        raise NotFound("There is nothing like that to report.")
    form = ReportForm()
    if request.method == "GET":
        reports.reported(current_user, kind, target)  # 404 for what they may not see
        form.next.data = safe_next(request.args.get("next"))
    if request.method == "POST" and form.validate_on_submit():
        try:
            reports.report_content(current_user, kind, target, form.reason.data)
        except DomainError as error:
            if error.status == 404:
                raise
            apply_error(form, error)
        else:
            flash("Thank you; the moderators will look at your report.", "success")
            return redirect(safe_next(form.next.data))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/report_form.html", form=form, kind=kind, target=target), status


@bp.get("/admin/reports")
@login_required
def show_reports() -> str:
    require_moderator()
    status = request.args.get("status", ReportStatus.OPEN.value)
    rows = reports.report_queue(current_user, status=status, before_id=page_cursor(), limit=51)
    more = len(rows) > 50
    rows = rows[:50]
    return render_template(
        "admin/reports.html",
        rows=rows,
        status=status,
        statuses=[s.value for s in ReportStatus],
        next_before=rows[-1].report.id if more else None,
    )


@bp.post("/admin/reports/<int:report_id>")
@login_required
def resolve_report(report_id: int) -> Response:
    require_moderator()
    action = request.form.get("action", "")
    report = reports.resolve_report(report_id, action, actor=current_user)
    flash(f"Report {report.id}: {report.status.replace('_', ' ')}.", "success")
    return redirect(url_for("admin.show_reports"))
