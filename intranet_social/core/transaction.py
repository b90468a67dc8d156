"""One transaction per request: it commits once, at its end, when it succeeded.

Services, views, API handlers, error pages and template helpers only ``flush()``; this module
is the only place a request commits or rolls back.

**The rule.** After the view (or the error handler that answered for it) has made the
answer, :func:`_finish` commits when the answer is a success (status below 400) and rolls
back otherwise. It is an ``after_request`` hook, so the commit happens before the answer
leaves: the page a redirect after a POST leads to sees the data. A commit that fails raises
there, and the person gets the error page instead of a success the database never saw. A
request that raised past every handler is rolled back by the teardown.

**Refusals that must be recorded.** A request that answers with an error but whose changes
must stay (a failed sign-in counts towards the lock-out and writes a security event, then
answers 422 or 429) calls :func:`keep_changes`; the boundary then commits whatever the
status. The opposite, an answer that is not an error status for a request that failed (a
redirect with a flashed error after a refused greeting), calls :func:`discard_changes`: what
the request wrote is rolled back at once and nothing it writes later is kept.

**Reads do not write.** GET, HEAD and OPTIONS requests are never committed: what they show
is computed on read, and work that must happen on its own (the day's birthday notices) runs
from a timer. Under test (``app.testing``) a read request that writes through the session
fails loudly with :class:`WriteDuringRead`; in production the write is logged and rolled
back.

**Bookkeeping.** Noting what a person has seen (when a session or an API token was last
used, how far a conversation is read when its page is opened) is not a change the person
asks for: it may happen on any request, reads included, and must survive a refused one.
:func:`note_apart` writes such a small, idempotent statement on a connection and in a
transaction of its own, never in the request's: at once on a read request, which holds no
lock, so the page it answers already shows it; after the request's own transaction on any
other, so the note never waits on that transaction's locks. The callers write only when
something moved (a session or a token at most every few minutes), so most requests write
nothing at all.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql import Executable
from werkzeug.wrappers import Response

from intranet_social.extensions import db

log = logging.getLogger(__name__)

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_KEEP = "transaction_keep"
_DISCARD = "transaction_discard"
_NOTES = "transaction_notes"
_READ_WRITES = "transaction_read_writes"


class WriteDuringRead(RuntimeError):
    """A GET, HEAD or OPTIONS request wrote to the database (raised under test only)."""


def keep_changes() -> None:
    """Commit this request's changes even though it answers with an error status."""
    setattr(g, _KEEP, True)


def discard_changes() -> None:
    """Roll back what this request wrote, now, and keep nothing it writes later, although
    it does not answer with an error status."""
    setattr(g, _DISCARD, True)
    _roll_back()


def note_apart(statement: Executable) -> None:
    """Run ``statement``, a small bookkeeping write, in a transaction of its own: at once on
    a read request, after the request's transaction on any other (see the module's
    docstring); outside a request, in the caller's transaction."""
    if not has_request_context():
        db.session.execute(statement)
    elif request.method in READ_METHODS:
        _write_apart([statement])
    else:
        g.setdefault(_NOTES, []).append(statement)


def _finish(response: Response) -> Response:
    # popped, so that when the commit fails and the error page passes here again, it rolls back
    keep, discard = g.pop(_KEEP, False), g.pop(_DISCARD, False)
    writes = g.pop(_READ_WRITES, None)
    if db.session.registry.has():  # else the request never touched the database
        if request.method in READ_METHODS:
            # a read that wrote nothing needs no rollback here: the session is closed at
            # the end of the request, and its connection goes back to the pool rolled back
            if writes:
                _roll_back()
                _refuse_read_writes(writes)
        elif keep or (response.status_code < 400 and not discard):
            db.session.commit()
        else:
            _roll_back()
    notes = g.pop(_NOTES, None)
    if notes:
        _write_apart(notes)
    return response


def _roll_back() -> None:
    """The request's one way to roll back. When even that fails (the database went away),
    the answer still stands: nothing of the request was kept, and the session is closed at
    the end of the request."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        log.warning("could not roll back during %s %s", request.method, request.path)


def _refuse_read_writes(writes: list[str]) -> None:
    what = f"{request.method} {request.path} wrote {', '.join(dict.fromkeys(writes))}"
    if current_app.testing:
        raise WriteDuringRead(f"{what}: a read request must not write")
    log.error("%s; rolled back, as a read request must not write", what)


def _write_apart(notes: list[Executable]) -> None:
    try:
        with db.engine.begin() as connection:
            for statement in notes:
                connection.execute(statement)
    except SQLAlchemyError:
        log.warning("could not note %d bookkeeping change(s)", len(notes), exc_info=True)


def _end(error: BaseException | None) -> None:
    if error is not None:
        _roll_back()


def _reading() -> bool:
    return has_request_context() and request.method in READ_METHODS


def _note_flush(session: Session, _context: Any) -> None:
    if _reading():
        changed = [*session.new, *session.dirty, *session.deleted]
        g.setdefault(_READ_WRITES, []).extend(type(item).__name__ for item in changed)


def _note_statement(state: ORMExecuteState) -> None:
    if _reading() and (state.is_insert or state.is_update or state.is_delete):
        table = getattr(state.statement, "table", None)
        g.setdefault(_READ_WRITES, []).append(str(getattr(table, "name", "a table")))


event.listen(Session, "after_flush", _note_flush)
event.listen(Session, "do_orm_execute", _note_statement)


def init_app(app: Flask) -> None:
    """Install the boundary. Installed first, its hook runs after every other one."""
    app.after_request(_finish)
    app.teardown_request(_end)
