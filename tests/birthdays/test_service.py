"""Who celebrates when: the site's time zone, 29 February, the 30-day window, friends and
everyone, and the daily notices."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from intranet_social.accounts.models import Status
from intranet_social.birthdays import service
from intranet_social.core.errors import Invalid
from intranet_social.extensions import db
from tests.birthdays.conftest import notices


@pytest.fixture(autouse=True)
def _request(app):  # type: ignore[no-untyped-def]
    """Cards carry avatar URLs, which are built in a request."""
    with app.test_request_context():
        yield


def names(cards):  # type: ignore[no-untyped-def]
    return [card.person.username for card in cards]


# ---------------------------------------------------------------- the site's time zone


def test_today_is_the_date_in_utc_on_a_utc_site(app, clock):
    assert service.local_today() == date(2025, 3, 14)


class TestInAuckland:
    @pytest.fixture
    def site_settings(self):
        return {"site": {"timezone": "Pacific/Auckland"}}

    def test_today_is_the_date_in_auckland(self, app, clock):
        assert service.local_today() == date(2025, 3, 15)

    def test_a_birthday_already_today_in_auckland_but_not_in_utc_is_today(self, viewer, person):
        person("ian", "03-15", friend_of=viewer)
        person("una", "03-14", friend_of=viewer)

        assert names(service.todays_birthdays(viewer)) == ["ian"]
        cards = service.upcoming_birthdays(viewer).cards
        assert [(c.person.username, c.is_today, c.days_until) for c in cards] == [
            ("ian", True, 0)
        ], "una's birthday was yesterday in Auckland"

    def test_the_day_turns_at_local_midnight(self, viewer, person, clock):
        person("ian", "03-15", friend_of=viewer)
        clock(datetime(2025, 3, 14, 10, 59, tzinfo=UTC))  # 23:59 on the 14th in Auckland
        assert service.todays_birthdays(viewer) == []
        clock(datetime(2025, 3, 14, 11, 0, tzinfo=UTC))  # midnight
        assert names(service.todays_birthdays(viewer)) == ["ian"]


def test_in_utc_the_same_moment_is_still_the_day_before(viewer, person):
    person("ian", "03-15", friend_of=viewer)
    person("una", "03-14", friend_of=viewer)
    assert names(service.todays_birthdays(viewer)) == ["una"]


# ---------------------------------------------------------------- 29 February


@pytest.mark.parametrize(
    ("today", "celebrates"),
    [
        (date(2025, 2, 28), True),  # no 29th in 2025: celebrated on the 28th
        (date(2025, 3, 1), False),
        (date(2024, 2, 28), False),  # a leap year: the 29th itself
        (date(2024, 2, 29), True),
    ],
)
def test_a_29_february_birthday_is_celebrated_on_the_28th_in_other_years(
    viewer, person, today, celebrates
):
    person("leap", "02-29", friend_of=viewer)
    cards = service.todays_birthdays(viewer, today=today)
    assert names(cards) == (["leap"] if celebrates else [])
    if celebrates:
        assert cards[0].date == "02-29"
        assert cards[0].is_today


def test_in_a_leap_year_the_29th_comes_the_day_after_the_28th(viewer, person):
    person("leap", "02-29", friend_of=viewer)
    person("eve", "02-28", friend_of=viewer)
    cards = service.upcoming_birthdays(viewer, today=date(2024, 2, 28)).cards
    assert [(c.person.username, c.days_until) for c in cards] == [("eve", 0), ("leap", 1)]


def test_in_other_years_29_february_and_28_february_share_the_day_by_name(viewer, person):
    person("zoe", "02-28", friend_of=viewer, name="Zoe Last")
    person("amy", "02-29", friend_of=viewer, name="Amy First")
    cards = service.upcoming_birthdays(viewer, today=date(2025, 2, 20)).cards
    assert [(c.person.username, c.days_until, c.date) for c in cards] == [
        ("amy", 8, "02-29"),
        ("zoe", 8, "02-28"),
    ]


# ---------------------------------------------------------------- the window


def test_the_next_30_days_run_across_the_new_year_in_date_order(viewer, person):
    for username, birthday in [
        ("dec19", "12-19"),  # yesterday: next year's is outside the window
        ("jan05", "01-05"),
        ("dec25", "12-25"),
        ("jan18", "01-18"),  # the 30th day, the last in the window
        ("jan19", "01-19"),  # the 31st day
        ("dec20", "12-20"),
    ]:
        person(username, birthday, friend_of=viewer)
    cards = service.upcoming_birthdays(viewer, today=date(2025, 12, 20)).cards
    assert [(c.person.username, c.days_until) for c in cards] == [
        ("dec20", 0),
        ("dec25", 5),
        ("jan05", 16),
        ("jan18", 29),
    ]
    assert cards[2].celebrated_on == date(2026, 1, 5)
    assert [c.day_text for c in cards[:2]] == ["Today", "Thursday 25 December"]


def test_people_sharing_a_day_come_by_name(viewer, person):
    person("bea", "03-20", friend_of=viewer, name="Bea Zed")
    person("zed", "03-20", friend_of=viewer, name="al Young")
    person("cyd", "03-16", friend_of=viewer, name="Cy Young")
    assert names(service.upcoming_birthdays(viewer).cards) == ["cyd", "zed", "bea"]


@pytest.mark.parametrize("days", [0, 61, -1, True, "30"])
def test_the_window_is_1_to_60_days(viewer, days):
    with pytest.raises(Invalid) as caught:
        service.upcoming_birthdays(viewer, days=days)
    assert caught.value.field == "days"


def test_a_one_day_window_is_today(viewer, person):
    person("ian", "03-14", friend_of=viewer)
    person("una", "03-15", friend_of=viewer)
    assert names(service.upcoming_birthdays(viewer, days=1).cards) == ["ian"]


# ---------------------------------------------------------------- friends and everyone


def test_friends_list_holds_only_friends_and_everyone_list_all_active_colleagues(
    viewer, person, make_user
):
    person("pal", "03-16", friend_of=viewer)
    person("colleague", "03-17")
    person("gone", "03-18", status=Status.DISABLED)
    person("nobirthday", None, friend_of=viewer)
    viewer.birthday_month, viewer.birthday_day = 3, 15
    db.session.commit()

    assert names(service.upcoming_birthdays(viewer).cards) == ["pal"]
    everyone = service.upcoming_birthdays(viewer, who="everyone").cards
    assert [(c.person.username, c.can_greet) for c in everyone] == [
        ("pal", True),
        ("colleague", False),
    ]


def test_the_viewer_is_not_in_their_own_birthday_lists(viewer, person):
    viewer.birthday_month, viewer.birthday_day = 3, 14
    db.session.commit()
    assert service.todays_birthdays(viewer) == []
    assert service.upcoming_birthdays(viewer, who="everyone").cards == []


def test_the_everyone_list_is_cut_at_its_limit_and_says_so(viewer, person, monkeypatch):
    monkeypatch.setattr(service, "EVERYONE_LIMIT", 2)
    for number, birthday in enumerate(["03-20", "03-14", "03-16"]):
        person(f"pal{number}", birthday)
    upcoming = service.upcoming_birthdays(viewer, who="everyone")
    assert names(upcoming.cards) == ["pal1", "pal2"]
    assert upcoming.truncated
    monkeypatch.setattr(service, "EVERYONE_LIMIT", 3)
    assert not service.upcoming_birthdays(viewer, who="everyone").truncated


def test_an_unknown_list_is_refused(viewer):
    with pytest.raises(Invalid) as caught:
        service.upcoming_birthdays(viewer, who="managers")
    assert caught.value.field == "who"


def test_a_card_never_carries_the_year_of_birth(viewer, person):
    person("ian", "1987-03-14", friend_of=viewer)
    (card,) = service.todays_birthdays(viewer)
    assert card.date == "03-14"
    assert "1987" not in repr(card)
    assert card.greeting == "Happy birthday, Ian!"


# ---------------------------------------------------------------- notices


def test_notices_are_recorded_once_per_person_and_day(viewer, person):
    person("ian", "03-14")
    person("una", "03-14", friend_of=viewer)
    person("later", "03-15")
    person("gone", "03-14", status=Status.DISABLED)

    assert service.record_birthday_notices() == 2
    db.session.commit()
    assert service.record_birthday_notices() == 0
    db.session.commit()
    assert notices() == [("ian", "2025-03-14"), ("una", "2025-03-14")]


def test_a_29_february_birthday_gets_its_notice_on_the_28th_in_other_years(viewer, person):
    person("leap", "02-29")
    assert service.record_birthday_notices(date(2025, 2, 28)) == 1
    assert service.record_birthday_notices(date(2024, 2, 28)) == 0
    assert service.record_birthday_notices(date(2024, 2, 29)) == 1
    db.session.commit()
    assert notices() == [("leap", "2024-02-29"), ("leap", "2025-02-28")]
