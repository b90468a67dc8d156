"""``intranet-social announcement``: the must-read announcements and who has acknowledged
them, through the same service as the pages and the API (the command line reads any)."""

from __future__ import annotations

from pathlib import Path

import click

from intranet_social.cli.runtime import CliError, config_option, echo_json, open_site
from intranet_social.posts import announcements


@click.group("announcement")
def announcement_group() -> None:
    """Must-read announcements and their acknowledgements."""


@announcement_group.command("list")
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(as_json: bool) -> None:
    """List the must-read posts, newest first, with how many of their audience acknowledged."""
    with open_site():
        posts = announcements.must_read_posts()
    if as_json:
        echo_json(
            [
                {
                    "id": post.id,
                    "author": post.author,
                    "space": post.space,
                    "created_at": post.created_at.isoformat(),
                    "acknowledged_count": post.acknowledged_count,
                    "audience_count": post.audience_count,
                }
                for post in posts
            ]
        )
        return
    if not posts:
        click.echo("No must-read announcements.")
    for post in posts:
        where = f"/s/{post.space}" if post.space else "-"
        click.echo(
            f"{post.id}\t{post.author}\t{where}\t{post.created_at:%Y-%m-%d %H:%M}\t"
            f"{post.acknowledged_count}/{post.audience_count} acknowledged"
        )


@announcement_group.command("export")
@config_option
@click.argument("post_id", type=click.IntRange(min=1))
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write the CSV to this file (default: print it).",
)
def export(post_id: int, output: Path | None) -> None:
    """Export who acknowledged a must-read post, and who has not, as CSV (audited)."""
    with open_site():
        text = announcements.export_csv(None, post_id)
        if output is not None:
            # in the command's transaction: a file that cannot be written is no export
            try:
                output.write_text(text, encoding="utf-8", newline="")
            except OSError as error:
                raise CliError(f"cannot write {output}: {error.strerror}") from None
    if output is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"Wrote the acknowledgements of post {post_id} to {output}.")
