"""Site settings that admins change at run time; they override the config file's values.

A key without a :class:`SiteSetting` row takes its value from the configuration file, so a
fresh site behaves exactly as configured. Values are checked like the config file checks them,
and every change is audited with the old and the new value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import has_request_context, request
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from intranet_social.audit import service as audit
from intranet_social.config import REGISTRATION_MODES, Config, is_valid_hostname
from intranet_social.core.errors import Forbidden, Invalid
from intranet_social.core.models import Actor, utcnow
from intranet_social.core.reads import Packed
from intranet_social.core.settings import current_config
from intranet_social.extensions import db
from intranet_social.site_settings.models import SiteSetting

MESSAGING_MODES = ("friends", "everyone")
AUDIENCES = ("friends", "everyone")
SPACE_CREATION = ("everyone", "admins")


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    default: Callable[[Config], Any]
    clean: Callable[[Any], Any]


def _clean_site_name(value: Any) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise Invalid("Give the site a name.", "site_name")
    if len(text) > 100:
        raise Invalid("The site name can be at most 100 characters.", "site_name")
    return text


def _choice(key: str, choices: tuple[str, ...]) -> Callable[[Any], str]:
    def clean(value: Any) -> str:
        text = str(value or "").strip().lower()
        if text not in choices:
            raise Invalid(f"Choose one of: {', '.join(choices)}.", key)
        return text

    return clean


def _clean_domains(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list | tuple):
        raise Invalid("Give the e-mail domains as a list.", "email_domains")
    domains: list[str] = []
    for item in value:
        domain = str(item).strip().lower().lstrip("@")
        if not domain:
            continue
        if not is_valid_hostname(domain) or "." not in domain:
            raise Invalid(f"{domain!r} is not an e-mail domain like corp.example.", "email_domains")
        if domain not in domains:
            domains.append(domain)
    return domains


def _megabytes(key: str, highest: int) -> Callable[[Any], int]:
    def clean(value: Any) -> int:
        try:
            number = int(str(value).strip())
        except ValueError:
            raise Invalid("Give a whole number of megabytes.", key) from None
        if not 1 <= number <= highest:
            raise Invalid(f"Give a number of megabytes between 1 and {highest}.", key)
        return number

    return clean


SETTINGS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec("site_name", "Site name", lambda c: c.site.name, _clean_site_name),
        SettingSpec(
            "registration",
            "Registration mode",
            lambda c: c.security.registration,
            _choice("registration", REGISTRATION_MODES),
        ),
        SettingSpec(
            "email_domains",
            "Allowed e-mail domains",
            lambda c: list(c.security.email_domains),
            _clean_domains,
        ),
        SettingSpec(
            "messaging",
            "Who may message whom",
            lambda c: "friends",
            _choice("messaging", MESSAGING_MODES),
        ),
        SettingSpec(
            "default_audience",
            "Default post audience",
            lambda c: "friends",
            _choice("default_audience", AUDIENCES),
        ),
        SettingSpec(
            "space_creation",
            "Who may create spaces",
            lambda c: "everyone",
            _choice("space_creation", SPACE_CREATION),
        ),
        SettingSpec(
            "max_image_mb",
            "Largest image (MB)",
            lambda c: c.media.max_image_mb,
            _megabytes("max_image_mb", 100),
        ),
        SettingSpec(
            "max_video_mb",
            "Largest video (MB)",
            lambda c: c.media.max_video_mb,
            _megabytes("max_video_mb", 4096),
        ),
    )
}


def _spec(key: str) -> SettingSpec:
    spec = SETTINGS.get(key)
    if spec is None:
        raise Invalid(f"There is no setting {key!r}; known: {', '.join(SETTINGS)}.", "key")
    return spec


#: where a request keeps the settings it read: a page asks several (its forms' defaults,
#: the top bar), and one query for all costs what one for each would
_READ_KEY = "intranet_social.settings"


def _read_settings() -> dict[str, Any]:
    if not has_request_context():
        return all_settings()
    read = request.environ.get(_READ_KEY)
    if read is None:
        read = request.environ[_READ_KEY] = all_settings()
    return read


def get_setting(key: str) -> Any:
    """The value in effect: the database's if an admin changed it, else the config file's."""
    _spec(key)
    return _read_settings()[key]


#: built once: every page reads the settings
_STORED = Packed(select(SiteSetting.key, SiteSetting.value), unordered=True)


def all_settings() -> dict[str, Any]:
    """Every setting with the value in effect, in the order of :data:`SETTINGS`."""
    rows = {key: value for key, value in _STORED.rows()}
    config = current_config()
    return {
        key: rows[key] if key in rows else spec.default(config) for key, spec in SETTINGS.items()
    }


def settings_for_pages() -> dict[str, Any]:
    """:func:`all_settings`, or the config file's values while the database cannot answer
    (so an error page still renders)."""
    try:
        return dict(_read_settings())
    except SQLAlchemyError:
        config = current_config()
        return {key: spec.default(config) for key, spec in SETTINGS.items()}


def set_setting(
    key: str, value: Any, *, actor: Actor | None = None, actor_name: str | None = None
) -> Any:
    """Check and store one setting; admins only (``actor`` None means the command line)."""
    if actor is not None and not actor.is_admin:
        raise Forbidden("Only admins can change site settings.")
    spec = _spec(key)
    new = spec.clean(value)
    old = get_setting(key)
    if new == old:
        return new
    row = db.session.get(SiteSetting, key)
    if row is None:
        row = SiteSetting(key=key)
        db.session.add(row)
    row.value = new
    row.updated_at = utcnow()
    row.updated_by_id = actor.id if actor is not None else None
    audit.record(
        "settings.change", actor=actor, actor_name=actor_name, target=key, old=old, new=new
    )
    db.session.flush()
    if has_request_context():
        request.environ.pop(_READ_KEY, None)
    return new


def update_settings(
    values: dict[str, Any], *, actor: Actor | None = None, actor_name: str | None = None
) -> dict[str, Any]:
    """Change several settings at once; a bad value stops them all (the caller rolls back)."""
    return {
        key: set_setting(key, value, actor=actor, actor_name=actor_name)
        for key, value in values.items()
    }
