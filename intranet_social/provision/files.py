"""Writing files so that nobody ever reads half of one."""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import tempfile
from pathlib import Path

#: (user, group) by name; ``None`` for a part that is unknown or left alone
Owner = tuple[str | None, str | None]


def write_file(path: Path, data: str | bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` with the permission bits ``mode``.

    The data goes to a temporary file in the same folder (created readable by its owner
    only), which gets its final mode and is then renamed over ``path``: a crash leaves the
    old file or the new one, never a mix, and never a private file readable by others.
    """
    content = data.encode("utf-8") if isinstance(data, str) else data
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(content)
            out.flush()
            os.fchmod(out.fileno(), mode)
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_private_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, readable by its owner only (mode 0600)."""
    write_file(path, text, 0o600)


def primary_group(user: str) -> str | None:
    """The group of an existing ``user``; ``None`` when there is no such user yet."""
    try:
        gid = pwd.getpwnam(user).pw_gid
    except KeyError:
        return None
    return group_name(gid) or str(gid)


def group_name(gid: int) -> str | None:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return None


def owner_names(path: Path) -> Owner:
    stat = path.stat()
    try:
        user = pwd.getpwuid(stat.st_uid).pw_name
    except KeyError:
        user = None
    return user, group_name(stat.st_gid)
