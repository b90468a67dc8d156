"""How many app processes a server runs, on which ports, and which systemd units start them.

One process (the default) is the unit ``intranet-social.service``. Several are instances of
the template ``intranet-social@.service``, one per port (``intranet-social@8081.service``
listens on 8081), all started by ``intranet-social.target``, and nginx spreads requests over
them. The target lists exactly the instances nginx knows; a change of layout removes the
files of the other one, so nothing stale stays enabled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from intranet_social.config import parse_listen
from intranet_social.core.errors import Invalid

MAX_PROCESSES = 16
SERVICE = "intranet-social"
SINGLE_UNIT = f"{SERVICE}.service"
TEMPLATE_UNIT = f"{SERVICE}@.service"
TARGET_UNIT = f"{SERVICE}.target"
#: the daily work pages do not do (a GET never writes): the birthday notices, run by a timer
BIRTHDAYS_UNIT = f"{SERVICE}-birthdays.service"
BIRTHDAYS_TIMER = f"{SERVICE}-birthdays.timer"
#: where ``systemctl enable`` links units whose [Install] says WantedBy=multi-user.target
ENABLED_FOLDER = "multi-user.target.wants"
_INSTANCE_RE = re.compile(rf"\b{SERVICE}@(\d+)\.service\b")


def clean_processes(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= MAX_PROCESSES:
        raise Invalid(
            f"{value} is not a number of processes from 1 to {MAX_PROCESSES}", "--processes"
        )
    return value


def app_address(host: str, port: int) -> str:
    """Where nginx reaches an app process listening on ``host``:``port``."""
    if host == "0.0.0.0":  # noqa: S104 - a wildcard listener is reached on loopback
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass(frozen=True)
class ProcessLayout:
    host: str
    ports: tuple[int, ...]

    @property
    def several(self) -> bool:
        return len(self.ports) > 1

    @property
    def instances(self) -> list[str]:
        return [f"{SERVICE}@{port}.service" for port in self.ports]

    @property
    def units(self) -> list[str]:
        """The units that run the site, the one to enable first."""
        return [TARGET_UNIT, *self.instances] if self.several else [SINGLE_UNIT]

    @property
    def app_servers(self) -> list[str]:
        return [app_address(self.host, port) for port in self.ports]

    @property
    def listen_host(self) -> str:
        """The host part of each instance's ``--listen``."""
        return f"[{self.host}]" if ":" in self.host else self.host


def process_layout(listen: str, count: int) -> ProcessLayout:
    """``count`` processes on ``listen``'s host, from its port upwards."""
    host, port = parse_listen(listen)
    last = port + count - 1
    if last > 65535:
        raise Invalid(
            f"{count} processes from port {port} would need ports up to {last}; "
            "give a lower port with --listen",
            "--processes",
        )
    return ProcessLayout(host, tuple(range(port, last + 1)))


def installed_units(units_folder: Path) -> list[str]:
    """The units an earlier install set up in ``units_folder``: the target and its
    instances, the single unit, or nothing."""
    try:
        target = (units_folder / TARGET_UNIT).read_text(encoding="utf-8")
    except FileNotFoundError:
        return [SINGLE_UNIT] if (units_folder / SINGLE_UNIT).is_file() else []
    ports = dict.fromkeys(_INSTANCE_RE.findall(target))
    return [TARGET_UNIT, *(f"{SERVICE}@{port}.service" for port in ports)]


def installed_count(units_folder: Path) -> int:
    """How many processes an earlier install set up (1 when none)."""
    return max(1, len(installed_units(units_folder)) - 1)


def stale_files(units_folder: Path, layout: ProcessLayout) -> list[Path]:
    """The other layout's unit files and enable links that exist in ``units_folder``."""
    other = SINGLE_UNIT if layout.several else TARGET_UNIT
    names = [other, f"{ENABLED_FOLDER}/{other}"]
    if not layout.several:
        names.append(TEMPLATE_UNIT)
    paths = [units_folder / name for name in names]
    return [path for path in paths if path.is_file() or path.is_symlink()]
