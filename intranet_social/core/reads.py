"""Running the statements built once at import (the per-request counts, the feed's sources,
search, post cards) on the session's own connection.

``db.session.execute`` puts every statement through the ORM's compile and result steps,
which for a count of a dozen columns costs several times the query itself. Plain SQL
expressions need none of that; the session's connection runs them in the same transaction.
Like the session's own queries, :func:`run` first flushes (unless autoflush is off), so a
read never misses a change made earlier in the same request; a clean session's flush
returns at once.

On SQLite, Python's driver lets go of the interpreter lock and takes it back for every
row it steps to and every column it reads. With one request at a time that costs nothing;
with several threads serving, each hand-over wakes a waiting thread, and a row step does
enough work in SQLite for that thread to take the lock: a thread switch. A page of twenty
post cards (some 40 rows and 600 columns) spent more time switching than reading.
A :class:`Packed` statement therefore reads each row on SQLite as one JSON array, made by
SQLite's ``json_array``, or, when the rows' order does not matter, all its rows as one JSON
array of arrays (``json_group_array``), and unpacks them here with the same type
conversions SQLAlchemy applies (see docs/PERFORMANCE.md). Other databases read the
statement as it is: their drivers take a whole result at once.

A packed statement is compiled once, with SQLAlchemy's public ``compile()``, into SQL text
with named parameters, and run on the driver's own connection (``Connection.connection
.driver_connection``, SQLAlchemy's documented way to the DBAPI), in the session's
transaction. Each read so skips what SQLAlchemy's ``execute`` does afresh every time (the
statement's cache key and look-up, the result's set-up): on a page of a dozen packed reads
that was a tenth of the page's time (docs/PERFORMANCE.md, sixth round). Parameter values get
their types' conversions (each type's public ``bind_processor``) and a failure is raised as
SQLAlchemy's error for it, as ``execute`` would; what SQLAlchemy's engine events and SQL log
do not see is these reads, so tests count statements with SQLite's own trace
(``tests/statements.py``).

A list of values is one parameter (:func:`in_list`: ``IN (SELECT value FROM
json_each(?))`` on SQLite, ``= ANY`` of an array elsewhere), so the compiled text is reused
as it is rather than rendered afresh with each list's length.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import (
    ARRAY,
    BindParameter,
    Boolean,
    ColumnExpressionArgument,
    CursorResult,
    Executable,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    Select,
    String,
    TypeDecorator,
    bindparam,
    func,
    select,
)
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import iterate
from sqlalchemy.types import TypeEngine

from intranet_social.extensions import db

Processor = Callable[[Any], Any]
#: JSON holds no bytes, and SQLite writes fractions with 15 digits: neither packs
UNPACKABLE = (Float, LargeBinary, Numeric)


def _connection() -> Connection:
    """The session's connection, after writing what it holds unwritten (as its own
    queries do, unless autoflush is off)."""
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection()


def run(statement: Executable, params: Mapping[str, Any] | None = None) -> CursorResult[Any]:
    """``statement`` (Core, not ORM entities) with ``params`` in the session's transaction."""
    return _connection().execute(statement, params or {})


