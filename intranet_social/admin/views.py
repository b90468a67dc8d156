"""The admin pages: the report form anyone signed in uses, the moderators' report queue, and
the console (dashboard, people, invites, settings and the audit log)."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from intranet_social.accounts import invites, organisation, staff
from intranet_social.accounts import service as accounts
from intranet_social.accounts.models import Role, Status, User
from intranet_social.admin import audit_log, console, reports
from intranet_social.admin.forms import InviteForm, ReportForm, SettingsForm
from intranet_social.admin.models import ReportStatus
from intranet_social.core.errors import DomainError, Forbidden, Invalid, NotFound
from intranet_social.core.forms import apply_error, safe_next
from intranet_social.core.models import id_from_text
from intranet_social.core.paging import keyset_page, text_cursor
from intranet_social.core.transaction import discard_changes
from intranet_social.site_settings import service as settings
from intranet_social.spaces import departments as space_departments
from intranet_social.spaces import service as spaces

bp = Blueprint("admin", __name__, template_folder="templates")


def require_moderator() -> None:
    if not current_user.is_moderator:
        raise Forbidden("Only moderators and admins can open this page.")


def require_admin() -> None:
    if not current_user.is_admin:
        raise Forbidden("Only admins can open this page.")


def page_cursor(name: str = "before") -> int | None:
    value = request.args.get(name, "")
    return id_from_text(value)


# ---------------------------------------------------------------- reports


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


# ---------------------------------------------------------------- the console

PERSON_ACTIONS = ("approve", "disable", "enable", "reset-password", "delete")


@bp.get("/admin")
@login_required
def dashboard() -> ResponseReturnValue:
    require_moderator()
    if not current_user.is_admin:
        return redirect(url_for("admin.show_reports"))
    return render_template("admin/dashboard.html", numbers=console.dashboard())


@bp.get("/admin/people")
@login_required
def show_people() -> str:
    require_moderator()
    filters = {
        key: request.args.get(key, "").strip() for key in ("q", "status", "role", "department")
    }
    people, after = console.people_page(
        q=filters["q"],
        status=filters["status"],
        role=filters["role"],
        department=filters["department"],
        after=request.args.get("after") or None,
    )
    return render_template(
        "admin/people.html",
        people=people,
        filters=filters,
        next_after=after,
        statuses=[s.value for s in Status],
        roles=[r.value for r in Role],
        departments=console.departments(),
        managers=organisation.manager_usernames(person.manager_id for person in people),
    )


def _person_for(username: str, action: str) -> User:
    """The person ``action`` is about; moderators only approve, disable and enable members."""
    require_moderator()
    person = accounts.get_user(username)
    staff.require_may_change(current_user, person, action)
    return person


@bp.post("/admin/people/<username>/<action>")
@login_required
def person_action(username: str, action: str) -> ResponseReturnValue:
    if action not in PERSON_ACTIONS:
        raise Invalid(f"Choose an action: {', '.join(PERSON_ACTIONS)}.", "action")
    person = _person_for(username, action)
    if action == "reset-password":
        one_time = accounts.reset_password(person, actor=current_user)
        return render_template("admin/one_time.html", person=person, one_time=one_time)
    if action == "delete":
        if person.id == current_user.id:
            raise Forbidden("You cannot delete your own account here.")
        accounts.delete_user(person, actor=current_user)
        message = f"{username} and everything they posted were deleted."
    else:
        change = {
            "approve": accounts.approve_user,
            "disable": accounts.disable_user,
            "enable": accounts.enable_user,
        }[action]
        change(person, actor=current_user)
        message = f"{username}: {person.status}."
    flash(message, "success")
    return redirect(url_for("admin.show_people"))


@bp.post("/admin/people/<username>/role")
@login_required
def set_role(username: str) -> ResponseReturnValue:
    require_admin()
    person = accounts.get_user(username)
    accounts.set_role(person, request.form.get("role", ""), actor=current_user)
    flash(f"{username} is now {person.role}.", "success")
    return redirect(url_for("admin.show_people"))


@bp.post("/admin/people/<username>/manager")
@login_required
def set_manager(username: str) -> ResponseReturnValue:
    require_admin()
    person = accounts.get_user(username)
    try:
        organisation.set_manager(
            person, request.form.get("manager", ""), by_admin=True, actor=current_user
        )
    except Invalid as error:
        discard_changes()
        flash(f"{username}: {error.message}", "error")
        return redirect(url_for("admin.show_people"))
    boss = organisation.manager_username(person)
    flash(f"{username} reports to {boss}." if boss else f"{username} has no manager.", "success")
    return redirect(url_for("admin.show_people"))


@bp.post("/admin/people/<username>/department")
@login_required
def set_department(username: str) -> ResponseReturnValue:
    require_admin()
    person = accounts.get_user(username)
    try:
        console.set_department(person, request.form.get("department", ""), actor=current_user)
    except Invalid as error:
        discard_changes()
        flash(f"{username}: {error.message}", "error")
        return redirect(url_for("admin.show_people"))
    where = person.department or "no department"
    flash(f"{username} is in {where} now; their department spaces follow.", "success")
    return redirect(url_for("admin.show_people"))


# ---------------------------------------------------------------- spaces

SPACES_PAGE = 30


@bp.get("/admin/spaces")
@login_required
def show_spaces() -> str:
    """The spaces an admin may see (secret ones they are in), each with its department."""
    require_admin()
    q = request.args.get("q", "").strip().replace("\x00", "")
    after = text_cursor()
    found = spaces.directory(current_user, q, after=after, limit=SPACES_PAGE + 1)
    shown, next_cursor = keyset_page(found, SPACES_PAGE, spaces.directory_key)
    return render_template(
        "admin/spaces.html",
        spaces=shown,
        q=q,
        departments=console.departments(),
        first_url=url_for("admin.show_spaces", q=q or None) if after else None,
        next_url=url_for("admin.show_spaces", q=q or None, cursor=next_cursor)
        if next_cursor
        else None,
    )


@bp.post("/admin/spaces/<slug>/department")
@login_required
def link_space_department(slug: str) -> ResponseReturnValue:
    """Link a space to a department (everyone of it joins) or unlink it (members stay)."""
    require_admin()
    space = spaces.find_space(current_user, slug)
    try:
        joined = space_departments.link_department(
            current_user, space, request.form.get("department", "")
        )
    except Invalid as error:
        discard_changes()
        flash(f"{space.name}: {error.message}", "error")
        return redirect(url_for("admin.show_spaces"))
    if space.department:
        flash(f"{space.name} follows {space.department}: {joined} joined.", "success")
    else:
        flash(f"{space.name} follows no department; its members stay.", "success")
    return redirect(url_for("admin.show_spaces"))


@bp.route("/admin/invites", methods=["GET", "POST"])
@login_required
def show_invites() -> ResponseReturnValue:
    require_admin()
    form = InviteForm()
    link, status = None, 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            new = invites.create_invite(
                max_uses=1 if form.uses.data is None else form.uses.data,
                expires_days=7 if form.expires_days.data is None else form.expires_days.data,
                note=form.note.data or "",
                actor=current_user,
            )
        except DomainError as error:
            apply_error(form, error)
            status = 422
        else:
            link = url_for("accounts.register", invite=new.code, _external=True)
            form = InviteForm(formdata=None)
    elif request.method == "POST":
        status = 422
    rows = [(invite, invites.invite_state(invite)) for invite in invites.list_invites()]
    return render_template(
        "admin/invites.html",
        form=form,
        link=link,
        rows=rows,
        registration=settings.get_setting("registration"),
    ), status


@bp.post("/admin/invites/<int:invite_id>/revoke")
@login_required
def revoke_invite(invite_id: int) -> ResponseReturnValue:
    require_admin()
    invites.revoke_invite(invite_id, actor=current_user)
    flash(f"Invite {invite_id} is revoked.", "success")
    return redirect(url_for("admin.show_invites"))


@bp.route("/admin/settings", methods=["GET", "POST"])
@login_required
def edit_settings() -> ResponseReturnValue:
    require_admin()
    values = settings.all_settings()
    form = SettingsForm(
        data={**values, "email_domains": ", ".join(values["email_domains"])}
        if request.method == "GET"
        else None
    )
    if request.method == "POST" and form.validate_on_submit():
        try:
            settings.update_settings(
                {key: form[key].data for key in settings.SETTINGS}, actor=current_user
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            flash("The settings are saved and in effect.", "success")
            return redirect(url_for("admin.edit_settings"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/settings.html", form=form), status


def _audit_filter() -> audit_log.AuditFilter:
    return audit_log.make_filter(
        actor=request.args.get("actor"),
        action=request.args.get("action"),
        since=request.args.get("since"),
        until=request.args.get("until"),
    )


@bp.get("/admin/audit")
@login_required
def show_audit() -> ResponseReturnValue:
    require_admin()
    try:
        filters = _audit_filter()
    except Invalid as error:
        return render_template(
            "admin/audit.html", events=[], error=error, args=request.args, next_before=None
        ), 422
    events, before = audit_log.audit_page(filters, before_id=page_cursor())
    return render_template(
        "admin/audit.html", events=events, error=None, args=request.args, next_before=before
    )


@bp.get("/admin/audit.csv")
@login_required
def export_audit() -> Response:
    require_admin()
    filters = _audit_filter()
    # taken while the request runs: the body streams after it has ended, and each batch
    # gets its own context of this app
    app_context = current_app.app_context

    def lines() -> Iterator[str]:
        yield audit_log.csv_header()
        before: int | None = None
        while True:
            with app_context():
                chunk, before = audit_log.csv_chunk(filters, before)
            yield chunk
            if before is None:
                return

    return Response(
        lines(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )
