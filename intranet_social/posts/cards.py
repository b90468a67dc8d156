"""Everything a page or an API answer shows of a list of posts, loaded in a fixed number of
queries however many posts, authors, photos and comments there are.

For a list of post ids: one query for the posts with their authors, wall owners and whether
the viewer liked each; one for their photos and videos; one for the latest three comments of
every post (``row_number()`` per post) with their authors and the viewer's likes; one for the
people the texts mention. Templates and the API get plain dataclasses and never query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from markupsafe import Markup
from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import aliased
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


@dataclass(frozen=True)
class PersonCard:
    username: str
    name: str
    avatar_url: str


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


@dataclass(frozen=True)
class PostCard:
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
    media: list[MediaCard]
    comments: list[CommentCard]
    can_edit: bool
    can_delete: bool
    can_pin: bool

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


def person_card(user: User) -> PersonCard:
    return PersonCard(user.username, user.name, avatar_url(user, size=AVATAR_SIZE))


def media_card(media: PostMedia) -> MediaCard:
    if media.kind == MediaKind.VIDEO:
        variant, thumb = "video", "poster"
    else:
        variant, thumb = "full", "thumb"
    return MediaCard(
        id=media.id,
        kind=media.kind,
        mime=media.mime,
        url=url_for("posts.show_media", media_id=media.id, variant=variant),
        thumb_url=url_for("posts.show_media", media_id=media.id, variant=thumb),
        width=media.width,
        height=media.height,
    )


def _liked_post(viewer: User) -> Exists:
    return exists().where(PostLike.post_id == Post.id, PostLike.user_id == viewer.id)


def _liked_comment(viewer: User) -> Exists:
    return exists().where(CommentLike.comment_id == Comment.id, CommentLike.user_id == viewer.id)


def comment_query(viewer: User) -> Select[tuple[Comment, User, bool]]:
    """Comments with their authors and whether ``viewer`` liked each; the caller filters."""
    return select(Comment, User, _liked_comment(viewer)).join(User, User.id == Comment.author_id)


def mentioned_names(texts: Iterable[str]) -> set[str]:
    """Which of the names the texts mention belong to someone (one query)."""
    names = sorted(all_mentions(texts))
    return set(db.session.scalars(select(User.username).where(User.username.in_(names))))


def comment_cards(
    viewer: User,
    rows: Sequence[tuple[Comment, User, bool]],
    posts: dict[int, Post],
    usernames: set[str],
) -> list[CommentCard]:
    return [
        CommentCard(
            id=comment.id,
            post_id=comment.post_id,
            author=person_card(author),
            body=comment.body,
            html=format_text(comment.body, usernames),
            created_at=comment.created_at,
            edited_at=comment.edited_at,
            like_count=comment.like_count,
            liked=bool(liked),
            can_edit=can_edit_comment(viewer, comment),
            can_delete=can_delete_comment(viewer, comment, posts[comment.post_id]),
        )
        for comment, author, liked in rows
    ]


def _latest_comments(viewer: User, ids: Sequence[int]) -> list[tuple[Comment, User, bool]]:
    rank = (
        func.row_number()
        .over(partition_by=Comment.post_id, order_by=Comment.id.desc())
        .label("rank")
    )
    ranked = select(Comment.id, rank).where(Comment.post_id.in_(ids)).subquery()
    query = (
        comment_query(viewer)
        .join(ranked, and_(ranked.c.id == Comment.id, ranked.c.rank <= INLINE_COMMENTS))
        .order_by(Comment.id)
    )
    return list(db.session.execute(query))


def build_cards(viewer: User, ids: Sequence[int], *, with_comments: bool = True) -> list[PostCard]:
    """Cards for the posts ``ids`` in that order (ids that no longer exist are skipped)."""
    if not ids:
        return []
    rows = db.session.execute(
        select(Post, AUTHOR, WALL_OWNER, _liked_post(viewer))
        .join(AUTHOR, AUTHOR.id == Post.author_id)
        .join(WALL_OWNER, WALL_OWNER.id == Post.wall_id)
        .where(Post.id.in_(ids))
    )
    found = {row[0].id: (row[0], row[1], row[2], bool(row[3])) for row in rows}
    posts = {post_id: row[0] for post_id, row in found.items()}
    media: dict[int, list[MediaCard]] = defaultdict(list)
    for item in db.session.scalars(
        select(PostMedia).where(PostMedia.post_id.in_(ids)).order_by(PostMedia.position)
    ):
        media[item.post_id].append(media_card(item))
    comment_rows = _latest_comments(viewer, ids) if with_comments else []
    usernames = mentioned_names(
        [post.body for post in posts.values()] + [row[0].body for row in comment_rows]
    )
    comments: dict[int, list[CommentCard]] = defaultdict(list)
    for card in comment_cards(viewer, comment_rows, posts, usernames):
        comments[card.post_id].append(card)
    cards = []
    for post_id in ids:
        if post_id not in found:
            continue
        post, post_author, owner, liked = found[post_id]
        cards.append(
            PostCard(
                id=post.id,
                author=person_card(post_author),
                wall=person_card(owner),
                body=post.body,
                html=format_text(post.body, usernames),
                audience=post.audience,
                created_at=post.created_at,
                edited_at=post.edited_at,
                pinned=post.pinned,
                like_count=post.like_count,
                liked=liked,
                comment_count=post.comment_count,
                media=media[post.id],
                comments=comments[post.id],
                can_edit=can_edit_post(viewer, post),
                can_delete=can_delete_post(viewer, post),
                can_pin=can_pin_posts(viewer),
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
