"""Work anniversaries beside birthdays: who celebrates (site time zone, 29 February, whole
years only), the celebrations page and the feed's box, congratulations, the notices and
their notifications, and ``GET /anniversaries``."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from intranet_social.accounts.models import Status, User
from intranet_social.birthdays import anniversaries
from intranet_social.birthdays.models import AnniversaryNotice
from intranet_social.extensions import db
from intranet_social.notifications.models import Notification
from intranet_social.spaces.models import Space, SpaceMember
from tests.api.conftest import DOCUMENT
from tests.birthdays.conftest import post_count, posts_on_wall
from tests.posts.helpers import befriend


@pytest.fixture
def in_request(app):  # type: ignore[no-untyped-def]
    """Service calls outside HTTP build the pictures' addresses, which needs a request."""
    with app.test_request_context():
        yield


@pytest.fixture
def hire(make_user, viewer):  # type: ignore[no-untyped-def]
    """``hire(username, start_date, friend=True, **fields)``: someone who started then."""

    def _hire(username: str, start: str, friend: bool = True, **fields: object) -> User:
        user = make_user(username, start_date=start, **fields)
        if friend:
            befriend(viewer, user)
        return user

    return _hire


def names(cards) -> list[str]:  # type: ignore[no-untyped-def]
    return [card.person.username for card in cards]


# ---------------------------------------------------------------- who celebrates


def test_friends_with_a_whole_year_or_more_today_are_listed_with_their_years(
    viewer, hire, in_request
):
    hire("ten", "2015-03-14")
    hire("one", "2024-03-14")
    hire("newbie", "2025-03-14")  # starts today: not an anniversary
    hire("cyd", "2010-03-14", friend=False)
    hire("gone", "2012-03-14", status=Status.DISABLED)

    cards = anniversaries.todays_anniversaries(viewer)

    assert [(c.person.username, c.years, c.date) for c in cards] == [
        ("one", 1, "03-14"),
        ("ten", 10, "03-14"),
    ]
    assert cards[1].greeting == "Happy work anniversary, Ten! Congratulations on 10 years."


def test_the_coming_days_come_in_date_order_for_friends_or_everyone(viewer, hire, in_request):
    hire("later", "2020-04-12")
    hire("soon", "2019-03-15")
    hire("toolate", "2020-04-13")
    hire("cyd", "2018-03-20", friend=False)

    friends = anniversaries.upcoming_anniversaries(viewer).cards
    everyone = anniversaries.upcoming_anniversaries(viewer, who="everyone").cards

    assert [(c.person.username, c.days_until, c.years) for c in friends] == [
        ("soon", 1, 6),
        ("later", 29, 5),
    ]
    assert names(everyone) == ["soon", "cyd", "later"]
    assert [c.can_greet for c in everyone] == [True, False, True]


def test_a_29_february_start_is_celebrated_on_the_28th_in_other_years(viewer, hire, in_request):
    hire("leap", "2020-02-29")

    assert names(anniversaries.todays_anniversaries(viewer, today=date(2025, 2, 28))) == ["leap"]
    assert anniversaries.todays_anniversaries(viewer, today=date(2024, 2, 28)) == []
    leap_day = anniversaries.todays_anniversaries(viewer, today=date(2024, 2, 29))
    assert [(c.date, c.years) for c in leap_day] == [("02-29", 4)]


class TestInAuckland:
    @pytest.fixture
    def site_settings(self):  # type: ignore[no-untyped-def]
        return {"site": {"timezone": "Pacific/Auckland"}}

    def test_the_anniversary_is_today_by_the_sites_clock(self, viewer, hire, clock, in_request):
        hire("ian", "2020-03-15")
        assert names(anniversaries.todays_anniversaries(viewer)) == ["ian"]  # 01:00 on the 15th
        clock(datetime(2025, 3, 14, 10, 59, tzinfo=UTC))  # 23:59 on the 14th in Auckland
        assert anniversaries.todays_anniversaries(viewer) == []


def test_the_window_is_1_to_60_days(viewer):
    with pytest.raises(Exception, match="days must be"):
        anniversaries.upcoming_anniversaries(viewer, days=61)


# ---------------------------------------------------------------- pages


def test_the_feed_and_the_celebrations_page_show_work_anniversaries(browser, viewer, hire):
    hire("ten", "2015-03-14", name="Ten Years")
    hire("soon", "2019-03-20", name="Soon Six")
    page = browser(viewer)

    feed = page.get("/").get_data(as_text=True)
    celebrations = page.get("/birthdays").get_data(as_text=True)

    box = feed[feed.index("Work anniversaries today") :]
    assert "Ten Years" in box and "10 years here" in box and "Soon Six" not in box
    assert "Congratulate Ten" in box
    assert "<h1>Celebrations</h1>" in celebrations
    coming = celebrations[celebrations.index("work anniversaries in the next 30 days") :]
    assert "Ten Years" in coming and "Soon Six" in coming and "6 years here" in coming


