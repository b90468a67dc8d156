"""``intranet-social birthdays notify``: the daily timer's command."""

from __future__ import annotations

from intranet_social.accounts.models import Status
from tests.birthdays.conftest import notices
from tests.cli.conftest import assert_usage_error


def test_notify_records_todays_birthdays_once(cli, clock, person):
    person("ian", "03-14")
    person("una", "03-14")
    person("gone", "03-14", status=Status.DISABLED)
    person("later", "03-15")

    first = cli("birthdays", "notify")
    assert first.exit_code == 0, first.output
    assert first.output == (
        "2025-03-14: birthday notices recorded for 2 more people.\n"
        "2025-03-14: work anniversary notices recorded for 0 more people.\n"
    )
    again = cli("birthdays", "notify")
    assert again.output.startswith("2025-03-14: birthday notices recorded for 0 more people.\n")
    assert notices() == [("ian", "2025-03-14"), ("una", "2025-03-14")]


def test_notify_catches_up_on_a_missed_day(cli, clock, person):
    person("leap", "02-29")
    result = cli("birthdays", "notify", "--date", "2025-02-28")
    assert result.output.startswith("2025-02-28: birthday notices recorded for 1 more person.\n")
    assert notices() == [("leap", "2025-02-28")]


def test_notify_refuses_a_date_that_is_not_one(cli, clock, person):
    person("ian", "03-14")
    assert_usage_error(cli("birthdays", "notify", "--date", "14/03/2025"), "--date")
    assert notices() == []
