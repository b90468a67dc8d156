"""Planning and writing a system install: config, folders, TLS, DNS records, systemd, nginx.

:func:`plan_system_install` reads what is already there and decides every file's content
without writing anything, so a bad value or an unusable file stops the install before it
touches the disk, ``--dry-run`` can show the plan, and a re-run writes only what changed.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sqlalchemy.engine import make_url

from intranet_social.config import Config, ConfigError, ServerConfig, build_config
from intranet_social.core.errors import Conflict, Invalid
from intranet_social.provision import tls as certificates
from intranet_social.provision.config_edit import Value, set_config_values
from intranet_social.provision.config_file import NewConfig, render_config
from intranet_social.provision.dns import render_dns_files
from intranet_social.provision.files import (
    Owner,
    group_name,
    owner_names,
    primary_group,
    write_file,
)
from intranet_social.provision.options import SystemOptions
from intranet_social.provision.processes import (
    ProcessLayout,
    installed_count,
    installed_units,
    process_layout,
    stale_files,
)
from intranet_social.provision.rendering import SiteTls, render_nginx_site, render_systemd_units
from intranet_social.provision.services import check_database, check_limits_storage

SYSTEMD_UNIT = PurePosixPath("/etc/systemd/system/intranet-social.service")
NGINX_SITE = PurePosixPath("/etc/nginx/conf.d/intranet-social.conf")
DATABASE_FILE = "intranet-social.db"
NOLOGIN = "/usr/sbin/nologin"


@dataclass(frozen=True)
class PlannedFolder:
    path: Path
    mode: int
    #: (user, group) the folder must belong to; ``None`` leaves that part alone
    owner: Owner = (None, None)
    #: whether the owner is checked on every run, not only when the folder is made
    keep_owned: bool = False


@dataclass(frozen=True)
class PlannedFile:
    path: Path
    data: bytes
    mode: int
    group: str | None = None
    #: "new", "updated" or "unchanged"
    status: str = "new"


@dataclass
class SystemPlan:
    options: SystemOptions
    #: the configuration as the installed site reads it (its paths are on this disk)
    config: Config
    #: the site's DNS names, the canonical one first
    names: tuple[str, ...]
    #: whether files may be given to the service user (root, and not under --root)
    can_chown: bool
    #: the app processes and their ports
    layout: ProcessLayout
    folders: list[PlannedFolder] = field(default_factory=list)
    files: list[PlannedFile] = field(default_factory=list)
    commands: list[list[str]] = field(default_factory=list)
    certificate: certificates.CertificatePlan | None = None
    dns_files: dict[str, Path] = field(default_factory=dict)
    database_file: Path | None = None
    notes: list[str] = field(default_factory=list)
    #: unit files and enable links of the layout that is no longer wanted
    removals: list[Path] = field(default_factory=list)
    #: units an earlier install ran that this one does not: they are to be stopped
    retired_units: list[str] = field(default_factory=list)

    @property
    def changed_files(self) -> list[PlannedFile]:
        return [planned for planned in self.files if planned.status != "unchanged"]

    @property
    def changed_folders(self) -> list[PlannedFolder]:
        return [folder for folder in self.folders if _folder_needs_work(folder, self.can_chown)]

    @property
    def has_changes(self) -> bool:
        return bool(self.commands or self.changed_files or self.changed_folders or self.removals)


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _relative(target: PurePosixPath, start: PurePosixPath) -> str:
    return os.path.relpath(target, start)


def _sqlite_target(url: str, config_dir: PurePosixPath) -> PurePosixPath | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return PurePosixPath(os.path.normpath(config_dir / parsed.database))


def _read_existing(path: Path) -> str | None:
    if path.is_dir():
        raise Invalid(f"{path} is a folder, not a configuration file", "--config")
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"the configuration {path} cannot be read: {exc}") from None


def _load(text: str, path: Path) -> Config:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    return build_config(raw, {}, base_dir=path.parent)


@dataclass(frozen=True)
class ManagedKeys:
    """The configuration keys the installer sets; every other key is the admin's."""

    hostnames: list[str]
    listen: str
    trusted_proxies: int
    ca_cert: str
    database_url: str
    media_dir: str
    #: ``None`` keeps what the file says
    limits_storage: str | None = None

    def sections(self) -> dict[str, dict[str, Value]]:
        sections: dict[str, dict[str, Value]] = {
            "site": {"hostnames": self.hostnames},
            "server": {
                "listen": self.listen,
                "trusted_proxies": self.trusted_proxies,
                "ca_cert": self.ca_cert,
            },
            "database": {"url": self.database_url},
            "media": {"dir": self.media_dir},
        }
        if self.limits_storage is not None:
            sections["limits"] = {"storage_uri": self.limits_storage}
        return sections

    def new_file(self) -> str:
        return render_config(
            NewConfig(
                hostnames=tuple(self.hostnames),
                listen=self.listen,
                trusted_proxies=self.trusted_proxies,
                ca_cert=self.ca_cert,
                database_url=self.database_url,
                media_dir=self.media_dir,
                limits_storage=self.limits_storage or NewConfig.limits_storage,
            )
        )


