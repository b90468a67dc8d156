"""``intranet-social install``: set a site up, idempotently; run again, it keeps everything.

``--local`` sets up one machine for one person (what ``./install.sh`` runs). Without it the
command provisions a server: configuration, data folders, TLS, DNS records, a systemd unit
and an nginx site, the database and the first admin.
"""

from __future__ import annotations

import os
import shlex

import click
from click.core import ParameterSource

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
from intranet_social.core.database import current_revision, head_revision
from intranet_social.provision import report
from intranet_social.provision.admin import AdminAccount, admin_to_reset, ensure_admin
from intranet_social.provision.config_file import ensure_config_file
from intranet_social.provision.options import (
    DEFAULT_CONFIG,
    DEFAULT_DATA_DIR,
    DEFAULT_SERVICE_USER,
    system_options,
)
from intranet_social.provision.processes import MAX_PROCESSES
from intranet_social.provision.system import (
    SystemPlan,
    apply_plan,
    hand_database_to_service_user,
    plan_system_install,
)

#: flags that only mean something for a system install
SYSTEM_FLAGS = (
    "hostnames",
    "ip",
    "root",
    "data_dir",
    "database",
    "listen",
    "tls",
    "service_user",
    "processes",
    "limits_storage",
    "dry_run",
    "yes",
)


@click.command()
@config_option
@click.option(
    "--local",
    is_flag=True,
    help="Set up on this machine for one user: config, SQLite database, media folder, admin.",
)
@click.option(
    "--hostname",
    "hostnames",
    multiple=True,
    metavar="NAME",
    help="A DNS name of the site; repeat for more names, the first is the canonical one.",
)
@click.option(
    "--ip", metavar="ADDR", help="The address the names point to [default: primary IPv4]."
)
@click.option("--root", metavar="DIR", help="Write every file under DIR instead of / (packaging).")
@click.option(
    "--data-dir",
    default=str(DEFAULT_DATA_DIR),
    show_default=True,
    metavar="DIR",
    help="Folder for the database and uploaded media.",
)
@click.option(
    "--database", metavar="URL", help="Database URL [default: SQLite in the data folder]."
)
@click.option(
    "--listen", metavar="HOST:PORT", help="Where the app server listens [default: 127.0.0.1:8080]."
)
@click.option(
    "--tls",
    default="self-signed",
    show_default=True,
    metavar="self-signed|none|CERT:KEY",
    help="A certificate from the site's own authority, plain HTTP, or your PEM files.",
)
@click.option(
    "--admin",
    "admin_username",
    default="admin",
    show_default=True,
    metavar="USERNAME",
    help="The admin account to create (or to reset with --reset-admin).",
)
@click.option(
    "--service-user",
    default=DEFAULT_SERVICE_USER,
    show_default=True,
    metavar="USER",
    help="The system user the site runs as.",
)
@click.option(
    "--processes",
    type=int,
    metavar="N",
    help=f"App processes behind nginx, 1 to {MAX_PROCESSES}, on ports from the --listen port "
    "upwards; more than one needs Redis for the rate limits [default: as installed, else 1].",
)
@click.option(
    "--limits-storage",
    metavar="URI",
    help="Where rate limits are kept: memory:// or redis://HOST:6379 (shared by every process) "
    "[default: as in the configuration].",
)
@click.option("--dry-run", is_flag=True, help="Show every file and command; change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before writing.")
@click.option("--reset-admin", is_flag=True, help="Give the admin a new one-time password.")
@click.pass_context
def install(
    ctx: click.Context, /, local: bool, admin_username: str, reset_admin: bool, **flags: object
) -> None:
    """Install the site: write the configuration, migrate the database, create the admin.

    Without --local it sets up a server (the configuration defaults to
    /etc/intranet-social/config.toml). Running it again keeps the configuration's other
    settings, the data and the admin's password, and changes only what the flags change.
    """
    if local:
        for name in SYSTEM_FLAGS:
            if ctx.get_parameter_source(name) is not ParameterSource.DEFAULT:
                flag = "--" + ("hostname" if name == "hostnames" else name.replace("_", "-"))
                raise click.UsageError(f"{flag} is for the server install; leave out --local")
        _install_local(admin_username, reset_admin)
        return
    _install_system(admin_username, reset_admin, **flags)  # type: ignore[arg-type]


