"""Running the statements built once at import (the per-request counts, the feed's sources,
search) on the session's own connection.

``db.session.execute`` puts every statement through the ORM's compile and result steps,
which for a count of a dozen columns costs several times the query itself. Plain SQL
expressions need none of that; the session's connection runs them in the same transaction.
Like the session's own queries, :func:`run` first flushes (unless autoflush is off), so a
read never misses a change made earlier in the same request; a clean session's flush
returns at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import CursorResult, Executable

from intranet_social.extensions import db


def run(statement: Executable, params: Mapping[str, Any] | None = None) -> CursorResult[Any]:
    """``statement`` (Core, not ORM entities) with ``params`` in the session's transaction."""
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params or {})
