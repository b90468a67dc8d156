"""Post pages: write, show, edit, delete, pin, like and comment; post photos and videos;
acknowledge a must-read announcement, and who has acknowledged one (with its CSV).

Every change is a small POST form that returns to where it was sent from (``next``); the
page script enhances likes and the composer without changing these addresses.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from intranet_social.core.errors import DomainError, NotFound
from intranet_social.core.forms import apply_error, safe_next, uploads
from intranet_social.core.models import id_from_text
from intranet_social.core.paging import encode_cursor, text_cursor
from intranet_social.core.settings import current_config
from intranet_social.core.transaction import discard_changes
from intranet_social.media.storage import send_media
from intranet_social.posts import announcements, comments, likes, service
from intranet_social.posts.forms import CommentForm, EditPostForm, PostForm
from intranet_social.posts.models import Audience, MediaKind
from intranet_social.posts.rendered import composer_html, post_cards_html

bp = Blueprint("posts", __name__, template_folder="templates")

POST_ID = "<int:post_id>"
COMMENT_ID = "<int:comment_id>"
#: which file variants each kind of media has, and their type (``None``: the stored one)
#: each kind's files, by variant name, and their type (None: the one stored with the media)
VARIANTS: dict[MediaKind, dict[str, str | None]] = {
    MediaKind.IMAGE: {"full": "image/webp", "thumb": "image/webp"},
    MediaKind.VIDEO: {"video": None, "poster": "image/webp"},
}


@bp.before_request
@login_required
def _signed_in_only() -> None:
    """Every page here is for signed-in people."""


bp.add_app_template_global(post_cards_html, "post_cards")
bp.add_app_template_global(composer_html, "composer")


@bp.app_template_filter("local_time")
def local_time(moment: datetime) -> str:
    """A moment in the site's time zone, as people read it."""
    return moment.astimezone(current_config().tz).strftime("%d %b %Y, %H:%M")


def back_to(default: str) -> Response:
    """Redirect to the form's ``next`` (a path on this site) or ``default``."""
    target = request.form.get("next")
    return redirect(safe_next(target) if target else default)


def post_url(post_id: int) -> str:
    return url_for("posts.show_post", post_id=post_id)


# ---------------------------------------------------------------- posts


@bp.post("/posts")
def create_post() -> ResponseReturnValue:
    form = PostForm(must_read_offered=True)
    space = form.space.data or None
    if space:
        del form.audience  # a post in a space is seen by whom the space lets see it
    must_read = bool(form.must_read.data)
    if not announcements.may_mark_must_read(current_user, space):
        del form.must_read  # shown again only to those who may mark one
    if not form.validate_on_submit():
        return render_template("posts/compose.html", form=form), 422
    videos = uploads("video")
    try:
        owner = service.wall_owner_named(form.wall.data) if form.wall.data else None
        post = service.create_post(
            current_user,
            form.body.data,
            audience=Audience.SPACE if space else form.audience.data,
            wall_owner=owner,
            images=uploads("photos"),
            video=videos[0] if videos else None,
            space=space,
            must_read=must_read,
        )
    except DomainError as error:
        if error.field in ("wall", "username", "space", "slug"):
            form.form_errors.append(error.message)  # the wall is not a field people fill in
        else:
            apply_error(form, error)
        return render_template("posts/compose.html", form=form), error.status
    flash("Your post is up.", "success")
    return back_to(post_url(post.id))


@bp.get(f"/posts/{POST_ID}")
def show_post(post_id: int) -> str:
    card = service.post_card(current_user, post_id, with_comments=False)
    after = id_from_text(request.args.get("after", ""))
    page, next_after = comments.comment_page(current_user, post_id, after)
    return render_template(
        "posts/post.html", post=card, comments=page, next_after=next_after, form=CommentForm()
    )


@bp.route(f"/posts/{POST_ID}/edit", methods=["GET", "POST"])
def edit_post(post_id: int) -> ResponseReturnValue:
    post = service.get_post(current_user, post_id)
    if not service.can_edit_post(current_user, post):
        raise NotFound(service.NO_SUCH_POST)
    form = EditPostForm(obj=post)
    if post.space_id is not None:
        del form.audience  # a post stays in its space
    if not form.validate_on_submit():
        return render_template("posts/edit.html", form=form, post=post), 422 if form.errors else 200
    try:
        audience = form.audience.data if form.audience is not None else None
        service.edit_post(current_user, post_id, form.body.data, audience)
    except DomainError as error:
        apply_error(form, error)
        return render_template("posts/edit.html", form=form, post=post), error.status
    flash("Your post is updated.", "success")
    return redirect(post_url(post_id))


@bp.post(f"/posts/{POST_ID}/delete")
def delete_post(post_id: int) -> Response:
    service.delete_post(current_user, post_id)
    flash("The post is deleted.", "success")
    target = request.form.get("next")
    if target and safe_next(target) != post_url(post_id):
        return redirect(safe_next(target))
    return redirect(url_for("feed.home"))


