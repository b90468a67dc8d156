"""Everything a page or an API answer shows of a list of posts, loaded in a fixed number of
queries however many posts, authors, photos and comments there are
(:mod:`~intranet_social.posts.card_queries`; the parts cards share are in
:mod:`~intranet_social.posts.card_parts`). Templates and the API get plain dataclasses
and never query.

A card is made from its rows and the viewer's part (liked, may edit, delete, pin or report),
read on every request; making one costs more than the queries behind it, so cards are kept
per process under everything they are made from (:class:`CardSource`) and made again only
when any of it changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, NamedTuple

from flask import current_app
from markupsafe import Markup

from intranet_social.accounts.models import User
from intranet_social.core.memo import BoundedCache, app_cache
from intranet_social.core.text import all_mentions, format_text
from intranet_social.posts.card_parts import (
    Actions,
    MediaCard,
    PersonCard,
    Routes,
    comment_actions,
    media_card,
    post_actions,
)
from intranet_social.posts.card_queries import (
    COMMENT_SHAPE,
    LATEST_COMMENTS,
    MEDIA_SHAPE,
    POST_MEDIA,
    POST_SHAPE,
    POSTS,
    CommentRow,
    MediaRow,
    PersonRow,
    PostRow,
    SpaceRow,
    mentioned_names,
)
from intranet_social.posts.models import MediaKind
from intranet_social.posts.must_read import Tally, tally
from intranet_social.posts.permissions import (
    can_delete_comment,
    can_delete_post,
    can_edit_comment,
    can_edit_post,
    can_pin_posts,
    can_read_acknowledgements,
)


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
    #: the space it was written in (its address and name), ``None`` for a post on a wall
    space_slug: str | None
    space_name: str | None
    #: a must-read announcement; whether the viewer is of those asked to acknowledge it,
    #: and whether they did
    must_read: bool
    asked: bool
    acknowledged: bool
    #: how many of its audience acknowledged it, of how many: for its author, its space's
    #: owners and admins only (``None`` for anyone else, and for an ordinary post)
    acknowledged_count: int | None
    audience_count: int | None
    #: worked out once: a kept card is looked up by hash on every page that shows it
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        values = tuple(getattr(self, name) for name in _CARD_FIELDS)
        object.__setattr__(self, "_hash", hash(values))

    def __hash__(self) -> int:
        return self._hash

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

    @property
    def awaits_acknowledgement(self) -> bool:
        """A must-read the viewer is asked to acknowledge and has not."""
        return self.must_read and self.asked and not self.acknowledged


_CARD_FIELDS = tuple(item.name for item in fields(PostCard) if item.compare)


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


class CommentSource(NamedTuple):
    """What a comment card is made from: its row, its author's, and the viewer's part."""

    comment: CommentRow
    author: PersonRow
    liked: bool
    can_edit: bool
    can_delete: bool
    reportable: bool


def comment_sources(
    viewer: User, rows: Iterable[tuple[CommentRow, PersonRow, bool]], posts: Mapping[int, Any]
) -> list[CommentSource]:
    """Rows of :func:`comment_query` with what ``viewer`` may do to each comment."""
    return [
        CommentSource(
            comment,
            author,
            bool(liked),
            can_edit_comment(viewer, comment),
            can_delete_comment(viewer, comment, posts[comment.post_id]),
            comment.author_id != viewer.id,
        )
        for comment, author, liked in rows
    ]


def _comment_card(source: CommentSource, usernames: Container[str], routes: Routes) -> CommentCard:
    comment = source.comment
    return CommentCard(
        id=comment.id,
        post_id=comment.post_id,
        author=routes.person(source.author),
        body=comment.body,
        html=format_text(comment.body, usernames),
        created_at=comment.created_at,
        edited_at=comment.edited_at,
        like_count=comment.like_count,
        liked=source.liked,
        can_edit=source.can_edit,
        can_delete=source.can_delete,
        reportable=source.reportable,
        actions=comment_actions(comment.id, routes),
    )


def comment_cards(
    viewer: User,
    rows: Sequence[tuple[CommentRow, PersonRow, bool]],
    posts: Mapping[int, Any],
    usernames: set[str],
    routes: Routes | None = None,
) -> list[CommentCard]:
    routes = routes or Routes()
    return [
        _comment_card(source, usernames, routes) for source in comment_sources(viewer, rows, posts)
    ]


class CardSource(NamedTuple):
    """Everything a post card is made from: the rows the queries found for it and the
    viewer's part. Equal sources make equal cards, so a card is kept under its source."""

    root: str
    post: PostRow
    author: PersonRow
    wall: PersonRow
    space: SpaceRow
    liked: bool
    acknowledged: bool
    asked: bool
    #: a must-read's counts, for those who may read them
    tally: Tally | None
    media: tuple[MediaRow, ...]
    comments: tuple[CommentSource, ...]
    #: the names its texts mention that belong to someone
    mentions: frozenset[str]
    can_edit: bool
    can_delete: bool
    can_pin: bool
    reportable: bool


