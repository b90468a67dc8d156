"""Spaces: who may create, see, join and manage one, and who belongs to it.

Every function takes the acting person (``None`` is the command line, which may do
anything), raises a domain error before changing anything, and only flushes; the caller
commits. A secret space is not found by anyone outside it. A space always keeps at least
one owner. Creating and deleting a space, changing its visibility and changing a member's
role are written to the audit log.

Who may see a space's posts is not decided here but in ``posts/audience.py``, which reads
:func:`member_space_ids` and :func:`open_space_ids`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    case,
    func,
    literal,
    or_,
    select,
    tuple_,
)

from intranet_social.accounts.models import Role as AccountRole
from intranet_social.accounts.models import Status, User
from intranet_social.audit import service as audit
from intranet_social.core import events
from intranet_social.core.errors import Conflict, Forbidden, Invalid, NotFound
from intranet_social.core.paging import CURSOR_MESSAGE
from intranet_social.extensions import db
from intranet_social.friends.service import active_user
from intranet_social.media import avatars
from intranet_social.media.storage import delete_when_committed
from intranet_social.site_settings.service import get_setting
from intranet_social.spaces import departments
from intranet_social.spaces.models import JoinRequest, Role, Space, SpaceMember, Visibility

MAX_NAME = 100
MAX_DESCRIPTION = 2_000
MAX_SLUG = 64
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
VISIBILITIES = tuple(item.value for item in Visibility)
ROLES = tuple(item.value for item in Role)
#: roles that manage the members
MANAGERS = (Role.OWNER.value, Role.MODERATOR.value)
CREATION_MODES = ("everyone", "admins")


@dataclass(frozen=True)
class SpaceView:
    """A space as one person sees it."""

    slug: str
    name: str
    description: str
    visibility: str
    member_count: int
    #: the viewer's role, ``None`` when not a member
    my_role: str | None
    #: whether the viewer asked to join and waits
    requested: bool
    #: the department whose people are its members (a department space), else ``None``
    department: str | None = None
    avatar_key: str | None = None
    cover_key: str | None = None
    #: whether the viewer, a member, muted the notices of the space's new posts
    muted: bool = False

    @property
    def avatar_url(self) -> str:
        """Its avatar (160 pixels), or its initials on a colour of its own."""
        return avatars.picture_url(self.avatar_key, self.name, self.slug)

    @property
    def small_avatar_url(self) -> str:
        return avatars.picture_url(self.avatar_key, self.name, self.slug, avatars.SMALL_AVATAR)

    @property
    def cover_url(self) -> str | None:
        return avatars.cover_picture_url(self.cover_key)

    @property
    def can_manage(self) -> bool:
        return self.my_role in MANAGERS

    @property
    def is_owner(self) -> bool:
        return self.my_role == Role.OWNER


@dataclass(frozen=True)
class Member:
    username: str
    name: str
    role: str
    joined_at: datetime


# ---------------------------------------------------------------- for the audience rule


def member_space_ids(user_id: int | BindParameter[int] | ColumnElement[int]) -> Select[int]:
    """The ids of the spaces ``user_id`` belongs to, as a query to use inside others."""
    return select(SpaceMember.space_id).where(SpaceMember.user_id == user_id)


def open_space_ids() -> Select[int]:
    """The ids of the open spaces, as a query to use inside others."""
    return select(Space.id).where(Space.visibility == Visibility.OPEN.value)


def is_member(user_id: int, space_id: int) -> bool:
    return role_in(user_id, space_id) is not None


def is_open(space_id: int) -> bool:
    visibility = db.session.scalar(select(Space.visibility).where(Space.id == space_id))
    return visibility == Visibility.OPEN


def known_to(viewer_id: int) -> ColumnElement[bool]:
    """The SQL condition on ``Space`` that ``viewer_id`` may know the space exists: open
    and closed spaces for everyone, a secret one for its members only."""
    return or_(
        Space.visibility != Visibility.SECRET.value, Space.id.in_(member_space_ids(viewer_id))
    )


def role_in(user_id: int, space_id: int) -> str | None:
    return db.session.scalar(
        select(SpaceMember.role).where(
            SpaceMember.space_id == space_id, SpaceMember.user_id == user_id
        )
    )


# ---------------------------------------------------------------- input


def clean_name(name: str | None) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise Invalid("Give the space a name.", "name")
    if len(text) > MAX_NAME:
        raise Invalid(f"Use at most {MAX_NAME} characters for the name.", "name")
    return text


def clean_slug(slug: str) -> str:
    if len(slug) > MAX_SLUG or not SLUG.match(slug):
        raise Invalid(
            "Use lower-case letters, digits and hyphens for the address (like team-news),"
            f" at most {MAX_SLUG}.",
            "slug",
        )
    return slug


def slug_from(name: str) -> str:
    """An address made from a name: lower-case words joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    slug = "-".join(words)[:MAX_SLUG].strip("-")
    if not slug:
        raise Invalid("Give the space an address of letters and digits.", "slug")
    return slug


