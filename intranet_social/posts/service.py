"""Posts: writing them with their photos and video, changing and deleting them, walls.

Who may see a post is decided in :mod:`intranet_social.posts.audience`, who may change it
in :mod:`intranet_social.posts.permissions`; both are re-exported here, so
``posts.service.can_view_post`` is the one check every face uses. Every function flushes;
the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TypeVar

from sqlalchemy import bindparam, select
from werkzeug.datastructures import FileStorage

from intranet_social.accounts.models import User
from intranet_social.audit import service as audit
from intranet_social.core import events
from intranet_social.core.errors import Forbidden, Invalid, NotFound
from intranet_social.core.models import MAX_ID, utcnow
from intranet_social.core.reads import Packed
from intranet_social.extensions import db
from intranet_social.friends.service import active_user
from intranet_social.media.storage import delete_when_committed, store_image, store_video
from intranet_social.posts.audience import can_view_post, visible_to, visible_to_id
from intranet_social.posts.cards import FeedPage, PostCard, build_cards, build_page
from intranet_social.posts.models import Audience, Comment, MediaKind, Post, PostMedia
from intranet_social.posts.permissions import (
    can_delete_post,
    can_edit_post,
    can_mark_must_read,
    can_pin_posts,
    can_post_on_wall,
)
from intranet_social.spaces import service as spaces
from intranet_social.spaces.models import Space, Visibility

__all__ = [
    "can_delete_post",
    "can_edit_post",
    "can_pin_posts",
    "can_post_on_wall",
    "can_view_post",
    "create_post",
    "delete_post",
    "edit_post",
    "find",
    "get_media",
    "get_post",
    "post_card",
    "set_must_read",
    "set_pinned",
    "space_page",
    "visible_to",
    "wall_owner_named",
    "wall_page",
]

MAX_BODY = 5_000
MAX_PHOTOS = 10
PAGE_SIZE = 20
NO_SUCH_POST = "There is no such post, or you may not see it."
MUST_READ_REFUSED = "Only admins, and a space's owners in their space, can mark a must-read."
Upload = FileStorage | IO[bytes]
Row = TypeVar("Row", Post, PostMedia, Comment)


# ---------------------------------------------------------------- look-ups


def find(model: type[Row], row_id: int) -> Row | None:
    """The row with this id, or ``None`` (also for ids no database could store)."""
    if not 0 < row_id <= MAX_ID:
        return None
    return db.session.get(model, row_id)


def get_post(viewer: User, post_id: int) -> Post:
    """The post, if ``viewer`` may see it; otherwise :class:`NotFound` as if it did not exist."""
    post = find(Post, post_id)
    if post is None or not can_view_post(viewer, post):
        raise NotFound(NO_SUCH_POST)
    return post


def wall_owner_named(username: str) -> User:
    """The active person called ``username``, whose wall it is; anyone else is not found."""
    if "\x00" in username:  # no name has one, and PostgreSQL would refuse the look-up
        raise NotFound(f"There is no one called {username!r} here.", "username")
    return active_user(username)


def media_of(post: Post) -> list[PostMedia]:
    query = select(PostMedia).where(PostMedia.post_id == post.id).order_by(PostMedia.position)
    return list(db.session.scalars(query))


def get_media(viewer: User, media_id: int) -> PostMedia:
    """A post's photo or video, if ``viewer`` may see the post."""
    media = find(PostMedia, media_id)
    post = find(Post, media.post_id) if media is not None else None
    if media is None or post is None or not can_view_post(viewer, post):
        raise NotFound("There is no such file, or you may not see it.")
    return media


def _wall_statement(*, paged: bool) -> Packed:
    """Ids of the posts on ``:owner``'s wall that ``:viewer`` may see (below ``:before``
    when ``paged``), newest first, at most ``:take``; in any order as read."""
    query = select(Post.id).where(
        Post.wall_id == bindparam("owner"), visible_to_id(bindparam("viewer"))
    )
    if paged:
        query = query.where(Post.id < bindparam("before"))
    return Packed(query.order_by(Post.id.desc()).limit(bindparam("take")), unordered=True)


#: built once, with and without a cursor: every profile page reads one
_WALL = {paged: _wall_statement(paged=paged) for paged in (False, True)}


def wall_page(viewer: User, owner: User, cursor: int | None, limit: int = PAGE_SIZE) -> FeedPage:
    """The posts on ``owner``'s wall that ``viewer`` may see, newest first, ``limit`` a page,
    older than the post id ``cursor``."""
    params = {"owner": owner.id, "viewer": viewer.id, "take": limit + 1}
    if cursor is not None:
        params["before"] = cursor
    ids = _WALL[cursor is not None].ids_newest_first(params)
    return build_page(viewer, [], ids, limit)


