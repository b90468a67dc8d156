"""The system install's flags, checked all at once before anything is written.

Each check raises :class:`Invalid` naming the flag, so the command prints one line such as
``error: --hostname: 'bad_name' is not a valid DNS name …`` and exits 1.
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from intranet_social.accounts.validation import clean_username
from intranet_social.config import is_valid_hostname, limits_storage_problem, parse_listen
from intranet_social.core.errors import Invalid
from intranet_social.provision.processes import clean_processes
from intranet_social.provision.tls import check_certificate_pair

DEFAULT_CONFIG = PurePosixPath("/etc/intranet-social/config.toml")
DEFAULT_DATA_DIR = PurePosixPath("/var/lib/intranet-social")
DEFAULT_SERVICE_USER = "intranet-social"
TLS_MODES = ("self-signed", "none")
#: folders the data folder must not be, since the service user comes to own it
SYSTEM_FOLDERS = frozenset(
    {"/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/media", "/mnt", "/opt"}
    | {"/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/usr", "/usr/local"}
    | {"/var", "/var/lib", "/var/log", "/tmp", "/var/tmp"}  # noqa: S108 - refused, not used
)
#: characters that would break the systemd unit or the nginx site a path is written into
_UNSAFE_PATH = re.compile(r"[\s\"'\\;{}$#%*?]")
_SERVICE_USER_RE = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
#: a private address no packet is sent to: connecting a UDP socket only picks the route
_ROUTE_PROBE = ("10.254.254.254", 9)


@dataclass(frozen=True)
class TlsChoice:
    """``self-signed`` (the site's own authority), ``none`` (plain HTTP) or given files."""

    mode: str
    certificate: Path | None = None
    key: Path | None = None


@dataclass(frozen=True)
class SystemOptions:
    """The flags of a system install, checked."""

    #: DNS names, the canonical one first; empty = the names the existing config has
    hostnames: tuple[str, ...]
    ip: str
    root: Path | None
    data_dir: PurePosixPath
    config: PurePosixPath
    database_url: str | None
    listen: str | None
    tls: TlsChoice
    admin: str
    service_user: str
    reset_admin: bool = False
    #: how many app processes; ``None`` = as many as the earlier install set up
    processes: int | None = None
    #: ``[limits] storage_uri``; ``None`` = what the existing config says
    limits_storage: str | None = None

    def on_disk(self, target: PurePosixPath) -> Path:
        """Where the file meant for ``target`` on the installed system is written now."""
        return self.root / target.relative_to("/") if self.root else Path(target)


def primary_ipv4() -> str:
    """The address this host's default route leaves from, 127.0.0.1 when it has none.

    A UDP socket's ``connect`` sends nothing: the kernel only chooses the route.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_ROUTE_PROBE)
            address = probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    return address if address and address != "0.0.0.0" else "127.0.0.1"  # noqa: S104


def clean_hostname(value: str) -> str:
    name = value.strip().lower().removesuffix(".")
    try:
        ipaddress.ip_address(name)
    except ValueError:
        pass
    else:
        raise Invalid(
            f"{value!r} is an address, not a name; give the address with --ip", "--hostname"
        )
    if not is_valid_hostname(name):
        raise Invalid(
            f"{value!r} is not a valid DNS name (letters, digits and dashes, "
            "with dots between the labels)",
            "--hostname",
        )
    return name


def clean_ip(value: str) -> str:
    try:
        return str(ipaddress.IPv4Address(value.strip()))
    except ValueError:
        raise Invalid(f"{value!r} is not an IPv4 address such as 10.0.0.5", "--ip") from None


def clean_system_path(value: str, flag: str) -> PurePosixPath:
    if not value.startswith("/"):
        raise Invalid(f"{value!r} is not an absolute path (it must start with /)", flag)
    if _UNSAFE_PATH.search(value):
        raise Invalid(f"{value!r} contains a space, quote or other special character", flag)
    return PurePosixPath(os.path.normpath(value))


def clean_root(value: str | None) -> Path | None:
    if value is None:
        return None
    root = Path(value).resolve()
    if root.exists() and not root.is_dir():
        raise Invalid(f"{value!r} is not a folder", "--root")
    return None if root == Path("/") else root


def clean_database_url(value: str) -> str:
    try:
        url = make_url(value.strip())
        backend = url.get_backend_name()
    except (ArgumentError, ValueError):
        backend = ""
    if backend == "sqlite" and url.database and url.database != ":memory:":
        return url.render_as_string(hide_password=False)
    if backend == "postgresql" and url.database:
        return url.render_as_string(hide_password=False)
    raise Invalid(
        f"{value!r} is not a database URL; use sqlite:////PATH/FILE.db "
        "or postgresql+psycopg://USER:PASSWORD@HOST/DBNAME",
        "--database",
    )


def clean_listen(value: str) -> str:
    try:
        parse_listen(value.strip())
    except ValueError as exc:
        raise Invalid(f"{value!r}: {exc}, e.g. 127.0.0.1:8080", "--listen") from None
    return value.strip()


def clean_limits_storage(value: str) -> str:
    problem = limits_storage_problem(value.strip())
    if problem:
        raise Invalid(f"{value!r} {problem}", "--limits-storage")
    return value.strip()


def clean_tls(value: str) -> TlsChoice:
    choice = value.strip()
    if choice in TLS_MODES:
        return TlsChoice(choice)
    certificate, separator, key = choice.partition(":")
    if not separator or not certificate or not key:
        raise Invalid(f"{value!r} is not self-signed, none or CERT:KEY (two PEM files)", "--tls")
    for path in (certificate, key):
        if _UNSAFE_PATH.search(path):
            raise Invalid(f"{path!r} contains a space, quote or other special character", "--tls")
    cert_path, key_path = Path(certificate).resolve(), Path(key).resolve()
    check_certificate_pair(cert_path, key_path)
    return TlsChoice("files", cert_path, key_path)


def clean_service_user(value: str) -> str:
    name = value.strip()
    if name == "root":
        raise Invalid("the site must not run as root; name a user of its own", "--service-user")
    if not _SERVICE_USER_RE.match(name):
        raise Invalid(
            f"{value!r} is not a valid user name (lower-case letters, digits, - and _, "
            "at most 32 characters)",
            "--service-user",
        )
    return name


def system_options(
    *,
    hostnames: Sequence[str],
    ip: str | None,
    root: str | None,
    data_dir: str,
    config: str,
    database: str | None,
    listen: str | None,
    tls: str,
    admin: str,
    service_user: str,
    reset_admin: bool = False,
    processes: int | None = None,
    limits_storage: str | None = None,
) -> SystemOptions:
    """Check every flag; the first bad one raises :class:`Invalid` naming it."""
    names = tuple(dict.fromkeys(clean_hostname(name) for name in hostnames))
    data_path = clean_system_path(data_dir, "--data-dir")
    if str(data_path) in SYSTEM_FOLDERS:
        raise Invalid(
            f"{data_dir!r} is a system folder; give the site a folder of its own "
            f"such as {DEFAULT_DATA_DIR}",
            "--data-dir",
        )
    config_path = clean_system_path(config, "--config")
    if str(config_path) in SYSTEM_FOLDERS or config_path == data_path:
        raise Invalid(f"{config!r} is a folder, not a file name such as config.toml", "--config")
    return SystemOptions(
        hostnames=names,
        ip=clean_ip(ip) if ip is not None else primary_ipv4(),
        root=clean_root(root),
        data_dir=data_path,
        config=config_path,
        database_url=clean_database_url(database) if database is not None else None,
        listen=clean_listen(listen) if listen is not None else None,
        tls=clean_tls(tls),
        admin=clean_username(admin, "--admin"),
        service_user=clean_service_user(service_user),
        reset_admin=reset_admin,
        processes=clean_processes(processes),
        limits_storage=clean_limits_storage(limits_storage) if limits_storage is not None else None,
    )
