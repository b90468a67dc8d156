"""``intranet-social user``: people's accounts, and importing and exporting them as CSV."""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from intranet_social.accounts import organisation, people_csv, service
from intranet_social.accounts.models import Role, Status, User
from intranet_social.accounts.people_csv import ImportReport, ImportRow, Outcome
from intranet_social.audit.service import cli_actor_name
from intranet_social.cli.runtime import (
    CliError,
    config_option,
    echo_json,
    one_line,
    open_site,
    timestamp,
)
from intranet_social.core.errors import Invalid
from intranet_social.provision.files import write_private_text

ROLES = click.Choice([role.value for role in Role])
STATUSES = click.Choice([status.value for status in Status])
USERNAME = click.argument("username")
JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def user_summary(user: User) -> dict[str, Any]:
    """The fields scripts get for a person; never a password hash."""
    return {
        "username": user.username,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "status": user.status,
        "department": user.department,
        "title": user.title,
        "birthday": user.birthday,
        "start_date": user.start_date.isoformat() if user.start_date else None,
        "created_at": timestamp(user.created_at),
    }


def user_details(user: User) -> dict[str, Any]:
    return user_summary(user) | {
        "manager": organisation.manager_username(user),
        "must_change_password": user.must_change_password,
        "last_login_at": timestamp(user.last_login_at),
        "locked_until": timestamp(user.locked_until),
    }


def _echo_one_time_password(username: str, password: str | None, when: str) -> None:
    click.echo(f"One-time password for {username}: {password}")
    click.echo(f"{username} must choose a new password {when}; this one is not shown again.")


@click.group("user")
def user_group() -> None:
    """People's accounts."""


@user_group.command("create")
@config_option
@USERNAME
@click.option("--email", required=True, help="E-mail address (unique).")
@click.option("--name", required=True, help='Full name, e.g. "Ana Lima".')
@click.option("--admin", is_flag=True, help="Make the account an admin.")
@click.option("--department", default="", help="Department.")
@click.option("--title", default="", help="Job title.")
@click.option("--birthday", metavar="MM-DD", help="Birthday (MM-DD, or YYYY-MM-DD).")
@click.option("--manager", metavar="USERNAME", help="The person's manager.")
@click.option("--start-date", metavar="YYYY-MM-DD", help="The day the person started.")
def create(
    username: str,
    email: str,
    name: str,
    admin: bool,
    department: str,
    title: str,
    birthday: str | None,
    manager: str | None,
    start_date: str | None,
) -> None:
    """Create an account with a one-time password."""
    role = Role.ADMIN if admin else Role.MEMBER
    with open_site():
        account = service.create_user(
            username,
            email,
            name,
            role=role,
            department=department,
            title=title,
            birthday=birthday,
            manager=manager,
            start_date=start_date,
            actor_name=cli_actor_name(),
        )
        created, password = account.user.username, account.one_time_password
    # the password is shown only once the account is committed (when ``open_site`` ends)
    click.echo(f"Created {created} ({role}).")
    _echo_one_time_password(created, password, "at first sign-in")


@user_group.command("list")
@config_option
@click.option("--role", type=ROLES, help="Only people with this role.")
@click.option("--status", type=STATUSES, help="Only accounts in this state.")
@JSON
def list_(role: str | None, status: str | None, as_json: bool) -> None:
    """List people."""
    with open_site():
        users = service.list_users(role=role, status=status)
        if as_json:
            echo_json([user_summary(user) for user in users])
            return
        rows = [(u.username, u.name, u.email, u.role, u.status) for u in users]
    _echo_table(("USERNAME", "NAME", "E-MAIL", "ROLE", "STATUS"), rows)


def _echo_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    for row in (header, *rows):
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


@user_group.command("show")
@config_option
@USERNAME
@JSON
def show(username: str, as_json: bool) -> None:
    """Show one person's account."""
    with open_site():
        details = user_details(service.get_user(username))
    if as_json:
        echo_json(details)
        return
    width = max(len(key) for key in details) + 2
    for key, value in details.items():
        click.echo(f"{key.replace('_', ' ') + ':':<{width}}{_shown(value)}")


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) if value not in (None, "") else "-"


@user_group.command("disable")
@config_option
@USERNAME
def disable(username: str) -> None:
    """Disable an account; its sessions and tokens stop working at once."""
    with open_site():
        user = service.disable_user(service.get_user(username), actor_name=cli_actor_name())
        name = user.username
    click.echo(f"Disabled {name}; their sessions and tokens no longer work.")


@user_group.command("enable")
@config_option
@USERNAME
def enable(username: str) -> None:
    """Enable a disabled account."""
    with open_site():
        user = service.enable_user(service.get_user(username), actor_name=cli_actor_name())
        name = user.username
    click.echo(f"Enabled {name}.")


@user_group.command("approve")
@config_option
@USERNAME
def approve(username: str) -> None:
    """Approve an account waiting for approval."""
    with open_site():
        user = service.approve_user(service.get_user(username), actor_name=cli_actor_name())
        name = user.username
    click.echo(f"Approved {name}; they can sign in now.")


