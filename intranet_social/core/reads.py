"""Running the statements built once at import (the per-request counts, the feed's sources,
search, post cards) on the session's own connection.

``db.session.execute`` puts every statement through the ORM's compile and result steps,
which for a count of a dozen columns costs several times the query itself. Plain SQL
expressions need none of that; the session's connection runs them in the same transaction.
Like the session's own queries, :func:`run` first flushes (unless autoflush is off), so a
read never misses a change made earlier in the same request; a clean session's flush
returns at once.

On SQLite, Python's driver lets go of the interpreter lock and takes it back for every
column of every row it reads. With one request at a time that costs nothing; with several
threads serving, each of those hand-overs wakes a waiting thread, and a page of twenty post
cards (some 600 columns and 40 rows) spent more time handing the lock around than reading.
A :class:`Packed` statement therefore reads each row on SQLite as one JSON array, made by
SQLite's ``json_array``, or, when the rows' order does not matter, all its rows as one JSON
array of arrays (``json_group_array``), and unpacks them here with the same type
conversions SQLAlchemy applies (see docs/PERFORMANCE.md). Other databases read the
statement as it is: their drivers take a whole result at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import CursorResult, Executable, Float, LargeBinary, Numeric, Select, func, select
from sqlalchemy.engine import Dialect

from intranet_social.extensions import db

Processor = Callable[[Any], Any]
#: JSON holds no bytes, and SQLite writes fractions with 15 digits: neither packs
UNPACKABLE = (Float, LargeBinary, Numeric)


def run(statement: Executable, params: Mapping[str, Any] | None = None) -> CursorResult[Any]:
    """``statement`` (Core, not ORM entities) with ``params`` in the session's transaction."""
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params or {})


class Packed:
    """A ``SELECT`` of plain columns whose rows are read packed on SQLite.

    ``unordered`` says the caller takes the rows in any order (it sorts them itself, or
    looks them up), so on SQLite they all come as one value; an ``ORDER BY`` with a
    ``LIMIT`` still chooses which rows. Built once for a statement used on every page
    (building the packed twin costs about what a small query does), or per call for one
    that is not."""

    def __init__(self, statement: Select[Any], *, unordered: bool = False) -> None:
        self.statement = statement
        self.unordered = unordered
        self._packed: tuple[Select[tuple[str]], list[tuple[int, Processor]]] | None = None

    def rows(self, params: Mapping[str, Any] | None = None) -> Sequence[Sequence[Any]]:
        """The statement's rows, each a sequence of its columns' values."""
        dialect = db.session.get_bind().dialect
        if dialect.name != "sqlite":
            return list(run(self.statement, params))
        packed, processors = self._packed or self._pack(dialect)
        texts = run(packed, params).scalars()
        rows = json.loads(texts.one()) if self.unordered else [json.loads(text) for text in texts]
        for values in rows:
            for index, process in processors:
                values[index] = process(values[index])
        return rows

    def _pack(self, dialect: Dialect) -> tuple[Select[tuple[str]], list[tuple[int, Processor]]]:
        columns = list(self.statement.selected_columns)
        for column in columns:
            if isinstance(column.type, UNPACKABLE):
                raise TypeError(f"{column} cannot be read packed: JSON would change its value")
        if self.unordered:
            found = self.statement.subquery()
            packed = select(func.json_group_array(func.json_array(*found.c)))
        else:
            packed = self.statement.with_only_columns(
                func.json_array(*columns), maintain_column_froms=True
            )
        processors = []
        for index, column in enumerate(columns):
            process = column.type.dialect_impl(dialect).result_processor(dialect, None)
            if process is not None:
                processors.append((index, process))
        self._packed = (packed, processors)
        return self._packed
