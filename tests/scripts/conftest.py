"""Running ``scripts/seed`` and ``scripts/bench`` as a person would, on tiny databases."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import STRONG_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
#: a company small enough to seed in well under a second
TINY = {"users": 40, "friends": 6, "posts": 300, "likes": 900, "comments": 250}
#: small, but its benchmark readers stand as the speed targets say: 100 friends, 20 spaces
READERS = {
    "users": 300, "friends": 100, "posts": 3000, "likes": 6000, "comments": 2000, "spaces": 40,
}  # fmt: skip


def run_script(name: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``scripts/<name>`` with this Python, outside any developer's site settings."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("INTRANET_SOCIAL_")}
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / name), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        check=False,
    )


def size_args(base: dict[str, int] = TINY, **sizes: int) -> list[str]:
    return [arg for key, value in {**base, **sizes}.items() for arg in (f"--{key}", str(value))]


def assert_one_error_line(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def query(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchall()


def scalar(path: Path, sql: str) -> object:
    return query(path, sql)[0][0]


@dataclass(frozen=True)
class Seeded:
    path: Path
    result: subprocess.CompletedProcess[str]

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """One tiny seeded database, shared by the tests that only read it."""
    path = tmp_path_factory.mktemp("seeded") / "company.db"
    result = run_script(
        "seed", "--database", f"sqlite:///{path}", "--password", STRONG_PASSWORD, *size_args()
    )
    assert result.returncode == 0, result.stderr
    yield Seeded(path, result)


@pytest.fixture(scope="session")
def readers_company(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """A company of 300 with spaces, whose benchmark readers have 100 friends and 20 spaces."""
    path = tmp_path_factory.mktemp("readers") / "company.db"
    result = run_script(
        "seed", "--database", f"sqlite:///{path}", "--password", STRONG_PASSWORD,
        *size_args(READERS),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    yield Seeded(path, result)
