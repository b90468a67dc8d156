"""Putting a backup back: check the whole archive first, then swap the site's data for it.

Nothing is touched until every member of the archive matches its manifest, the schema
revision is one this version knows and the database kind matches the configuration. The
restored database and media folder are then written beside the live ones and renamed into
place; the old ones wait as ``*.before-restore`` until the restore (and the upgrade to the
newest schema, for an older backup) has succeeded, and are put back if anything fails.

Stop the site before restoring: a running server would go on using the old database.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory

from intranet_social import __version__, create_app
from intranet_social.config import Config
from intranet_social.core.about import MIGRATIONS_DIR
from intranet_social.core.database import head_revision, upgrade_database
from intranet_social.extensions import db
from intranet_social.ops.archive import MEDIA_PREFIX, BackupError, Manifest, extract, read_manifest
from intranet_social.ops.backup import media_files
from intranet_social.ops.databases import (
    SQLITE,
    SQLITE_COMPANIONS,
    check_sqlite_file,
    database_kind,
    postgres_has_tables,
    restore_postgres,
    sqlite_path,
)

BEFORE_RESTORE = ".before-restore"


@dataclass(frozen=True)
class RestorePlan:
    """A checked archive and where it will go."""

    archive: Path
    manifest: Manifest
    config: Config
    #: the existing data the restore replaces; empty when restoring into a new place
    replaces: tuple[str, ...] = ()


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    #: the revision the database was upgraded from, when the backup was older
    upgraded_from: str | None


def known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}


def _aside(path: Path, suffix: str = "") -> Path:
    """Where the old ``path`` waits; a SQLite file's companions keep their pairing."""
    return path.with_name(path.name + BEFORE_RESTORE + suffix)


def _targets(config: Config) -> list[tuple[Path, Path]]:
    """Every (live path, its before-restore name) a restore may move."""
    targets = [(config.media_path, _aside(config.media_path))]
    if database_kind(config) == SQLITE:
        database = sqlite_path(config)
        targets += [
            (database.with_name(database.name + suffix), _aside(database, suffix))
            for suffix in SQLITE_COMPANIONS
        ]
    return targets


def prepare_restore(config: Config, archive: Path) -> RestorePlan:
    """Check ``archive`` completely and the place it goes; change nothing."""
    manifest = read_manifest(archive)
    kind = database_kind(config)
    if manifest.database_kind != kind:
        raise BackupError(
            f"{archive} holds a {manifest.database_kind} database but the configuration uses "
            f"{kind}; restore it into a site configured for {manifest.database_kind}"
        )
    if manifest.schema_revision not in known_revisions():
        raise BackupError(
            f"{archive} is at schema revision {manifest.schema_revision!r}, which this version "
            f"({__version__}) does not know; restore it with version "
            f"{manifest.product_version} or newer"
        )
    for _live, aside in _targets(config):
        if aside.exists():
            raise BackupError(
                f"{aside} is left from an earlier restore; move it away, then restore again"
            )
    media = config.media_path
    if media.exists() and not media.is_dir():
        raise BackupError(f"the media folder {media} is not a folder")
    if kind == SQLITE and sqlite_path(config).is_relative_to(media):
        raise BackupError(
            f"the media folder {media} holds the database; give media.dir a folder of its own"
        )
    replaces = []
    if kind == SQLITE:
        database = sqlite_path(config)
        if database.exists() and database.stat().st_size > 0:
            replaces.append(f"the database {database}")
    elif postgres_has_tables(config):
        replaces.append("the PostgreSQL database named in the configuration")
    if media.is_dir() and next(media_files(media), None) is not None:
        replaces.append(f"the media folder {media}")
    return RestorePlan(archive, manifest, config, tuple(replaces))


class _Swap:
    """The renames that put restored data in place, undone in reverse order on failure."""

    def __init__(self) -> None:
        self._steps: list[tuple[str, Path, Path]] = []

    def set_aside(self, live: Path, aside: Path) -> None:
        if live.exists():
            live.rename(aside)
            self._steps.append(("aside", live, aside))

    def put(self, staged: Path, live: Path) -> None:
        staged.rename(live)
        self._steps.append(("placed", live, live))

    def undo(self) -> None:
        for step, live, aside in reversed(self._steps):
            if step == "placed":
                _remove(live)
            else:
                aside.rename(live)
        self._steps.clear()

    def finish(self) -> None:
        """Success: the old data is no longer needed."""
        for step, _live, aside in self._steps:
            if step == "aside":
                _remove(aside)
        self._steps.clear()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def _staging(beside: Path) -> Iterator[Path]:
    """A private temporary folder next to ``beside`` (same file system, so renames work)."""
    beside.parent.mkdir(mode=0o750, parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=beside.parent, prefix=f".{beside.name}.restore-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _adopt_owner(path: Path, folder: Path) -> None:
    """Run as root, give restored files to the owner of the folder they go in (the service)."""
    if os.geteuid() != 0:
        return
    owner = folder.stat()
    if (owner.st_uid, owner.st_gid) == (0, 0):
        return
    for item in [path, *path.rglob("*")]:
        os.chown(item, owner.st_uid, owner.st_gid, follow_symlinks=False)


def _upgrade(config: Config, revision: str) -> str | None:
    """Bring an older restored database to the newest schema; the revision it came from."""
    if revision == head_revision():
        return None
    app = create_app(config)
    # Alembic reports each step at INFO level; the command prints its own summary.
    logging.disable(logging.INFO)
    try:
        upgrade_database(app)
    finally:
        logging.disable(logging.NOTSET)
        with app.app_context():
            db.engine.dispose()
    return revision


def apply_restore(plan: RestorePlan) -> RestoreReport:
    """Replace the site's database and media folder by the checked archive's."""
    config, manifest = plan.config, plan.manifest
    media = config.media_path
    sqlite = database_kind(config) == SQLITE
    with (
        _staging(media) as media_work,
        _staging(sqlite_path(config) if sqlite else media) as database_work,
    ):
        staged_media = media_work / "media"
        staged_database = database_work / "database"
        staged_media.mkdir(mode=media.stat().st_mode & 0o777 if media.is_dir() else 0o750)

        def destination(name: str) -> Path | None:
            if name == manifest.database_member:
                return staged_database
            if name.startswith(MEDIA_PREFIX):
                return staged_media / name.removeprefix(MEDIA_PREFIX)
            return None

        extract(plan.archive, manifest, destination)
        _adopt_owner(staged_media, media.parent)
        if sqlite:
            _adopt_owner(staged_database, sqlite_path(config).parent)
        if sqlite and check_sqlite_file(staged_database) != manifest.schema_revision:
            raise BackupError(f"{plan.archive} holds a database at another schema revision")
        swap = _Swap()
        try:
            for live, aside in _targets(config):
                swap.set_aside(live, aside)
            swap.put(staged_media, media)
            if sqlite:
                swap.put(staged_database, sqlite_path(config))
            else:
                restore_postgres(config, staged_database, database_work)
                # Committed: the restored media folder belongs with the restored database now.
                swap.finish()
            upgraded_from = _upgrade(config, manifest.schema_revision)
        except BaseException:
            swap.undo()
            raise
        swap.finish()
    return RestoreReport(manifest, upgraded_from)
