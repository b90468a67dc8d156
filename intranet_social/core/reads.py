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

On SQLite a packed statement is compiled once and goes straight to the driver's cursor:
SQLAlchemy's execution steps (parameters, result set-up, and rendering ``IN`` lists into
the text afresh each time) cost more than the query. A list of values is therefore one
parameter (:func:`in_list`: ``IN (SELECT value FROM json_each(?))`` on SQLite, ``= ANY``
of an array elsewhere), so the text never changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import (
    ARRAY,
    BindParameter,
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
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Boolean, TypeEngine

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


class InList(ColumnElement[bool]):
    """``column`` is one of the values of the list parameter ``values``."""

    type = Boolean()
    inherit_cache = True
    #: a condition already, as a comparison is: no "= 1" after it in a WHERE on SQLite,
    #: which would keep SQLite from looking the values up in an index
    _is_implicitly_boolean = True

    def __init__(self, column: ColumnElement[Any], values: BindParameter[Any]) -> None:
        self.column = column
        self.values = values


@compiles(InList, "sqlite")
def _in_json_each(element: InList, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = compiler.process(element.column, **kw), compiler.process(element.values, **kw)
    return f"{column} IN (SELECT value FROM json_each({values}))"  # noqa: S608 (compiled parts)


@compiles(InList)
def _in_array(element: InList, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = compiler.process(element.column, **kw), compiler.process(element.values, **kw)
    return f"{column} = ANY({values})"


def in_list(column: ColumnElement[Any], name: str, item: TypeEngine[Any] | None = None) -> InList:
    """``column IN`` the list bound as ``name`` (integers unless ``item`` says otherwise)."""
    return InList(column, bindparam(name, type_=ValueList(item or Integer())))


class Packed:
    """A ``SELECT`` of plain columns whose rows are read packed on SQLite.

    ``unordered`` says the caller takes the rows in any order (it sorts them itself, or
    looks them up), so on SQLite they all come as one value; an ``ORDER BY`` with a
    ``LIMIT`` still chooses which rows. Built once, for a statement used on every page: its
    packed twin is compiled on first use, which costs more than SQLAlchemy's cached
    execution of a statement built per call."""

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
        read = self._sqlite or self._compile(dialect)
        parameters = read.parameters(params or {})
        cursor = connection.connection.cursor()
        try:
            # the connection's own step for running SQL on a cursor it did not make: the
            # engine's events and SQL log see the statement, and a failure is raised as
            # SQLAlchemy's error (callers catch those to render while the database is away)
            connection._cursor_execute(cursor, read.sql, parameters)
            texts = [text for (text,) in cursor.fetchall()]
        except dialect.loaded_dbapi.Error as error:  # from fetching, which that step leaves
            raise DBAPIError.instance(
                read.sql, parameters, error, dialect.loaded_dbapi.Error
            ) from error
        finally:
            cursor.close()
        rows = json.loads(texts[0]) if self.unordered else [json.loads(text) for text in texts]
        for values in rows:
            for index, process in read.columns:
                values[index] = process(values[index])
        return rows

    def ids_newest_first(self, params: Mapping[str, Any] | None = None) -> list[int]:
        """For a statement of one id column: its ids, highest (newest) first, however they
        were read."""
        return sorted((id_ for (id_,) in self.rows(params)), reverse=True)

    def _compile(self, dialect: Dialect) -> _SQLiteRead:
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
        self._sqlite = _SQLiteRead(packed, columns, dialect)
        return self._sqlite


class _SQLiteRead:
    """A packed statement compiled for SQLite: its text, where each parameter goes and how
    it is converted, and how each column of its rows is converted back."""

    def __init__(self, packed: Select[Any], columns: list[Any], dialect: Dialect) -> None:
        compiled = packed.compile(dialect=dialect)
        if "POSTCOMPILE" in compiled.string:
            raise TypeError("a packed statement takes lists through in_list(), not IN (...)")
        self.sql = compiled.string
        self._compiled = compiled
        self._order = list(compiled.positiontup or ())
        self._binds = {
            name: _processor(compiled.binds[name].type, dialect, bind=True) for name in self._order
        }
        self.columns = [
            (index, process)
            for index, column in enumerate(columns)
            if (process := _processor(column.type, dialect, bind=False)) is not None
        ]

    def parameters(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        values = self._compiled.construct_params(params)
        return tuple(
            value if (process := self._binds[name]) is None else process(value)
            for name in self._order
            for value in (values[name],)
        )


M = TypeVar("M")


def columns_of(model: type[Any]) -> list[Any]:
    """Every column attribute of ``model``, in the order :func:`loaded` takes their values."""
    return [getattr(model, attr.key) for attr in sa_inspect(model).column_attrs]


def loaded(model: type[M], values: Sequence[Any]) -> M:
    """The ``model`` object whose :func:`columns_of` are ``values`` (read from the database
    in this request), as a query would give it, without one: the session's own copy when
    it has one, else a new object in the session, clean and with no history."""
    mapper = sa_inspect(model)
    row = dict(zip((attr.key for attr in mapper.column_attrs), values, strict=True))
    key = mapper.identity_key_from_primary_key(
        [row[mapper.get_property_by_column(column).key] for column in mapper.primary_key]
    )
    session = db.session()
    existing = session.identity_map.get(key)
    if existing is not None:
        return existing  # type: ignore[no-any-return]
    made = model(**row)
    make_transient_to_detached(made)
    session.add(made)
    return made


def _processor(type_: TypeEngine[Any], dialect: Dialect, *, bind: bool) -> Processor | None:
    impl = type_.dialect_impl(dialect)
    return impl.bind_processor(dialect) if bind else impl.result_processor(dialect, None)
