"""``scripts/bench``: measure the real server on a seeded database.

It starts ``intranet-social serve`` (waitress) on a free loopback port. Several members sign
in through the login form, each makes an API token on the account page and follows the
feed's "Load more" links to its tenth page, as a browser would. Then every scenario is loaded
with concurrent keep-alive connections, each connection acting for one of those people; the
scenarios take turns in short rounds so noise from other programs on a shared machine falls
on all of them alike. The output is a table and, as the last line, one JSON object (see
:func:`~intranet_social.devtools.report.summary`); the exit status is 1 when any request failed.

Adding a scenario is one entry in :data:`SCENARIOS`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import click

from intranet_social.cli.runtime import CliError
from intranet_social.config import ConfigError
from intranet_social.devtools.load import Connection, LoadResult, run_load
from intranet_social.devtools.report import summary, table
from intranet_social.devtools.server import BenchError, Server, bench_site
from intranet_social.devtools.visitor import FEED_PAGES, Visitor


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    path: Callable[[Visitor], str]
    auth: Literal["none", "session", "token"]

    def request(self, visitor: Visitor) -> tuple[str, dict[str, str]]:
        headers = {"none": {}, "session": visitor.session, "token": visitor.token}[self.auth]
        return self.path(visitor), headers


#: a word in about one seeded post in eight: many matches, most of them hidden from a reader
SEARCH_PATH = "/search?q=coffee&type=posts"

SCENARIOS: tuple[Scenario, ...] = (
    Scenario("baseline", "health check", lambda v: "/healthz", "none"),
    Scenario("feed", "feed, first page", lambda v: "/", "session"),
    Scenario("feed_page10", "feed, tenth page", lambda v: v.feed_page10, "session"),
    Scenario("space", "the busiest of one's spaces", lambda v: f"/s/{v.space}", "session"),
    Scenario("profile", "a friend's profile page", lambda v: f"/u/{v.profile}", "session"),
    Scenario("api_feed", "API feed", lambda v: "/api/v1/feed", "token"),
    Scenario("search", "posts with a common word", lambda v: SEARCH_PATH, "session"),
    Scenario("messages_poll", "messages poll, nothing new", lambda v: v.messages_poll, "token"),
)


@dataclass(frozen=True)
class Load:
    concurrency: int
    duration: float
    rounds: int
    warmup: float
    max_requests: int


def note(message: str) -> None:
    click.echo(message, err=True)


def set_up(server: Server, visitors: list[Visitor], password: str) -> None:
    connection = Connection(server.port, server.host)
    try:
        for visitor in visitors:
            visitor.set_up(connection, password)
    finally:
        connection.close()
    names = ", ".join(visitor.username for visitor in visitors)
    note(f"Signed in as {len(visitors)} {'person' if len(visitors) == 1 else 'people'}: {names}.")
    pages = min(visitor.feed_pages_found for visitor in visitors)
    if pages < FEED_PAGES:
        note(f"Someone's feed has only {pages} page(s); feed_page10 loads their last.")


def measure_all(
    server: Server, scenarios: list[Scenario], visitors: list[Visitor], load: Load
) -> dict[str, LoadResult]:
    """Every scenario in turn, ``load.rounds`` times over."""
    results = {scenario.name: LoadResult() for scenario in scenarios}
    if load.warmup:
        note(f"Warming up each scenario for {load.warmup:g}s...")
        for scenario in scenarios:
            _load(server, scenario, visitors, load, load.warmup)
    for number in range(1, load.rounds + 1):
        note(f"Round {number} of {load.rounds}: {load.duration / load.rounds:g}s per scenario...")
        for scenario in scenarios:
            cpu_before = server.cpu_seconds()
            part = _load(server, scenario, visitors, load, load.duration / load.rounds)
            part.server_cpu_seconds = server.cpu_seconds() - cpu_before
            results[scenario.name].add(part)
    for scenario in scenarios:
        result = results[scenario.name]
        if result.first_error:
            note(f"{scenario.name}: {result.errors} failed; the first: {result.first_error}")
    return results


def _load(
    server: Server, scenario: Scenario, visitors: list[Visitor], load: Load, seconds: float
) -> LoadResult:
    return run_load(
        server.port,
        server.host,
        [scenario.request(visitor) for visitor in visitors],
        concurrency=load.concurrency,
        duration=seconds,
        max_requests=max(1, load.max_requests // load.rounds),
    )


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The site's configuration file (its database is measured).")  # fmt: skip
@click.option("--database", "database_url", metavar="URL",
              help="Measure this database with a throw-away configuration instead.")  # fmt: skip
@click.option("--password", required=True, help="The password given to scripts/seed.")
@click.option("--people", type=click.IntRange(1, 16), default=8, show_default=True,
              help="How many members sign in; the connections share them out.")  # fmt: skip
@click.option("--username", "usernames", multiple=True,
              help="Sign in as this member instead (repeatable).")  # fmt: skip
@click.option("--profile", help="Whose profile page to open (default: each one's first friend).")
@click.option("--duration", type=click.FloatRange(0.1, 600), default=10, show_default=True,
              help="Seconds of measured load per scenario.")  # fmt: skip
@click.option("--rounds", type=click.IntRange(1, 100), default=5, show_default=True,
              help="Slices each scenario's time is cut into, taking turns.")  # fmt: skip
@click.option("--warmup", type=click.FloatRange(0, 60), default=1, show_default=True,
              help="Seconds of unmeasured load before each scenario.")  # fmt: skip
@click.option("--concurrency", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Concurrent connections.")  # fmt: skip
@click.option("--threads", type=click.IntRange(1, 256), default=8, show_default=True,
              help="The server's worker threads.")  # fmt: skip
@click.option("--max-requests", type=click.IntRange(1, 10_000_000), default=200_000,
              show_default=True, help="Most measured requests per scenario.")  # fmt: skip
@click.option("--scenario", "chosen", multiple=True,
              type=click.Choice([scenario.name for scenario in SCENARIOS]),
              help="Run only these scenarios (repeatable; default: all).")  # fmt: skip
def main(
    config_path: Path | None,
    database_url: str | None,
    password: str,
    people: int,
    usernames: tuple[str, ...],
    profile: str | None,
    duration: float,
    rounds: int,
    warmup: float,
    concurrency: int,
    threads: int,
    max_requests: int,
    chosen: tuple[str, ...],
) -> None:
    """Start the real server on a seeded database and measure its pages under load."""
    load = Load(concurrency, duration, rounds, warmup, max_requests)
    scenarios = [s for s in SCENARIOS if not chosen or s.name in chosen]
    load_before = os.getloadavg()[0]
    try:
        with bench_site(config_path, database_url) as site:
            facts = site.facts(list(usernames), people, profile)
            visitors = [Visitor(p.username, p.profile, p.space) for p in facts.people]
            if any(visitor.space is None for visitor in visitors) and any(
                scenario.name == "space" for scenario in scenarios
            ):
                note("Someone signing in is in no space: the space scenario is left out.")
                scenarios = [scenario for scenario in scenarios if scenario.name != "space"]
            with Server(site, threads) as server:
                set_up(server, visitors, password)
                results = measure_all(server, scenarios, visitors, load)
                rss_mb, rss_end_mb = server.memory_mb("VmHWM"), server.memory_mb("VmRSS")
                if any(result.server_failed for result in results.values()):
                    note(f"The server's log ends with:\n{server.log_tail()}")
    except (BenchError, ConfigError) as exc:
        raise CliError(str(exc)) from None
    extra = {
        "rss_end_mb": round(rss_end_mb, 1),
        "users": facts.users,
        "people": len(visitors),
        # how the people measured stand: the targets are set for 100 friends and 20 spaces
        "friends_each": _spread([person.friends for person in facts.people]),
        "spaces_each": _spread([person.spaces for person in facts.people]),
        "concurrency": concurrency,
        "duration_s": duration,
        "rounds": rounds,
        "server_threads": threads,
        "loadavg_start": round(load_before, 2),
        "loadavg_end": round(os.getloadavg()[0], 2),
    }
    line = summary(facts.posts, results, rss_mb, extra)
    rows = [(s.name, s.request(visitors[0])[0], results[s.name]) for s in scenarios]
    click.echo(table(rows))
    click.echo(json.dumps(line))
    if line["errors"]:
        sys.exit(1)


def _spread(values: list[int]) -> str:
    """``"100"`` when all are 100, else ``"96-104"``."""
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low}-{high}"


def run() -> None:
    """Entry point for ``scripts/bench``."""
    main(prog_name=Path(sys.argv[0]).name)
