"""The home page: the news feed with a composer; a space's page (``/s/<slug>``), its feed
with a composer for its members, its about and members; "Load more" pages by an opaque
cursor.

Without JavaScript "Load more" is a link to the next page; the page script fetches the same
address with ``partial=1`` and appends the posts in place.
"""

from flask import Blueprint, render_template, request, url_for
from flask_login import login_required

from intranet_social.accounts.auth import signed_in_user
from intranet_social.birthdays.anniversaries import todays_anniversaries
from intranet_social.birthdays.service import todays_birthdays
from intranet_social.core.paging import encode_cursor, id_cursor
from intranet_social.feed.service import feed_page
from intranet_social.posts import announcements
from intranet_social.posts import service as posts
from intranet_social.posts.forms import PostForm
from intranet_social.spaces import service as spaces
from intranet_social.spaces.forms import MemberForm

bp = Blueprint("feed", __name__, template_folder="templates")

#: members listed on a space's page
MEMBERS_SHOWN = 30


@bp.get("/")
@login_required
def home() -> str:
    # the user itself, not the proxy: the page asks it for its id and role hundreds of times
    viewer = signed_in_user()
    page = feed_page(viewer, id_cursor())
    more_url = None
    if page.next_before is not None:
        more_url = url_for("feed.home", cursor=encode_cursor(page.next_before))
    here = url_for("feed.home")
    if request.args.get("partial"):
        return render_template("posts/_page.html", page=page, more_url=more_url, here=here)
    form = PostForm(next=here, must_read_offered=announcements.may_mark_must_read(viewer, None))
    return render_template(
        "feed/home.html",
        page=page,
        more_url=more_url,
        here=here,
        form=form,
        birthdays_today=todays_birthdays(viewer),
        anniversaries_today=todays_anniversaries(viewer),
    )


@bp.get("/s/<slug>")
@login_required
def show_space(slug: str) -> str:
    viewer = signed_in_user()
    space = spaces.get_space(viewer, slug)
    here = url_for("feed.show_space", slug=space.slug)
    page = more_url = None
    if space.my_role or space.visibility == "open":
        page = posts.space_page(viewer, slug, id_cursor())
        if page.next_before is not None:
            more_url = url_for(
                "feed.show_space", slug=space.slug, cursor=encode_cursor(page.next_before)
            )
        if request.args.get("partial"):
            return render_template("posts/_page.html", page=page, more_url=more_url, here=here)
    form = None
    if space.my_role:
        offered = announcements.may_mark_must_read(viewer, space.slug)
        form = PostForm(space=space.slug, next=here, must_read_offered=offered)
        del form.audience  # the space's own rule says who sees its posts
    # the first of its members; the rest a page at a time on spaces.list_members
    members = spaces.members(viewer, slug, limit=MEMBERS_SHOWN + 1)
    return render_template(
        "feed/space.html",
        space=space,
        page=page,
        more_url=more_url,
        here=here,
        form=form,
        members=members[:MEMBERS_SHOWN],
        more_members=len(members) > MEMBERS_SHOWN,
        requests=spaces.join_requests(viewer, slug) if space.can_manage else [],
        member_form=MemberForm(),
    )
