"""Running the statements built once at import (the per-request counts, the feed's sources,
search) on the session's own connection.

``db.session.execute`` puts every statement through the ORM's compile and result steps,
which for a count of a dozen columns costs several times the query itself. Plain SQL
expressions need none of that; the session's connection runs them in the same transaction.
Like the session, :func:`run` first writes what the session holds unwritten, so a read
never misses a change made earlier in the same request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import CursorResult, Executable

from intranet_social.extensions import db


def run(statement: Executable, params: Mapping[str, Any] | None = None) -> CursorResult[Any]:
    """``statement`` (Core, not ORM entities) with ``params`` in the session's transaction."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection().execute(statement, params or {})