class ValueList(TypeDecorator[list[Any]]):
    """A list of values bound as one parameter: JSON text for SQLite's ``json_each``, an
    array for PostgreSQL."""

    impl = String
    cache_ok = True

    def __init__(self, item: TypeEngine[Any]) -> None:
        super().__init__()
        self.item = item

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String())
        return dialect.type_descriptor(ARRAY(self.item))

    def process_bind_param(self, value: list[Any] | None, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return json.dumps(list(value or ()))
        return list(value or ())


class _InValues(FunctionElement[bool]):
    """``column``, ``values``: rendered for each database below, and used as a comparison
    (:meth:`~sqlalchemy.sql.functions.FunctionElement.as_comparison`), so SQLite gets no
    "= 1" after it in a WHERE, which would keep it from looking the values up in an index."""

    name = "in_values"
    type = Boolean()
    inherit_cache = True


@compiles(_InValues, "sqlite")
def _in_json_each(element: _InValues, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"{column} IN (SELECT value FROM json_each({values}))"  # noqa: S608 (compiled parts)


@compiles(_InValues)
def _in_array(element: _InValues, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"{column} = ANY({values})"


def in_list(
    column: ColumnExpressionArgument[Any], name: str, item: TypeEngine[Any] | None = None
) -> ColumnElement[bool]:
    """``column IN`` the list bound as ``name`` (integers unless ``item`` says otherwise)."""
    values = bindparam(name, type_=ValueList(item or Integer()))
    return _InValues(column, values).as_comparison(1, 2)


class Packed:
    """A ``SELECT`` of plain columns whose rows are read packed on SQLite.

    ``unordered`` says the caller takes the rows in any order (it sorts them itself, or
    looks them up), so on SQLite they all come as one value; an ``ORDER BY`` with a
    ``LIMIT`` still chooses which rows. Built once, for a statement used on every page: its
    packed twin is made on first use, which costs more than SQLAlchemy's cached execution
    of a statement built per call."""

    def __init__(self, statement: Select[Any], *, unordered: bool = False) -> None:
        self.statement = statement
        self.unordered = unordered
        self._sqlite: _SQLiteRead | None = None

    def rows(self, params: Mapping[str, Any] | None = None) -> Sequence[Sequence[Any]]:
        """The statement's rows, each a sequence of its columns' values."""
        connection = _connection()
        dialect = connection.dialect
        if dialect.name != "sqlite":
            return list(connection.execute(self.statement, params or {}))
        read = self._sqlite or self._pack(dialect)
        texts = [text for (text,) in read.run(connection, params or {})]
        rows = json.loads(texts[0]) if self.unordered else [json.loads(text) for text in texts]
        for values in rows:
            for index, process in read.columns:
                values[index] = process(values[index])
        return rows

    def ids_newest_first(self, params: Mapping[str, Any] | None = None) -> list[int]:
        """For a statement of one id column: its ids, highest (newest) first, however they
        were read."""
        return sorted((id_ for (id_,) in self.rows(params)), reverse=True)

    def sqlite_statement(
        self, dialect: Dialect, params: Mapping[str, Any] | None = None
    ) -> tuple[str, dict[str, Any]]:
        """The SQL text and parameter values a read sends to SQLite (to check its plan)."""
        read = self._sqlite or self._pack(dialect)
        return read.sql, read.values(params or {})

    def _pack(self, dialect: Dialect) -> _SQLiteRead:
        self._sqlite = _SQLiteRead(self.statement, self.unordered, dialect)
        return self._sqlite


def _named_style(dialect: Dialect) -> Dialect:
    """A dialect of ``dialect``'s kind that writes parameters as ``:name``."""
    named: Dialect = type(dialect)(paramstyle="named")  # type: ignore[call-arg]  # every
    # dialect takes it (DefaultDialect.__init__), the abstract Dialect does not say so
    return named


class _SQLiteRead:
    """A statement's packed twin for SQLite, and how each column of its rows is converted
    back (with the conversions SQLAlchemy's result applies to that column's type)."""

    def __init__(self, statement: Select[Any], unordered: bool, dialect: Dialect) -> None:
        columns = list(statement.selected_columns)
        for column in columns:
            if isinstance(column.type, UNPACKABLE):
                raise TypeError(f"{column} cannot be read packed: JSON would change its value")
        if any(isinstance(part, BindParameter) and part.expanding for part in iterate(statement)):
            # an IN list rendered into the text anew on every read: what packing saves
            raise TypeError("a packed statement takes lists through in_list(), not IN (...)")
        if unordered:
            found = statement.subquery()
            packed = select(func.json_group_array(func.json_array(*found.c)))
        else:
            packed = statement.with_only_columns(
                func.json_array(*columns), maintain_column_froms=True
            )
        self.columns = [
            (index, process)
            for index, column in enumerate(columns)
            if (process := column.type.dialect_impl(dialect).result_processor(dialect, None))
        ]
        # the same SQL as the dialect's own, but with ``:name`` parameters, so the values
        # are passed by name and no compiler attribute is needed to put them in order
        compiled = packed.compile(dialect=_named_style(dialect))
        self.sql = compiled.string
        #: every parameter with the value the statement holds (None for those to be given)
        self.defaults: dict[str, Any] = dict(compiled.params)
        self.conversions = [
            (name, process)
            for name, bind in compiled.binds.items()
            if (process := bind.type.dialect_impl(dialect).bind_processor(dialect))
        ]

    def values(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter's value for the driver: ``params`` over the statement's own,
        converted as SQLAlchemy would convert them."""
        values = {**self.defaults, **params}
        for name, process in self.conversions:
            values[name] = process(values[name])
        return values

    def run(self, connection: Connection, params: Mapping[str, Any]) -> list[tuple[str]]:
        """The packed rows, read on ``connection``'s own driver connection."""
        values = self.values(params)
        # the pool's connection always has its driver's (typed as possibly gone)
        driver = cast(sqlite3.Connection, connection.connection.driver_connection)
        try:
            return driver.execute(self.sql, values).fetchall()
        except sqlite3.Error as error:
            raise DBAPIError.instance(self.sql, values, error, sqlite3.Error) from error