#: cards kept per process, by source: building one costs more than the queries behind it
MAX_KEPT_CARDS = 2048


def _kept_cards() -> BoundedCache[CardSource, PostCard]:
    return app_cache(current_app, "post_cards", lambda: BoundedCache(MAX_KEPT_CARDS))


def _post_card(source: CardSource, routes: Routes) -> PostCard:
    post = source.post
    return PostCard(
        id=post.id,
        author=routes.person(source.author),
        wall=routes.person(source.wall),
        body=post.body,
        html=format_text(post.body, source.mentions),
        audience=post.audience,
        created_at=post.created_at,
        edited_at=post.edited_at,
        pinned=post.pinned,
        like_count=post.like_count,
        liked=source.liked,
        comment_count=post.comment_count,
        media=tuple(media_card(item, routes) for item in source.media),
        comments=tuple(
            _comment_card(comment, source.mentions, routes) for comment in source.comments
        ),
        can_edit=source.can_edit,
        can_delete=source.can_delete,
        can_pin=source.can_pin,
        reportable=source.reportable,
        url=routes.url("posts.show_post", "post_id", post.id),
        actions=post_actions(post.id, routes),
        space_slug=source.space.slug,
        space_name=source.space.name,
        must_read=post.must_read,
        asked=source.asked,
        acknowledged=source.acknowledged,
        acknowledged_count=source.tally.acknowledged if source.tally else None,
        audience_count=source.tally.audience if source.tally else None,
    )


def build_cards(viewer: User, ids: Sequence[int], *, with_comments: bool = True) -> list[PostCard]:
    """Cards for the posts ``ids`` in that order; ids of posts that no longer exist, or that
    ``viewer`` may not see, are skipped (their media and comments are not even read).

    The rows are read on every call, with the viewer's likes and rights; a card made before
    from equal rows is reused instead of being made again."""
    if not ids:
        return []
    rows = POST_SHAPE.rows(POSTS.rows({"viewer_id": viewer.id, "ids": list(ids)}))
    found = {row[0].id: row for row in rows}
    posts = {post_id: row[0] for post_id, row in found.items()}
    params = {"viewer_id": viewer.id, "ids": list(found)}
    media: dict[int, list[MediaRow]] = defaultdict(list)
    for (item,) in MEDIA_SHAPE.rows(POST_MEDIA.rows(params)):
        media[item.post_id].append(item)
    comment_rows = COMMENT_SHAPE.rows(LATEST_COMMENTS.rows(params)) if with_comments else []
    comment_rows.sort(key=lambda row: row[0].id)
    usernames = mentioned_names(
        [post.body for post in posts.values()] + [row[0].body for row in comment_rows]
    )
    comments: dict[int, list[CommentSource]] = defaultdict(list)
    for comment_source in comment_sources(viewer, comment_rows, posts):
        comments[comment_source.comment.post_id].append(comment_source)
    routes = Routes()
    kept = _kept_cards()
    can_pin = can_pin_posts(viewer)
    cards = []
    for post_id in ids:
        if post_id not in found:
            continue
        post, post_author, owner, space, liked, acknowledged, asked = found[post_id]
        texts = [post.body, *(source.comment.body for source in comments[post_id])]
        source = CardSource(
            root=routes.root,
            post=post,
            author=post_author,
            wall=owner,
            space=space,
            liked=bool(liked),
            acknowledged=bool(acknowledged),
            asked=bool(asked),
            tally=_tally_for(viewer, post),
            media=tuple(media[post_id]),
            comments=tuple(comments[post_id]),
            mentions=frozenset(all_mentions(texts) & usernames),
            can_edit=can_edit_post(viewer, post),
            can_delete=can_delete_post(viewer, post),
            can_pin=can_pin,
            reportable=post.author_id != viewer.id,
        )
        card = kept.get(source)
        if card is None:
            card = _post_card(source, routes)
            kept.put(source, card)
        cards.append(card)
    return cards


def _tally_for(viewer: User, post: PostRow) -> Tally | None:
    """A must-read's counts, when ``viewer`` may read them (a query or two, for the few
    must-read posts only)."""
    if not post.must_read or not can_read_acknowledgements(viewer, post):
        return None
    return tally(post.id)


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
