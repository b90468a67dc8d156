"""``intranet-social report``: the moderation queue."""

from __future__ import annotations

from typing import Any

import click

from intranet_social.admin import reports
from intranet_social.admin.models import ReportStatus
from intranet_social.audit.service import cli_actor_name
from intranet_social.cli.runtime import config_option, echo_json, open_site, timestamp


@click.group("report")
def report_group() -> None:
    """Reported posts, comments and profiles."""


@report_group.command("list")
@config_option
@click.option(
    "--status",
    type=click.Choice([s.value for s in ReportStatus]),
    default=ReportStatus.OPEN.value,
    show_default=True,
    help="Which reports to list.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(status: str, as_json: bool) -> None:
    """List reports, newest first."""
    with open_site():
        rows: list[dict[str, Any]] = [
            {
                "id": row.report.id,
                "kind": row.report.kind,
                "post_id": row.report.post_id,
                "comment_id": row.report.comment_id,
                "subject": row.subject,
                "reporter": row.reporter,
                "reason": row.report.reason,
                "status": row.report.status,
                "created_at": timestamp(row.report.created_at),
                "excerpt": row.excerpt,
            }
            for row in reports.report_queue(None, status=status, limit=1000)
        ]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        what = row["kind"]
        if row["post_id"] or row["comment_id"]:
            what += f" {row['post_id'] or row['comment_id']}"
        click.echo(
            f"{row['id']}  {row['created_at'][:16]}  {what} by {row['subject'] or '?'}"
            f"  reported by {row['reporter'] or '?'}: {' '.join(row['reason'].split())}"
        )


@report_group.command("resolve")
@config_option
@click.argument("report_id", metavar="ID", type=int)
@click.argument("action", type=click.Choice(reports.ACTIONS))
def resolve(report_id: int, action: str) -> None:
    """Resolve a report: dismiss it, remove the content, or disable the author."""
    with open_site():
        status = reports.resolve_report(report_id, action, actor_name=cli_actor_name()).status
    click.echo(f"Report {report_id}: {status.replace('_', ' ')}.")