def clean_visibility(visibility: str | None) -> str:
    if visibility not in VISIBILITIES:
        raise Invalid(f"Choose the visibility: {', '.join(VISIBILITIES)}.", "visibility")
    return str(visibility)


def clean_role(role: str | None) -> str:
    if role not in ROLES:
        raise Invalid(f"Choose the role: {', '.join(ROLES)}.", "role")
    return str(role)


def clean_description(description: str | None) -> str:
    text = (description or "").strip()
    if len(text) > MAX_DESCRIPTION:
        raise Invalid(f"Use at most {MAX_DESCRIPTION:,} characters to describe it.", "description")
    if "\x00" in text:
        raise Invalid("The description contains a NUL character.", "description")
    return text


# ---------------------------------------------------------------- look-ups


def _no_such_space(slug: str) -> NotFound:
    return NotFound(f"There is no space {slug!r}, or you may not see it.", "slug")


def find_space(viewer: User | None, slug: str) -> Space:
    """The space at ``slug``; a secret one only for its members (and the command line)."""
    space = None
    if "\x00" not in slug:
        space = db.session.scalar(select(Space).where(Space.slug == slug))
    if space is None:
        raise _no_such_space(slug)
    if (
        viewer is not None
        and space.visibility == Visibility.SECRET
        and not is_member(viewer.id, space.id)
    ):
        raise _no_such_space(slug)
    return space


def _count(space_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(SpaceMember).where(SpaceMember.space_id == space_id)
        )
        or 0
    )


def _requested(user_id: int, space_id: int) -> bool:
    found = db.session.scalar(
        select(JoinRequest.user_id).where(
            JoinRequest.space_id == space_id, JoinRequest.user_id == user_id
        )
    )
    return found is not None


def view_of(viewer: User | None, space: Space) -> SpaceView:
    membership = None if viewer is None else db.session.get(SpaceMember, (space.id, viewer.id))
    role = None if membership is None else membership.role
    return SpaceView(
        slug=space.slug,
        name=space.name,
        description=space.description,
        visibility=space.visibility,
        member_count=_count(space.id),
        my_role=role,
        requested=viewer is not None and role is None and _requested(viewer.id, space.id),
        department=space.department,
        avatar_key=space.avatar_key,
        cover_key=space.cover_key,
        muted=membership is not None and membership.muted,
    )


def get_space(viewer: User | None, slug: str) -> SpaceView:
    return view_of(viewer, find_space(viewer, slug))


def directory(
    viewer: User | None, search: str = "", *, after: str | None = None, limit: int | None = None
) -> list[SpaceView]:
    """The spaces ``viewer`` belongs to, then the open and closed ones they may join, by
    name; only those whose name, address or description has ``search``. A page of them:
    ``limit`` after the one whose :func:`directory_key` is ``after``."""
    counts = (
        select(SpaceMember.space_id, func.count().label("members"))
        .group_by(SpaceMember.space_id)
        .subquery()
    )
    query = select(Space, func.coalesce(counts.c.members, 0)).outerjoin(
        counts, counts.c.space_id == Space.id
    )
    if viewer is not None:
        mine = select(SpaceMember.space_id).where(SpaceMember.user_id == viewer.id)
        query = query.where(or_(Space.visibility != Visibility.SECRET.value, Space.id.in_(mine)))
    words = search.strip().lower()
    if words:
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                func.lower(Space.name).like(pattern, escape="\\"),
                Space.slug.like(pattern, escape="\\"),
                func.lower(Space.description).like(pattern, escape="\\"),
            )
        )
    # my spaces first (rank 0), then by name; the address, unique, breaks ties
    rank: ColumnElement[int] = literal(1)
    if viewer is not None:
        rank = case((Space.id.in_(mine), 0), else_=1)
    if after is not None:
        after_rank, after_slug, after_name = _directory_after(after)
        query = query.where(
            tuple_(rank, func.lower(Space.name), Space.slug)
            > tuple_(literal(after_rank), func.lower(literal(after_name)), literal(after_slug))
        )
    query = query.order_by(rank, func.lower(Space.name), Space.slug)
    if limit is not None:
        query = query.limit(limit)
    rows = db.session.execute(query).all()
    roles: dict[int, str] = {}
    muted: set[int] = set()
    requested: set[int] = set()
    if viewer is not None:
        memberships = select(SpaceMember.space_id, SpaceMember.role, SpaceMember.muted).where(
            SpaceMember.user_id == viewer.id
        )
        for space_id, role, is_muted in db.session.execute(memberships):
            roles[space_id] = role
            if is_muted:
                muted.add(space_id)
        requested = set(
            db.session.scalars(select(JoinRequest.space_id).where(JoinRequest.user_id == viewer.id))
        )
    views = [
        SpaceView(
            slug=space.slug,
            name=space.name,
            description=space.description,
            visibility=space.visibility,
            member_count=int(count),
            my_role=roles.get(space.id),
            requested=space.id in requested,
            department=space.department,
            avatar_key=space.avatar_key,
            cover_key=space.cover_key,
            muted=space.id in muted,
        )
        for space, count in rows
    ]
    return views


