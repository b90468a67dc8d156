"""``intranet-social user import|export``: people from and to an HR spreadsheet (CSV)."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from intranet_social.accounts import passwords
from intranet_social.accounts.models import User
from intranet_social.audit.models import AuditEvent
from intranet_social.extensions import db
from tests.cli.conftest import assert_user_error, db_state

HEADER = "username,email,name,department,title,birthday\n"
CREATED_RE = re.compile(r"^line (\d+): created (\S+), one-time password: (\S+)$", re.M)


def write_csv(folder: Path, body: str, header: str = HEADER, name: str = "people.csv") -> Path:
    path = folder / name
    path.write_text(header + body, encoding="utf-8")
    return path


def users() -> dict[str, User]:
    db.session.rollback()
    db.session.expire_all()
    return {user.username: user for user in db.session.scalars(select(User))}


def test_import_creates_new_people_with_working_one_time_passwords_and_updates_known_ones(
    cli, member, tmp_path
):
    path = write_csv(
        tmp_path,
        "ana.member,ana.new@corp.example,Ana Member,Treasury,Controller,07-14\n"
        "bo.chen,Bo@Corp.Example,Bo Chen,IT,Engineer,1985-11-02\n"
        "cy.diaz,cy@corp.example,Cy Diaz,,,\n",
    )

    result = cli("user", "import", str(path))

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "line 2: updated ana.member (email, department, title, birthday)" in result.stdout
    created = {name: (int(line), pw) for line, name, pw in CREATED_RE.findall(result.stdout)}
    assert set(created) == {"bo.chen", "cy.diaz"}
    assert created["bo.chen"][0] == 3
    people = users()
    ana, bo = people["ana.member"], people["bo.chen"]
    assert (ana.email, ana.department, ana.title, ana.birthday) == (
        "ana.new@corp.example",
        "Treasury",
        "Controller",
        "07-14",
    )
    assert not ana.must_change_password
    assert (bo.email, bo.birthday, bo.birth_year) == ("bo@corp.example", "11-02", 1985)
    for name, (_line, password) in created.items():
        assert people[name].must_change_password
        assert passwords.verify_password(people[name].password_hash, password)
    events = db.session.execute(select(AuditEvent.action, AuditEvent.target)).all()
    assert {target for action, target in events if action == "user.create"} >= set(created)
    assert ("user.update", "ana.member") in events
    assert [action for action, _target in events].count("user.import") == 1


def rejected_csv(folder: Path) -> Path:
    return write_csv(
        folder,
        "new.one,new.one@corp.example,New One,,,\n"
        "ana.member,ana.member@corp.example,Ana Renamed,Finance,,\n"
        "bad.mail,not-an-address,Bad Mail,,,\n"
        "bad.day,bad.day@corp.example,Bad Day,,,13-45\n"
        "new.one,other@corp.example,Twice,,,\n"
        "dup.mail,NEW.ONE@corp.example,Dup Mail,,,\n"
        "taken,ADA.ADMIN@corp.example,Taken,,,\n"
        "short,short@corp.example,Short\n",
    )


def test_import_writes_nothing_when_any_row_is_rejected(cli, member, admin, tmp_path):
    path = rejected_csv(tmp_path)
    before = db_state()

    result = cli("user", "import", str(path))

    assert_user_error(result, "6 row(s) rejected", "nothing was written", "--partial")
    out = result.stdout
    assert "line 2: would create new.one" in out
    assert "line 3: would update ana.member (name)" in out
    assert "line 4: rejected bad.mail: email: " in out
    assert "line 5: rejected bad.day: birthday: " in out
    assert "line 6: rejected new.one: username: the username also appears on line 2" in out
    assert "line 7: rejected dup.mail: email: the e-mail address also appears on line 2" in out
    assert "line 8: rejected taken: email: " in out and "the account 'ada.admin'" in out
    assert "line 9: rejected (no username): the row has 3 values where the header has 6" in out
    assert "one-time password" not in out
    assert db_state() == before


def test_partial_import_writes_the_good_rows_and_reports_the_rejected(cli, member, admin, tmp_path):
    path = rejected_csv(tmp_path)

    result = cli("user", "import", str(path), "--partial")

    assert result.exit_code == 0, result.output
    assert [name for _line, name, _pw in CREATED_RE.findall(result.stdout)] == ["new.one"]
    assert "line 3: updated ana.member (name)" in result.stdout
    assert result.stdout.count("rejected ") == 6
    people = users()
    assert set(people) == {"ana.member", "ada.admin", "new.one"}
    assert people["ana.member"].name == "Ana Renamed"


@pytest.mark.parametrize("extra", [[], ["--partial"]])
def test_dry_run_reports_and_writes_nothing(cli, member, tmp_path, extra):
    path = write_csv(tmp_path, "new.one,new.one@corp.example,New One,,,\n")
    before = db_state()

    result = cli("user", "import", str(path), "--dry-run", *extra)

    assert result.exit_code == 0, result.output
    assert "line 2: would create new.one" in result.stdout
    assert "Dry run, nothing was written" in result.stdout
    assert "one-time password" not in result.stdout
    assert db_state() == before


def test_dry_run_with_rejected_rows_exits_like_the_real_import(cli, member, admin, tmp_path):
    before = db_state()

    result = cli("user", "import", str(rejected_csv(tmp_path)), "--dry-run")

    assert_user_error(result, "rejected")
    assert db_state() == before


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        (b"", ["is empty", HEADER.strip()]),
        (b"  \n\n", ["is empty"]),
        (b"\xff\xfeu\x00s\x00", ["not UTF-8"]),
        (b"username,email,name,department,title\n", ["missing the column(s) birthday"]),
        (b"username;email;name;department;title;birthday\n", ["missing the column(s)"]),
        (HEADER.strip().encode() + b",phone\n", ["unknown column(s) 'phone'"]),
        (HEADER.encode().replace(b"title", b"email"), ["title", "repeats the column(s) email"]),
        (HEADER.encode() + b'a,"b,c\n', ["line 2 is not valid CSV"]),
    ],
)
def test_import_refuses_a_bad_file_in_one_line(cli, member, tmp_path, content, fragments):
    path = tmp_path / "people.csv"
    path.write_bytes(content)
    before = db_state()

    result = cli("user", "import", str(path))

    assert_user_error(result, str(path), *fragments)
    assert db_state() == before


@pytest.mark.parametrize("name", ["missing.csv", "."])
def test_import_refuses_an_unreadable_file(cli, member, tmp_path, name):
    before = db_state()

    result = cli("user", "import", str(tmp_path / name))

    assert_user_error(result, "cannot read")
    assert db_state() == before


def test_import_refuses_a_file_over_the_size_limit(cli, member, tmp_path):
    path = write_csv(tmp_path, "x" * (10 * 1024 * 1024))
    before = db_state()

    assert_user_error(cli("user", "import", str(path)), "larger than 10 MB")
    assert db_state() == before


def test_import_of_a_header_only_file_does_nothing(cli, member, tmp_path):
    before = db_state()

    result = cli("user", "import", str(write_csv(tmp_path, "")))

    assert result.exit_code == 0
    assert "no rows after the header" in result.stdout
    assert db_state() == before


def test_import_accepts_excel_utf8_with_bom_crlf_and_blank_rows(cli, tmp_path):
    path = tmp_path / "hr.csv"
    text = "\ufeffUsername, Email ,NAME,department,title,birthday\r\n,,,,,\r\n"
    text += 'zoe.k,zoe@corp.example,Zoë Kraus,R&D,"Head, Research",\r\n\r\n'
    path.write_bytes(text.encode("utf-8"))

    result = cli("user", "import", str(path))

    assert result.exit_code == 0, result.output
    assert "line 3: created zoe.k, one-time password: " in result.stdout
    zoe = users()["zoe.k"]
    assert (zoe.name, zoe.department, zoe.title) == ("Zoë Kraus", "R&D", "Head, Research")


def test_import_reads_standard_input(cli, tmp_path):
    result = cli("user", "import", "-", input=HEADER + "eve.lin,eve@corp.example,Eve Lin,,,\n")

    assert result.exit_code == 0, result.output
    assert "eve.lin" in users()


def test_export_writes_the_import_columns_to_stdout_without_the_birth_year(cli, make_user):
    make_user("bo.chen", name="Bo Chen", department="IT", birthday="1985-11-02")
    make_user("cy.diaz", name="Cy Diaz", manager="bo.chen", start_date="2019-04-01")

    result = cli("user", "export")

    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [
        [*HEADER.strip().split(","), "manager", "start_date"],
        ["bo.chen", "bo.chen@corp.example", "Bo Chen", "IT", "", "11-02", "", ""],
        ["cy.diaz", "cy.diaz@corp.example", "Cy Diaz", "", "", "", "bo.chen", "2019-04-01"],
    ]
    assert "1985" not in result.stdout


def test_export_then_import_round_trips_and_keeps_the_private_birth_year(cli, make_user, tmp_path):
    make_user("bo.chen", name="Bo Chen", birthday="1985-11-02", title="=HYPERLINK(evil)")
    make_user("cy.diaz", name="Cy Diaz", department="+44 team")
    target = tmp_path / "out.csv"

    exported = cli("user", "export", str(target))

    assert exported.exit_code == 0, exported.output
    assert "Exported 2 people" in exported.stdout
    assert os.stat(target).st_mode & 0o777 == 0o600
    assert "'=HYPERLINK(evil)" in target.read_text(encoding="utf-8")
    before = db_state()
    imported = cli("user", "import", str(target))
    assert imported.exit_code == 0, imported.output
    assert "line 2: unchanged bo.chen" in imported.stdout
    assert "line 3: unchanged cy.diaz" in imported.stdout
    people = users()
    assert people["bo.chen"].birth_year == 1985
    assert people["bo.chen"].title == "=HYPERLINK(evil)"
    assert people["cy.diaz"].department == "+44 team"
    assert db_state() == before


def test_export_to_an_unwritable_place_fails_in_one_line(cli, member, tmp_path):
    result = cli("user", "export", str(tmp_path / "no-such-folder" / "out.csv"))

    assert_user_error(result, "cannot write")
    assert not (tmp_path / "no-such-folder").exists()
