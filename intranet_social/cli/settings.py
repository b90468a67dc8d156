"""``intranet-social settings``: site settings kept in the database."""

from __future__ import annotations

import click

from intranet_social.audit.service import cli_actor_name
from intranet_social.cli.runtime import config_option, echo_json, open_site
from intranet_social.site_settings import service as settings

KEYS = click.Choice(list(settings.SETTINGS))


def shown(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


@click.group("settings")
def settings_group() -> None:
    """Site settings that take effect without a restart."""


@settings_group.command("get")
@config_option
@click.argument("key", required=False, type=KEYS)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def get(key: str | None, as_json: bool) -> None:
    """Print one setting, or all of them."""
    with open_site():
        values = settings.all_settings()
    if key is not None:
        values = {key: values[key]}
    if as_json:
        echo_json(values if key is None else values[key])
        return
    for name, value in values.items():
        click.echo(shown(value) if key is not None else f"{name} = {shown(value)}")


@settings_group.command("set")
@config_option
@click.argument("key", type=KEYS)
@click.argument("value", nargs=-1, required=True)
def set_(key: str, value: tuple[str, ...]) -> None:
    """Change a setting; e-mail domains take several values (none: give "")."""
    given: object = list(value) if key == "email_domains" else " ".join(value)
    with open_site():
        new = settings.set_setting(key, given, actor_name=cli_actor_name())
    click.echo(f"{key} = {shown(new)}")