def _install_local(admin_username: str, reset_admin: bool) -> None:
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
    _show_password(admin)
    if not admin.one_time_password:
        click.echo(
            f"The admin account {admin.username} and its password were kept. To give it a new "
            f"one-time password: intranet-social user reset-password {admin.username}"
            f"{config_flag}"
        )
    click.echo(f"Start the site with: intranet-social serve{config_flag}")


def _show_password(admin: AdminAccount) -> None:
    if admin.one_time_password:
        click.echo(f"One-time password for {admin.username}: {admin.one_time_password}")
        click.echo(
            f"Sign in as {admin.username} and choose a new password; this one is not shown again."
        )


def _install_system(
    admin_username: str,
    reset_admin: bool,
    *,
    hostnames: tuple[str, ...],
    ip: str | None,
    root: str | None,
    data_dir: str,
    database: str | None,
    listen: str | None,
    tls: str,
    service_user: str,
    processes: int | None,
    limits_storage: str | None,
    dry_run: bool,
    yes: bool,
) -> None:
    options = system_options(
        hostnames=hostnames,
        ip=ip,
        root=root,
        data_dir=data_dir,
        config=given_config_path() or str(DEFAULT_CONFIG),
        database=database,
        listen=listen,
        tls=tls,
        admin=admin_username,
        service_user=service_user,
        reset_admin=reset_admin,
        processes=processes,
        limits_storage=limits_storage,
    )
    if options.root is None and os.geteuid() != 0 and not dry_run:
        raise CliError(
            "the server install writes to /etc and /var/lib: run it as root, "
            "or pass --root DIR to write every file under DIR"
        )
    plan = plan_system_install(options)
    if reset_admin:
        _check_admin_exists(plan)
    names = ", ".join(plan.names)
    if dry_run:
        click.echo(f"Dry run for {names} at {options.ip}; nothing is written:")
        for line in report.plan_lines(plan, dry_run=True):
            click.echo(line)
        click.echo(report.database_line(plan))
        for line in report.notes(plan):
            click.echo(line)
        return
    if plan.has_changes and not yes:
        click.echo(f"Installing for {names} at {options.ip}:")
        for line in report.plan_lines(plan, dry_run=True):
            click.echo(line)
        click.confirm("Go ahead?", abort=True)
    apply_plan(plan)
    new_database = plan.database_file is not None and not plan.database_file.exists()
    with open_site(plan.config) as app:
        # Asking an SQLite file that is not there would create it readable by everyone.
        before = None if new_database else current_revision(app)
        upgrade_quietly(app)
        revision = current_revision(app)
        admin = ensure_admin(admin_username, reset=reset_admin, actor_name=cli_actor_name())
    hand_database_to_service_user(plan)
    _report_system_install(plan, admin, migrated=before != revision, revision=revision)


def _check_admin_exists(plan: SystemPlan) -> None:
    """--reset-admin of an account that is no admin fails before anything is written."""
    if plan.database_file is not None and not plan.database_file.exists():
        return
    with open_site(plan.config) as app:
        if current_revision(app) == head_revision():
            admin_to_reset(plan.options.admin)


def _report_system_install(
    plan: SystemPlan, admin: AdminAccount, *, migrated: bool, revision: str | None
) -> None:
    changed = plan.has_changes or migrated or admin.created or admin.one_time_password
    if changed:
        click.echo(f"Installed Intranet Social for {', '.join(plan.names)} at {plan.options.ip}:")
        for line in report.plan_lines(plan, dry_run=False):
            click.echo(line)
    else:
        click.echo(
            "Nothing changed: every file, the database and the admin account were already as asked."
        )
    if plan.certificate is not None:
        for reason in plan.certificate.reasons:
            click.echo(f"TLS: {reason}.")
    click.echo(f"The database is at the newest schema (revision {revision}).")
    if admin.created:
        click.echo(f"Created the admin account {admin.username}.")
    _show_password(admin)
    if not admin.one_time_password:
        click.echo(
            f"The admin account {admin.username} and its password were kept "
            "(--reset-admin gives it a new one-time password)."
        )
    for line in report.notes(plan):
        click.echo(line)
    click.echo("")
    for line in report.dns_lines(plan):
        click.echo(line)
    click.echo("")
    for line in report.next_steps(plan, admin.username, bool(admin.one_time_password)):
        click.echo(line)
