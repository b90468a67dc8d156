"""Managers and start dates from the command line and in the CSV import and export."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from intranet_social.audit.models import AuditEvent
from intranet_social.extensions import db
from tests.cli.conftest import assert_user_error, db_state
from tests.cli.test_import_export import users, write_csv

HEADER = "username,email,name,department,title,birthday,manager,start_date\n"


def manager_of(username: str) -> str | None:
    people = users()
    manager_id = people[username].manager_id
    return next((u.username for u in people.values() if u.id == manager_id), None)


def test_create_names_the_manager_and_start_date_and_show_prints_them(cli, member):
    result = cli(
        "user", "create", "bo.chen", "--email", "bo@corp.example", "--name", "Bo Chen",
        "--manager", "ana.member", "--start-date", "2020-02-29",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    shown = json.loads(cli("user", "show", "bo.chen", "--json").stdout)
    assert (shown["manager"], shown["start_date"]) == ("ana.member", "2020-02-29")
    assert users()["bo.chen"].start_month == 2 and users()["bo.chen"].start_day == 29


def test_set_manager_refuses_a_cycle_in_one_line_and_changes_nothing(cli, make_user):
    make_user("ceo.one")
    make_user("vp.two", manager="ceo.one")
    make_user("lead.three", manager="vp.two")
    before = db_state()

    result = cli("user", "set-manager", "ceo.one", "lead.three")

    assert_user_error(result, "manager: ", "lead.three already reports to this person")
    assert db_state() == before


def test_set_manager_refuses_oneself_and_unknown_people(cli, make_user):
    make_user("ceo.one")
    before = db_state()

    assert_user_error(cli("user", "set-manager", "ceo.one", "ceo.one"), "own manager")
    assert_user_error(cli("user", "set-manager", "ceo.one", "no.body"), "no one called")
    assert db_state() == before


def test_set_manager_changes_and_clears_the_manager_and_is_audited(cli, make_user):
    make_user("ceo.one")
    make_user("vp.two")

    assert cli("user", "set-manager", "vp.two", "ceo.one").stdout == "vp.two reports to ceo.one.\n"
    assert manager_of("vp.two") == "ceo.one"
    assert cli("user", "set-manager", "vp.two").stdout == "vp.two has no manager.\n"
    assert manager_of("vp.two") is None
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.manager")).all()
    assert [event.target for event in events] == ["vp.two", "vp.two"]


def test_import_links_managers_named_further_down_the_file(cli, member, tmp_path):
    path = write_csv(
        tmp_path,
        "lead.three,lead@corp.example,Lead Three,,,,vp.two,2021-06-01\n"
        "vp.two,vp@corp.example,Vp Two,,,,ana.member,\n"
        "ana.member,ana.member@corp.example,Ana Member,Finance,,,,2010-01-04\n",
        header=HEADER,
    )

    result = cli("user", "import", str(path))

    assert result.exit_code == 0, result.output
    assert "line 4: updated ana.member (start_date)" in result.stdout
    assert manager_of("lead.three") == "vp.two" and manager_of("vp.two") == "ana.member"
    assert users()["lead.three"].start_date == date(2021, 6, 1)
    assert users()["ana.member"].start_date == date(2010, 1, 4)


def test_import_rejects_a_cycle_an_unknown_manager_and_a_bad_date_and_writes_nothing(
    cli, make_user, tmp_path
):
    make_user("ceo.one")
    make_user("vp.two", manager="ceo.one")
    path = write_csv(
        tmp_path,
        "ceo.one,ceo.one@corp.example,Ceo One,,,,vp.two,\n"
        "new.one,new.one@corp.example,New One,,,,no.body,\n"
        "new.two,new.two@corp.example,New Two,,,,,2021-13-01\n"
        "new.three,new.three@corp.example,New Three,,,,new.three,\n",
        header=HEADER,
    )
    before = db_state()

    result = cli("user", "import", str(path))

    assert_user_error(result, "4 row(s) rejected")
    out = result.stdout
    assert "line 2: rejected ceo.one: manager: vp.two already reports to ceo.one" in out
    assert "line 3: rejected new.one: manager: there is no one called 'no.body'" in out
    assert "line 4: rejected new.two: start_date: " in out
    assert "line 5: rejected new.three: manager: " in out and "their own manager" in out
    assert db_state() == before


def test_a_blank_manager_or_start_date_keeps_what_the_person_has(cli, make_user, tmp_path):
    make_user("ceo.one")
    make_user("vp.two", manager="ceo.one", start_date="2015-03-02")
    path = write_csv(tmp_path, "vp.two,vp.two@corp.example,Vp Two,,,,,\n", header=HEADER)

    result = cli("user", "import", str(path))

    assert result.exit_code == 0, result.output
    assert "line 2: unchanged vp.two" in result.stdout
    assert manager_of("vp.two") == "ceo.one"
    assert users()["vp.two"].start_date == date(2015, 3, 2)


def test_export_then_import_round_trips_managers_and_start_dates(cli, make_user, tmp_path):
    make_user("ceo.one", start_date="2001-09-10")
    make_user("vp.two", manager="ceo.one", start_date="2012-02-29")
    target = tmp_path / "out.csv"
    assert cli("user", "export", str(target)).exit_code == 0
    db.session.execute(db.metadata.tables["users"].update().values(manager_id=None))
    db.session.commit()

    result = cli("user", "import", str(target))

    assert result.exit_code == 0, result.output
    assert "line 3: updated vp.two (manager)" in result.stdout
    assert manager_of("vp.two") == "ceo.one"
    assert users()["vp.two"].start_date == date(2012, 2, 29)
