"""The parts post and comment cards share: people, photos and videos, and the URLs of what
can be done to each, built for a whole page at once (:class:`Routes`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from flask import has_request_context, request, url_for

from intranet_social.media.avatars import avatar_url
from intranet_social.posts.models import MediaKind

AVATAR_SIZE = 48


#: a value no id or username takes: each route's URL is built once with it, then filled in
_MARK = 2147483646


class Routes:
    """The URLs of a page's posts and comments. A page needs hundreds and ``url_for`` builds
    the route anew each time, so each route is built once with a marker and filled in by
    string replacement (ids are integers and usernames URL-safe, so the result is the same)."""

    def __init__(self) -> None:
        self._templates: dict[tuple[str, str, tuple[tuple[str, str], ...]], str] = {}
        self._people: dict[int, PersonCard] = {}
        #: the site's root path: part of every URL, so of every kept card's key
        self.root = request.script_root if has_request_context() else ""

    def url(self, endpoint: str, name: str, value: int | str, **fixed: str) -> str:
        key = (endpoint, name, tuple(fixed.items()))
        template = self._templates.get(key)
        if template is None:
            values: dict[str, Any] = {name: _MARK, **fixed}
            template = url_for(endpoint, **values)
            self._templates[key] = template
        return template.replace(str(_MARK), str(value))

    def person(self, user: Any) -> PersonCard:
        """``user``: a ``User`` or a row with its id, username, name and avatar_key."""
        card = self._people.get(user.id)
        if card is None:
            card = _person_card(self.root, user.username, user.name, user.avatar_key)
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
        url_for("profiles.show_profile", username=username),
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
    address), ``pin``, ``unpin``, ``acknowledge`` and ``acknowledgements`` (a must-read's
    "I have read this" and the page of who has) are empty for comments."""

    like: str
    unlike: str
    edit: str
    delete: str
    comment: str = ""
    pin: str = ""
    unpin: str = ""
    acknowledge: str = ""
    acknowledgements: str = ""


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
        acknowledge=routes.url("posts.acknowledge_post", "post_id", post_id),
        acknowledgements=routes.url("posts.show_acknowledgements", "post_id", post_id),
    )


def comment_actions(comment_id: int, routes: Routes) -> Actions:
    return Actions(
        like=routes.url("posts.like_comment", "comment_id", comment_id),
        unlike=routes.url("posts.unlike_comment", "comment_id", comment_id),
        edit=routes.url("posts.edit_comment", "comment_id", comment_id),
        delete=routes.url("posts.delete_comment", "comment_id", comment_id),
    )
