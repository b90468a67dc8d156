"""``intranet-social serve``: run the site under waitress."""

from __future__ import annotations

import click
import waitress

from intranet_social import create_app
from intranet_social.cli.runtime import CliError, config_option, load_site_config, open_site
from intranet_social.config import parse_listen
from intranet_social.core.database import current_revision, head_revision
from intranet_social.core.memory import limit_malloc_arenas
from intranet_social.media.storage import sweep_abandoned_uploads


def _listen_address(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parse_listen(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r}: {exc}") from None
    return value


@click.command()
@config_option
@click.option(
    "--listen",
    metavar="HOST:PORT",
    callback=_listen_address,
    help="Address to listen on (default: [server] listen).",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 256),
    help="Worker threads (default: [server] threads).",
)
def serve(listen: str | None, threads: int | None) -> None:
    """Run the site under waitress until stopped."""
    config = load_site_config()
    host, port = parse_listen(listen or config.server.listen)
    with open_site(config) as site:
        revision = current_revision(site)
        if revision != head_revision():
            raise CliError(
                f"the database schema is at revision {revision or 'none'}, not the newest; "
                "run `intranet-social db upgrade` first"
            )
        swept = sweep_abandoned_uploads()
    if swept.journals:
        click.echo(
            f"Removed the files of {swept.removed_keys} uploads that a stopped process "
            f"left unfinished ({swept.journals} journals)."
        )
    app = create_app(config)
    limit_malloc_arenas()
    shown_host = f"[{host}]" if ":" in host else host
    click.echo(f"Serving {config.site.name} on http://{shown_host}:{port}/ (Ctrl+C to stop)")
    try:
        waitress.serve(
            app,
            host=host,
            port=port,
            threads=threads or config.server.threads,
            ident="intranet-social",
            # waitress drops X-Forwarded-* by default; behind a proxy the app needs them
            # (the client's address for rate limits, https for secure cookies), and its
            # ProxyFix trusts exactly [server] trusted_proxies hops of them.
            clear_untrusted_proxy_headers=config.server.trusted_proxies == 0,
        )
    except OSError as exc:
        raise CliError(f"cannot listen on {shown_host}:{port}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        click.echo("Stopped.")
