"""Self-registration in the five modes: closed, invite, domain, approval, open."""

from __future__ import annotations

from intranet_social.accounts import invites, passwords, service
from intranet_social.accounts.models import Status, User
from intranet_social.accounts.validation import clean_email, clean_username
from intranet_social.core.errors import Forbidden, Invalid
from intranet_social.site_settings.service import get_setting


def registration_mode() -> str:
    mode: str = get_setting("registration")
    return mode


def register(
    *,
    username: str,
    email: str,
    name: str,
    password: str,
    password_confirm: str,
    invite_code: str = "",
) -> User:
    """Create an account from the sign-up form; it waits for approval in ``approval`` mode."""
    mode = registration_mode()
    if mode == "closed":
        raise Forbidden("Registration is closed; ask an admin to create your account.")
    invite = None
    if mode == "invite":
        invite = invites.find_usable_invite(invite_code)
        if invite is None:
            raise Invalid("This invite link is not valid or has expired.", "invite")
    clean_username(username)
    address = clean_email(email)
    if mode == "domain":
        domain = address.rsplit("@", 1)[1]
        allowed = {d.lower() for d in get_setting("email_domains")}
        if domain not in allowed:
            raise Invalid(
                "Use your organisation's e-mail address ("
                + (", ".join(sorted(allowed)) or "no domain is allowed yet")
                + ").",
                "email",
            )
    if password != password_confirm:
        raise Invalid("The two passwords differ.", "password_confirm")
    passwords.check_password_policy(password, username=username, email=address)
    status = Status.PENDING if mode == "approval" else Status.ACTIVE
    account = service.create_user(
        username, address, name, password=password, status=status, actor_name="register"
    )
    if invite is not None:
        invites.use_invite(invite)
    return account.user