def directory_key(view: SpaceView) -> str:
    """Where a page of :func:`directory` that ends with ``view`` ends (a cursor's text)."""
    return f"{0 if view.my_role else 1}/{view.slug}/{view.name}"


def _directory_after(after: str) -> tuple[int, str, str]:
    rank, _, rest = after.partition("/")
    slug, _, name = rest.partition("/")
    if rank not in ("0", "1") or not SLUG.match(slug) or not name:
        raise Invalid(CURSOR_MESSAGE, "cursor")
    return int(rank), slug, name


def members(
    viewer: User | None, slug: str, *, after: str | None = None, limit: int | None = None
) -> list[Member]:
    """Who belongs to the space, owners first, then moderators, then members, each by
    username: ``limit`` of them after the one whose :func:`member_key` is ``after``."""
    space = find_space(viewer, slug)
    rank = case({role: position for position, role in enumerate(ROLES)}, value=SpaceMember.role)
    query = (
        select(User.username, User.name, SpaceMember.role, SpaceMember.joined_at)
        .join(SpaceMember, SpaceMember.user_id == User.id)
        .where(SpaceMember.space_id == space.id)
    )
    if after is not None:
        after_rank, after_username = _member_after(after)
        query = query.where(
            tuple_(rank, User.username) > tuple_(literal(after_rank), literal(after_username))
        )
    query = query.order_by(rank, User.username)
    if limit is not None:
        query = query.limit(limit)
    return [Member(*row) for row in db.session.execute(query)]


def member_key(member: Member) -> str:
    """Where a page of :func:`members` that ends with ``member`` ends (a cursor's text)."""
    return f"{ROLES.index(member.role)}/{member.username}"


def _member_after(after: str) -> tuple[int, str]:
    rank, _, username = after.partition("/")
    if not rank.isdigit() or int(rank) >= len(ROLES) or not username:
        raise Invalid(CURSOR_MESSAGE, "cursor")
    return int(rank), username


def join_requests(viewer: User | None, slug: str) -> list[Member]:
    """Who asks to join (owners and moderators only)."""
    space = find_space(viewer, slug)
    _require_manager(viewer, space)
    rows = db.session.execute(
        select(User.username, User.name, JoinRequest.created_at)
        .join(JoinRequest, JoinRequest.user_id == User.id)
        .where(JoinRequest.space_id == space.id)
        .order_by(JoinRequest.created_at, User.username)
    ).all()
    return [Member(username, name, "", at) for username, name, at in rows]


# ---------------------------------------------------------------- rules


def _require_manager(actor: User | None, space: Space) -> str | None:
    if actor is None:
        return None
    role = role_in(actor.id, space.id)
    if role not in MANAGERS:
        raise Forbidden("Only the space's owners and moderators can do this.")
    return role


def _require_owner(actor: User | None, space: Space) -> None:
    if actor is not None and role_in(actor.id, space.id) != Role.OWNER:
        raise Forbidden("Only the space's owners can do this.")


def may_create_spaces(actor: User | None) -> bool:
    return actor is None or actor.is_admin or get_setting("space_creation") != "admins"


def _owner_count(space_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(SpaceMember)
            .where(SpaceMember.space_id == space_id, SpaceMember.role == Role.OWNER.value)
        )
        or 0
    )


def _keep_an_owner(space: Space, membership: SpaceMember) -> None:
    if membership.role == Role.OWNER and _owner_count(space.id) <= 1:
        raise Conflict(
            "A space needs at least one owner: make someone else an owner first.", "username"
        )


