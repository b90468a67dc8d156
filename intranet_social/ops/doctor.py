"""``doctor``: check that a site is set up and safe to run, and say what to fix.

Every check reports passed, failed (the command exits non-zero), a warning, or skipped with
the reason. A check that cannot even run reports a failure; the doctor never crashes.
"""

from __future__ import annotations

import math
import os
import stat
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from shutil import disk_usage

from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from intranet_social import create_app
from intranet_social.accounts.models import Role, Status, User
from intranet_social.config import Config, ConfigError, load_config
from intranet_social.core import rate_limits
from intranet_social.core.database import current_revision, head_revision
from intranet_social.core.models import utcnow
from intranet_social.extensions import db
from intranet_social.ops.checks import Check
from intranet_social.ops.databases import SQLITE, database_kind, sqlite_path
from intranet_social.ops.network import check_hostnames, check_tls
from intranet_social.ops.restore import known_revisions

GIB = 1024**3
#: below these the media disk fails the check, and below the next ones it warns
FREE_FAIL_BYTES, FREE_FAIL_SHARE = 1 * GIB, 0.05
FREE_WARN_BYTES, FREE_WARN_SHARE = 5 * GIB, 0.10
MIN_SECRET_BITS = 128
ONE_TIME_PASSWORD_MAX_AGE = timedelta(days=7)
NAMES_SHOWN = 5


def _names(usernames: list[str]) -> str:
    shown = ", ".join(usernames[:NAMES_SHOWN])
    more = len(usernames) - NAMES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def check_secret(config: Config, config_file: Path) -> Check:
    """The secret key is long and varied, and the file holding it is not for everyone."""
    secret = config.security.secret_key
    bits = len(secret) * math.log2(max(len(set(secret)), 2))
    if bits < MIN_SECRET_BITS:
        return Check.failed(
            "secret key",
            f"security.secret_key holds about {bits:.0f} bits of randomness, under "
            f"{MIN_SECRET_BITS}; generate a long random one",
        )
    mode = stat.S_IMODE(config_file.stat().st_mode)
    if mode & stat.S_IRWXO:
        return Check.failed(
            "secret key",
            f"{config_file} can be read by everyone on this machine (mode {mode:04o}); "
            f"run chmod o-rwx {config_file}",
        )
    return Check.passed(
        "secret key", f"{len(secret)} characters, kept in a file others cannot read"
    )


def check_database(config: Config) -> tuple[Check, Flask | None]:
    """Reachable and at the newest schema; the app to look further, when it is."""
    if database_kind(config) == SQLITE and not sqlite_path(config).is_file():
        return Check.failed(
            "database",
            f"{sqlite_path(config)} does not exist; run `intranet-social install` or "
            "`intranet-social db upgrade`",
        ), None
    app = create_app(config)
    try:
        with app.app_context():
            db.session.execute(text("SELECT 1"))
            db.session.remove()
        revision = current_revision(app)
    except SQLAlchemyError as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        _close(app)
        return Check.failed("database", f"cannot be reached: {reason}"), None
    head = head_revision()
    if revision == head:
        return Check.passed("database", f"reachable, at the newest schema ({head})"), app
    _close(app)
    if revision is None:
        detail = "is empty; run `intranet-social db upgrade`"
    elif revision not in known_revisions():
        detail = f"is at revision {revision}, which this version does not know (a newer one?)"
    else:
        detail = f"is at revision {revision}, older than {head}; run `intranet-social db upgrade`"
    return Check.failed("database", detail), None