@user_group.command("delete")
@config_option
@USERNAME
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete(username: str, yes: bool) -> None:
    """Delete an account and everything of theirs."""
    with open_site():
        user = service.get_user(username)
        if not yes:
            question = f"Delete {user.username} ({user.name}) and everything of theirs for good?"
            try:
                confirmed = click.confirm(question, default=False)
            except click.Abort:
                confirmed = False
            if not confirmed:
                raise CliError(f"{user.username} was not deleted; pass --yes to skip the question")
        deleted = user.username
        service.delete_user(user, actor_name=cli_actor_name())
    click.echo(f"Deleted {deleted}.")


@user_group.command("set-role")
@config_option
@USERNAME
@click.argument("role", type=ROLES)
def set_role(username: str, role: str) -> None:
    """Make someone an admin, a moderator or a member."""
    with open_site():
        user = service.set_role(service.get_user(username), role, actor_name=cli_actor_name())
        name = user.username
    click.echo(f"{name} is now {'an' if role == Role.ADMIN else 'a'} {role}.")


@user_group.command("set-manager")
@config_option
@USERNAME
@click.argument("manager", required=False, default="")
def set_manager(username: str, manager: str) -> None:
    """Name someone's manager; without MANAGER they have none."""
    with open_site():
        user = service.get_user(username)
        organisation.set_manager(user, manager, by_admin=True, actor_name=cli_actor_name())
        name, boss = user.username, organisation.manager_username(user)
    click.echo(f"{name} reports to {boss}." if boss else f"{name} has no manager.")


@user_group.command("reset-password")
@config_option
@USERNAME
def reset_password(username: str) -> None:
    """Give someone a new one-time password; their open sessions end."""
    with open_site():
        user = service.get_user(username)
        password = service.reset_password(user, actor_name=cli_actor_name())
        name = user.username
    _echo_one_time_password(name, password, "at the next sign-in")
    click.echo(f"Every open session of {name} has ended.")


@user_group.command("import")
@config_option
@click.argument("file", metavar="FILE.csv")
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@click.option("--partial", is_flag=True, help="Write the good rows even when others are rejected.")
def import_(file: str, dry_run: bool, partial: bool) -> None:
    """Create and update people from a CSV file.

    The header must be username,email,name,department,title,birthday. Known usernames are
    updated, new ones created with a one-time password. Nothing is written when a row is
    rejected, unless --partial.
    """
    data = _read_input(file)
    with open_site():
        try:
            report = people_csv.import_people(
                data, partial=partial, dry_run=dry_run, actor_name=cli_actor_name()
            )
        except Invalid as exc:
            if exc.field != "file":
                raise
            raise CliError(f"{file}: {one_line(exc.message)}") from None
    _echo_report(report)
    if report.rejected and not partial:
        raise CliError(
            f"{len(report.rejected)} row(s) rejected, so nothing was written; "
            "fix them, or pass --partial to import the good rows"
        )


def _read_input(file: str) -> bytes:
    limit = people_csv.MAX_FILE_BYTES + 1
    if file == "-":
        return sys.stdin.buffer.read(limit)
    try:
        with Path(file).open("rb") as stream:
            return stream.read(limit)
    except OSError as exc:
        raise CliError(f"cannot read {file}: {exc.strerror or exc}") from None


def _echo_report(report: ImportReport) -> None:
    for row in report.rows:
        click.echo(f"line {row.line}: {_describe_row(row, report.written)}")
    counts = ", ".join(f"{len(report.with_outcome(outcome))} {outcome}" for outcome in Outcome)
    if not report.rows:
        click.echo("The file has no rows after the header; nothing to do.")
    elif report.written:
        click.echo(f"Done: {counts}.")
        if report.with_outcome(Outcome.CREATED):
            click.echo("Hand each one-time password to its owner; they are not shown again.")
    elif report.dry_run:
        click.echo(f"Dry run, nothing was written: {counts}.")
    else:
        click.echo(f"Nothing was written: {counts}.")


def _describe_row(row: ImportRow, written: bool) -> str:
    if row.outcome == Outcome.REJECTED:
        what = f"{row.field}: {one_line(row.reason)}" if row.field else one_line(row.reason)
        return f"rejected {row.username or '(no username)'}: {what}"
    if row.outcome == Outcome.UNCHANGED:
        return f"unchanged {row.username}"
    if row.outcome == Outcome.CREATED:
        if written:
            return f"created {row.username}, one-time password: {row.one_time_password}"
        return f"would create {row.username}"
    changes = ", ".join(row.changes)
    return f"{'updated' if written else 'would update'} {row.username} ({changes})"


@user_group.command("export")
@config_option
@click.argument("file", metavar="[FILE.csv]", default="-")
def export(file: str) -> None:
    """Write everybody to a CSV file (or to standard output) in the import's columns."""
    buffer = io.StringIO()
    with open_site():
        count = people_csv.export_people(buffer)
    if file == "-":
        click.echo(buffer.getvalue(), nl=False)
        return
    try:
        write_private_text(Path(file), buffer.getvalue())
    except OSError as exc:
        raise CliError(f"cannot write {file}: {exc.strerror or exc}") from None
    click.echo(f"Exported {count} people to {file}.")
