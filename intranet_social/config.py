"""Configuration: one TOML file, every key overridable by ``INTRANET_SOCIAL_<SECTION>_<KEY>``.

The file is read once at start-up into typed, frozen dataclasses; nothing else in the
package looks at the environment. Every problem is reported as a :class:`ConfigError`
naming the key, so the CLI can print one clear line.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ENV_PREFIX = "INTRANET_SOCIAL_"
CONFIG_ENV = "INTRANET_SOCIAL_CONFIG"
DEFAULT_CONFIG_PATH = Path("instance") / "config.toml"
REGISTRATION_MODES = ("closed", "invite", "domain", "approval", "open")
MIN_SECRET_LENGTH = 32
WELL_KNOWN_SECRETS = frozenset(
    {
        "…generated…",
        "generated",
        "change-me",
        "changeme",
        "change-this",
        "secret",
        "secret-key",
        "dev",
        "development",
        "you-will-never-guess",
        "replace-me",
        "your-secret-key",
        "super-secret-key",
        "please-change-me-to-something-random",
        "intranet-social",
    }
)
_HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)


class ConfigError(Exception):
    """A configuration problem, worded for the person who has to fix it."""


@dataclass(frozen=True)
class SiteConfig:
    name: str = "Intranet Social"
    hostnames: tuple[str, ...] = ()
    timezone: str = "UTC"


@dataclass(frozen=True)
class ServerConfig:
    listen: str = "127.0.0.1:8080"
    threads: int = 8
    trusted_proxies: int = 0
    #: the local certificate authority's certificate offered at /ca.crt; "" = none
    ca_cert: str = ""


@dataclass(frozen=True)
class DatabaseConfig:
    url: str = "sqlite:///intranet-social.db"


@dataclass(frozen=True)
class MediaConfig:
    dir: str = "media"
    max_image_mb: int = 15
    max_video_mb: int = 200


@dataclass(frozen=True)
class SecurityConfig:
    secret_key: str = ""
    registration: str = "approval"
    email_domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class LimitsConfig:
    storage_uri: str = "memory://"


@dataclass(frozen=True)
class MailConfig:
    host: str = ""
    port: int = 25
    sender: str = ""
    username: str = ""
    password: str = ""
    starttls: bool = False


@dataclass(frozen=True)
class Config:
    site: SiteConfig = field(default_factory=SiteConfig)
    server: ServerConfig = field(default_factory=ServerConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    media: MediaConfig = field(default_factory=MediaConfig)
    security: SecurityConfig = field(default_factory=SecurityConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    mail: MailConfig = field(default_factory=MailConfig)
    #: folder of the config file; relative paths in the file are relative to it
    base_dir: Path = field(default_factory=Path.cwd)

    @property
    def media_path(self) -> Path:
        return (self.base_dir / self.media.dir).resolve()

    @property
    def ca_cert_path(self) -> Path | None:
        return (self.base_dir / self.server.ca_cert).resolve() if self.server.ca_cert else None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.site.timezone)

    def replace(self, **sections: Any) -> Config:
        return dataclasses.replace(self, **sections)


SECTIONS: dict[str, type] = {
    "site": SiteConfig,
    "server": ServerConfig,
    "database": DatabaseConfig,
    "media": MediaConfig,
    "security": SecurityConfig,
    "limits": LimitsConfig,
    "mail": MailConfig,
}


def resolve_config_path(path: str | os.PathLike[str] | None) -> Path:
    """The config file: the given path, else ``$INTRANET_SOCIAL_CONFIG``, else the default."""
    if path:
        return Path(path)
    env_path = os.environ.get(CONFIG_ENV)
    if env_path:
        return Path(env_path)
    return DEFAULT_CONFIG_PATH


def load_config(
    path: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Read, override from the environment and validate the configuration."""
    environ = os.environ if environ is None else environ
    config_path = resolve_config_path(path)
    try:
        raw = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"config file {config_path} not found; run ./install.sh or pass --config PATH"
        ) from None
    except OSError as exc:
        raise ConfigError(f"config file {config_path} cannot be read: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {config_path} is not valid TOML: {exc}") from None
    return build_config(raw, environ, base_dir=config_path.resolve().parent)


def build_config(
    raw: Mapping[str, Any], environ: Mapping[str, str], base_dir: Path | None = None
) -> Config:
    """Turn parsed TOML plus environment overrides into a validated :class:`Config`."""
    sections: dict[str, Any] = {}
    for section_name in raw:
        if section_name not in SECTIONS:
            raise ConfigError(f"unknown config section [{section_name}]")
        if not isinstance(raw[section_name], dict):
            raise ConfigError(f"config [{section_name}] must be a table of keys")
    for section_name, section_cls in SECTIONS.items():
        values = dict(raw.get(section_name, {}))
        known = {f.name: f for f in dataclasses.fields(section_cls)}
        for key in values:
            if key not in known:
                raise ConfigError(f"unknown config key {section_name}.{key}")
        env_names = {f"{ENV_PREFIX}{section_name.upper()}_{key.upper()}": key for key in known}
        env_section = f"{ENV_PREFIX}{section_name.upper()}_"
        for env_name in environ:
            if env_name.startswith(env_section) and env_name not in env_names:
                raise ConfigError(f"unknown config key in environment variable {env_name}")
        for env_name, key in env_names.items():
            if env_name in environ:
                values[key] = _parse_env(environ[env_name], known[key], f"{section_name}.{key}")
        kwargs = {
            key: _coerce(value, known[key], f"{section_name}.{key}")
            for key, value in values.items()
        }
        sections[section_name] = section_cls(**kwargs)
    config = Config(**sections, base_dir=base_dir or Path.cwd())
    validate(config)
    return config


