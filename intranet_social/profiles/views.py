"""Profile pages: a person's page (their header above their wall), editing one's profile and
photos, and serving profile photos."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from intranet_social.accounts import organisation
from intranet_social.accounts.auth import signed_in_user
from intranet_social.core.errors import DomainError, NotFound
from intranet_social.core.forms import apply_error
from intranet_social.core.paging import encode_cursor, id_cursor
from intranet_social.friends import cards, people
from intranet_social.media import avatars
from intranet_social.media.images import MIME
from intranet_social.media.storage import send_media
from intranet_social.org import service as org
from intranet_social.posts import service as posts
from intranet_social.posts.forms import PostForm
from intranet_social.profiles import service
from intranet_social.profiles.forms import AvatarForm, CoverForm, ProfileForm
from intranet_social.site_settings.service import get_setting

bp = Blueprint("profiles", __name__, template_folder="templates")

AVATAR_SIZES = frozenset({"160", "48"})
PROFILE_FIELDS = ("name", "title", "department", "location", "phone", "bio", "birthday")
#: the form's other fields, filled in one by one by ``_profile_form``
SHAPED_FIELDS = ("birth_year", "manager", "start_date")


# ---------------------------------------------------------------- photos


@bp.get("/media/avatars/<key>/<size>")
@login_required
def avatar_image(key: str, size: str) -> Response:
    if size not in AVATAR_SIZES:
        raise NotFound("There is no such file.")
    return send_media(key, size, MIME)


@bp.get("/media/covers/<key>")
@login_required
def cover_image(key: str) -> Response:
    return send_media(key, "cover", MIME)


@bp.get("/media/avatars/initials/<index:colour>/<text>.svg")
@login_required
def default_avatar(colour: int, text: str) -> Response:
    if not 0 <= colour < len(avatars.PALETTE) or not avatars.valid_initials(text):
        raise NotFound("There is no such picture.")
    svg = render_template(
        "profiles/initials.svg",
        text=text,
        colour=avatars.PALETTE[colour],
        text_colour=avatars.TEXT_COLOUR,
    )
    response = make_response(svg)
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


# ---------------------------------------------------------------- the edit page


def _profile_form() -> ProfileForm:
    user = current_user
    data = {name: getattr(user, name) or "" for name in PROFILE_FIELDS}
    data["birthday"] = user.birthday or ""
    data["birth_year"] = str(user.birth_year) if user.birth_year else ""
    data["manager"] = organisation.manager_username(user) or ""
    data["start_date"] = user.start_date.isoformat() if user.start_date else ""
    return ProfileForm(formdata=None, data=data)


def _render_edit(
    profile_form: ProfileForm | None = None,
    avatar_form: AvatarForm | None = None,
    cover_form: CoverForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    user = signed_in_user()
    return render_template(
        "profiles/edit.html",
        card=cards.profile_card(user, user),
        profile_form=profile_form or _profile_form(),
        avatar_form=avatar_form or AvatarForm(formdata=None),
        cover_form=cover_form or CoverForm(formdata=None),
        departments=people.departments(),
        max_image_mb=get_setting("max_image_mb"),
    ), status


def _save_form(
    form: FlaskForm, slot: str, change: Callable[[], object], done: str
) -> ResponseReturnValue:
    """Validate ``form`` and apply ``change``; errors are shown beside their field on the
    edit page (``slot`` names the form there), success goes back to it with ``done``."""
    shown: dict[str, Any] = {slot: form}  # the keyword of _render_edit that ``slot`` names
    if not form.validate_on_submit():
        return _render_edit(**shown, status=422)
    try:
        change()
    except DomainError as error:
        apply_error(form, error)
        return _render_edit(**shown, status=422)
    flash(done, "success")
    return redirect(url_for("profiles.edit_profile"))


@bp.route("/account/profile", methods=["GET", "POST"])
@login_required
def edit_profile() -> ResponseReturnValue:
    if request.method == "GET":
        return _render_edit()
    form = ProfileForm()
    return _save_form(
        form,
        "profile_form",
        lambda: service.update_profile(
            current_user, {name: form[name].data for name in (*PROFILE_FIELDS, *SHAPED_FIELDS)}
        ),
        "Your profile is saved.",
    )


@bp.post("/account/profile/avatar")
@login_required
def upload_avatar() -> ResponseReturnValue:
    form = AvatarForm()
    return _save_form(
        form,
        "avatar_form",
        lambda: service.set_avatar(current_user, form.avatar.data, field="avatar"),
        "Your profile photo is updated.",
    )


@bp.post("/account/profile/avatar/remove")
@login_required
def remove_avatar() -> Response:
    service.remove_avatar(current_user)
    flash("Your profile photo is removed.", "success")
    return redirect(url_for("profiles.edit_profile"))


@bp.post("/account/profile/cover")
@login_required
def upload_cover() -> ResponseReturnValue:
    form = CoverForm()
    return _save_form(
        form,
        "cover_form",
        lambda: service.set_cover(current_user, form.cover.data, field="cover"),
        "Your cover photo is updated.",
    )


@bp.post("/account/profile/cover/remove")
@login_required
def remove_cover() -> Response:
    service.remove_cover(current_user)
    flash("Your cover photo is removed.", "success")
    return redirect(url_for("profiles.edit_profile"))


@bp.get("/u/<username>")
@login_required
def show_profile(username: str) -> str:
    owner = posts.wall_owner_named(username)
    # the user itself, not the proxy: the cards ask it for its id and role hundreds of times
    page = posts.wall_page(signed_in_user(), owner, id_cursor())
    more_url = None
    if page.next_before is not None:
        cursor = encode_cursor(page.next_before)
        more_url = url_for("profiles.show_profile", username=owner.username, cursor=cursor)
    here = url_for("profiles.show_profile", username=owner.username)
    if request.args.get("partial"):
        return render_template("posts/_page.html", page=page, more_url=more_url, here=here)
    form = None
    if posts.can_post_on_wall(current_user, owner):
        form = PostForm(wall=owner.username, next=here)
    return render_template(
        "profiles/profile.html",
        owner=owner,
        card=cards.profile_card(current_user, owner),
        place=org.place_of(owner),
        page=page,
        more_url=more_url,
        here=here,
        form=form,
    )
