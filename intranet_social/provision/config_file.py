"""Writing a site's configuration file, with a freshly generated secret key."""

from __future__ import annotations

import dataclasses
import json
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

from intranet_social.config import Config, ConfigError, build_config
from intranet_social.provision.files import write_private_text


def generate_secret_key() -> str:
    return secrets.token_urlsafe(48)


@dataclass(frozen=True)
class NewConfig:
    """The values a new configuration file starts with; the defaults suit one machine."""

    site_name: str = "Intranet Social"
    hostnames: tuple[str, ...] = ()
    timezone: str = "UTC"
    listen: str = "127.0.0.1:8080"
    threads: int = 8
    trusted_proxies: int = 0
    ca_cert: str = ""
    database_url: str = "sqlite:///intranet-social.db"
    media_dir: str = "media"
    registration: str = "approval"
    limits_storage: str = "memory://"
    secret_key: str = dataclasses.field(default_factory=generate_secret_key, repr=False)


def _toml(value: str | int | tuple[str, ...] | list[str]) -> str:
    # JSON strings, numbers and arrays of strings are valid TOML as they are.
    return json.dumps(list(value) if isinstance(value, tuple | list) else value)


def render_config(values: NewConfig) -> str:
    """The text of a configuration file holding ``values``."""
    return f"""\
# Intranet Social configuration, written by `intranet-social install`.
# Keep this file private: it holds the key that signs everybody's session.
# Every key is explained in config/intranet-social.example.toml and can be overridden
# by an environment variable INTRANET_SOCIAL_<SECTION>_<KEY>.
# Relative paths are relative to the folder this file is in.

[site]
name = {_toml(values.site_name)}
hostnames = {_toml(values.hostnames)}
timezone = {_toml(values.timezone)}

[server]
listen = {_toml(values.listen)}
threads = {_toml(values.threads)}
trusted_proxies = {_toml(values.trusted_proxies)}
ca_cert = {_toml(values.ca_cert)}

[database]
url = {_toml(values.database_url)}

[media]
dir = {_toml(values.media_dir)}
max_image_mb = 15
max_video_mb = 200

[security]
secret_key = {_toml(values.secret_key)}
registration = {_toml(values.registration)}
email_domains = []

[limits]
storage_uri = {_toml(values.limits_storage)}
"""


def write_config_file(path: Path, values: NewConfig | None = None) -> Config:
    """Write a configuration file (mode 0600) after checking it loads; returns what it holds.

    An existing file at ``path`` is replaced; see :func:`ensure_config_file` to keep one.
    """
    text = render_config(values or NewConfig())
    try:
        config = build_config(tomllib.loads(text), {}, base_dir=path.resolve().parent)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the new configuration is not valid TOML: {exc}") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private_text(path, text)
    return config


def ensure_config_file(path: Path, values: NewConfig | None = None) -> bool:
    """Write a configuration file unless one exists; says whether it wrote one."""
    if path.exists():
        return False
    write_config_file(path, values)
    return True
