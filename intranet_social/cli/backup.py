"""``intranet-social backup`` and ``restore``: the whole site in one archive, and back."""

from __future__ import annotations

from pathlib import Path

import click

from intranet_social.audit.service import cli_actor_name, record
from intranet_social.cli.runtime import CliError, config_option, config_path, open_site
from intranet_social.config import load_config
from intranet_social.ops.archive import BackupError
from intranet_social.ops.backup import create_backup
from intranet_social.ops.restore import apply_restore, prepare_restore

ARCHIVE = click.argument("file", type=click.Path(dir_okay=True, path_type=Path))


def _size(size_bytes: int) -> str:
    if size_bytes < 1024:
        return f"{size_bytes} bytes"
    amount = size_bytes / 1024
    for unit in ("KiB", "MiB"):
        if amount < 1024:
            return f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{amount:.1f} GiB"


def _media_files(count: int) -> str:
    return f"{count} media file{'' if count == 1 else 's'}"


@click.command()
@config_option
@ARCHIVE
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def backup(file: Path, force: bool) -> None:
    """Write the database, the media folder and the configuration to FILE (a .tar.gz).

    The site can go on serving while the backup runs: the database copy is one consistent
    snapshot. The archive holds password hashes and the secret key; keep it private.
    """
    path = config_path()
    config = load_config(path)
    try:
        report = create_backup(config, path, file, overwrite=force)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    manifest = report.manifest
    with open_site(config):
        record(
            "site.backup",
            actor_name=cli_actor_name(),
            target=str(file),
            schema_revision=manifest.schema_revision,
            media_files=manifest.media_count,
        )
    click.echo(
        f"Backed up the {manifest.database_kind} database (schema revision "
        f"{manifest.schema_revision}), {_media_files(manifest.media_count)} and the "
        f"configuration to {report.path} ({_size(report.size_bytes)})."
    )


def _confirm(question: str) -> None:
    try:
        confirmed = click.confirm(question, default=False)
    except click.Abort:
        confirmed = False
    if not confirmed:
        raise CliError("nothing was restored; pass --yes to skip the question")


@click.command()
@config_option
@ARCHIVE
@click.option("--yes", is_flag=True, help="Replace existing data without asking.")
def restore(file: Path, yes: bool) -> None:
    """Replace the site's database and media folder by those in the backup FILE.

    The archive is checked completely first; a damaged or unsuitable one is refused and
    nothing changes. Stop the site before restoring. An older backup is upgraded to the
    newest schema. The configuration is not replaced; take the backup's copy out with
    `tar -xzf FILE config/config.toml` when you need it.
    """
    config = load_config(config_path())
    try:
        plan = prepare_restore(config, file)
        if plan.replaces and not yes:
            _confirm(
                f"Replace {' and '.join(plan.replaces)} by the backup of "
                f"{plan.manifest.created_at}?"
            )
        report = apply_restore(plan)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    manifest = report.manifest
    with open_site(config):
        record(
            "site.restore",
            actor_name=cli_actor_name(),
            target=str(file),
            backup_created_at=manifest.created_at,
            schema_revision=manifest.schema_revision,
        )
    click.echo(
        f"Restored the backup of {manifest.created_at} (version {manifest.product_version}): "
        f"the {manifest.database_kind} database and {_media_files(manifest.media_count)}."
    )
    if report.upgraded_from:
        click.echo(
            f"Upgraded the database from revision {report.upgraded_from} to the newest schema."
        )
