"""Uploads of transactions that have not ended yet, so a killed process leaves nothing behind.

A transaction that stores files first writes their keys to a journal, a hidden file in the
media folder named ``.uploads-<process id>-<random>.tmp``, and holds an exclusive ``flock``
on it until the transaction ends; then the journal is deleted. Only files of keys already in
a journal are ever written, and each is written under the temporary name
``.upload-<key>-<variant>.tmp`` before being renamed.

When the process dies (killed, out of memory, power lost) the kernel drops its locks, and
the journal names every key whose files may be half there: written but never committed,
or still under a temporary name. :func:`sweep_abandoned_uploads` finds journals nobody holds
and removes the files of their keys that no database row refers to. Journals of live
processes stay locked, so sweeping while other app processes serve uploads is safe.
"""

from __future__ import annotations

import fcntl
import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

JOURNAL_PREFIX = ".uploads-"
TEMPORARY_PREFIX = ".upload-"
SUFFIX = ".tmp"


class Journal:
    """The keys one transaction is storing, on disk and locked while it runs."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{JOURNAL_PREFIX}{os.getpid()}-{secrets.token_hex(8)}{SUFFIX}"
        self.path = folder / name
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        except BaseException:
            os.close(descriptor)
            self.path.unlink(missing_ok=True)
            raise
        self._descriptor: int | None = descriptor

    def add(self, key: str) -> None:
        """Record ``key`` durably before any of its files is written."""
        assert self._descriptor is not None, "the journal is closed"
        os.write(self._descriptor, f"{key}\n".encode("ascii"))
        os.fsync(self._descriptor)

    def close(self) -> None:
        """The transaction has ended and its files are settled: forget the journal."""
        if self._descriptor is None:
            return
        # Deleted before unlocking, so no sweep ever finds it unlocked while it matters.
        self.path.unlink(missing_ok=True)
        os.close(self._descriptor)
        self._descriptor = None


def temporary_name(key: str, variant: str) -> str:
    return f"{TEMPORARY_PREFIX}{key}-{variant}{SUFFIX}"


@dataclass(frozen=True)
class SweepReport:
    journals: int
    removed_keys: int
    kept_keys: int


def sweep_abandoned_uploads(
    folder: Path,
    referenced: Callable[[set[str]], set[str]],
    delete_key: Callable[[str], None],
) -> SweepReport:
    """Remove what dead processes left in ``folder``: for every journal no process holds,
    the files of its keys that no row refers to (``referenced`` says which do;
    ``delete_key`` removes a key's files, temporary ones included), then the journal."""
    journals = removed = kept = 0
    for path in _journals(folder):
        descriptor = _lock_if_abandoned(path)
        if descriptor is None:
            continue
        try:
            keys = _keys_in(path)
            in_use = referenced(keys) if keys else set()
            for key in keys:
                if key in in_use:
                    kept += 1
                else:
                    delete_key(key)
                    removed += 1
            path.unlink(missing_ok=True)
            journals += 1
        finally:
            os.close(descriptor)
    return SweepReport(journals, removed, kept)


def _journals(folder: Path) -> Iterable[Path]:
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{JOURNAL_PREFIX}*{SUFFIX}"))


def _lock_if_abandoned(path: Path) -> int | None:
    """An open, locked descriptor of ``path`` when no live process holds it, else ``None``."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    if not path.exists():
        # Its owner finished and deleted it between our open and our lock.
        os.close(descriptor)
        return None
    return descriptor


def _keys_in(path: Path) -> set[str]:
    lines = path.read_text(encoding="ascii", errors="replace").split("\n")
    # The last piece has no newline: empty, or a line cut short by the crash, which is not
    # a key any file was written for.
    return {line for line in lines[:-1] if line.isascii() and line.isalnum()}
