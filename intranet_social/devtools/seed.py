"""``scripts/seed``: fill an empty database with a synthetic company, fast.

The database is migrated first (the same Alembic migrations as ``intranet-social db upgrade``),
then the same rows are written, one transaction per chunk, by one of two writers. An SQLite
file gets the driver's ``executemany`` with its journal kept in memory and ``synchronous=OFF``
for the run, and goes back to WAL mode at the end. A PostgreSQL database (created beforehand,
empty) gets ``COPY`` with asynchronous commits (:mod:`~intranet_social.devtools.postgres_writer`),
then its id sequences are moved past the seeded ids and it is vacuumed and analyzed. Either
way a seed cut short leaves a database to throw away, never one to keep.

Everyone gets the same password (one Argon2 hash, computed once), is active and has no
one-time password, so the benchmark can sign in as anyone.
"""

from __future__ import annotations

import random
import secrets
import sqlite3
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

import click
from sqlalchemy import func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from intranet_social import create_app
from intranet_social.accounts import passwords
from intranet_social.accounts.models import User
from intranet_social.cli.database import upgrade_quietly
from intranet_social.cli.runtime import CliError
from intranet_social.config import Config, ConfigError, DatabaseConfig, build_config, load_config
from intranet_social.core.database import database_uri
from intranet_social.core.errors import Invalid
from intranet_social.devtools.company import (
    ACKNOWLEDGEMENT_COLUMNS,
    ADMIN_USERNAME,
    COMMENT_COLUMNS,
    FRIENDSHIP_COLUMNS,
    LIKE_COLUMNS,
    POST_COLUMNS,
    USER_COLUMNS,
    CompanyMaker,
    Row,
    SeedError,
    SeedSize,
)
from intranet_social.devtools.progress import ProgressBar, duration
from intranet_social.devtools.spaces import MEMBER_COLUMNS, READER_SPACES, SPACE_COLUMNS
from intranet_social.extensions import db

POSTS_PER_CHUNK = 20_000
ROWS_PER_CHUNK = 50_000
_EPOCH = datetime(1970, 1, 1)


class Writer(Protocol):
    def timestamp(self, epoch: float) -> object: ...

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None: ...

    def commit(self) -> None: ...

    def close(self) -> None: ...