def _managed_keys(options: SystemOptions, existing: Config | None) -> ManagedKeys:
    """What the flags ask for; a flag left out keeps what the existing file says."""
    config_dir = options.config.parent
    names = list(options.hostnames)
    if not names and existing is not None:
        names = [name for name in existing.site.hostnames if not _is_address(name)]
    if not names:
        raise Invalid("name the site, e.g. --hostname social.corp.example", "--hostname")
    database = options.database_url or (existing.database.url if existing else None)
    database = database or f"sqlite:///{options.data_dir / DATABASE_FILE}"
    sqlite_file = _sqlite_target(database, config_dir)
    if sqlite_file is not None:
        # Relative to the config's folder, so the same file works under --root and on the box.
        database = f"sqlite:///{_relative(sqlite_file, config_dir)}"
    server = existing.server if existing else ServerConfig()
    self_signed = options.tls.mode == "self-signed"
    return ManagedKeys(
        hostnames=[*names, options.ip],
        listen=options.listen or server.listen,
        trusted_proxies=server.trusted_proxies or 1,
        ca_cert=f"tls/{certificates.CA_CERT}" if self_signed else "",
        database_url=database,
        media_dir=_relative(options.data_dir / "media", config_dir),
        limits_storage=options.limits_storage,
    )


def _executable() -> str:
    beside = Path(sys.executable).parent / "intranet-social"
    if beside.is_file():
        return str(beside)
    return shutil.which("intranet-social") or str(beside)


def _add_file(
    plan: SystemPlan, path: Path, data: str | bytes, mode: int, group: str | None = None
) -> None:
    content = data.encode("utf-8") if isinstance(data, str) else data
    status = "new"
    if path.is_file():
        current = path.stat()
        same_group = group is None or not plan.can_chown or group_name(current.st_gid) == group
        unchanged = path.read_bytes() == content and current.st_mode & 0o777 == mode and same_group
        status = "unchanged" if unchanged else "updated"
    plan.files.append(PlannedFile(path, content, mode, group, status))


def _folder_needs_work(folder: PlannedFolder, can_chown: bool) -> bool:
    if not folder.path.is_dir():
        return True
    if not (folder.keep_owned and can_chown):
        return False
    user, group = owner_names(folder.path)
    wanted_user, wanted_group = folder.owner
    return (wanted_user or user, wanted_group or group) != (user, group)


