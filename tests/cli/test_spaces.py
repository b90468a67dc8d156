"""``intranet-social space …``: spaces and their members from the command line, through the
same rules as the pages; a refusal is one line and changes nothing."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import assert_usage_error, assert_user_error, db_state


@pytest.fixture
def people(make_user, admin):
    return make_user("olga"), make_user("pat")


def test_create_list_show_and_manage_members(cli, people, admin):
    made = cli("space", "create", "Team News", "--visibility", "closed", "--owner", "olga")
    assert made.exit_code == 0, made.output
    assert "/s/team-news" in made.stdout
    assert cli("space", "create", "Lab", "--slug", "lab").exit_code == 0  # the first admin owns it
    listed = json.loads(cli("space", "list", "--json").stdout)
    assert [(s["slug"], s["visibility"], s["member_count"]) for s in listed] == [
        ("lab", "open", 1),
        ("team-news", "closed", 1),
    ]
    assert cli("space", "add-member", "team-news", "pat", "--role", "moderator").exit_code == 0
    assert cli("space", "set-role", "team-news", "pat", "owner").exit_code == 0
    assert cli("space", "remove-member", "team-news", "olga").exit_code == 0
    shown = json.loads(cli("space", "show", "team-news", "--json").stdout)
    assert [(m["username"], m["role"]) for m in shown["members"]] == [("pat", "owner")]
    lab = json.loads(cli("space", "show", "lab", "--json").stdout)
    assert [m["username"] for m in lab["members"]] == [admin.username]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("space", "create", "Dup", "--slug", "team-news"), "is taken"),
        (("space", "create", "X", "--slug", "Has Spaces"), "lower-case letters"),
        (("space", "create", "X", "--owner", "nobody"), "no one called"),
        (("space", "add-member", "nowhere", "pat"), "no space"),
        (("space", "add-member", "team-news", "nobody"), "no one called"),
        (("space", "remove-member", "team-news", "olga"), "at least one owner"),
        (("space", "set-role", "team-news", "olga", "member"), "at least one owner"),
        (("space", "delete", "team-news"), "not deleted"),
        (("space", "show", "nowhere"), "no space"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(cli, people, args, fragment):
    assert cli("space", "create", "Team News", "--owner", "olga").exit_code == 0
    before = db_state()
    assert_user_error(cli(*args, input="n\n"), fragment)
    assert db_state() == before


def test_a_bad_visibility_or_role_is_a_usage_error(cli, people):
    assert_usage_error(cli("space", "create", "X", "--visibility", "public"), "visibility")
    assert_usage_error(cli("space", "set-role", "x", "olga", "boss"), "role")


def test_delete_asks_unless_yes(cli, people):
    cli("space", "create", "Team News", "--owner", "olga")
    assert cli("space", "delete", "team-news", input="y\n").exit_code == 0
    cli("space", "create", "Lab", "--owner", "olga")
    assert cli("space", "delete", "lab", "--yes").exit_code == 0
    assert json.loads(cli("space", "list", "--json").stdout) == []
