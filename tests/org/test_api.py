"""The organisation in the JSON API: people carry their manager and start date, reports are
listed, and ``PATCH /me`` refuses a manager that would make a cycle."""

from __future__ import annotations

from sqlalchemy import select

from intranet_social.accounts import service
from intranet_social.accounts.models import User
from intranet_social.extensions import db
from tests.cli.conftest import db_state


def test_a_person_carries_their_manager_and_start_date(api_as, documented, org):
    answer = api_as(org["loner"]).get("/users/chief")
    documented(answer, "GET", "/users/{username}")
    assert (answer.json["manager"], answer.json["start_date"]) == (None, "2001-05-02")

    answer = api_as(org["loner"]).get("/users/dev.one")
    assert (answer.json["manager"], answer.json["start_date"]) == ("lead.a", None)


def test_reports_lists_the_direct_reports_only(api_as, documented, org):
    answer = api_as(org["loner"]).get("/users/chief/reports")

    assert answer.status_code == 200
    documented(answer, "GET", "/users/{username}/reports")
    assert [person["username"] for person in answer.json["items"]] == ["lead.a", "lead.b"]
    assert api_as(org["loner"]).get("/users/loner/reports").json["items"] == []
    assert api_as(org["loner"]).get("/users/no.body/reports").status_code == 404


def test_a_person_sets_and_clears_their_manager_and_start_date(api_as, org):
    api = api_as(org["loner"])

    answer = api.call("PATCH", "/me", json={"manager": "lead.a", "start_date": "2024-02-29"})
    assert answer.status_code == 200, answer.json
    assert api.get("/users/loner").json["manager"] == "lead.a"
    assert api.get("/users/lead.a/reports").json["items"][-1]["username"] == "loner"

    assert api.call("PATCH", "/me", json={"manager": None}).status_code == 200
    assert api.get("/users/loner").json["manager"] is None


def test_a_cycle_an_unknown_manager_oneself_or_a_bad_date_is_refused_and_changes_nothing(
    api_as, error_of, org
):
    api = api_as(org["chief"])
    api.get("/me")  # the token's first use is noted apart, before the refusals
    before = db_state()
    for body, message in (
        ({"manager": "dev.three"}, "dev.three already reports to this person"),
        ({"manager": "no.body"}, "There is no one called 'no.body'"),
        ({"manager": "chief"}, "cannot be their own manager"),
        ({"start_date": "14/03/2020", "title": "Boss"}, "is not a date; use YYYY-MM-DD"),
    ):
        answer = api.call("PATCH", "/me", json=body)
        assert answer.status_code == 422
        error = error_of(answer)
        assert error["field"] in ("manager", "start_date")
        assert message in error["message"]
    assert db_state() == before


def test_deleting_a_manager_leaves_their_reports_without_one(org):
    service.delete_user(org["lead.a"])
    db.session.commit()

    left = db.session.scalars(select(User).where(User.username.in_(["dev.one", "dev.two"])))
    assert [person.manager_id for person in left] == [None, None]
