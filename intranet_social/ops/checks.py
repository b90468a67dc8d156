"""What a doctor's check reports."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Outcome(enum.StrEnum):
    PASSED = "pass"
    FAILED = "fail"
    WARNING = "warn"
    SKIPPED = "skip"


@dataclass(frozen=True)
class Check:
    name: str
    outcome: Outcome
    #: one sentence: what was found, or what to do about it
    detail: str

    @classmethod
    def passed(cls, name: str, detail: str) -> Check:
        return cls(name, Outcome.PASSED, detail)

    @classmethod
    def failed(cls, name: str, detail: str) -> Check:
        return cls(name, Outcome.FAILED, detail)

    @classmethod
    def warning(cls, name: str, detail: str) -> Check:
        return cls(name, Outcome.WARNING, detail)

    @classmethod
    def skipped(cls, name: str, detail: str) -> Check:
        return cls(name, Outcome.SKIPPED, detail)

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "result": self.outcome.value, "detail": self.detail}
