"""What moderators and admins may do: one rule for the console, the API and the services.

Moderators see the people list and the reports, and approve, disable and enable members;
everything else in the admin area (roles, passwords, deletion, new accounts, settings,
invites, the audit log) is for admins. ``actor`` None is the command line, which the box's
operator runs and which may do everything.
"""

from __future__ import annotations

from intranet_social.accounts.models import Role, User
from intranet_social.core.errors import Forbidden

MODERATOR_ACTIONS = ("approve", "disable", "enable")


def require_moderator(actor: User | None) -> None:
    if actor is not None and not actor.is_moderator:
        raise Forbidden("Only moderators and admins can do this.")


def require_admin(actor: User | None) -> None:
    if actor is not None and not actor.is_admin:
        raise Forbidden("Only admins can do that.")


def require_may_change(actor: User | None, person: User, action: str) -> None:
    """``actor`` may ``action`` (approve, disable, ..., set-role) the account of ``person``."""
    if actor is None or actor.is_admin:
        return
    require_moderator(actor)
    if action not in MODERATOR_ACTIONS or person.role != Role.MEMBER:
        raise Forbidden("Only admins can do that.")
