"""The server process caps glibc's malloc arenas (core/memory.py)."""

from __future__ import annotations

import platform
import sys

from intranet_social.core.memory import limit_malloc_arenas


def test_malloc_arenas_are_capped_where_glibc_allocates_and_left_alone_elsewhere():
    on_glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert limit_malloc_arenas() is on_glibc
