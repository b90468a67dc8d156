"""Everything a page or an API answer shows of a list of posts, loaded in a fixed number of
queries however many posts, authors, photos and comments there are.

For a list of post ids: one query for the posts with their authors, wall owners and whether
the viewer liked each; one for their photos and videos; one for the latest three comments of
every post (``row_number()`` per post) with their authors and the viewer's likes; one for the
people the texts mention. Templates and the API get plain dataclasses and never query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from flask import has_request_context, request, url_for
from markupsafe import Markup
from sqlalchemy import Row, Select, and_, bindparam, exists, func, select
from sqlalchemy.orm import Bundle, aliased
from sqlalchemy.sql.expression import Exists

from intranet_social.accounts.models import User
from intranet_social.core.text import all_mentions, format_text
from intranet_social.extensions import db
from intranet_social.posts.models import Comment, CommentLike, MediaKind, Post, PostLike, PostMedia
from intranet_social.posts.permissions import (
    can_delete_comment,
    can_delete_post,
    can_edit_comment,
    can_edit_post,
    can_pin_posts,
)
from intranet_social.profiles.service import avatar_url

#: comments shown under a post in a list; its page shows them all
INLINE_COMMENTS = 3
AVATAR_SIZE = 48
#: made once: an alias builds a proxy of every column, too slow to repeat per page
AUTHOR = aliased(User, name="author")
WALL_OWNER = aliased(User, name="wall_owner")


#: a value no id or username takes: each route's URL is built once with it, then filled in
_MARK = 2147483646


class Routes:
    """The URLs of a page's posts and comments. A page needs hundreds and ``url_for`` builds
    the route anew each time, so each route is built once with a marker and filled in by
    string replacement (ids are integers and usernames URL-safe, so the result is the same)."""

    def __init__(self) -> None:
        self._templates: dict[tuple[str, str, tuple[tuple[str, str], ...]], str] = {}
        self._people: dict[int, PersonCard] = {}

    def url(self, endpoint: str, name: str, value: int | str, **fixed: str) -> str:
        key = (endpoint, name, tuple(fixed.items()))
        template = self._templates.get(key)
        if template is None:
            template = url_for(endpoint, **{name: _MARK}, **fixed)
            self._templates[key] = template
        return template.replace(str(_MARK), str(value))

    def person(self, user: Any) -> PersonCard:
        """``user``: a ``User`` or a row with its id, username, name and avatar_key."""
        card = self._people.get(user.id)
        if card is None:
            root = request.script_root if has_request_context() else ""
            card = _person_card(root, user.username, user.name, user.avatar_key)
            self._people[user.id] = card
        return card


class _Person(NamedTuple):
    username: str
    name: str
    avatar_key: str | None


@lru_cache(maxsize=4096)
def _person_card(script_root: str, username: str, name: str, avatar_key: str | None) -> PersonCard:
    """A person's card, the same for every page of the site (``script_root``) as long as
    their name and photo stay: kept across requests, as the generated pictures' URLs cost
    several ``url_for`` each."""
    return PersonCard(
        username,
        name,
        avatar_url(_Person(username, name, avatar_key), size=AVATAR_SIZE),  # type: ignore[arg-type]
        url_for("posts.show_profile", username=username),
    )


@dataclass(frozen=True)
class PersonCard:
    username: str
    name: str
    avatar_url: str
    profile_url: str


@dataclass(frozen=True)
class MediaCard:
    id: int
    kind: str
    mime: str
    url: str
    thumb_url: str
    width: int | None
    height: int | None


@dataclass(frozen=True)
class Actions:
    """The URLs of what can be done to a post or comment; ``comment`` (the comment form's
    address), ``pin`` and ``unpin`` are empty for comments."""

    like: str
    unlike: str
    edit: str
    delete: str
    comment: str = ""
    pin: str = ""
    unpin: str = ""


@dataclass(frozen=True)
class CommentCard:
    id: int
    post_id: int
    author: PersonCard
    body: str
    html: Markup
    created_at: datetime
    edited_at: datetime | None
    like_count: int
    liked: bool
    can_edit: bool
    can_delete: bool
    #: whether the viewer may report it (it is not theirs)
    reportable: bool
    actions: Actions


@dataclass(frozen=True)
class PostCard:
    """A post as one viewer sees it. Hashable (tuples, not lists): equal cards show the
    same, which :mod:`~intranet_social.posts.rendered` relies on."""

    id: int
    author: PersonCard
    wall: PersonCard
    body: str
    html: Markup
    audience: str
    created_at: datetime
    edited_at: datetime | None
    pinned: bool
    like_count: int
    liked: bool
    comment_count: int
    media: tuple[MediaCard, ...]
    comments: tuple[CommentCard, ...]
    can_edit: bool
    can_delete: bool
    can_pin: bool
    reportable: bool
    url: str
    actions: Actions

    @property
    def on_other_wall(self) -> bool:
        return self.wall.username != self.author.username

    @property
    def photos(self) -> list[MediaCard]:
        return [media for media in self.media if media.kind == MediaKind.IMAGE]

    @property
    def videos(self) -> list[MediaCard]:
        return [media for media in self.media if media.kind == MediaKind.VIDEO]

    @property
    def more_comments(self) -> bool:
        return self.comment_count > len(self.comments)


@dataclass(frozen=True)
class FeedPage:
    """Pinned announcements (first page only), then the stream; ``next_before`` is the id to
    continue below, ``None`` on the last page."""

    pinned: list[PostCard] = field(default_factory=list)
    posts: list[PostCard] = field(default_factory=list)
    next_before: int | None = None

    @property
    def items(self) -> list[PostCard]:
        return [*self.pinned, *self.posts]


def media_card(media: Any, routes: Routes) -> MediaCard:
    if media.kind == MediaKind.VIDEO:
        variant, thumb = "video", "poster"
    else:
        variant, thumb = "full", "thumb"
    return MediaCard(
        id=media.id,
        kind=media.kind,
        mime=media.mime,
        url=routes.url("posts.show_media", "media_id", media.id, variant=variant),
        thumb_url=routes.url("posts.show_media", "media_id", media.id, variant=thumb),
        width=media.width,
        height=media.height,
    )


def post_actions(post_id: int, routes: Routes) -> Actions:
    return Actions(
        like=routes.url("posts.like_post", "post_id", post_id),
        unlike=routes.url("posts.unlike_post", "post_id", post_id),
        edit=routes.url("posts.edit_post", "post_id", post_id),
        delete=routes.url("posts.delete_post", "post_id", post_id),
        comment=routes.url("posts.create_comment", "post_id", post_id),
        pin=routes.url("posts.pin_post", "post_id", post_id),
        unpin=routes.url("posts.unpin_post", "post_id", post_id),
    )


def comment_actions(comment_id: int, routes: Routes) -> Actions:
    return Actions(
        like=routes.url("posts.like_comment", "comment_id", comment_id),
        unlike=routes.url("posts.unlike_comment", "comment_id", comment_id),
        edit=routes.url("posts.edit_comment", "comment_id", comment_id),
        delete=routes.url("posts.delete_comment", "comment_id", comment_id),
    )


#: the statements below are built once, with the viewer and the ids as parameters: building
#: them costs more than SQLite takes to run them, on every page
VIEWER = bindparam("viewer_id")
IDS = bindparam("ids", expanding=True)
LIKED_POST: Exists = exists().where(PostLike.post_id == Post.id, PostLike.user_id == VIEWER)
LIKED_COMMENT: Exists = exists().where(
    CommentLike.comment_id == Comment.id, CommentLike.user_id == VIEWER
)


#: what cards show, as plain rows: whole ORM objects (with every column, the password hash
#: included, and the identity map's bookkeeping) cost several times as much to load
POST = Bundle(
    "post",
    Post.id,
    Post.author_id,
    Post.wall_id,
    Post.body,
    Post.audience,
    Post.created_at,
    Post.edited_at,
    Post.pinned,
    Post.like_count,
    Post.comment_count,
)
COMMENT = Bundle(
    "comment",
    Comment.id,
    Comment.post_id,
    Comment.author_id,
    Comment.body,
    Comment.created_at,
    Comment.edited_at,
    Comment.like_count,
)
COMMENT_AUTHOR = Bundle("author", User.id, User.username, User.name, User.avatar_key)
POST_AUTHOR = Bundle("author", AUTHOR.id, AUTHOR.username, AUTHOR.name, AUTHOR.avatar_key)
WALL = Bundle("wall", WALL_OWNER.id, WALL_OWNER.username, WALL_OWNER.name, WALL_OWNER.avatar_key)
MEDIA = Bundle(
    "media",
    PostMedia.id,
    PostMedia.post_id,
    PostMedia.kind,
    PostMedia.mime,
    PostMedia.width,
    PostMedia.height,
)


COMMENTS = select(COMMENT, COMMENT_AUTHOR, LIKED_COMMENT).join(User, User.id == Comment.author_id)
POSTS = (
    select(POST, POST_AUTHOR, WALL, LIKED_POST)
    .join(AUTHOR, AUTHOR.id == Post.author_id)
    .join(WALL_OWNER, WALL_OWNER.id == Post.wall_id)
    .where(Post.id.in_(IDS))
)
POST_MEDIA = select(MEDIA).where(PostMedia.post_id.in_(IDS)).order_by(PostMedia.position)
_RANKED = (
    select(
        Comment.id,
        func.row_number()
        .over(partition_by=Comment.post_id, order_by=Comment.id.desc())
        .label("rank"),
    )
    .where(Comment.post_id.in_(IDS))
    .subquery()
)
#: the latest ``INLINE_COMMENTS`` comments of each post (``row_number()`` per post)
LATEST_COMMENTS = COMMENTS.join(
    _RANKED, and_(_RANKED.c.id == Comment.id, _RANKED.c.rank <= INLINE_COMMENTS)
).order_by(Comment.id)
USERNAMES = select(User.username).where(User.username.in_(bindparam("names", expanding=True)))


def comment_query(viewer: User) -> Select[tuple[Any, Any, bool]]:
    """Comments (rows of ``COMMENT``) with their authors and whether ``viewer`` liked each;
    the caller filters."""
    return COMMENTS.params(viewer_id=viewer.id)


def mentioned_names(texts: Iterable[str]) -> set[str]:
    """Which of the names the texts mention belong to someone (one query)."""
    names = sorted(all_mentions(texts))
    return set(db.session.scalars(USERNAMES, {"names": names}))


def comment_cards(
    viewer: User,
    rows: Sequence[Row[tuple[Any, Any, bool]]],
    posts: Mapping[int, Any],
    usernames: set[str],
    routes: Routes | None = None,
) -> list[CommentCard]:
    routes = routes or Routes()
    return [
        CommentCard(
            id=comment.id,
            post_id=comment.post_id,
            author=routes.person(author),
            body=comment.body,
            html=format_text(comment.body, usernames),
            created_at=comment.created_at,
            edited_at=comment.edited_at,
            like_count=comment.like_count,
            liked=bool(liked),
            can_edit=can_edit_comment(viewer, comment),
            can_delete=can_delete_comment(viewer, comment, posts[comment.post_id]),
            reportable=comment.author_id != viewer.id,
            actions=comment_actions(comment.id, routes),
        )
        for comment, author, liked in rows
    ]


def build_cards(viewer: User, ids: Sequence[int], *, with_comments: bool = True) -> list[PostCard]:
    """Cards for the posts ``ids`` in that order (ids that no longer exist are skipped)."""
    if not ids:
        return []
    params = {"viewer_id": viewer.id, "ids": list(ids)}
    rows = db.session.execute(POSTS, params)
    found = {row[0].id: (row[0], row[1], row[2], bool(row[3])) for row in rows}
    posts = {post_id: row[0] for post_id, row in found.items()}
    routes = Routes()
    media: dict[int, list[MediaCard]] = defaultdict(list)
    for item in db.session.scalars(POST_MEDIA, params):
        media[item.post_id].append(media_card(item, routes))
    comment_rows = list(db.session.execute(LATEST_COMMENTS, params)) if with_comments else []
    usernames = mentioned_names(
        [post.body for post in posts.values()] + [row[0].body for row in comment_rows]
    )
    comments: dict[int, list[CommentCard]] = defaultdict(list)
    for card in comment_cards(viewer, comment_rows, posts, usernames, routes):
        comments[card.post_id].append(card)
    cards = []
    for post_id in ids:
        if post_id not in found:
            continue
        post, post_author, owner, liked = found[post_id]
        cards.append(
            PostCard(
                id=post.id,
                author=routes.person(post_author),
                wall=routes.person(owner),
                body=post.body,
                html=format_text(post.body, usernames),
                audience=post.audience,
                created_at=post.created_at,
                edited_at=post.edited_at,
                pinned=post.pinned,
                like_count=post.like_count,
                liked=liked,
                comment_count=post.comment_count,
                media=tuple(media[post.id]),
                comments=tuple(comments[post.id]),
                can_edit=can_edit_post(viewer, post),
                can_delete=can_delete_post(viewer, post),
                can_pin=can_pin_posts(viewer),
                reportable=post.author_id != viewer.id,
                url=routes.url("posts.show_post", "post_id", post.id),
                actions=post_actions(post.id, routes),
            )
        )
    return cards


def build_page(
    viewer: User, pinned_ids: Sequence[int], stream_ids: Sequence[int], limit: int
) -> FeedPage:
    """A page from the pinned ids and ``limit + 1`` stream ids (the extra one says whether
    there is a next page)."""
    page_ids = list(stream_ids[:limit])
    cards = build_cards(viewer, [*pinned_ids, *page_ids])
    pinned = set(pinned_ids)
    return FeedPage(
        pinned=[card for card in cards if card.id in pinned],
        posts=[card for card in cards if card.id not in pinned],
        next_before=page_ids[-1] if len(stream_ids) > limit else None,
    )
