"""A space's avatar and cover, through the same media pipeline as people's photos.

Owners and moderators change them (``None`` is the command line). The picture is checked,
re-encoded and stored by ``media.storage.store_image`` before anything changes, so an
oversized or fake file is refused with nothing changed; the old files go once the change
commits, and a deleted space's files with it (``service.delete_space``).

The files are served by their random key (``profiles.avatar_image``, ``profiles.cover_image``)
like people's photos: a key appears only on the pages and answers of those who may see the
space, and cannot be guessed, so a secret space's pictures stay as secret as the space.
"""

from __future__ import annotations

from typing import Literal

from intranet_social.accounts.models import User
from intranet_social.core.errors import Forbidden, Invalid
from intranet_social.extensions import db
from intranet_social.media.storage import Upload, delete_when_committed, store_image
from intranet_social.spaces.models import Space
from intranet_social.spaces.service import MANAGERS, SpaceView, find_space, role_in, view_of

Kind = Literal["avatar", "cover"]
KINDS: tuple[Kind, ...] = ("avatar", "cover")


def _space_to_decorate(actor: User | None, slug: str) -> Space:
    space = find_space(actor, slug)
    if actor is not None and role_in(actor.id, space.id) not in MANAGERS:
        raise Forbidden("Only the space's owners and moderators can change its pictures.")
    return space


def space_to_decorate(actor: User | None, slug: str) -> SpaceView:
    """The space at ``slug``, for one of its owners or moderators to change its pictures."""
    return view_of(actor, _space_to_decorate(actor, slug))


def set_picture(
    actor: User | None, slug: str, kind: Kind, upload: Upload | None, *, field: str
) -> SpaceView:
    """Store a new avatar or cover for the space; a bad file is refused naming ``field``."""
    space = _space_to_decorate(actor, slug)
    if upload is None:
        raise Invalid("Choose a picture to upload.", field)
    stored = store_image(upload, purpose=kind, field=field)
    _replace(space, kind, stored.key)
    return view_of(actor, space)


def remove_picture(actor: User | None, slug: str, kind: Kind) -> SpaceView:
    """Go back to the generated avatar, or to no cover."""
    space = _space_to_decorate(actor, slug)
    _replace(space, kind, None)
    return view_of(actor, space)


def _replace(space: Space, kind: Kind, key: str | None) -> None:
    old = space.avatar_key if kind == "avatar" else space.cover_key
    if kind == "avatar":
        space.avatar_key = key
    else:
        space.cover_key = key
    db.session.flush()
    if old:
        delete_when_committed([old])
