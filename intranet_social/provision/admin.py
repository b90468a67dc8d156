"""The first admin account of a new site, with a one-time password and never a default one."""

from __future__ import annotations

from dataclasses import dataclass

from intranet_social.accounts import service
from intranet_social.accounts.models import Role, User
from intranet_social.core.errors import NotFound

ADMIN_NAME = "Site Admin"
ADMIN_EMAIL_DOMAIN = "localhost.localdomain"


@dataclass(frozen=True)
class AdminAccount:
    username: str
    created: bool
    #: set when the account was created or its password reset; shown once
    one_time_password: str | None


def ensure_admin(
    username: str = "admin", *, reset: bool = False, actor_name: str | None = None
) -> AdminAccount:
    """Create the admin account when the site has none; keep an existing one as it is.

    With ``reset`` the admin called ``username`` gets a new one-time password.
    """
    admins = service.list_users(role=Role.ADMIN)
    if not admins:
        account = service.create_user(
            username,
            f"{username.strip().lower()}@{ADMIN_EMAIL_DOMAIN}",
            ADMIN_NAME,
            role=Role.ADMIN,
            actor_name=actor_name,
        )
        return AdminAccount(account.user.username, True, account.one_time_password)
    if reset:
        chosen = admin_to_reset(username)
        password = service.reset_password(chosen, actor_name=actor_name)
        return AdminAccount(chosen.username, False, password)
    named = next((user for user in admins if user.username == username.strip().lower()), None)
    return AdminAccount((named or admins[0]).username, False, None)


def admin_to_reset(username: str) -> User:
    """The admin called ``username``; raises NotFound naming the admins there are."""
    admins = service.list_users(role=Role.ADMIN)
    named = next((user for user in admins if user.username == username.strip().lower()), None)
    if named is None:
        raise NotFound(
            f"There is no admin called {username!r}; the admins are "
            + (", ".join(user.username for user in admins) or "none")
            + ". Name one with --admin.",
            "username",
        )
    return named
