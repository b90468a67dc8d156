"""What the package is and where its files are: version, package folder, migrations folder."""

from __future__ import annotations

from pathlib import Path

VERSION = "0.1.0"

PACKAGE_DIR = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
