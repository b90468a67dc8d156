"""``intranet-social db``: schema migrations."""

from __future__ import annotations

import logging

import click
from flask import Flask

from intranet_social.cli.runtime import config_option, open_site
from intranet_social.core.database import current_revision, head_revision, upgrade_database


def upgrade_quietly(app: Flask) -> None:
    """Migrate to the newest schema without Alembic's progress chatter on stderr."""
    logging.disable(logging.INFO)
    try:
        upgrade_database(app)
    finally:
        logging.disable(logging.NOTSET)


@click.group("db")
def db_group() -> None:
    """Database schema migrations."""


@db_group.command("upgrade")
@config_option
def upgrade() -> None:
    """Bring the database to the newest schema, keeping every row."""
    with open_site() as app:
        before = current_revision(app)
        upgrade_quietly(app)
        after = current_revision(app)
    if before == after:
        click.echo(f"The database is up to date (revision {after}).")
    else:
        click.echo(f"Upgraded the database from revision {before or 'none'} to {after}.")


@db_group.command("current")
@config_option
def current() -> None:
    """Print the database's schema revision and whether it is the newest."""
    with open_site() as app:
        revision = current_revision(app)
    head = head_revision()
    if revision == head:
        click.echo(f"{revision} (head)")
    elif revision is None:
        click.echo(
            f"none (the database is empty; head is {head}; run `intranet-social db upgrade`)"
        )
    else:
        click.echo(f"{revision} (not the head {head}; run `intranet-social db upgrade`)")
