"""The org chart pages, the organisation on a person's page, and the profile form's fields."""

from __future__ import annotations

import re
from datetime import date

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from tests.cli.conftest import db_state


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_chart_starts_from_the_people_with_no_manager_and_nests_three_levels(browser, org):
    page = browser(org["loner"]).get("/org")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    html = html[html.index("<h1") :]
    words = text_of(html)
    # the chief (who has reports) comes before the loner; each team sits inside its lead
    assert words.index("Chris Chief") < words.index("Lou Loner")
    assert "2 direct reports of Chris Chief" in words
    assert "2 direct reports of Lee A" in words and "1 direct report of Lee B" in words
    chief_team = html[html.index("Chris Chief") : html.index("Lou Loner")]
    assert "Dev One" in chief_team and "Dev Three" in chief_team
    assert html.count("<details") == 3 and "<summary>" in html


def test_a_persons_chart_shows_their_chain_above_and_their_team_below(browser, org):
    page = browser(org["loner"]).get("/org/lead.a")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    start = html.index('aria-label="Chain of command"')
    trail = text_of(html[start : html.index("</nav>", start)])
    assert trail.endswith("> Org chart Chris Chief Lee A")
    assert "Dev One" in html and "Dev Two" in html and "Dev Three" not in html


def test_an_unknown_person_has_no_chart(browser, org):
    assert browser(org["loner"]).get("/org/no.body").status_code == 404


def test_a_persons_page_shows_their_manager_chain_and_reports(browser, org):
    html = browser(org["loner"]).get("/u/lead.a").get_data(as_text=True)

    section = text_of(
        html[
            html.index("profile-org-title") : html.index(
                "</section>", html.index("profile-org-title")
            )
        ]
    )
    assert "Manager Chris Chief" in section
    assert "Direct reports (2) Dev One Dev Two" in section
    chain = text_of(browser(org["loner"]).get("/u/dev.one").get_data(as_text=True))
    assert "Chain of command Chris Chief Lee A" in chain


def test_a_person_names_their_manager_and_start_date_on_the_profile_form(browser, org):
    me = browser(org["loner"])
    form = {"name": "Lou Loner", "manager": "Lead.B", "start_date": "2016-02-29"}

    answer = me.post("/account/profile", form)

    assert answer.status_code == 302
    db.session.expire_all()
    loner = db.session.get(User, org["loner"].id)
    assert loner.manager_id == org["lead.b"].id and loner.start_date == date(2016, 2, 29)
    assert 'value="lead.b"' in me.get("/account/profile").get_data(as_text=True)


def test_the_profile_form_refuses_a_cycle_and_changes_nothing(browser, org):
    chief = browser(org["chief"])
    before = db_state()

    answer = chief.post(
        "/account/profile", {"name": "Chris Chief", "manager": "dev.one", "title": "Boss"}
    )

    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "dev.one already reports to this person" in html
    assert 'id="manager-error"' in html or "aria-invalid" in html
    assert db_state() == before


def test_the_profile_form_refuses_an_unknown_manager_oneself_and_a_bad_date(browser, org):
    me = browser(org["loner"])
    before = db_state()
    for field, value, message in (
        ("manager", "no.body", "There is no one called"),
        ("manager", "loner", "cannot be their own manager"),
        ("start_date", "2020-02-30", "is not a date; use YYYY-MM-DD"),
    ):
        answer = me.post("/account/profile", {"name": "Lou Loner", field: value})
        assert answer.status_code == 422
        assert message in answer.get_data(as_text=True)
    assert db_state() == before
