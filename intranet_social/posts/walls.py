"""``/u/<username>``: a person's profile page, their header (from profiles) above their wall."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from intranet_social.core.paging import encode_cursor, id_cursor
from intranet_social.posts import service
from intranet_social.posts.forms import PostForm
from intranet_social.posts.views import bp
from intranet_social.profiles.service import profile_card


@bp.get("/u/<username>")
def show_profile(username: str) -> str:
    owner = service.wall_owner_named(username)
    # the user itself, not the proxy: the cards ask it for its id and role hundreds of times
    page = service.wall_page(current_user._get_current_object(), owner, id_cursor())
    more_url = None
    if page.next_before is not None:
        cursor = encode_cursor(page.next_before)
        more_url = url_for("posts.show_profile", username=owner.username, cursor=cursor)
    here = url_for("posts.show_profile", username=owner.username)
    if request.args.get("partial"):
        return render_template("posts/_page.html", page=page, more_url=more_url, here=here)
    form = None
    if service.can_post_on_wall(current_user, owner):
        form = PostForm(wall=owner.username, next=here)
    return render_template(
        "posts/profile.html",
        owner=owner,
        card=profile_card(current_user, owner),
        page=page,
        more_url=more_url,
        here=here,
        form=form,
    )
