"""Department spaces from the command line: ``space create --department`` and the people
commands that set a department (``user create``, ``user import``), which spaces follow."""

from __future__ import annotations

import json

import pytest

from intranet_social.extensions import db
from intranet_social.spaces import departments, service
from tests.spaces.helpers import snapshot
from tests.spaces.test_departments import member_names


@pytest.fixture
def staff(make_user):
    return make_user("eva", department="Engineering"), make_user("sam", department="Sales")


@pytest.fixture
def eng_space(admin, staff):
    space = service.create_space(admin, "Engineering")
    departments.link_department(admin, space, "Engineering")
    db.session.commit()
    return space


@pytest.fixture
def sales_space(admin, staff):
    space = service.create_space(admin, "Sales floor", slug="sales", visibility="secret")
    departments.link_department(admin, space, "Sales")
    db.session.commit()
    return space


def test_the_csv_import_changes_departments_and_membership_follows(
    cli, admin, staff, eng_space, sales_space, tmp_path
):
    departments.link_department(admin, eng_space, "Engineering")
    db.session.commit()
    path = tmp_path / "people.csv"
    path.write_text(
        "username,email,name,department,title,birthday\n"
        "eva,eva@corp.example,Eva Engineer,Sales,,\n"
        "new.one,new.one@corp.example,New One,Engineering,,\n"
    )
    result = cli("user", "import", str(path))
    assert result.exit_code == 0, result.output
    engineering, sales = member_names("engineering"), member_names("sales")
    assert "eva" not in engineering and sales["eva"] == "member"
    assert engineering["new.one"] == "member"


def test_the_command_line_creates_a_department_space_and_moves_people(cli, admin, staff):
    made = cli("space", "create", "Sales Team", "--department", "Sales")
    assert made.exit_code == 0, made.output
    assert "follows the Sales department: 1 joined" in made.stdout
    shown = json.loads(cli("space", "show", "sales-team", "--json").stdout)
    assert shown["department"] == "Sales"
    assert {m["username"] for m in shown["members"]} == {"ada.admin", "sam"}
    created = cli(
        "user",
        "create",
        "zoe",
        "--email",
        "zoe@corp.example",
        "--name",
        "Zoe",
        "--department",
        "sales",
    )
    assert created.exit_code == 0, created.output
    assert member_names("sales-team")["zoe"] == "member"


def test_the_command_line_refuses_a_duplicate_address_and_links_nothing(cli, admin, staff):
    assert cli("space", "create", "Sales", "--department", "Sales").exit_code == 0
    before = snapshot()
    again = cli("space", "create", "Sales", "--department", "Engineering")
    assert again.exit_code == 1 and "is taken" in again.stderr
    too_long = cli("space", "create", "Other", "--department", "x" * 101)
    assert too_long.exit_code == 1 and "at most 100" in too_long.stderr
    assert snapshot() == before
