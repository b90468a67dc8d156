"""The written files pass their own programs' checks: nginx -t, named-checkzone and
systemd-analyze verify. Each test is skipped, saying why, where its program is missing
(./scripts/test installs nginx and bind9-utils where apt-get works)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.provision.conftest import ADDRESS, CANONICAL

CONFIG_DIR = "/etc/intranet-social/"


def program(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if path is None:
        pytest.skip(f"{name} is not installed (Debian: apt-get install nginx bind9-utils)")
    return path


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def nginx_test(box, tmp_path) -> subprocess.CompletedProcess[str]:
    """``nginx -t`` on the written site, inside a minimal nginx.conf of its own.

    The site names its files at their server paths; here they are under the test's root.
    """
    nginx = program("nginx")
    site = box.site.read_text(encoding="utf-8").replace(CONFIG_DIR, f"{box.root}{CONFIG_DIR}")
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events {}\n"
        "http {\n"
        "    access_log off;\n"
        f"    include {tmp_path}/site.conf;\n"
        "}\n",
        encoding="utf-8",
    )
    return run(
        nginx, "-t", "-q", "-p", f"{tmp_path}/", "-e", f"{tmp_path}/error.log",
        "-c", f"{tmp_path}/nginx.conf",
    )  # fmt: skip


@pytest.mark.parametrize("tls", ["self-signed", "none"])
def test_nginx_accepts_the_written_site(install, box, tmp_path, tls):
    assert install("--tls", tls).exit_code == 0

    checked = nginx_test(box, tmp_path)

    assert checked.returncode == 0, checked.stderr


def test_nginx_check_catches_a_broken_site(install, box, tmp_path):
    assert install().exit_code == 0
    box.site.write_text(box.site.read_text().replace("proxy_pass", "proxy_pas"))

    assert nginx_test(box, tmp_path).returncode != 0


def test_named_checkzone_accepts_the_zone_snippet(install, box, tmp_path):
    checkzone = program("named-checkzone")
    result = install("--hostname", "social", "--hostname", "people")
    assert result.exit_code == 0, result.output
    zone = tmp_path / "corp.example.zone"
    zone.write_text(
        "$ORIGIN corp.example.\n"
        "$TTL 3600\n"
        "@ IN SOA ns.corp.example. hostmaster.corp.example. 1 3600 600 86400 3600\n"
        "@ IN NS ns.corp.example.\n"
        "ns IN A 10.20.30.1\n" + (box.dns / "bind.zone").read_text(encoding="utf-8"),
        encoding="utf-8",
    )

    checked = run(checkzone, "-i", "local", "corp.example", str(zone))

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "ignoring out-of-zone data" not in checked.stdout + checked.stderr
    dumped = run(checkzone, "-D", "-o", "-", "corp.example", str(zone)).stdout
    records = {" ".join(line.split()) for line in dumped.splitlines()}
    assert f"{CANONICAL}. 3600 IN A {ADDRESS}" in records
    assert f"people.corp.example. 3600 IN CNAME {CANONICAL}." in records
    assert f"intranet.corp.example. 3600 IN CNAME {CANONICAL}." in records


def test_systemd_accepts_the_written_unit(install, box):
    analyze = program("systemd-analyze")
    assert install().exit_code == 0

    checked = run(analyze, "verify", str(box.unit))

    assert checked.returncode == 0, checked.stderr
    assert box.unit.name not in checked.stderr, checked.stderr
