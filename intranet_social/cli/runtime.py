"""What every command shares: the --config option, the site's app and transaction, and errors.

A command either succeeds (exit 0), fails on something the person can fix (exit 1 and one
``error: …`` line on stderr), or is called wrongly (exit 2, click's usage message). No
traceback reaches the terminal unless ``--debug`` asks for it.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import click
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from intranet_social import create_app
from intranet_social.config import Config, ConfigError, load_config, resolve_config_path
from intranet_social.core.errors import DomainError, Invalid
from intranet_social.extensions import db

F = TypeVar("F", bound=Callable[..., Any])
_CONFIG_KEY = "intranet_social.config"
_DEBUG_KEY = "intranet_social.debug"


class CliError(click.ClickException):
    """A failure the person can fix: one ``error: …`` line on stderr, exit status 1."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {one_line(self.message)}", err=True, file=file)


def one_line(text: str) -> str:
    """``text`` on a single line, starting in lower case the way command-line errors do."""
    text = " ".join(str(text).split())
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


def describe(error: DomainError) -> str:
    """A domain error as one sentence; input errors name the field at fault."""
    message = one_line(error.message)
    if isinstance(error, Invalid) and error.field:
        return f"{error.field}: {message}"
    return message


class SiteGroup(click.Group):
    """The top-level group: turns every expected failure into one readable line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except ConfigError as exc:
            raise CliError(str(exc)) from None
        except DomainError as exc:
            raise CliError(describe(exc)) from None
        except SQLAlchemyError as exc:
            _show_details(ctx)
            reason = getattr(exc, "orig", None) or exc
            raise CliError(
                f"the database failed: {reason} "
                "(a new or older database needs `intranet-social db upgrade`)"
            ) from None
        except Exception as exc:
            _show_details(ctx)
            raise CliError(
                f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)"
            ) from None


def _show_details(ctx: click.Context) -> None:
    if ctx.meta.get(_DEBUG_KEY):
        traceback.print_exc(file=sys.stderr)


def set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta[_DEBUG_KEY] = value
    return value


def _remember_config(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.meta[_CONFIG_KEY] = value


def config_option(command: F) -> F:
    """``--config PATH``; given on a command it wins over one given before the command."""
    return click.option(
        "--config",
        "config",
        metavar="PATH",
        expose_value=False,
        callback=_remember_config,
        help="Configuration file (default: $INTRANET_SOCIAL_CONFIG, else ./instance/config.toml).",
    )(command)


def config_path() -> Path:
    """The configuration file this command was told to use."""
    return resolve_config_path(click.get_current_context().meta.get(_CONFIG_KEY))


def given_config_path() -> str | None:
    """The ``--config`` value exactly as given, for hints that repeat it."""
    return click.get_current_context().meta.get(_CONFIG_KEY)


def load_site_config() -> Config:
    return load_config(config_path())


@contextmanager
def open_site(config: Config | None = None) -> Iterator[Flask]:
    """The site's app with an app context, and the command's one transaction.

    Commands call the services, which only flush; the block commits when it ends normally
    and rolls back when it raises, so a failing command leaves nothing. A command prints
    what it made (a one-time password, a token) after the block, once it is committed.
    The few commands that work in stages do so deliberately, each stage done before the
    next begins: ``install`` writes its files, then migrates (Alembic commits each step),
    then creates the admin in this transaction; ``backup`` and ``restore`` copy the data
    first and record their audit event in this transaction after.
    """
    app = create_app(config or load_site_config())
    with app.app_context():
        try:
            yield app
            db.session.commit()
        finally:
            db.session.rollback()  # nothing left after a commit; everything after an error
            db.session.remove()
            db.engine.dispose()


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def timestamp(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None