def test_one_click_congratulations_post_on_a_friends_wall(browser, viewer, hire):
    ten = hire("ten", "2015-03-14", name="Ten Years")

    answer = browser(viewer).post("/anniversaries/congratulate/ten", {"next": "/"})

    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    [post] = posts_on_wall(ten)
    assert post.body == "Happy work anniversary, Ten! Congratulations on 10 years."
    assert post.author_id == viewer.id and post.audience == "friends"
    again = browser(viewer).get("/birthdays").get_data(as_text=True)
    assert "You wrote on Ten's wall today." in again


def test_a_stranger_cannot_congratulate_and_nothing_is_posted(browser, viewer, hire, api):
    hire("cyd", "2015-03-14", friend=False)
    before = post_count()

    assert browser(viewer).post("/anniversaries/congratulate/cyd").status_code == 403
    assert api(viewer).post("/users/cyd/congratulate").status_code == 403
    assert post_count() == before


# ---------------------------------------------------------------- notices


def test_notices_are_recorded_once_and_tell_the_persons_friends(
    viewer, hire, make_user, in_request
):
    ten = hire("ten", "2015-03-14")
    hire("newbie", "2025-03-14")
    hire("other", "2015-03-15")

    assert anniversaries.record_anniversary_notices() == 1
    db.session.commit()
    assert anniversaries.record_anniversary_notices() == 0
    db.session.commit()

    notice = db.session.scalars(select(AnniversaryNotice)).one()
    assert (notice.user_id, notice.celebrated_on, notice.years) == (ten.id, date(2025, 3, 14), 10)
    told = db.session.scalars(
        select(Notification).where(Notification.kind == "work_anniversary")
    ).all()
    assert [(n.user_id, n.actor_id) for n in told] == [(viewer.id, ten.id)]


def test_space_co_members_are_told_too_and_a_friend_in_the_space_only_once(
    viewer, hire, make_user, in_request
):
    ten = hire("ten", "2015-03-14")
    colleague = make_user("colleague")
    make_user("outsider")
    team = Space(slug="team", name="Team")
    db.session.add(team)
    db.session.flush()
    for person in (ten, viewer, colleague):
        db.session.add(SpaceMember(space_id=team.id, user_id=person.id))
    db.session.commit()

    anniversaries.record_anniversary_notices()
    db.session.commit()

    told = db.session.scalars(
        select(Notification.user_id).where(Notification.kind == "work_anniversary")
    ).all()
    assert sorted(told) == sorted([viewer.id, colleague.id])


def test_the_notification_reads_as_a_work_anniversary(browser, viewer, hire):
    hire("ten", "2015-03-14", name="Ten Years")
    anniversaries.record_anniversary_notices()
    db.session.commit()

    page = browser(viewer).get("/notifications").get_data(as_text=True)

    assert "Ten Years" in page and "s work anniversary: congratulate them." in page


def test_a_29_february_start_gets_its_notice_on_the_28th_in_other_years(viewer, hire):
    hire("leap", "2020-02-29")
    assert anniversaries.record_anniversary_notices(date(2025, 2, 28)) == 1
    assert anniversaries.record_anniversary_notices(date(2024, 2, 28)) == 0
    assert anniversaries.record_anniversary_notices(date(2024, 2, 29)) == 1
    assert anniversaries.record_anniversary_notices(date(2020, 2, 29)) == 0


# ---------------------------------------------------------------- the API


def test_anniversaries_are_listed_in_the_documented_shape(api, viewer, hire):
    hire("ten", "2015-03-14")
    hire("leap", "2020-02-29")

    answer = api(viewer, "read").get("/anniversaries?days=60")

    assert answer.status_code == 200
    DOCUMENT["/anniversaries"]["GET"].validate_response(answer)
    items = answer.get_json()["items"]
    assert [(i["user"]["username"], i["date"], i["years"], i["is_today"]) for i in items] == [
        ("ten", "03-14", 10, True)
    ]
    assert items[0]["user"]["start_date"] == "2015-03-14"
    assert api(viewer, "read").get("/anniversaries?days=0").status_code == 422


def test_congratulating_by_the_api_posts_on_the_wall(api, viewer, hire):
    ten = hire("ten", "2015-03-14")

    answer = api(viewer).post("/users/ten/congratulate", json={"body": "Ten years!"})

    assert answer.status_code == 201
    DOCUMENT["/users/{username}/congratulate"]["POST"].validate_response(answer)
    assert [post.body for post in posts_on_wall(ten)] == ["Ten years!"]
