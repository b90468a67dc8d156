"""Where rate-limit counters live: each process's memory, or one Redis shared by all processes.

With Redis every app process of a site counts sign-in attempts and API calls together. The
keys of a site start with a prefix of its own (its canonical host name), so several sites can
share one Redis without sharing counters. When Redis stops answering, each process keeps
counting in its own memory until Redis is back: the limits still hold, per process, and no
request fails because of it (account lock-outs are in the database and always shared).
"""

from __future__ import annotations

import importlib.util
from urllib.parse import urlsplit, urlunsplit

from intranet_social.config import Config, ConfigError

MEMORY = "memory://"
#: seconds to wait for Redis to connect or answer before a request goes on without it
REDIS_TIMEOUT = 2.0
#: every key of every site starts with this
KEY_PREFIX = "intranet-social"


def uses_redis(config: Config) -> bool:
    return config.limits.storage_uri != MEMORY


def key_prefix(config: Config) -> str:
    """The start of this site's keys in Redis: the same for every process of the site.

    The canonical host name tells sites apart; a site without one (the local install) is
    ``local``.
    """
    hostnames = config.site.hostnames
    return f"{KEY_PREFIX}:{hostnames[0] if hostnames else 'local'}"


def shown_storage(uri: str) -> str:
    """The storage URI without its password, for messages and logs."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    netloc = f"{parts.username or ''}:***@{parts.netloc.rpartition('@')[2]}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def limiter_settings(config: Config) -> dict[str, object]:
    """Flask-Limiter's settings for ``config``; raises ConfigError when Redis support is missing."""
    if uses_redis(config) and importlib.util.find_spec("redis") is None:
        raise ConfigError(
            "config limits.storage_uri names Redis, but Redis support is not installed; "
            "install intranet-social[redis]"
        )
    return {
        "RATELIMIT_STORAGE_URI": config.limits.storage_uri,
        # Every app of the process passes every option, so one app's never leaks into the next.
        "RATELIMIT_STORAGE_OPTIONS": {
            "key_prefix": key_prefix(config),
            "socket_connect_timeout": REDIS_TIMEOUT,
            "socket_timeout": REDIS_TIMEOUT,
        },
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
    }


def redis_problem(config: Config) -> str | None:
    """Why the configured Redis cannot keep the limits (it does not answer), or ``None``."""
    if importlib.util.find_spec("redis") is None:
        return "Redis support is not installed; install intranet-social[redis]"
    import redis

    client = redis.Redis.from_url(
        config.limits.storage_uri,
        socket_connect_timeout=REDIS_TIMEOUT,
        socket_timeout=REDIS_TIMEOUT,
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        return f"cannot reach Redis at {shown_storage(config.limits.storage_uri)}: {exc}"
    finally:
        client.close()
    return None