def plan_system_install(options: SystemOptions) -> SystemPlan:
    """Everything a system install would write and run; reads the disk, writes nothing."""
    config_dir = options.config.parent
    config_file = options.on_disk(options.config)
    existing_text = _read_existing(config_file)
    existing = _load(existing_text, config_file) if existing_text is not None else None
    keys = _managed_keys(options, existing)
    if existing_text is None:
        config_text = keys.new_file()
    else:
        config_text = set_config_values(existing_text, keys.sections())
    config = _load(config_text, config_file)
    names = tuple(name for name in config.site.hostnames if not _is_address(name))
    can_chown = os.geteuid() == 0 and options.root is None
    units_folder = options.on_disk(SYSTEMD_UNIT.parent)
    count = options.processes or installed_count(units_folder)
    plan = SystemPlan(
        options, config, names, can_chown, process_layout(config.server.listen, count)
    )
    user = options.service_user
    existing_group = primary_group(user)
    # useradd --user-group gives a new user a group of the same name.
    group = (existing_group or user) if can_chown else None
    owned: Owner = (user, group) if can_chown else (None, None)

    if can_chown and existing_group is None:
        plan.commands.append(
            ["useradd", "--system", "--user-group", "--home-dir", str(options.data_dir)]
            + ["--no-create-home", "--shell", NOLOGIN, user]
        )
    elif options.root is not None:
        plan.notes.append(
            f"Under --root no system user is made and no owner is changed: on the real system, "
            f"{options.data_dir} must belong to {user}, and {options.config} to its group."
        )

    tls_dir = config_dir / "tls"
    dns_dir = config_dir / "dns"
    data_folder = PlannedFolder(options.on_disk(options.data_dir), 0o750, owned, keep_owned=True)
    plan.folders += [
        PlannedFolder(config_file.parent, 0o750, (None, group)),
        data_folder,
        PlannedFolder(config.media_path, 0o750, owned, keep_owned=True),
        PlannedFolder(options.on_disk(dns_dir), 0o755),
        PlannedFolder(options.on_disk(SYSTEMD_UNIT.parent), 0o755),
        PlannedFolder(options.on_disk(NGINX_SITE.parent), 0o755),
    ]
    writable = [options.data_dir]
    sqlite_target = _sqlite_target(config.database.url, config_dir)
    if sqlite_target is not None:
        plan.database_file = options.on_disk(sqlite_target)
        if not sqlite_target.is_relative_to(options.data_dir):
            writable.append(sqlite_target.parent)
            plan.folders.append(PlannedFolder(plan.database_file.parent, 0o750, owned))

    _add_file(plan, config_file, config_text, 0o640, group)

    site_tls: SiteTls | None = None
    if options.tls.mode == "self-signed":
        tls_folder = options.on_disk(tls_dir)
        plan.folders.insert(1, PlannedFolder(tls_folder, 0o750, (None, group)))
        plan.certificate = certificates.plan_certificates(
            tls_folder, names, options.ip, config.site.name
        )
        for name, data in plan.certificate.files.items():
            mode = 0o600 if name.endswith(".key") else 0o644
            _add_file(plan, tls_folder / name, data, mode)
        site_tls = SiteTls(
            tls_dir / certificates.SERVER_CERT, tls_dir / certificates.SERVER_KEY, True
        )
    elif options.tls.mode == "files":
        assert options.tls.certificate and options.tls.key
        given = certificates.check_certificate_pair(options.tls.certificate, options.tls.key)
        missing = certificates.uncovered_names(given, names, options.ip)
        if missing:
            plan.notes.append(
                f"The certificate {options.tls.certificate} does not cover "
                + ", ".join(missing)
                + "; browsers will warn under those names."
            )
        site_tls = SiteTls(
            PurePosixPath(options.tls.certificate), PurePosixPath(options.tls.key), False
        )

    for file_name, content in render_dns_files(names, options.ip).items():
        path = options.on_disk(dns_dir / file_name)
        plan.dns_files[file_name] = path
        _add_file(plan, path, content, 0o644)

    layout = plan.layout
    units = render_systemd_units(
        layout,
        executable=_executable(),
        config_path=options.config,
        data_dir=options.data_dir,
        writable_paths=writable,
        service_user=user,
    )
    for name, unit in units.items():
        _add_file(plan, units_folder / name, unit, 0o644)
    plan.removals = stale_files(units_folder, layout)
    plan.retired_units = [
        unit for unit in installed_units(units_folder) if unit not in layout.units
    ]
    site = render_nginx_site(config, [*names, options.ip], site_tls, layout)
    _add_file(plan, options.on_disk(NGINX_SITE), site, 0o644)
    check_database(config)
    check_limits_storage(config, layout)
    return plan


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise Conflict(f"`{command[0]}` is not installed; it is needed to run {command}") from None
    except subprocess.CalledProcessError as exc:
        reason = " ".join((exc.stderr or exc.stdout or "").split()) or f"exit {exc.returncode}"
        raise Conflict(f"`{' '.join(command)}` failed: {reason}") from None


def _make_folder(folder: PlannedFolder, can_chown: bool) -> None:
    if not folder.path.is_dir():
        folder.path.mkdir(parents=True, exist_ok=True)
        folder.path.chmod(folder.mode)
    elif not folder.keep_owned:
        return
    user, group = folder.owner
    if can_chown and user is not None:
        shutil.chown(folder.path, user, group)
    elif can_chown and group is not None:
        shutil.chown(folder.path, group=group)


def apply_plan(plan: SystemPlan) -> None:
    """Run the commands, make the folders, write the files that change and remove the stale
    ones, in that order."""
    for command in plan.commands:
        _run(command)
    for folder in plan.folders:
        _make_folder(folder, plan.can_chown)
    for planned in plan.changed_files:
        write_file(planned.path, planned.data, planned.mode)
        if plan.can_chown and planned.group:
            shutil.chown(planned.path, group=planned.group)
    for path in plan.removals:
        path.unlink(missing_ok=True)


def hand_database_to_service_user(plan: SystemPlan) -> None:
    """The SQLite file (and its journal files) belong to the user the site runs as."""
    if not plan.can_chown or plan.database_file is None:
        return
    user = plan.options.service_user
    for suffix in ("", "-wal", "-shm"):
        path = plan.database_file.with_name(plan.database_file.name + suffix)
        if path.exists():
            shutil.chown(path, user, primary_group(user))