def _field_kind(f: dataclasses.Field[Any]) -> str:
    return str(f.type).replace("tuple[str, ...]", "list")


def _parse_env(text: str, f: dataclasses.Field[Any], key: str) -> Any:
    kind = _field_kind(f)
    if kind == "list":
        text = text.strip()
        if text.startswith("["):
            try:
                return tomllib.loads(f"v = {text}")["v"]
            except tomllib.TOMLDecodeError:
                raise ConfigError(f"config {key} from the environment is not a list") from None
        return [part.strip() for part in text.split(",") if part.strip()]
    if kind == "bool":
        lowered = text.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"config {key} must be true or false, not {text!r}")
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            raise ConfigError(f"config {key} must be a whole number, not {text!r}") from None
    return text


def _coerce(value: Any, f: dataclasses.Field[Any], key: str) -> Any:
    kind = _field_kind(f)
    if kind == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"config {key} must be a list of strings")
        return tuple(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"config {key} must be true or false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"config {key} must be a whole number")
        return value
    if not isinstance(value, str):
        raise ConfigError(f"config {key} must be a string")
    return value


def is_valid_hostname(name: str) -> bool:
    return bool(_HOSTNAME_RE.match(name.lower()))


def parse_listen(listen: str) -> tuple[str, int]:
    """Split ``HOST:PORT`` (``[v6]:PORT`` for IPv6); raise ``ValueError`` when malformed."""
    host, sep, port_text = listen.rpartition(":")
    if not sep or not host or not (port_text.isascii() and port_text.isdigit()):
        raise ValueError("expected HOST:PORT")
    port = int(port_text)
    if not 0 < port < 65536:
        raise ValueError("port must be between 1 and 65535")
    if host.startswith("[") and host.endswith("]"):
        ipaddress.IPv6Address(host[1:-1])
        host = host[1:-1]
    elif not is_valid_hostname(host):
        ipaddress.ip_address(host)
    return host, port


def secret_key_problem(secret: str) -> str | None:
    """Why a secret key must not be used, or ``None`` when it is fine."""
    if not secret:
        return "security.secret_key is empty; run `intranet-social install` to generate one"
    if secret.strip().lower() in WELL_KNOWN_SECRETS:
        return "security.secret_key is a well-known example value; generate a random one"
    if len(secret) < MIN_SECRET_LENGTH:
        return f"security.secret_key is shorter than {MIN_SECRET_LENGTH} characters"
    if len(set(secret)) < 8:
        return "security.secret_key is not random enough; generate a random one"
    return None


def _validate_database_url(url: str) -> None:
    try:
        backend = make_url(url).get_backend_name()
    except (ArgumentError, ValueError):
        backend = ""
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(
            "config database.url must be sqlite:///FILE or postgresql+psycopg://USER@HOST/DB"
        )


def limits_storage_problem(uri: str) -> str | None:
    """Why ``uri`` is no rate-limit storage this site can use, or ``None`` when it is fine.

    ``memory://``, or Redis as ``redis://[:PASSWORD@]HOST[:PORT][/DB]`` (``rediss://`` for
    TLS); query options are refused because the app sets its own time-outs.
    """
    if uri == "memory://":
        return None
    wanted = "must be memory:// or redis://HOST:PORT[/DB] (rediss:// for TLS)"
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return f"{wanted}; the port is not a number from 1 to 65535"
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        return wanted
    if port == 0 or parts.query or parts.fragment:
        return wanted
    database = parts.path.removeprefix("/")
    if database and not (database.isascii() and database.isdigit()):
        return f"{wanted}; the database after the / is a number such as 0"
    return None


def validate(config: Config) -> None:
    """Raise :class:`ConfigError` for the first value that cannot work."""
    if not config.site.name.strip():
        raise ConfigError("config site.name must not be empty")
    for name in config.site.hostnames:
        if not is_valid_hostname(name):
            try:
                ipaddress.ip_address(name)
            except ValueError:
                raise ConfigError(f"config site.hostnames has an invalid name {name!r}") from None
    try:
        ZoneInfo(config.site.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"config site.timezone {config.site.timezone!r} is not a known time zone"
        ) from None
    try:
        parse_listen(config.server.listen)
    except ValueError as exc:
        raise ConfigError(f"config server.listen {config.server.listen!r}: {exc}") from None
    if not 1 <= config.server.threads <= 256:
        raise ConfigError("config server.threads must be between 1 and 256")
    if not 0 <= config.server.trusted_proxies <= 5:
        raise ConfigError("config server.trusted_proxies must be between 0 and 5")
    _validate_database_url(config.database.url)
    if not config.media.dir:
        raise ConfigError("config media.dir must not be empty")
    if not 1 <= config.media.max_image_mb <= 100:
        raise ConfigError("config media.max_image_mb must be between 1 and 100")
    if not 1 <= config.media.max_video_mb <= 4096:
        raise ConfigError("config media.max_video_mb must be between 1 and 4096")
    problem = secret_key_problem(config.security.secret_key)
    if problem:
        raise ConfigError(f"config {problem}")
    if config.security.registration not in REGISTRATION_MODES:
        raise ConfigError(
            "config security.registration must be one of " + ", ".join(REGISTRATION_MODES)
        )
    for domain in config.security.email_domains:
        if not is_valid_hostname(domain):
            raise ConfigError(f"config security.email_domains has an invalid domain {domain!r}")
    problem = limits_storage_problem(config.limits.storage_uri)
    if problem:
        raise ConfigError(f"config limits.storage_uri {problem}")
    if not 1 <= config.mail.port <= 65535:
        raise ConfigError("config mail.port must be between 1 and 65535")
