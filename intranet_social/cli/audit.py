"""``intranet-social audit``: reading the audit log."""

from __future__ import annotations

import click

from intranet_social.admin.audit_log import audit_page, event_row, make_filter
from intranet_social.cli.runtime import config_option, echo_json, open_site


@click.group("audit")
def audit_group() -> None:
    """The audit log of admin actions and security events."""


@audit_group.command("list")
@config_option
@click.option("--since", metavar="YYYY-MM-DD", default="", help="Only events from this day on.")
@click.option("--until", metavar="YYYY-MM-DD", default="", help="Only events up to this day.")
@click.option("--actor", default="", help="Only events by this username (or cli:<user>).")
@click.option("--action", default="", help='Only this action, or a group like "user".')
@click.option(
    "--limit", type=click.IntRange(1, 10_000), default=100, show_default=True, help="At most."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(since: str, until: str, actor: str, action: str, limit: int, as_json: bool) -> None:
    """List audit events, newest first."""
    filters = make_filter(actor=actor, action=action, since=since, until=until)
    with open_site():
        events, _next = audit_page(filters, limit=limit)
        rows = [event_row(event) for event in events]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        details = " ".join(f"{k}={v}" for k, v in sorted(row["details"].items()))
        click.echo(
            f"{row['created_at'][:19]}  {row['action']:<24} {row['actor'] or '-':<16}"
            f" {row['target']} {row['ip']} {details}".rstrip()
        )
