"""Space pages: the directory (``/spaces``) with the form that creates one, a space's
settings, and the buttons and small forms of a space's page (join, leave, members, requests).
The space's page itself, with its feed, is ``feed.show_space``."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from intranet_social.core.errors import Conflict, DomainError
from intranet_social.core.forms import apply_error
from intranet_social.core.paging import keyset_page, text_cursor
from intranet_social.core.transaction import discard_changes
from intranet_social.site_settings.service import get_setting
from intranet_social.spaces import pictures, service
from intranet_social.spaces.forms import (
    MemberForm,
    RoleForm,
    SpaceAvatarForm,
    SpaceCoverForm,
    SpaceForm,
    SpaceSettingsForm,
)
from intranet_social.spaces.pictures import Kind

bp = Blueprint("spaces", __name__, template_folder="templates")

SPACE = "/s/<slug>"
#: spaces in a page of the directory, members in a page of a space's members
PAGE = 30


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every space page is for people signed in."""


def _space_page(slug: str) -> Response:
    return redirect(url_for("feed.show_space", slug=slug))


def _refused(slug: str, error: DomainError) -> Response:
    """Back to the space's page with the reason, nothing kept."""
    discard_changes()
    flash(error.message, "error")
    return _space_page(slug)


@bp.route("/spaces", methods=["GET", "POST"])
def directory() -> ResponseReturnValue:
    q = request.args.get("q", "").strip().replace("\x00", "")
    may_create = service.may_create_spaces(current_user)
    form = SpaceForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                space = service.create_space(
                    current_user,
                    form.name.data,
                    slug=(form.slug.data or "").strip() or None,
                    visibility=form.visibility.data,
                    description=form.description.data,
                )
            except DomainError as error:
                apply_error(form, error)
                status = error.status
            else:
                flash(f"{space.name} is ready: add its members.", "success")
                return _space_page(space.slug)
        else:
            status = 422
    else:
        status = 200
    after = text_cursor()
    found = service.directory(current_user, q, after=after, limit=PAGE + 1)
    spaces, next_cursor = keyset_page(found, PAGE, service.directory_key)
    return render_template(
        "spaces/directory.html",
        spaces=spaces,
        q=q,
        form=form,
        may_create=may_create,
        first_url=url_for("spaces.directory", q=q or None) if after else None,
        next_url=url_for("spaces.directory", q=q or None, cursor=next_cursor)
        if next_cursor
        else None,
    ), status


