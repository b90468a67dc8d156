"""Counting the statements the database is sent, for tests of how many a page costs.

On SQLite the packed reads go to the driver's connection without SQLAlchemy's engine
(``intranet_social/core/reads.py``), so the count comes from SQLite itself: its trace
callback sees every statement on the connections checked out while the block runs, from
SQLAlchemy and the packed reads alike. Other databases are counted by the engine's
``before_cursor_execute`` listeners, which see all of their statements.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from intranet_social.extensions import db


@contextmanager
def statements_run() -> Iterator[list[str]]:
    """The SQL of every statement sent while the block runs, in order."""
    seen: list[str] = []
    engine = db.engine
    if engine.dialect.name != "sqlite":

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield seen
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return

    traced: list[Any] = []

    def trace(driver: Any) -> None:
        driver.set_trace_callback(seen.append)
        traced.append(driver)

    def on_checkout(driver: Any, _record: Any, _proxy: Any) -> None:
        trace(driver)

    # the session may hold a connection already (a test's own queries before the block)
    if db.session().in_transaction():
        trace(db.session.connection().connection.driver_connection)
    event.listen(engine, "checkout", on_checkout)
    try:
        yield seen
    finally:
        event.remove(engine, "checkout", on_checkout)
        for driver in traced:
            driver.set_trace_callback(None)