def _space_statement(*, paged: bool) -> Packed:
    """Ids of the posts in the space ``:space`` that ``:viewer`` may see (below ``:before``
    when ``paged``), newest first, at most ``:take``; in any order as read."""
    query = select(Post.id).where(
        Post.space_id == bindparam("space"), visible_to_id(bindparam("viewer"))
    )
    if paged:
        query = query.where(Post.id < bindparam("before"))
    return Packed(query.order_by(Post.id.desc()).limit(bindparam("take")), unordered=True)


_SPACE = {paged: _space_statement(paged=paged) for paged in (False, True)}


def space_page(viewer: User, slug: str, cursor: int | None, limit: int = PAGE_SIZE) -> FeedPage:
    """The posts of the space at ``slug``, newest first, for ``viewer``: 404 for a secret
    space they are not in, 403 for a closed one."""
    space = spaces.find_space(viewer, slug)
    if space.visibility != Visibility.OPEN and not spaces.is_member(viewer.id, space.id):
        raise Forbidden(f"Join {space.name} to read its posts.", "slug")
    params = {"space": space.id, "viewer": viewer.id, "take": limit + 1}
    if cursor is not None:
        params["before"] = cursor
    ids = _SPACE[cursor is not None].ids_newest_first(params)
    return build_page(viewer, [], ids, limit)


# ---------------------------------------------------------------- writing


def clean_body(body: str | None, field: str = "body", max_length: int = MAX_BODY) -> str:
    text = (body or "").strip()
    if len(text) > max_length:
        raise Invalid(f"Use at most {max_length:,} characters; this has {len(text):,}.", field)
    if "\x00" in text:
        raise Invalid("The text contains a NUL character.", field)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid("The text is not valid Unicode.", field) from None
    return text


def clean_audience(audience: str | None) -> str:
    if audience not in tuple(Audience):
        raise Invalid("Choose who sees the post: friends, everyone or a space.", "audience")
    return str(audience)


def space_to_post_in(author: User, audience: str, slug: str | None) -> Space | None:
    """The space a new post of ``audience`` goes to: one ``author`` belongs to, named by
    ``slug``, for a ``space`` post; none otherwise."""
    if audience != Audience.SPACE:
        if slug:
            raise Invalid("A post in a space has the audience space.", "audience")
        return None
    if not slug:
        raise Invalid("Choose the space to post in.", "space")
    space = spaces.find_space(author, slug)
    if not spaces.is_member(author.id, space.id):
        raise Forbidden(f"Join {space.name} to post in it.", "space")
    return space


def _store_media(images: Sequence[Upload], video: Upload | None) -> list[PostMedia]:
    """Store the photos and the video; their rows, still to be given the post's id.

    Called before the post is written: on SQLite the transaction's first write takes the
    database's single write lock until the commit, and re-encoding photos or taking a
    video's poster while holding it would make every writer of every app process wait
    (and give up once the busy timeout passes)."""
    media: list[PostMedia] = []
    for number, image in enumerate(images, start=1):
        try:
            stored = store_image(image, purpose="post", field="photos")
        except Invalid as error:
            raise Invalid(f"Photo {number}: {error.message}", "photos") from None
        media.append(
            PostMedia(
                position=len(media),
                kind=MediaKind.IMAGE.value,
                key=stored.key,
                mime=stored.mime,
                width=stored.width,
                height=stored.height,
                size_bytes=stored.size_bytes,
            )
        )
    if video is not None:
        stored_video = store_video(video, field="video")
        media.append(
            PostMedia(
                position=len(media),
                kind=MediaKind.VIDEO.value,
                key=stored_video.key,
                mime=stored_video.mime,
                width=stored_video.width,
                height=stored_video.height,
                size_bytes=stored_video.size_bytes,
            )
        )
    return media