def _membership(space: Space, user: User) -> SpaceMember | None:
    return db.session.get(SpaceMember, (space.id, user.id))


def _target(space: Space, username: str) -> tuple[User, SpaceMember]:
    user = active_user(username)
    membership = _membership(space, user)
    if membership is None:
        raise NotFound(f"{user.name} is not a member of this space.", "username")
    return user, membership


def _first_admin() -> User | None:
    """The earliest active admin: the owner of a space the command line makes for no one."""
    return db.session.scalar(
        select(User)
        .where(User.role == AccountRole.ADMIN.value, User.status == Status.ACTIVE.value)
        .order_by(User.id)
        .limit(1)
    )


# ---------------------------------------------------------------- writing


def create_space(
    actor: User | None,
    name: str | None,
    *,
    slug: str | None = None,
    visibility: str | None = Visibility.OPEN,
    description: str | None = "",
    owner: User | None = None,
) -> Space:
    """A new space, with ``owner`` (else the actor; else, from the command line, the
    earliest admin) as its first owner."""
    if not may_create_spaces(actor):
        raise Forbidden("Only admins can create spaces on this site.")
    clean = clean_name(name)
    address = clean_slug(slug) if slug else slug_from(clean)
    kind = clean_visibility(visibility)
    about = clean_description(description)
    first_owner = owner or actor or _first_admin()
    if first_owner is None:
        raise Invalid("Name the space's first owner (there is no admin to take it).", "owner")
    if db.session.scalar(select(Space.id).where(Space.slug == address)) is not None:
        raise Conflict(f"The address {address!r} is taken; choose another.", "slug")
    space = Space(slug=address, name=clean, description=about, visibility=kind)
    db.session.add(space)
    db.session.flush()
    db.session.add(SpaceMember(space_id=space.id, user_id=first_owner.id, role=Role.OWNER.value))
    audit.record(
        "space.create",
        actor=actor,
        target=f"space:{address}",
        visibility=kind,
        owner=first_owner.username,
    )
    db.session.flush()
    return space


def space_to_change(actor: User | None, slug: str) -> SpaceView:
    """The space at ``slug``, for one of its owners to change."""
    space = find_space(actor, slug)
    _require_owner(actor, space)
    return view_of(actor, space)


def update_space(
    actor: User | None,
    slug: str,
    *,
    name: str | None = None,
    description: str | None = None,
    visibility: str | None = None,
) -> Space:
    """Change the name, description or visibility (owners; ``None`` keeps a value)."""
    space = find_space(actor, slug)
    _require_owner(actor, space)
    new_name = space.name if name is None else clean_name(name)
    new_description = space.description if description is None else clean_description(description)
    new_visibility = space.visibility if visibility is None else clean_visibility(visibility)
    if new_visibility != space.visibility:
        audit.record(
            "space.visibility",
            actor=actor,
            target=f"space:{space.slug}",
            old=space.visibility,
            new=new_visibility,
        )
    space.name, space.description, space.visibility = new_name, new_description, new_visibility
    if new_visibility == Visibility.OPEN:
        # an open space needs no approval: whoever asked is let in
        waiting = list(
            db.session.scalars(select(JoinRequest).where(JoinRequest.space_id == space.id))
        )
        for request in waiting:
            db.session.add(SpaceMember(space_id=space.id, user_id=request.user_id))
            db.session.delete(request)
        db.session.flush()
        for request in waiting:
            events.space_join_answered.send(
                request, approved=True, answered_by=None if actor is None else actor.id
            )
    db.session.flush()
    return space


def delete_space(actor: User | None, slug: str) -> None:
    """Delete the space with its posts (owners)."""
    space = find_space(actor, slug)
    _require_owner(actor, space)
    audit.record("space.delete", actor=actor, target=f"space:{space.slug}", name=space.name)
    events.space_deleting.send(space)
    delete_when_committed([key for key in (space.avatar_key, space.cover_key) if key])
    db.session.delete(space)
    db.session.flush()


