"""The services a site needs besides its own box: checked before the install writes anything."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from intranet_social.config import Config
from intranet_social.core import rate_limits
from intranet_social.core.database import database_uri
from intranet_social.core.errors import Invalid
from intranet_social.provision.processes import ProcessLayout


def check_database(config: Config) -> None:
    """Refuse a PostgreSQL database that cannot be reached."""
    url = make_url(database_uri(config))
    if url.get_backend_name() != "postgresql":
        return
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 10})
    except ImportError:
        raise Invalid(
            "PostgreSQL support is not installed; install intranet-social[postgres]",
            "--database",
        ) from None
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise Invalid(
            f"cannot reach the database {url.render_as_string()}: {reason}", "--database"
        ) from None
    finally:
        engine.dispose()


def check_limits_storage(config: Config, layout: ProcessLayout) -> None:
    """Several processes need Redis for their rate limits, and a configured Redis must answer.

    Each process would otherwise count sign-in attempts on its own, and an attacker could
    try as many passwords as there are processes times the limit.
    """
    if not rate_limits.uses_redis(config):
        if layout.several:
            raise Invalid(
                f"{len(layout.ports)} app processes would each keep their own sign-in limits "
                "in memory; share them through Redis with --limits-storage "
                "redis://HOST:6379 (or set [limits] storage_uri in the configuration)",
                "--processes",
            )
        return
    problem = rate_limits.redis_problem(config)
    if problem:
        raise Invalid(problem, "--limits-storage")