@bp.route(f"{SPACE}/settings", methods=["GET", "POST"])
def edit_space(slug: str) -> ResponseReturnValue:
    view = service.space_to_change(current_user, slug)
    form = SpaceSettingsForm(data=None if request.method == "POST" else vars(view))
    if request.method == "POST" and form.validate_on_submit():
        try:
            service.update_space(
                current_user,
                slug,
                name=form.name.data,
                description=form.description.data,
                visibility=form.visibility.data,
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            flash("The space is saved.", "success")
            return _space_page(slug)
    status = 422 if request.method == "POST" else 200
    return render_template("spaces/settings.html", space=view, form=form), status


@bp.post(f"{SPACE}/delete")
def delete_space(slug: str) -> Response:
    view = service.get_space(current_user, slug)
    service.delete_space(current_user, slug)
    flash(f"{view.name} is deleted, with its posts.", "info")
    return redirect(url_for("spaces.directory"))


@bp.post(f"{SPACE}/join")
def join_space(slug: str) -> Response:
    if service.join(current_user, slug) == "joined":
        flash("Welcome: you are a member now.", "success")
    else:
        flash("You asked to join; an owner or moderator will answer.", "info")
    return _space_page(slug)


@bp.post(f"{SPACE}/leave")
def leave_space(slug: str) -> Response:
    try:
        service.leave(current_user, slug)
    except DomainError as error:
        return _refused(slug, error)
    flash("You are no longer in the space.", "info")
    return redirect(url_for("spaces.directory"))


@bp.post(f"{SPACE}/mute")
def mute_space(slug: str) -> Response:
    return _set_muted(slug, True, "Muted: new posts here no longer notify you.")


@bp.post(f"{SPACE}/unmute")
def unmute_space(slug: str) -> Response:
    return _set_muted(slug, False, "Unmuted: new posts here notify you again.")


def _set_muted(slug: str, muted: bool, done: str) -> Response:
    """Mute or unmute: only a refusal (not a member) is answered on the space's page; an
    unknown or secret space is a plain 404."""
    try:
        service.set_muted(current_user, slug, muted)
    except Conflict as error:
        return _refused(slug, error)
    flash(done, "info")
    return _space_page(slug)


@bp.get(f"{SPACE}/members")
def list_members(slug: str) -> str:
    """Every member, a page at a time, with the same controls as the space's page."""
    space = service.get_space(current_user, slug)
    after = text_cursor()
    found = service.members(current_user, slug, after=after, limit=PAGE + 1)
    members, next_cursor = keyset_page(found, PAGE, service.member_key)
    return render_template(
        "spaces/members.html",
        space=space,
        members=members,
        member_form=MemberForm(),
        first_url=url_for("spaces.list_members", slug=slug) if after else None,
        next_url=url_for("spaces.list_members", slug=slug, cursor=next_cursor)
        if next_cursor
        else None,
    )


@bp.post(f"{SPACE}/members")
def add_member(slug: str) -> Response:
    form = MemberForm()
    if not form.validate_on_submit():
        flash("Give the username of the person to add.", "error")
        return _space_page(slug)
    try:
        member = service.add_member(current_user, slug, form.username.data or "", form.role.data)
    except DomainError as error:
        return _refused(slug, error)
    flash(f"{member.name} is a {member.role} now.", "success")
    return _space_page(slug)


@bp.post(f"{SPACE}/members/<username>/role")
def set_role(slug: str, username: str) -> Response:
    form = RoleForm()
    try:
        member = service.set_role(current_user, slug, username, form.role.data)
    except DomainError as error:
        return _refused(slug, error)
    flash(f"{member.name} is a {member.role} now.", "success")
    return _space_page(slug)


@bp.post(f"{SPACE}/members/<username>/remove")
def remove_member(slug: str, username: str) -> Response:
    try:
        service.remove_member(current_user, slug, username)
    except DomainError as error:
        return _refused(slug, error)
    flash(f"{username} is no longer in the space.", "info")
    return _space_page(slug)


@bp.post(f"{SPACE}/requests/<username>/approve")
def approve_request(slug: str, username: str) -> Response:
    service.answer_request(current_user, slug, username, approve=True)
    flash(f"{username} is a member now.", "success")
    return _space_page(slug)


@bp.post(f"{SPACE}/requests/<username>/decline")
def decline_request(slug: str, username: str) -> Response:
    service.answer_request(current_user, slug, username, approve=False)
    flash(f"You turned down {username}'s request.", "info")
    return _space_page(slug)


# ---------------------------------------------------------------- its avatar and cover


def _pictures_page(
    slug: str, failed: FlaskForm | None = None, kind: Kind = "avatar", status: int = 200
) -> tuple[str, int]:
    """The pictures page; ``failed`` is the ``kind`` form to show again with its error."""
    forms = {"avatar": SpaceAvatarForm(formdata=None), "cover": SpaceCoverForm(formdata=None)}
    if failed is not None:
        forms[kind] = failed
    return render_template(
        "spaces/pictures.html",
        space=pictures.space_to_decorate(current_user, slug),
        avatar_form=forms["avatar"],
        cover_form=forms["cover"],
        max_image_mb=get_setting("max_image_mb"),
    ), status


@bp.get(f"{SPACE}/pictures")
def edit_pictures(slug: str) -> ResponseReturnValue:
    return _pictures_page(slug)


@bp.post(f"{SPACE}/<any(avatar, cover):kind>")
def upload_picture(slug: str, kind: Kind) -> ResponseReturnValue:
    form: FlaskForm = SpaceAvatarForm() if kind == "avatar" else SpaceCoverForm()
    if not form.validate_on_submit():
        return _pictures_page(slug, form, kind, 422)
    try:
        pictures.set_picture(current_user, slug, kind, form[kind].data, field=kind)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        apply_error(form, error)
        return _pictures_page(slug, form, kind, error.status)
    flash(f"The space's {kind} is updated.", "success")
    return redirect(url_for("spaces.edit_pictures", slug=slug))


@bp.post(f"{SPACE}/<any(avatar, cover):kind>/remove")
def remove_picture(slug: str, kind: Kind) -> Response:
    pictures.remove_picture(current_user, slug, kind)
    flash(f"The space's {kind} is removed.", "success")
    return redirect(url_for("spaces.edit_pictures", slug=slug))
