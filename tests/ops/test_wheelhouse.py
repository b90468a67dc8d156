"""Offline install: a wheelhouse built here installs into a fresh venv with no package index."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXTRAS = "postgres,redis"
NO_INDEX_SIGNS = ("Could not find a version", "No matching distribution", "NewConnectionError")


def _offline_environment() -> dict[str, str]:
    """This environment without any pip setting, so nothing points pip at a package source."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV"))
    }
    environment["PIP_CONFIG_FILE"] = os.devnull
    environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return environment


def _run(*command: str | Path, **options) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=False, **options
    )


@pytest.mark.slow
def test_wheelhouse_installs_the_package_into_a_fresh_venv_with_every_index_switched_off(
    tmp_path: Path,
):
    wheels = tmp_path / "wheels"
    built = _run(
        ROOT / "scripts" / "build-wheelhouse", "--extras", EXTRAS, "--dest", wheels, timeout=300
    )
    if built.returncode != 0 and any(sign in built.stderr for sign in NO_INDEX_SIGNS):
        pytest.skip("pip's package index cannot be reached from this machine")
    assert built.returncode == 0, built.stderr
    assert list(wheels.glob("intranet_social-*.whl"))
    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", venv).returncode == 0
    environment = _offline_environment()

    installed = _run(
        venv / "bin" / "python", "-m", "pip", "install", "--no-index", "--find-links", wheels,
        f"intranet-social[{EXTRAS}]",
        env=environment, cwd=tmp_path, timeout=300,
    )  # fmt: skip

    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert f"Looking in links: {wheels}\n" in installed.stdout
    assert "Looking in indexes" not in installed.stdout
    shown = _run(venv / "bin" / "intranet-social", "--help", env=environment, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    for command in ("install", "serve", "backup", "restore", "db"):
        assert command in shown.stdout
    origin = _run(
        venv / "bin" / "python", "-c", "import intranet_social, psycopg, redis; "
        "print(intranet_social.__file__)",
        env=environment, cwd=tmp_path,
    )  # fmt: skip
    assert origin.returncode == 0, origin.stderr
    assert Path(origin.stdout.strip()).is_relative_to(venv)
