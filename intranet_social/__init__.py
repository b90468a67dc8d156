"""Intranet Social: a self-hosted social network for one organisation."""

from __future__ import annotations

import importlib
import os

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from intranet_social.accounts import auth
from intranet_social.accounts.views import bp as accounts_bp
from intranet_social.admin.views import bp as admin_bp
from intranet_social.api import account as account_api
from intranet_social.api import admin as admin_api
from intranet_social.api import api_blueprint, openapi
from intranet_social.birthdays import api as birthdays_api
from intranet_social.birthdays.views import bp as birthdays_bp
from intranet_social.config import Config, load_config
from intranet_social.core import assets, error_pages, security, topbar, transaction
from intranet_social.core.about import MIGRATIONS_DIR, VERSION
from intranet_social.core.ca_certificate import bp as tls_bp
from intranet_social.core.database import database_uri
from intranet_social.core.health import bp as health_bp
from intranet_social.core.models import MAX_ID
from intranet_social.core.rate_limits import limiter_settings
from intranet_social.core.settings import largest_request
from intranet_social.extensions import csrf, db, limiter, migrate
from intranet_social.feed import api as feed_api
from intranet_social.feed.views import bp as feed_bp
from intranet_social.friends import api as friends_api
from intranet_social.friends.views import bp as friends_bp
from intranet_social.media import listeners as media_listeners
from intranet_social.messaging import api as messaging_api
from intranet_social.messaging import listeners as messaging_listeners
from intranet_social.messaging.views import bp as messaging_bp
from intranet_social.notifications import api as notifications_api
from intranet_social.notifications import listeners as notifications_listeners
from intranet_social.notifications.views import bp as notifications_bp
from intranet_social.org import api as org_api
from intranet_social.org.views import bp as org_bp
from intranet_social.posts import api as posts_api
from intranet_social.posts import listeners as posts_listeners
from intranet_social.posts.views import bp as posts_bp
from intranet_social.profiles import api as profiles_api
from intranet_social.profiles.views import bp as profiles_bp
from intranet_social.search import api as search_api
from intranet_social.search.views import bp as search_bp
from intranet_social.site_settings.service import settings_for_pages
from intranet_social.spaces import api as spaces_api
from intranet_social.spaces import listeners as spaces_listeners
from intranet_social.spaces.views import bp as spaces_bp

__version__ = VERSION

#: prepared statements kept per SQLite connection (Python's default, 128, lets large feed
#: statements hold tens of megabytes on every pooled connection)
SQLITE_CACHED_STATEMENTS = 32


def engine_options(config: Config) -> dict[str, object]:
    if make_url(config.database.url).drivername.startswith("sqlite"):
        # a connection to a file never goes stale, so no "SELECT 1" before each request
        return {"connect_args": {"cached_statements": SQLITE_CACHED_STATEMENTS}}
    return {"pool_pre_ping": True}


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        # WAL lets readers go on while one writes; the busy timeout makes writers wait
        # for each other instead of failing; foreign keys cascade deletes.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _numbers_up_to(limit: int) -> str:
    """A regular expression matching the whole numbers from 1 to ``limit``, as written."""
    digits = str(limit)
    options = [rf"[1-9]\d{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for at, digit in enumerate(digits):
        lowest = 1 if at == 0 else 0
        if int(digit) > lowest:
            rest = len(digits) - at - 1
            options.append(f"{digits[:at]}[{lowest}-{int(digit) - 1}]" + rf"\d{{{rest}}}")
    options.append(digits)
    return "(?:" + "|".join(options) + ")"


class IdConverter(IntegerConverter):
    """``<int:...>`` in a route: a number from 1 to the largest id, so any other is a 404
    instead of a database error. The address itself must not match: a number refused only
    after matching would make a route of another method answer 405."""

    regex = _numbers_up_to(MAX_ID)

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int = MAX_ID,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def create_app(
    config: Config | None = None,
    config_path: str | os.PathLike[str] | None = None,
    **overrides: object,
) -> Flask:
    """Build the application from a :class:`Config` (read from ``config_path`` when not given)."""
    if config is None:
        config = load_config(config_path)
    app = Flask(__name__)
    app.url_map.converters["int"] = IdConverter
    # a small number that is not an id (a palette position, which may be 0)
    app.url_map.converters["index"] = IntegerConverter
    app.config.update(
        SOCIAL_CONFIG=config,
        SECRET_KEY=config.security.secret_key,
        SQLALCHEMY_DATABASE_URI=database_uri(config),
        SQLALCHEMY_ENGINE_OPTIONS=engine_options(config),
        SESSION_COOKIE_NAME="intranet_social_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=14 * 24 * 3600,
        SESSION_REFRESH_EACH_REQUEST=False,  # accounts/auth.py re-issues it every few minutes
        MAX_CONTENT_LENGTH=largest_request(config),
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=True,
        SEND_FILE_MAX_AGE_DEFAULT=None,
        JSON_SORT_KEYS=False,
    )
    app.config.update(limiter_settings(config))
    app.config.update(overrides)

    if config.server.trusted_proxies:
        hops = config.server.trusted_proxies
        # Flask's documented way in for WSGI middleware, though typed as a method
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )

    # first, so that its commit runs after every other hook has shaped the answer
    transaction.init_app(app)
    _init_extensions(app)
    _register_blueprints(app)
    for listeners in LISTENERS:
        listeners.connect()

    security.init_app(app)
    assets.init_app(app)
    error_pages.init_app(app)
    topbar.init_app(app)

    @app.context_processor
    def _template_globals() -> dict[str, object]:
        settings = settings_for_pages()
        return {
            "site_name": settings["site_name"],
            "registration_open": settings["registration"] != "closed",
        }

    return app


#: the features that act on other features' events (core/events.py)
LISTENERS = (
    media_listeners,
    messaging_listeners,
    notifications_listeners,
    posts_listeners,
    spaces_listeners,
)

MODEL_MODULES = (
    "intranet_social.accounts.models",
    "intranet_social.audit.models",
    "intranet_social.friends.models",
    "intranet_social.spaces.models",
    "intranet_social.posts.models",
    "intranet_social.birthdays.models",
    "intranet_social.messaging.models",
    "intranet_social.notifications.models",
    "intranet_social.admin.models",
    "intranet_social.site_settings.models",
)


def _import_models() -> None:
    """Every table must be known to the metadata before migrations compare or run."""
    for module in MODEL_MODULES:
        importlib.import_module(module)


def _init_extensions(app: Flask) -> None:
    _import_models()
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    auth.init_app(app)


#: the HTML blueprints, in the order their routes are matched
PAGES = (
    health_bp,
    accounts_bp,
    feed_bp,
    posts_bp,
    profiles_bp,
    friends_bp,
    spaces_bp,
    birthdays_bp,
    org_bp,
    messaging_bp,
    notifications_bp,
    search_bp,
    admin_bp,
    tls_bp,
)


def _register_blueprints(app: Flask) -> None:
    for blueprint in PAGES:
        app.register_blueprint(blueprint)
    app.register_blueprint(
        api_blueprint(
            account_api.bp,
            admin_api.bp,
            openapi.bp,
            birthdays_api.bp,
            feed_api.bp,
            friends_api.bp,
            messaging_api.bp,
            notifications_api.bp,
            org_api.bp,
            posts_api.bp,
            profiles_api.bp,
            search_api.bp,
            spaces_api.bp,
        )
    )