@bp.post(f"/posts/{POST_ID}/pin")
def pin_post(post_id: int) -> Response:
    service.set_pinned(current_user, post_id, True)
    flash("The post is pinned at the top of everyone's feed.", "success")
    return back_to(post_url(post_id))


@bp.post(f"/posts/{POST_ID}/unpin")
def unpin_post(post_id: int) -> Response:
    service.set_pinned(current_user, post_id, False)
    flash("The post is no longer pinned.", "success")
    return back_to(post_url(post_id))


@bp.post(f"/posts/{POST_ID}/acknowledge")
def acknowledge_post(post_id: int) -> Response:
    try:
        announcements.acknowledge(current_user, post_id)
    except DomainError as error:
        if error.status == 404:
            raise
        discard_changes()
        flash(error.message, "error")
        return back_to(post_url(post_id))
    flash("Thank you: you have acknowledged the announcement.", "success")
    return back_to(post_url(post_id))


@bp.post(f"/posts/{POST_ID}/must-read")
def mark_must_read(post_id: int) -> Response:
    must_read = request.form.get("must_read") == "1"
    service.set_must_read(current_user, post_id, must_read)
    if must_read:
        flash("It is a must-read: everyone it is for is asked to acknowledge it.", "success")
    else:
        flash("It is an ordinary post again: nobody is asked to acknowledge it.", "success")
    return back_to(url_for("posts.show_acknowledgements", post_id=post_id))


@bp.get(f"/posts/{POST_ID}/acknowledgements")
def show_acknowledgements(post_id: int) -> str:
    report = announcements.report(current_user, post_id, text_cursor())
    card = service.post_card(current_user, post_id, with_comments=False)
    more_url = None
    if report.next_after is not None:
        more_url = url_for(
            "posts.show_acknowledgements", post_id=post_id, cursor=encode_cursor(report.next_after)
        )
    return render_template(
        "posts/acknowledgements.html", report=report, post=card, more_url=more_url
    )


@bp.get(f"/posts/{POST_ID}/acknowledgements.csv")
def export_acknowledgements(post_id: int) -> Response:
    text = announcements.export_csv(current_user, post_id)
    name = f"acknowledgements-post-{post_id}.csv"
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post(f"/posts/{POST_ID}/like")
def like_post(post_id: int) -> Response:
    likes.like_post(current_user, post_id)
    return back_to(post_url(post_id))


@bp.post(f"/posts/{POST_ID}/unlike")
def unlike_post(post_id: int) -> Response:
    likes.unlike_post(current_user, post_id)
    return back_to(post_url(post_id))


@bp.get("/posts/media/<int:media_id>/<variant>")
def show_media(media_id: int, variant: str) -> Response:
    media = service.get_media(current_user, media_id)
    variants = VARIANTS.get(MediaKind(media.kind), {})
    if variant not in variants:
        raise NotFound("There is no such file.")
    return send_media(media.key, variant, variants[variant] or media.mime)


# ---------------------------------------------------------------- comments


@bp.post(f"/posts/{POST_ID}/comments")
def create_comment(post_id: int) -> ResponseReturnValue:
    form = CommentForm()
    try:
        comment = comments.create_comment(current_user, post_id, form.body.data)
    except DomainError as error:
        discard_changes()
        if error.status == 404:
            raise
        flash(error.message, "error")
        return back_to(post_url(post_id))
    return back_to(post_url(post_id) + f"#comment-{comment.id}")


@bp.route(f"/comments/{COMMENT_ID}/edit", methods=["GET", "POST"])
def edit_comment(comment_id: int) -> ResponseReturnValue:
    comment, post = comments.get_comment(current_user, comment_id)
    if comment.author_id != current_user.id:
        raise NotFound(comments.NO_SUCH_COMMENT)
    form = CommentForm(obj=comment)
    if not form.validate_on_submit():
        page = render_template("posts/edit_comment.html", form=form, comment=comment)
        return page, 422 if form.errors else 200
    try:
        comments.edit_comment(current_user, comment_id, form.body.data)
    except DomainError as error:
        apply_error(form, error)
        page = render_template("posts/edit_comment.html", form=form, comment=comment)
        return page, error.status
    return redirect(post_url(post.id) + f"#comment-{comment_id}")


@bp.post(f"/comments/{COMMENT_ID}/delete")
def delete_comment(comment_id: int) -> Response:
    post_id = comments.delete_comment(current_user, comment_id)
    flash("The comment is deleted.", "success")
    return back_to(post_url(post_id))


@bp.post(f"/comments/{COMMENT_ID}/like")
def like_comment(comment_id: int) -> Response:
    likes.like_comment(current_user, comment_id)
    return back_to(url_for("feed.home"))


@bp.post(f"/comments/{COMMENT_ID}/unlike")
def unlike_comment(comment_id: int) -> Response:
    likes.unlike_comment(current_user, comment_id)
    return back_to(url_for("feed.home"))
