"""The ``intranet-social`` console command; one module per command group."""

from __future__ import annotations

import click

from intranet_social import __version__
from intranet_social.cli.announcements import announcement_group
from intranet_social.cli.audit import audit_group
from intranet_social.cli.backup import backup, restore
from intranet_social.cli.birthdays import birthdays_group
from intranet_social.cli.database import db_group
from intranet_social.cli.doctor import doctor
from intranet_social.cli.install import install
from intranet_social.cli.invites import invite_group
from intranet_social.cli.reports import report_group
from intranet_social.cli.runtime import SiteGroup, config_option, set_debug
from intranet_social.cli.serve import serve
from intranet_social.cli.settings import settings_group
from intranet_social.cli.spaces import space_group
from intranet_social.cli.tokens import token_group
from intranet_social.cli.users import user_group


@click.group(cls=SiteGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="intranet-social")
@config_option
@click.option(
    "--debug",
    is_flag=True,
    expose_value=False,
    callback=set_debug,
    help="Print the full traceback of an unexpected failure.",
)
def main() -> None:
    """Run and administer an Intranet Social site."""


for command in (
    install,
    serve,
    db_group,
    user_group,
    token_group,
    invite_group,
    report_group,
    settings_group,
    space_group,
    announcement_group,
    audit_group,
    birthdays_group,
    backup,
    restore,
    doctor,
):
    main.add_command(command)
