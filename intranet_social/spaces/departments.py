"""Department spaces: a space linked to a department has everyone of that department as a
member, kept in step with people's profiles.

- Linking a space to a department (admins; audited) adds every active account of that
  department at once, in one statement; those already in keep their role. Unlinking keeps
  the members: they simply stop following the department.
- When a person's department changes (profile form, admin console, command line, CSV import,
  all through ``accounts.service.set_department``), ``events.department_changed`` brings them
  here: they leave the spaces of their old department and join those of the new one. Only
  plain members leave: an owner or moderator was given that role by someone and keeps it
  (and the space keeps its owner). Their posts there disappear for them at once, through the
  audience rule, like anyone's who leaves, and what those spaces told them goes
  (``events.space_member_left``); a request to join that a department answers is withdrawn
  (``events.space_join_withdrawn``), so its owners' notices of it go too.
- Accounts that are not active (waiting for approval, disabled) are not added; a disabled
  account keeps its memberships as it keeps its friendships, and an account that becomes
  active joins its department's spaces then.
- Departments compare without regard to case ("engineering" is "Engineering").
- While a space follows a department, its department's plain members cannot leave it (nor be
  removed): the next change of anyone's department would add them back.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, delete, func, insert, literal, select
from sqlalchemy.orm import InstrumentedAttribute

from intranet_social.accounts.models import Status, User
from intranet_social.audit import service as audit
from intranet_social.core import events
from intranet_social.core.errors import Conflict, Forbidden, Invalid
from intranet_social.extensions import db
from intranet_social.spaces.models import JoinRequest, Role, Space, SpaceMember

MAX_DEPARTMENT = 100


def clean_department(department: str | None) -> str | None:
    """The department to link, or ``None`` (empty) to unlink."""
    text = " ".join((department or "").split())
    if not text:
        return None
    if len(text) > MAX_DEPARTMENT:
        raise Invalid(f"Use at most {MAX_DEPARTMENT} characters for the department.", "department")
    if any(ord(ch) < 32 for ch in text):
        raise Invalid("The department contains control characters.", "department")
    return text


def _same_department(
    column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None], department: str
) -> ColumnElement[bool]:
    # both sides lowered by the database, whose idea of case may differ from Python's
    return func.lower(column) == func.lower(literal(department))


def link_department(actor: User | None, space: Space, department: str | None) -> int:
    """Make ``space`` follow ``department`` (``None`` or empty: follow none); admins only
    (``None`` is the command line). Returns how many people joined."""
    if actor is not None and not actor.is_admin:
        raise Forbidden("Only admins can link a space to a department.", "department")
    new = clean_department(department)
    if new == space.department:
        return 0
    audit.record(
        "space.department",
        actor=actor,
        target=f"space:{space.slug}",
        old=space.department,
        new=new,
    )
    space.department = new
    db.session.flush()
    return add_department_members(space) if new else 0


def add_department_members(space: Space) -> int:
    """Add every active account of the space's department that is not in yet, in one
    statement, and drop their requests to join; returns how many joined."""
    if not space.department:
        return 0
    already = select(SpaceMember.user_id).where(SpaceMember.space_id == space.id)
    newcomers = select(literal(space.id), User.id, literal(Role.MEMBER.value)).where(
        _same_department(User.department, space.department),
        User.status == Status.ACTIVE.value,
        User.id.not_in(already),
    )
    added = db.session.scalars(
        insert(SpaceMember)
        .from_select(["space_id", "user_id", "role"], newcomers)
        .returning(SpaceMember.user_id)
    ).all()
    answered = db.session.scalars(
        delete(JoinRequest)
        .where(
            JoinRequest.space_id == space.id,
            JoinRequest.user_id.in_(
                select(User.id).where(_same_department(User.department, space.department))
            ),
        )
        .returning(JoinRequest.user_id)
    ).all()
    for user_id in answered:
        events.space_join_withdrawn.send(JoinRequest(space_id=space.id, user_id=user_id))
    db.session.flush()
    return len(added)


def _spaces_of(department: str) -> list[Space]:
    if not department:
        return []
    return list(
        db.session.scalars(
            select(Space).where(
                Space.department.is_not(None), _same_department(Space.department, department)
            )
        )
    )


def on_department_changed(user: User, old: str | None) -> None:
    """Move ``user`` from the spaces of department ``old`` to those of their department now
    (``old`` equal to it: they just became active, and only join)."""
    new = user.department or ""
    if old and old.lower() != new.lower():
        leaving = [space.id for space in _spaces_of(old)]
        if leaving:
            left = db.session.scalars(
                delete(SpaceMember)
                .where(
                    SpaceMember.user_id == user.id,
                    SpaceMember.space_id.in_(leaving),
                    SpaceMember.role == Role.MEMBER.value,
                )
                .returning(SpaceMember.space_id)
            ).all()
            for space_id in left:
                events.space_member_left.send(SpaceMember(space_id=space_id, user_id=user.id))
    if user.status != Status.ACTIVE:
        return
    for space in _spaces_of(new):
        if db.session.get(SpaceMember, (space.id, user.id)) is None:
            db.session.add(SpaceMember(space_id=space.id, user_id=user.id))
            request = db.session.get(JoinRequest, (space.id, user.id))
            if request is not None:
                db.session.delete(request)
                db.session.flush()
                events.space_join_withdrawn.send(request)
    db.session.flush()


def refuse_leaving(space: Space, user: User, membership: SpaceMember) -> None:
    """A plain member who belongs by their department stays while the space follows it."""
    if (
        space.department
        and membership.role == Role.MEMBER
        and (user.department or "").lower() == space.department.lower()
    ):
        raise Conflict(
            f"Everyone in the {space.department} department belongs to this space; it follows"
            " the department on each person's profile.",
            "username",
        )
