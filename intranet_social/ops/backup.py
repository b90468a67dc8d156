"""Making a backup: a database snapshot, the media folder and the configuration in one file.

The database is copied first, then the media folder: a file uploaded after the snapshot is
harmless extra weight, and files are deleted only after the change that forgets them commits.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from intranet_social import __version__
from intranet_social.config import Config
from intranet_social.core.models import utcnow
from intranet_social.ops.archive import (
    CONFIG_MEMBER,
    DATABASE_PREFIX,
    MEDIA_PREFIX,
    BackupError,
    Manifest,
    writing_archive,
)
from intranet_social.ops.databases import (
    SNAPSHOT_NAMES,
    SQLITE,
    database_kind,
    snapshot_postgres,
    snapshot_sqlite,
    sqlite_path,
)


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size_bytes: int
    manifest: Manifest


def media_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every stored file under ``folder`` as (name relative to it, path), in a stable order.

    Uploads still being written (hidden ``*.tmp`` files) are not part of the site yet.
    """
    for root, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(files):
            path = Path(root) / name
            if name.startswith(".") and name.endswith(".tmp"):
                continue
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(folder).as_posix(), path


def _check_destination(config: Config, destination: Path, overwrite: bool) -> None:
    if destination.is_dir():
        raise BackupError(f"{destination} is a folder; name the backup file to write")
    if destination.exists() and not overwrite:
        raise BackupError(f"{destination} already exists; choose a new name or pass --force")
    if not destination.parent.is_dir():
        raise BackupError(f"the folder {destination.parent} does not exist")
    if destination.resolve().is_relative_to(config.media_path):
        raise BackupError("write the backup outside the media folder it contains")


def create_backup(
    config: Config, config_file: Path, destination: Path, *, overwrite: bool = False
) -> BackupReport:
    """Write a backup of the site to ``destination`` (a gzip-compressed tar, mode 0600).

    It is written to a temporary name and renamed, so ``destination`` never holds half an
    archive. The site may go on serving and writing meanwhile.
    """
    _check_destination(config, destination, overwrite)
    kind = database_kind(config)
    try:
        with tempfile.TemporaryDirectory(
            dir=destination.parent, prefix=".intranet-social-backup-"
        ) as work:
            snapshot = Path(work) / SNAPSHOT_NAMES[kind]
            created_at = utcnow().isoformat(timespec="seconds")
            if kind == SQLITE:
                revision = snapshot_sqlite(sqlite_path(config), snapshot)
            else:
                revision = snapshot_postgres(config, snapshot)
            with writing_archive(destination) as archive:
                archive.add_file(DATABASE_PREFIX + snapshot.name, snapshot)
                if not archive.add_file(CONFIG_MEMBER, config_file):
                    raise BackupError(f"the configuration {config_file} cannot be read")
                if config.media_path.is_dir():
                    for name, path in media_files(config.media_path):
                        archive.add_file(MEDIA_PREFIX + name, path)
                manifest = Manifest(
                    product_version=__version__,
                    schema_revision=revision,
                    created_at=created_at,
                    database_kind=kind,
                    database_member=DATABASE_PREFIX + snapshot.name,
                    checksums=dict(archive.checksums),
                )
                archive.finish(manifest)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise BackupError(
            f"the backup {destination} could not be written: {exc.strerror or exc}{where}"
        ) from None
    return BackupReport(destination, destination.stat().st_size, manifest)
