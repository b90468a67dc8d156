"""``intranet-social invite``: registration links."""

from __future__ import annotations

from typing import Any

import click

from intranet_social.accounts import invites
from intranet_social.audit.service import cli_actor_name
from intranet_social.cli.runtime import (
    config_option,
    echo_json,
    load_site_config,
    open_site,
    timestamp,
)
from intranet_social.config import Config
from intranet_social.site_settings.service import get_setting


def site_url(config: Config) -> str:
    """Where people reach the site: its first DNS name, else the address it listens on."""
    if config.site.hostnames:
        return f"https://{config.site.hostnames[0]}"
    return f"http://{config.server.listen}"


@click.group("invite")
def invite_group() -> None:
    """Invite links for registration."""


@invite_group.command("create")
@config_option
@click.option(
    "--uses",
    type=click.IntRange(1, invites.MAX_USES),
    default=1,
    show_default=True,
    help="How many people can register with the link.",
)
@click.option(
    "--expires-days",
    type=click.IntRange(1, invites.MAX_DAYS),
    default=7,
    show_default=True,
    help="Days the link stays valid.",
)
@click.option("--note", default="", help="A note for admins, e.g. who the link is for.")
def create(uses: int, expires_days: int, note: str) -> None:
    """Create an invite link and print it once."""
    config = load_site_config()
    with open_site(config):
        new = invites.create_invite(
            max_uses=uses, expires_days=expires_days, note=note, actor_name=cli_actor_name()
        )
        mode = get_setting("registration")
        made = (
            f"Invite {new.invite.id}: {uses} use(s), valid until {new.invite.expires_at:%Y-%m-%d}."
            " The link is shown only this once."
        )
    # the link is shown only once the invite is committed (when ``open_site`` ends)
    click.echo(f"{site_url(config)}/register?invite={new.code}")
    click.echo(made)
    if mode != "invite":
        click.echo(
            f"Note: registration is {mode!r}; invite links only work when the registration"
            ' setting is "invite" (intranet-social settings set registration invite).'
        )


@invite_group.command("list")
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(as_json: bool) -> None:
    """List invites (never their codes)."""
    with open_site():
        rows: list[dict[str, Any]] = [
            {
                "id": invite.id,
                "state": invites.invite_state(invite),
                "uses": invite.uses,
                "max_uses": invite.max_uses,
                "note": invite.note,
                "created_at": timestamp(invite.created_at),
                "expires_at": timestamp(invite.expires_at),
                "revoked_at": timestamp(invite.revoked_at),
            }
            for invite in invites.list_invites()
        ]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        click.echo(
            f"{row['id']}  {row['state']:<8}  {row['uses']}/{row['max_uses']} used"
            f"  expires {row['expires_at'][:10]}  {row['note']}".rstrip()
        )


@invite_group.command("revoke")
@config_option
@click.argument("invite_id", metavar="ID", type=int)
def revoke(invite_id: int) -> None:
    """Revoke an invite link so nobody can use it any more."""
    with open_site():
        invites.revoke_invite(invite_id, actor_name=cli_actor_name())
    click.echo(f"Revoked invite {invite_id}.")
