"""The installed ``intranet-social`` console script, run as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("intranet-social")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "INTRANET_SOCIAL_CONFIG"}
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def test_console_script_shows_help_and_creates_a_user(config_path: Path):
    helped = run("--help")
    created = run(
        "user", "create", "eve.lin", "--email", "eve@corp.example", "--name", "Eve Lin",
        "--config", str(config_path),
    )  # fmt: skip
    again = run(
        "user", "create", "eve.lin", "--email", "eve2@corp.example", "--name", "Eve Lin",
        "--config", str(config_path),
    )  # fmt: skip

    assert helped.returncode == 0 and "user" in helped.stdout and "serve" in helped.stdout
    assert created.returncode == 0, created.stderr
    assert "One-time password for eve.lin: " in created.stdout
    assert again.returncode == 1
    assert again.stderr.strip().splitlines() == ["error: the username 'eve.lin' is already taken."]