def create_post(
    author: User,
    body: str | None,
    *,
    audience: str | None = Audience.FRIENDS,
    wall_owner: User | None = None,
    images: Sequence[Upload] = (),
    video: Upload | None = None,
    space: str | None = None,
    must_read: bool = False,
) -> Post:
    """A new post by ``author`` on their own wall or on a friend's, or in a space they
    belong to (audience ``space``, and ``space`` its slug), with up to ten photos and one
    video; a must-read announcement when ``must_read`` (admins, and a space's owners in
    their space). Files are deleted again unless the transaction commits."""
    text = clean_body(body)
    audience = clean_audience(audience)
    in_space = space_to_post_in(author, audience, space)
    owner = wall_owner or author
    if in_space is not None and owner.id != author.id:
        raise Invalid("A post in a space is not on anyone's wall.", "wall")
    if not can_post_on_wall(author, owner):
        raise Forbidden(f"You can write on {owner.name}'s wall once you are friends.", "wall")
    if must_read and not can_mark_must_read(author, in_space.id if in_space else None):
        raise Forbidden(MUST_READ_REFUSED, "must_read")
    if len(images) > MAX_PHOTOS:
        raise Invalid(f"Attach at most {MAX_PHOTOS} photos; this has {len(images)}.", "photos")
    if not text and not images and video is None:
        raise Invalid("Write something, or attach a photo or a video.", "body")
    media = _store_media(images, video)
    post = Post(
        author_id=author.id,
        wall_id=owner.id,
        body=text,
        audience=audience,
        space_id=in_space.id if in_space is not None else None,
        must_read=must_read,
    )
    db.session.add(post)
    db.session.flush()
    for item in media:
        item.post_id = post.id
    db.session.add_all(media)
    db.session.flush()
    events.post_written.send(post, text=text)
    if must_read:
        _must_read_changed(author, post)
    return post


def edit_post(
    viewer: User, post_id: int, body: str | None = None, audience: str | None = None
) -> Post:
    """Change the text and the audience of the viewer's own post (``None`` keeps them); a
    real change marks it edited."""
    post = get_post(viewer, post_id)
    if not can_edit_post(viewer, post):
        raise Forbidden("Only the author can edit a post.")
    text = post.body if body is None else clean_body(body)
    new_audience = post.audience if audience is None else clean_audience(audience)
    if (new_audience == Audience.SPACE) != (post.space_id is not None):
        raise Invalid("A post stays in its space, and a post on a wall stays there.", "audience")
    if not text and not media_of(post):
        raise Invalid("Write something; a post without photos or a video needs text.", "body")
    if (text, new_audience) != (post.body, post.audience):
        previous = post.body
        post.body = text
        post.audience = new_audience
        post.edited_at = utcnow()
        db.session.flush()
        events.post_edited.send(post, text=text, previous=previous)
    return post


def delete_post(viewer: User, post_id: int) -> None:
    """Delete a post with its likes and comments; its files go once the deletion commits."""
    post = find(Post, post_id)
    if post is None or not (viewer.is_admin or can_view_post(viewer, post)):
        raise NotFound(NO_SUCH_POST)
    if not can_delete_post(viewer, post):
        raise Forbidden("Only the author, the wall's owner or an admin can delete a post.")
    keys = [media.key for media in media_of(post)]
    if viewer.id not in (post.author_id, post.wall_id):
        audit.record(
            "post.delete", actor=viewer, target=f"post:{post.id}", author_id=post.author_id
        )
    db.session.delete(post)
    db.session.flush()
    delete_when_committed(keys)


def set_pinned(viewer: User, post_id: int, pinned: bool) -> Post:
    """Pin a post as a company announcement at the top of every feed, or unpin it (admins)."""
    post = get_post(viewer, post_id)
    if not can_pin_posts(viewer):
        raise Forbidden("Only admins can pin or unpin announcements.")
    if post.pinned != pinned:
        post.pinned = pinned
        audit.record("post.pin" if pinned else "post.unpin", actor=viewer, target=f"post:{post.id}")
        db.session.flush()
    return post


def set_must_read(viewer: User, post_id: int, must_read: bool) -> Post:
    """Make a post a must-read announcement, or an ordinary post again: admins for any post
    they see, a space's owners for its posts (anyone else who sees it: 403)."""
    post = get_post(viewer, post_id)
    if not can_mark_must_read(viewer, post.space_id):
        raise Forbidden(MUST_READ_REFUSED, "must_read")
    if post.must_read != must_read:
        post.must_read = must_read
        db.session.flush()
        _must_read_changed(viewer, post)
    return post


def _must_read_changed(viewer: User, post: Post) -> None:
    """Audit the post's new must-read flag; its audience is told (or the notices taken
    back)."""
    action = "post.must_read" if post.must_read else "post.must_read_cleared"
    audit.record(action, actor=viewer, target=f"post:{post.id}", author_id=post.author_id)
    if post.must_read:
        events.must_read_marked.send(post, marked_by=viewer.id)
    else:
        events.must_read_cleared.send(post)


def post_card(viewer: User, post_id: int, *, with_comments: bool = True) -> PostCard:
    """One post as the feed shows it; its page lists the comments itself."""
    post = get_post(viewer, post_id)
    return build_cards(viewer, [post.id], with_comments=with_comments)[0]
