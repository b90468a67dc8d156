"""Writing files so that nobody ever reads half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_private_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, readable by its owner only (mode 0600).

    The text goes to a temporary file in the same folder, which is then renamed over
    ``path``: a crash leaves the old file or the new one, never a mix.
    """
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