def add_member(actor: User | None, slug: str, username: str, role: str | None = None) -> Member:
    """Add someone (owners and moderators; only owners make owners and moderators), or
    change the role of someone already in."""
    space = find_space(actor, slug)
    _require_manager(actor, space)
    new_role = clean_role(role or Role.MEMBER.value)
    if new_role != Role.MEMBER:
        _require_owner(actor, space)
    user = active_user(username)
    membership = _membership(space, user)
    if membership is not None:
        if role is None or membership.role == new_role:
            raise Conflict(f"{user.name} is already a member.", "username")
        return set_role(actor, slug, username, new_role)
    membership = SpaceMember(space_id=space.id, user_id=user.id, role=new_role)
    db.session.add(membership)
    request = db.session.get(JoinRequest, (space.id, user.id))
    if request is not None:
        db.session.delete(request)
        db.session.flush()
        events.space_join_withdrawn.send(request)
    if new_role != Role.MEMBER:
        audit.record(
            "space.role",
            actor=actor,
            target=f"space:{space.slug}",
            user=user.username,
            old=None,
            new=new_role,
        )
    db.session.flush()
    events.space_member_added.send(membership, added_by=None if actor is None else actor.id)
    return Member(user.username, user.name, new_role, membership.joined_at)


def set_role(actor: User | None, slug: str, username: str, role: str | None) -> Member:
    """Make a member an owner, a moderator or a plain member (owners)."""
    space = find_space(actor, slug)
    _require_owner(actor, space)
    new_role = clean_role(role)
    user, membership = _target(space, username)
    if membership.role != new_role:
        _keep_an_owner(space, membership)
        audit.record(
            "space.role",
            actor=actor,
            target=f"space:{space.slug}",
            user=user.username,
            old=membership.role,
            new=new_role,
        )
        membership.role = new_role
        db.session.flush()
    return Member(user.username, user.name, membership.role, membership.joined_at)


def remove_member(actor: User | None, slug: str, username: str) -> None:
    """Take someone out of the space (owners, and moderators for plain members); their
    posts there are hidden from them at once, like everyone's."""
    space = find_space(actor, slug)
    role = _require_manager(actor, space)
    user, membership = _target(space, username)
    if role == Role.MODERATOR and membership.role != Role.MEMBER:
        raise Forbidden("Moderators can remove members only; ask an owner.")
    departments.refuse_leaving(space, user, membership)
    _keep_an_owner(space, membership)
    db.session.delete(membership)
    db.session.flush()
    events.space_member_left.send(membership)


def join(actor: User, slug: str) -> str:
    """Join an open space (``"joined"``) or ask to join a closed one (``"requested"``)."""
    space = find_space(actor, slug)
    if _membership(space, actor) is not None:
        raise Conflict("You are a member already.", "slug")
    if space.visibility == Visibility.SECRET:
        raise Forbidden("A secret space takes members by invitation only.")
    if space.visibility == Visibility.CLOSED:
        if not _requested(actor.id, space.id):
            request = JoinRequest(space_id=space.id, user_id=actor.id)
            db.session.add(request)
            db.session.flush()
            events.space_join_requested.send(request)
        return "requested"
    db.session.add(SpaceMember(space_id=space.id, user_id=actor.id))
    db.session.flush()
    return "joined"


def leave(actor: User, slug: str) -> None:
    """Leave a space (a last owner must hand over first), or withdraw a request to join."""
    space = find_space(actor, slug)
    membership = _membership(space, actor)
    if membership is None:
        request = db.session.get(JoinRequest, (space.id, actor.id))
        if request is None:
            raise Conflict("You are not a member of this space.", "slug")
        db.session.delete(request)
        db.session.flush()
        events.space_join_withdrawn.send(request)
        return
    departments.refuse_leaving(space, actor, membership)
    _keep_an_owner(space, membership)
    db.session.delete(membership)
    db.session.flush()
    events.space_member_left.send(membership)


def answer_request(actor: User | None, slug: str, username: str, *, approve: bool) -> None:
    """Let someone who asked into a closed space, or turn them down (owners, moderators)."""
    space = find_space(actor, slug)
    _require_manager(actor, space)
    user = active_user(username)
    request = db.session.get(JoinRequest, (space.id, user.id))
    if request is None:
        raise NotFound(f"{user.name} has not asked to join.", "username")
    db.session.delete(request)
    if approve:
        db.session.add(SpaceMember(space_id=space.id, user_id=user.id))
    db.session.flush()
    events.space_join_answered.send(
        request, approved=approve, answered_by=None if actor is None else actor.id
    )


def set_muted(actor: User, slug: str, muted: bool) -> SpaceView:
    """Mute (or unmute) the notices of the space's new posts for ``actor``, a member."""
    space = find_space(actor, slug)
    membership = _membership(space, actor)
    if membership is None:
        raise Conflict("Only members can mute a space; you are not in this one.", "slug")
    membership.muted = muted
    db.session.flush()
    return view_of(actor, space)
