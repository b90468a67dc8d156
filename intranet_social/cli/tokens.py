"""``intranet-social token``: personal access tokens for the JSON API."""

from __future__ import annotations

import click

from intranet_social.accounts import service, tokens
from intranet_social.accounts.models import TokenScope
from intranet_social.audit.service import cli_actor_name
from intranet_social.cli.runtime import config_option, echo_json, open_site, timestamp


@click.group("token")
def token_group() -> None:
    """Personal access tokens for the JSON API."""


@token_group.command("create")
@config_option
@click.argument("username")
@click.option("--name", default="", help="What the token is for.")
@click.option(
    "--scope",
    type=click.Choice([scope.value for scope in TokenScope]),
    default=TokenScope.READ.value,
    show_default=True,
    help="read: GET only; write: changes too; admin: the admin API (admins only).",
)
@click.option(
    "--expires-days",
    type=click.IntRange(1, tokens.MAX_EXPIRES_DAYS),
    help="Days until the token stops working (default: never).",
)
def create(username: str, name: str, scope: str, expires_days: int | None) -> None:
    """Create a token for someone and print it once."""
    with open_site():
        user = service.get_user(username)
        new = tokens.create_token(
            user, name=name, scope=scope, expires_days=expires_days, actor_name=cli_actor_name()
        )
        expiry = f"until {new.token.expires_at:%Y-%m-%d}" if new.token.expires_at else "no expiry"
        made = f"Token {new.token.name!r} for {user.username} ({new.token.scope}, {expiry}):"
    # the secret is shown only once the token is committed (when ``open_site`` ends)
    click.echo(made)
    click.echo(new.secret)
    click.echo("It is shown only this once; send it as `Authorization: Bearer <token>`.")


@token_group.command("list")
@config_option
@click.argument("username")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(username: str, as_json: bool) -> None:
    """List someone's tokens that are not revoked (never the secrets)."""
    with open_site():
        rows = [
            {
                "id": token.id,
                "name": token.name,
                "prefix": token.prefix,
                "scope": token.scope,
                "created_at": timestamp(token.created_at),
                "expires_at": timestamp(token.expires_at),
                "last_used_at": timestamp(token.last_used_at),
            }
            for token in tokens.list_tokens(service.get_user(username))
        ]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        click.echo(
            f"{row['id']}  {row['prefix']}…  {row['scope']:<5}  {row['name']}"
            f"  (expires {row['expires_at'] or 'never'})"
        )
