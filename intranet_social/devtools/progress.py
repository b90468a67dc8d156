"""A progress bar on stderr for long developer tools (redrawn in place on a terminal, one
summary line per step otherwise)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes}m {seconds:02d}s"


class ProgressBar:
    WIDTH = 30
    REDRAW_EVERY = 0.2

    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = max(total, 0)
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.started = time.monotonic()
        self._drawn_at = 0.0
        self.done = 0

    def update(self, done: int) -> None:
        self.done = done
        now = time.monotonic()
        if self.live and now - self._drawn_at >= self.REDRAW_EVERY:
            self._drawn_at = now
            self._draw(now, end="")

    def finish(self) -> float:
        """Draw the final state on its own line; returns the seconds the step took."""
        self.done = self.total
        now = time.monotonic()
        self._draw(now, end="\n")
        return now - self.started

    def _draw(self, now: float, end: str) -> None:
        share = self.done / self.total if self.total else 1.0
        filled = round(share * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        prefix = "\r" if self.live else ""
        self.stream.write(
            f"{prefix}{self.label:<12} [{bar}] {share:4.0%} {self.done:>11,}/{self.total:,}"
            f"  {duration(now - self.started)}{end}"
        )
        self.stream.flush()
