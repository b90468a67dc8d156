"""``intranet-social birthdays``: the daily birthday and work anniversary notices."""

from __future__ import annotations

from datetime import datetime

import click

from intranet_social.birthdays import anniversaries, service
from intranet_social.cli.runtime import config_option, open_site


@click.group("birthdays")
def birthdays_group() -> None:
    """Birthdays."""


@birthdays_group.command("notify")
@config_option
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day to record, YYYY-MM-DD (default: today in the site's time zone).",
)
def notify(day: datetime | None) -> None:
    """Record whose birthday or work anniversary is today, so their friends are told; run
    it daily from a timer.

    Running it again the same day adds only people who set their birthday or start date
    since."""
    with open_site():
        celebrated = day.date() if day is not None else service.local_today()
        added = service.record_birthday_notices(celebrated)
        work = anniversaries.record_anniversary_notices(celebrated)
    people = "person" if added == 1 else "people"
    click.echo(f"{celebrated:%Y-%m-%d}: birthday notices recorded for {added} more {people}.")
    people = "person" if work == 1 else "people"
    click.echo(
        f"{celebrated:%Y-%m-%d}: work anniversary notices recorded for {work} more {people}."
    )