def _close(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def check_rate_limits(config: Config) -> Check:
    """A configured Redis answers; without it every process counts sign-in attempts alone."""
    if not rate_limits.uses_redis(config):
        return Check.passed("rate limits", "kept in the app process's memory (for one app process)")
    problem = rate_limits.redis_problem(config)
    if problem:
        return Check.failed(
            "rate limits",
            f"{problem}; until it does, each app process keeps its own limits",
        )
    where = rate_limits.shown_storage(config.limits.storage_uri)
    return Check.passed(
        "rate limits",
        f"shared through Redis at {where}, under keys {rate_limits.key_prefix(config)}:*",
    )


def check_media_folder(config: Config) -> Check:
    folder = config.media_path
    if not folder.is_dir():
        return Check.failed(
            "media folder", f"{folder} does not exist; run `intranet-social install`"
        )
    try:
        descriptor, probe = tempfile.mkstemp(dir=folder, prefix=".doctor-", suffix=".tmp")
        os.close(descriptor)
        os.unlink(probe)
    except OSError as exc:
        return Check.failed("media folder", f"{folder} cannot be written: {exc.strerror}")
    return Check.passed("media folder", f"{folder} is writable")


def check_free_space(config: Config) -> Check:
    folder = config.media_path
    while not folder.exists():
        folder = folder.parent
    usage = disk_usage(folder)
    share = usage.free / usage.total if usage.total else 0.0
    detail = f"{usage.free / GIB:.1f} GiB free ({share:.0%}) where {folder} is"
    if usage.free < FREE_FAIL_BYTES or share < FREE_FAIL_SHARE:
        return Check.failed("free space", f"only {detail}; make room for uploads and backups")
    if usage.free < FREE_WARN_BYTES or share < FREE_WARN_SHARE:
        return Check.warning("free space", f"only {detail}; it is running low")
    return Check.passed("free space", detail)


def check_admin_password() -> Check:
    admins = list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.ADMIN.value, User.status == Status.ACTIVE.value)
            .order_by(User.username)
        )
    )
    if not admins:
        return Check.failed(
            "admin password",
            "there is no active admin; run `intranet-social install` or "
            "`intranet-social user create NAME --admin ...`",
        )
    unchanged = [admin.username for admin in admins if admin.must_change_password]
    if unchanged:
        return Check.failed(
            "admin password",
            f"{_names(unchanged)} still {'has' if len(unchanged) == 1 else 'have'} the one-time "
            "password from the install; sign in and choose a new one",
        )
    return Check.passed("admin password", "every active admin has chosen their own password")


def check_one_time_passwords(now: datetime) -> Check:
    """One-time passwords are for the first sign-in, not for weeks (disabled accounts aside)."""
    stale = list(
        db.session.scalars(
            select(User.username)
            .where(
                User.must_change_password.is_(True),
                User.status != Status.DISABLED.value,
                User.password_set_at < now - ONE_TIME_PASSWORD_MAX_AGE,
            )
            .order_by(User.username)
        )
    )
    if stale:
        return Check.failed(
            "one-time passwords",
            f"{_names(stale)} {'has' if len(stale) == 1 else 'have'} had a one-time password "
            f"for over {ONE_TIME_PASSWORD_MAX_AGE.days} days; give a new one with "
            "`intranet-social user reset-password NAME`, or disable the account",
        )
    return Check.passed(
        "one-time passwords",
        f"none older than {ONE_TIME_PASSWORD_MAX_AGE.days} days",
    )


def _could_not_run(name: str, error: Exception) -> Check:
    return Check.failed(name, f"the check could not run: {type(error).__name__}: {error}")


def _guarded(name: str, check: Callable[[], Check]) -> Check:
    try:
        return check()
    except Exception as exc:
        return _could_not_run(name, exc)


def _hostname_checks(config: Config) -> list[Check]:
    try:
        return check_hostnames(config)
    except Exception as exc:
        return [_could_not_run("hostnames", exc)]


def run_doctor(config_file: Path, certificate: Path | None = None) -> list[Check]:
    """Every check, in the order a person would fix things."""
    try:
        config = load_config(config_file)
    except ConfigError as exc:
        return [
            Check.failed("config", str(exc)),
            Check.skipped("other checks", "they need a configuration that loads"),
        ]
    now = utcnow()
    checks = [
        Check.passed("config", f"{config_file} loads"),
        _guarded("secret key", lambda: check_secret(config, config_file)),
    ]
    try:
        database, app = check_database(config)
    except Exception as exc:
        database, app = _could_not_run("database", exc), None
    checks += [
        database,
        _guarded("rate limits", lambda: check_rate_limits(config)),
        _guarded("media folder", lambda: check_media_folder(config)),
        _guarded("free space", lambda: check_free_space(config)),
        *_hostname_checks(config),
        _guarded("tls certificate", lambda: check_tls(config, certificate, now)),
    ]
    if app is None:
        reason = "they need a database at the newest schema"
        checks += [Check.skipped(name, reason) for name in ("admin password", "one-time passwords")]
        return checks
    with app.app_context():
        checks += [
            _guarded("admin password", check_admin_password),
            _guarded("one-time passwords", lambda: check_one_time_passwords(now)),
        ]
    _close(app)
    return checks
