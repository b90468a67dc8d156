"""``intranet-social install``: set a site up, idempotently; run again, it keeps everything."""

from __future__ import annotations

import shlex

import click

from intranet_social.audit.service import cli_actor_name
from intranet_social.cli.database import upgrade_quietly
from intranet_social.cli.runtime import (
    CliError,
    config_option,
    config_path,
    given_config_path,
    open_site,
)
from intranet_social.config import load_config
from intranet_social.core.database import current_revision
from intranet_social.extensions import db
from intranet_social.provision.admin import ensure_admin
from intranet_social.provision.config_file import ensure_config_file


@click.command()
@config_option
@click.option(
    "--local",
    is_flag=True,
    help="Set up on this machine for one user: config, SQLite database, media folder, admin.",
)
@click.option(
    "--admin",
    "admin_username",
    default="admin",
    show_default=True,
    metavar="USERNAME",
    help="The admin account to create (or to reset with --reset-admin).",
)
@click.option("--reset-admin", is_flag=True, help="Give the admin a new one-time password.")
def install(local: bool, admin_username: str, reset_admin: bool) -> None:
    """Install the site: write the configuration, migrate the database, create the admin.

    Running it again keeps the configuration, the data and the admin's password.
    """
    if not local:
        raise click.UsageError("only the local install is available: pass --local")
    path = config_path()
    try:
        written = ensure_config_file(path)
    except OSError as exc:
        raise CliError(f"cannot write the configuration {path}: {exc.strerror or exc}") from None
    config = load_config(path)
    try:
        config.media_path.mkdir(mode=0o750, parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(
            f"cannot create the media folder {config.media_path}: {exc.strerror or exc}"
        ) from None
    with open_site(config) as app:
        upgrade_quietly(app)
        revision = current_revision(app)
        admin = ensure_admin(admin_username, reset=reset_admin, actor_name=cli_actor_name())
        db.session.commit()

    if written:
        click.echo(f"Wrote the configuration to {path} (readable by you only).")
    else:
        click.echo(f"Kept the configuration in {path}.")
    click.echo(f"The database is at the newest schema (revision {revision}).")
    given = given_config_path()
    config_flag = f" --config {shlex.quote(given)}" if given else ""
    if admin.created:
        click.echo(f"Created the admin account {admin.username}.")
    elif not written:
        click.echo("All data was kept.")
    if admin.one_time_password:
        click.echo(f"One-time password for {admin.username}: {admin.one_time_password}")
        click.echo(
            f"Sign in as {admin.username} and choose a new password; this one is not shown again."
        )
    else:
        click.echo(
            f"The admin account {admin.username} and its password were kept. To give it a new "
            f"one-time password: intranet-social user reset-password {admin.username}"
            f"{config_flag}"
        )
    click.echo(f"Start the site with: intranet-social serve{config_flag}")