class SqliteWriter:
    """Bulk inserts into one SQLite file, a transaction per :meth:`commit`."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        for pragma in (
            "journal_mode=MEMORY",
            "synchronous=OFF",
            "foreign_keys=OFF",
            "cache_size=-262144",
            "temp_store=MEMORY",
        ):
            self.connection.execute(f"PRAGMA {pragma}")
        self.connection.execute("BEGIN")

    @staticmethod
    def timestamp(epoch: float) -> str:
        """The text SQLAlchemy stores for a UTC timestamp on SQLite."""
        return (_EPOCH + timedelta(seconds=epoch)).isoformat(" ", "microseconds")

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        names = ", ".join(columns)
        marks = ", ".join("?" * len(columns))
        # Table and column names come from this package's constants, never from input.
        statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        self.connection.executemany(statement, rows)

    def commit(self) -> None:
        self.connection.execute("COMMIT")
        self.connection.execute("BEGIN")

    def close(self) -> None:
        self.connection.execute("COMMIT")
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.close()


@dataclass
class SeedReport:
    database: str
    size: SeedSize
    member_username: str
    seconds: dict[str, float] = field(default_factory=dict)
    #: the benchmark's readers (``scripts/bench`` signs in as the first ones)
    readers: list[str] = field(default_factory=list)
    #: rows written besides those the sizes say
    memberships: int = 0
    space_posts: int = 0
    must_reads: int = 0
    acknowledgements: int = 0

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def seed(config: Config, size: SeedSize, password: str, random_seed: int = 1) -> SeedReport:
    """Migrate the database named by ``config`` and fill it with a company of ``size``."""
    size.check()
    started = time.monotonic()
    url = _database_url(config)
    app = create_app(config)
    try:
        upgrade_quietly(app)
        with app.app_context():
            people = db.session.scalar(select(func.count()).select_from(User))
            db.session.remove()
            db.engine.dispose()
    except OperationalError as exc:
        raise SeedError(f"cannot open the database: {exc.orig}".strip()) from None
    if people:
        raise SeedError(f"the database already has {people} people; seed a new, empty database")
    shown = url.database if url.get_backend_name() == "sqlite" else url.render_as_string()
    report = SeedReport(database=str(shown), size=size, member_username="")
    report.seconds["migrations"] = time.monotonic() - started
    rng = random.Random(random_seed)
    maker = CompanyMaker(size, rng, now=time.time())
    writer = _writer(url)
    try:
        bar = ProgressBar("people", size.users)
        company, rows = maker.people(passwords.hash_password(password), writer.timestamp)
        _insert_chunked(writer, "users", USER_COLUMNS, rows, bar)
        report.seconds["people"] = bar.finish()
        report.member_username = company.usernames[2]

        bar = ProgressBar("friendships", size.friendships * 2)
        rows = maker.friendships(company, writer.timestamp)
        _insert_chunked(writer, "friendships", FRIENDSHIP_COLUMNS, rows, bar)
        report.seconds["friendships"] = bar.finish()
        report.readers = [company.usernames[reader] for reader in company.readers]

        bar = ProgressBar("spaces", size.spaces)
        spaces, members = maker.spaces(company, writer.timestamp)
        writer.insert("spaces", SPACE_COLUMNS, spaces)
        for first in range(0, len(members), ROWS_PER_CHUNK):
            writer.insert("space_members", MEMBER_COLUMNS, members[first : first + ROWS_PER_CHUNK])
        writer.commit()
        report.seconds["spaces"] = bar.finish()
        report.memberships = len(members)

        bar = ProgressBar("posts", size.posts)
        plan = maker.post_plan(company)
        report.space_posts = sum(1 for space in plan.spaces if space)
        report.must_reads = len(plan.must_reads)
        next_comment_id = 1
        for first in range(0, size.posts, POSTS_PER_CHUNK):
            stop = min(size.posts, first + POSTS_PER_CHUNK)
            made = maker.post_rows(company, plan, first, stop, writer.timestamp, next_comment_id)
            next_comment_id += len(made.comments)
            writer.insert("posts", POST_COLUMNS, made.posts)
            writer.insert("post_likes", LIKE_COLUMNS, made.likes)
            writer.insert("comments", COMMENT_COLUMNS, made.comments)
            writer.insert("post_acknowledgements", ACKNOWLEDGEMENT_COLUMNS, made.acknowledgements)
            report.acknowledgements += len(made.acknowledgements)
            writer.commit()
            bar.update(stop)
        report.seconds["posts, likes, comments"] = bar.finish()
    finally:
        closing = time.monotonic()
        writer.close()
        report.seconds["finishing"] = time.monotonic() - closing
    return report


def _insert_chunked(
    writer: Writer, table: str, columns: Sequence[str], rows: list[Row], bar: ProgressBar
) -> None:
    for first in range(0, len(rows), ROWS_PER_CHUNK):
        writer.insert(table, columns, rows[first : first + ROWS_PER_CHUNK])
        writer.commit()
        bar.update(min(len(rows), first + ROWS_PER_CHUNK))


def _database_url(config: Config) -> URL:
    try:
        url = make_url(database_uri(config))
    except ArgumentError:
        raise SeedError(f"{config.database.url!r} is not a database URL") from None
    if url.get_backend_name() == "postgresql":
        return url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise SeedError(
            "the seed writes SQLite database files (sqlite:///FILE) or PostgreSQL databases"
            " (postgresql+psycopg://USER@HOST/NAME)"
        )
    return url


def _writer(url: URL) -> Writer:
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        return SqliteWriter(Path(url.database))
    from intranet_social.devtools.postgres_writer import PostgresWriter  # needs psycopg

    return PostgresWriter(url)


def site_config(config_path: Path | None, database_url: str | None) -> Config:
    """The config file's settings, or a throw-away configuration around ``database_url``
    (whose secret key is random: nothing signed with it outlives the command)."""
    if config_path is None and database_url is None:
        raise SeedError("give --config PATH or --database URL (the database to fill)")
    if config_path is not None:
        config = load_config(config_path)
        if database_url is None:
            return config
        return config.replace(database=DatabaseConfig(url=database_url))
    raw = {"database": {"url": database_url}, "security": {"secret_key": secrets.token_hex(32)}}
    return build_config(raw, {}, Path.cwd())


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The site's configuration file; its database is filled.")  # fmt: skip
@click.option("--database", "database_url", metavar="URL",
              help="The database to fill (sqlite:///FILE, or an empty PostgreSQL database: "
                   "postgresql+psycopg://USER@HOST/NAME) instead of the config's.")  # fmt: skip
@click.option("--users", type=int, default=SeedSize.users, show_default=True)
@click.option("--friends", type=int, default=SeedSize.friends, show_default=True,
              help="Friends per person, on average.")  # fmt: skip
@click.option("--posts", type=int, default=SeedSize.posts, show_default=True)
@click.option("--likes", type=int, default=SeedSize.likes, show_default=True)
@click.option("--comments", type=int, default=SeedSize.comments, show_default=True)
@click.option("--days", type=int, default=SeedSize.days, show_default=True,
              help="Days the posts are spread over, ending now.")  # fmt: skip
@click.option("--spaces", type=int, default=SeedSize.spaces, show_default=True,
              help="Spaces: one per department first, then teams, projects and clubs "
                   "of 10 to 500 people; about 30% of the posts are written in them.")  # fmt: skip
@click.option("--password", help="Everyone's password (default: a random one, printed).")
@click.option("--random-seed", type=int, default=1, show_default=True,
              help="The same number makes the same company.")  # fmt: skip
def main(
    config_path: Path | None,
    database_url: str | None,
    users: int,
    friends: int,
    posts: int,
    likes: int,
    comments: int,
    days: int,
    spaces: int,
    password: str | None,
    random_seed: int,
) -> None:
    """Fill a new, empty database with a synthetic company for trying out and benchmarking."""
    generated = password is None
    try:
        if password is None:
            password = passwords.generate_one_time_password()
        else:
            passwords.check_password_policy(password, field="--password")
        size = SeedSize(users, friends, posts, likes, comments, days, spaces)
        report = seed(site_config(config_path, database_url), size, password, random_seed)
    except Invalid as exc:
        raise CliError(f"{exc.field}: {exc.message}") from None
    except (SeedError, ConfigError) as exc:
        raise CliError(str(exc)) from None
    _print_report(report, password, generated)


def _print_report(report: SeedReport, password: str, generated: bool) -> None:
    size = report.size
    click.echo(f"Seeded {report.database} in {duration(report.total_seconds)}:")
    click.echo(f"  {size.users:,} people (1 admin), birthdays all over the year")
    click.echo(
        f"  {size.friendships:,} friendships ({2 * size.friendships:,} rows), "
        f"{2 * size.friendships / size.users:.1f} friends each on average"
    )
    click.echo(
        f"  {size.spaces:,} spaces (a department's first), {report.memberships:,} memberships"
    )
    click.echo(
        f"  {size.posts:,} posts over {size.days} days ({min(3, size.posts)} pinned, "
        f"{report.space_posts:,} in spaces, {report.must_reads} must-read with "
        f"{report.acknowledgements:,} acknowledgements), {size.likes:,} likes, "
        f"{size.comments:,} comments"
    )
    if report.readers:
        click.echo(
            f"  benchmark readers: {report.readers[0]} and the next {len(report.readers) - 1} "
            f"(user ids 2 to {len(report.readers) + 1}), {size.friends} friends each and "
            f"{READER_SPACES} spaces each (fewer when there are fewer spaces)"
        )
    click.echo("  " + ", ".join(f"{step} {duration(s)}" for step, s in report.seconds.items()))
    click.echo(
        f"Sign in as {ADMIN_USERNAME} (admin) or any member, e.g. {report.member_username}, "
        + ("with this generated password:" if generated else "with the password you gave.")
    )
    if generated:
        click.echo(password)


def run() -> None:
    """Entry point for ``scripts/seed``."""
    main(prog_name=Path(sys.argv[0]).name)
