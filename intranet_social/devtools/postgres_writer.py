"""``scripts/seed``'s writer for PostgreSQL: the rows of
:mod:`~intranet_social.devtools.company` through ``COPY``, with asynchronous commits.

Imported only for a PostgreSQL database, so the seed of an SQLite file needs no PostgreSQL
driver.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import psycopg
from psycopg import sql
from psycopg.pq import TransactionStatus
from sqlalchemy.engine import URL

from intranet_social.devtools.company import Row

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: the tables whose ids the seed chooses; their sequences must continue after them
TABLES_WITH_IDS = ("users", "spaces", "posts", "comments")


class PostgresWriter:
    """``COPY`` into a PostgreSQL database, a transaction per :meth:`commit`.

    :meth:`close` moves the id sequences past the seeded ids, then vacuums and analyzes, so
    the planner knows the tables' sizes and index-only scans work from the first request.
    """

    def __init__(self, url: URL) -> None:
        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.connection = psycopg.connect(conninfo)
        # a seed cut short leaves a database to throw away, so losing its last commits is fine
        self.connection.execute("SET synchronous_commit = off")

    @staticmethod
    def timestamp(epoch: float) -> datetime:
        """A moment in UTC, said so: the columns hold times with a zone."""
        return _EPOCH + timedelta(seconds=epoch)

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        with self.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def commit(self) -> None:
        self.connection.commit()

    def close(self) -> None:
        if self.connection.info.transaction_status == TransactionStatus.INERROR:
            self.connection.close()  # the seed failed: nothing to finish
            return
        try:
            for table in TABLES_WITH_IDS:
                self.connection.execute(
                    sql.SQL(
                        "SELECT setval(pg_get_serial_sequence({name}, 'id'),"
                        " coalesce(max(id), 0) + 1, false) FROM {table}"
                    ).format(name=sql.Literal(table), table=sql.Identifier(table))
                )
            self.connection.commit()
            self.connection.autocommit = True
            self.connection.execute("VACUUM (ANALYZE)")
        finally:
            self.connection.close()
