"""The PostgreSQL databases of one test run, on the server TEST_DATABASE_URL names.

A run migrates one template database, then lends each test a clean copy: a database is
made from the template once and, after each test, emptied (every row deleted, every
sequence restarted) and lent again, which takes milliseconds where making and dropping a
database takes a second or more. Tests that need a database without tables get a new one.
Everything is dropped when the run ends.

Every database of a run is named ``social_test_<run>_<n>``, and the run holds a PostgreSQL
advisory lock on its number while it lasts; so a later run recognises the leftovers of a
run that crashed (their lock is free) and drops them, and never touches the databases of a
run still going or anything not named like ours.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Callable

from sqlalchemy import Engine, MetaData, Table, create_engine, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

NAME_RE = re.compile(r"^social_test_(\d+)_\d+$")
#: first half of the advisory lock key; the second half is the run's number
LOCK_CLASS = 0x50536F63
#: how long emptying a database waits for a connection a test left behind
CLEAN_LOCK_TIMEOUT = "5s"


class PostgresDatabases:
    """Make, lend, empty and drop the databases of this run on one PostgreSQL server."""

    def __init__(self, server_url: str, migrate: Callable[[str], None]) -> None:
        """``server_url`` names the server and a database to connect to for administration;
        ``migrate(url)`` brings an empty database to the newest schema."""
        self.server_url = make_url(server_url)
        self.run = secrets.randbelow(2**31 - 1) + 1
        self._migrate = migrate
        self._numbers = itertools.count(1)
        self._names: list[str] = []
        self._engine = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        self._admin: Connection | None = None
        self._template: str | None = None
        self._tables: list[Table] = []
        self._version_table: Table | None = None
        self._versions: list[dict[str, object]] = []
        self._sequences: list[str] = []
        self._idle: list[str] = []
        self._engines: dict[str, Engine] = {}

    @property
    def where(self) -> str:
        return f"{self.server_url.host or 'localhost'}:{self.server_url.port or 5432}"

    def start(self) -> None:
        """Connect, take this run's lock, drop what crashed runs left; raises if no server
        answers."""
        self._admin = self._engine.connect()
        self._admin.execute(
            text("SELECT pg_advisory_lock(:c, :r)"), {"c": LOCK_CLASS, "r": self.run}
        )
        self._drop_leftovers()

    def url(self, name: str) -> str:
        return self.server_url.set(database=name).render_as_string(hide_password=False)

    def empty(self) -> str:
        """The URL of a new database without tables."""
        return self.url(self._create())

    def take(self) -> str:
        """The URL of a clean database at the newest migration, lent until :meth:`give_back`."""
        if self._template is None:
            self._make_template()
        if self._idle:
            return self.url(self._idle.pop())
        return self.url(self._create(template=self._template))

    def give_back(self, url: str) -> None:
        """Empty a lent database for the next test; one that cannot be emptied is dropped."""
        name = make_url(url).database
        assert name in self._names, f"{name} is not a database of this run"
        try:
            self._clean(name)
        except DBAPIError:
            self._drop(name)
        else:
            self._idle.append(name)

    def close(self) -> None:
        """Drop every database of this run and let go of the server."""
        for engine in self._engines.values():
            engine.dispose()
        for name in list(self._names):
            self._drop(name)
        if self._admin is not None:
            self._admin.close()
        self._engine.dispose()

    def _create(self, template: str | None = None) -> str:
        assert self._admin is not None, "start() first"
        name = f"social_test_{self.run}_{next(self._numbers)}"
        copy = f' TEMPLATE "{template}"' if template else ""
        self._admin.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        self._names.append(name)
        return name

    def _drop(self, name: str) -> None:
        assert self._admin is not None
        engine = self._engines.pop(name, None)
        if engine is not None:
            engine.dispose()
        self._admin.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._names.remove(name)

    def _drop_leftovers(self) -> None:
        assert self._admin is not None
        found = self._admin.execute(
            text("SELECT datname FROM pg_database WHERE datname LIKE 'social\\_test\\_%'")
        ).scalars()
        runs: dict[int, list[str]] = {}
        for name in found:
            match = NAME_RE.match(name)
            if match and int(match.group(1)) != self.run:
                runs.setdefault(int(match.group(1)), []).append(name)
        for run, names in runs.items():
            key = {"c": LOCK_CLASS, "r": run}
            if not self._admin.execute(text("SELECT pg_try_advisory_lock(:c, :r)"), key).scalar():
                continue  # that run is still going
            try:
                for name in names:
                    self._admin.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            finally:
                self._admin.execute(text("SELECT pg_advisory_unlock(:c, :r)"), key)

    def _make_template(self) -> None:
        name = self._create()
        self._migrate(self.url(name))
        engine = create_engine(self.url(name), poolclass=NullPool)
        try:
            with engine.connect() as connection:
                metadata = MetaData()
                metadata.reflect(connection)
                tables = metadata.sorted_tables
                filled = [t.name for t in tables if connection.execute(t.select()).first()]
                self._version_table = metadata.tables["alembic_version"]
                found = connection.execute(self._version_table.select()).mappings()
                self._versions = [dict(row) for row in found]
                self._sequences = list(
                    connection.execute(
                        text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
                    ).scalars()
                )
        finally:
            engine.dispose()
        # Emptying a lent database deletes every row and puts back the schema's revision
        # (a test may have changed it): that is its state after migrating.
        filled.remove("alembic_version")
        assert not filled, f"the migrations put rows in {filled}; emptying would lose them"
        self._tables = list(reversed(tables))
        self._template = name

    def _clean(self, name: str) -> None:
        engine = self._engines.get(name)
        if engine is None:
            engine = self._engines[name] = create_engine(self.url(name), poolclass=NullPool)
        with engine.begin() as connection:
            connection.execute(text(f"SET LOCAL lock_timeout = '{CLEAN_LOCK_TIMEOUT}'"))
            for table in self._tables:
                connection.execute(table.delete())
            assert self._version_table is not None
            connection.execute(self._version_table.insert(), self._versions)
            for sequence in self._sequences:
                connection.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
