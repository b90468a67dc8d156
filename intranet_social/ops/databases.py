"""Consistent database snapshots for backups, and putting one back, on SQLite and PostgreSQL.

SQLite is copied with its online backup API: one read transaction copies every page, so the
snapshot is the database as it was at one instant while the site goes on writing. PostgreSQL
is dumped by ``pg_dump`` (custom format), which reads from a single snapshot too, and put back
by ``pg_restore`` feeding ``psql`` in one transaction: it all lands, or nothing changes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from intranet_social.config import Config
from intranet_social.core.database import database_uri
from intranet_social.ops.archive import BackupError

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
SNAPSHOT_NAMES = {SQLITE: "intranet-social.db", POSTGRESQL: "intranet-social.pgdump"}
#: the files SQLite keeps beside a database, which belong to it
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")
BUSY_TIMEOUT_SECONDS = 15
CONNECT_TIMEOUT_SECONDS = "10"


def database_kind(config: Config) -> str:
    return make_url(config.database.url).get_backend_name()


def sqlite_path(config: Config) -> Path:
    """The SQLite database file the configuration names (relative to the config's folder)."""
    database = make_url(database_uri(config)).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def _revision_of(connection: sqlite3.Connection) -> str:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    if row is None:
        raise BackupError("the database has no schema yet; run `intranet-social db upgrade` first")
    return str(row[0])


def check_sqlite_file(path: Path) -> str:
    """Check a SQLite file page by page; return its schema revision."""
    try:
        connection = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise BackupError(f"the database snapshot cannot be opened: {exc}") from None
    try:
        verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"the database snapshot is damaged: {verdict}")
        return _revision_of(connection)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the database snapshot is damaged: {exc}") from None
    finally:
        connection.close()


def snapshot_sqlite(source: Path, target: Path) -> str:
    """Copy the live database at ``source`` into the new file ``target``; its revision."""
    if not source.is_file():
        raise BackupError(f"the database file {source} does not exist")
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        live = sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)
        copy = sqlite3.connect(target)
        try:
            # pages=-1: every page in one step, under one read transaction.
            live.backup(copy, pages=-1)
            # One self-contained file, not a WAL database with companions.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
            live.close()
    except sqlite3.Error as exc:
        raise BackupError(f"the database {source} cannot be copied: {exc}") from None
    return check_sqlite_file(target)


def _libpq(config: Config) -> tuple[str, dict[str, str]]:
    """A connection string for the PostgreSQL tools, and their environment (the password)."""
    url: URL = make_url(database_uri(config))
    environment = dict(os.environ, PGCONNECT_TIMEOUT=CONNECT_TIMEOUT_SECONDS)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def _run(tool: str, *arguments: str, environment: dict[str, str]) -> None:
    program = shutil.which(tool)
    if program is None:
        raise BackupError(
            f"{tool} is not installed; install the PostgreSQL client programs (postgresql-client)"
        )
    result = subprocess.run(
        [program, *arguments], env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        reason = lines[-1].strip() if lines else f"exit status {result.returncode}"
        raise BackupError(f"{tool} failed: {reason}")


def _postgres_query(config: Config, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(database_uri(config))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    except SQLAlchemyError as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise BackupError(f"the database cannot be reached: {reason}") from None
    finally:
        engine.dispose()


def postgres_revision(config: Config) -> str:
    [(exists,)] = _postgres_query(config, "SELECT to_regclass('alembic_version') IS NOT NULL")
    rows = _postgres_query(config, "SELECT version_num FROM alembic_version") if exists else []
    if not rows:
        raise BackupError("the database has no schema yet; run `intranet-social db upgrade` first")
    return str(rows[0][0])


def postgres_has_tables(config: Config) -> bool:
    rows = _postgres_query(
        config, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
    )
    return bool(rows[0][0])


def snapshot_postgres(config: Config, target: Path) -> str:
    """Dump the database into ``target`` (custom format); its schema revision."""
    revision = postgres_revision(config)
    dsn, environment = _libpq(config)
    _run(
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-acl",
        f"--file={target}",
        f"--dbname={dsn}",
        environment=environment,
    )
    return revision


def restore_postgres(config: Config, dump: Path, workdir: Path) -> None:
    """Replace everything in the database's ``public`` schema by the dump, in one transaction."""
    dsn, environment = _libpq(config)
    script = workdir / "restore.sql"
    _run(
        "pg_restore",
        "--no-owner",
        "--no-acl",
        f"--file={script}",
        str(dump),
        environment=environment,
    )
    try:
        _run(
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--dbname={dsn}",
            "--command=DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;",
            f"--file={script}",
            environment=environment,
        )
    finally:
        with contextlib.suppress(FileNotFoundError):
            script.unlink()
