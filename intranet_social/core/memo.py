"""A bounded, thread-safe map for values worth keeping across requests.

Every user of it keys its entries by *everything* the value was made from, so an entry is
never stale: a change makes a new key on the next request, in every process, and the old
entry simply ages out. Nothing is ever invalidated by hand.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from flask import Flask

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """At most ``size`` entries, the least recently used out first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


C = TypeVar("C")


def app_cache(app: Flask, name: str, make: Callable[[], C]) -> C:
    """The app's own ``name`` cache, made by ``make`` on first use: one per app, so two
    apps in one process (tests) never share entries."""
    cache: C | None = app.extensions.get(name)
    if cache is None:
        cache = app.extensions.setdefault(name, make())
    return cache
