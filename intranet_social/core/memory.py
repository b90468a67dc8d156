"""How much memory the server process keeps.

glibc's allocator gives threads that allocate at the same time arenas of their own, up to
eight per core, and an arena keeps the high-water mark of what its threads ever held. Each
of the server's worker threads builds pages of tens of kilobytes, so with eight threads the
arenas, not the application, made most of the resident memory: about 290 MB against 170 MB
with two arenas, at the same speed on a two-core machine.
"""

from __future__ import annotations

import ctypes
import sys

#: glibc's ``mallopt`` parameter for the most arenas (``M_ARENA_MAX`` in malloc.h)
M_ARENA_MAX = -8
SERVER_ARENAS = 2


def limit_malloc_arenas(arenas: int = SERVER_ARENAS) -> bool:
    """Cap glibc's malloc arenas; call before the worker threads start. Whether it took
    effect (not on other systems or C libraries, where this is left to them)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, arenas))
