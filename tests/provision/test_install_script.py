"""``install.sh --system`` starts what the installer wrote and stops what it no longer runs.

Its ``start_services`` function runs against the units an install wrote, with a stand-in
``systemctl`` on the PATH that records each call and lists the units systemd has loaded.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.redis_server import answering_redis

PROJECT = Path(__file__).resolve().parents[2]
UNITS = "/etc/systemd/system"


def start_services(tmp_path: Path, units: Path, loaded: list[str]) -> list[str]:
    """Run install.sh's ``start_services UNITS``; returns the systemctl calls it made."""
    calls = tmp_path / "systemctl.calls"
    listing = tmp_path / "loaded-units"
    listing.write_text("".join(f"{line}\n" for line in loaded), encoding="utf-8")
    tools = tmp_path / "bin"
    tools.mkdir()
    systemctl = tools / "systemctl"
    systemctl.write_text(
        f'#!/bin/sh\necho "$*" >> {calls}\nif [ "$1" = list-units ]; then cat {listing}; fi\n',
        encoding="utf-8",
    )
    systemctl.chmod(0o755)
    script = (
        f'source <(sed -n "/^start_services() {{/,/^}}/p" {PROJECT / "install.sh"}); '
        'start_services "$1"'
    )
    result = subprocess.run(
        ["bash", "-c", script, "start_services", str(units)],
        capture_output=True,
        text=True,
        env={"PATH": f"{tools}:/usr/bin:/bin"},
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in calls.read_text(encoding="utf-8").splitlines() if line]


def test_several_processes_start_the_target_and_stop_the_single_unit_and_extra_instance(
    install, box, tmp_path
):
    redis_url = answering_redis()
    assert install("--processes", "2", "--limits-storage", redis_url).exit_code == 0
    loaded = [
        "intranet-social.target loaded active active Intranet Social",
        "intranet-social@8080.service loaded active running Intranet Social (port 8080)",
        "intranet-social@8081.service loaded active running Intranet Social (port 8081)",
        "intranet-social@8082.service loaded active running Intranet Social (port 8082)",
        "● intranet-social.service not-found active running intranet-social.service",
    ]

    calls = start_services(tmp_path, box.path(UNITS), loaded)

    assert calls[0] == "daemon-reload"
    assert calls[1].startswith("list-units --all --plain --no-legend")
    assert calls[2:] == [
        "stop intranet-social@8082.service",
        "stop intranet-social.service",
        "enable --quiet intranet-social.target",
        "restart intranet-social.target",
        "enable --quiet --now intranet-social-birthdays.timer",
    ]


@pytest.mark.parametrize("before", [[], ["intranet-social.service loaded active running x"]])
def test_one_process_starts_the_single_unit_and_stops_an_earlier_target(
    install, box, tmp_path, before
):
    assert install().exit_code == 0
    loaded = [
        *before,
        "intranet-social.target loaded active active Intranet Social",
        "intranet-social@8080.service not-found active running Intranet Social (port 8080)",
    ]

    calls = start_services(tmp_path, box.path(UNITS), loaded)

    assert calls[2:] == [
        "stop intranet-social.target",
        "stop intranet-social@8080.service",
        "enable --quiet intranet-social.service",
        "restart intranet-social.service",
        "enable --quiet --now intranet-social-birthdays.timer",
    ]
