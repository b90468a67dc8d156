"""``intranet-social user …``: creating and administering accounts from the command line."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from intranet_social.accounts import passwords, service
from intranet_social.accounts.models import User, UserSession
from intranet_social.audit.models import AuditEvent
from intranet_social.audit.service import cli_actor_name
from intranet_social.extensions import db
from tests.cli.conftest import assert_usage_error, assert_user_error, db_state


def fresh_user(username: str) -> User | None:
    db.session.rollback()
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def one_time_password(output: str, username: str) -> str:
    prefix = f"One-time password for {username}: "
    line = next(line for line in output.splitlines() if line.startswith(prefix))
    return line.removeprefix(prefix)


def test_admin_creates_member_who_must_change_the_printed_one_time_password(cli):
    result = cli(
        "user", "create", "Bea.Silva", "--email", "Bea@Corp.Example", "--name", "Bea  Silva",
        "--department", "Sales", "--title", "Buyer", "--birthday", "04-30",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    password = one_time_password(result.stdout, "bea.silva")
    assert "new password at first sign-in" in result.stdout
    user = fresh_user("bea.silva")
    assert user is not None
    assert (user.email, user.name, user.role, user.status) == (
        "bea@corp.example",
        "Bea Silva",
        "member",
        "active",
    )
    assert (user.department, user.title, user.birthday) == ("Sales", "Buyer", "04-30")
    assert user.must_change_password
    assert passwords.verify_password(user.password_hash, password)
    assert password not in user.password_hash
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert event.actor_name == cli_actor_name() and event.target == "bea.silva"


def test_create_with_admin_flag_makes_an_admin(cli):
    result = cli("user", "create", "root2", "--email", "r@corp.example", "--name", "R", "--admin")

    assert result.exit_code == 0, result.output
    assert fresh_user("root2").role == "admin"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["ana.member", "--email", "new@corp.example", "--name", "X"], "already taken"),
        (["someone", "--email", "ANA.MEMBER@corp.example", "--name", "X"], "already in use"),
        (["someone", "--email", "not-an-address", "--name", "X"], "email: "),
        (
            ["someone", "--email", "s@corp.example", "--name", "X", "--birthday", "02-30"],
            "birthday",
        ),
        (
            ["someone", "--email", "s@corp.example", "--name", "X", "--birthday", "May 1"],
            "birthday",
        ),
        (["x", "--email", "s@corp.example", "--name", "X"], "username: "),
        (
            ["someone", "--email", "s@corp.example", "--name", "X", "--manager", "nobody.here"],
            "manager: there is no one called 'nobody.here'",
        ),
        (
            ["someone", "--email", "s@corp.example", "--name", "X", "--start-date", "2024-02-30"],
            "start_date: ",
        ),
        (
            ["someone", "--email", "s@corp.example", "--name", "X", "--start-date", "03-01"],
            "start_date: ",
        ),
        (["someone", "--email", "s@corp.example", "--name", "   "], "name: "),
    ],
)
def test_create_refuses_bad_input_with_one_line_and_writes_nothing(cli, member, args, fragment):
    before = db_state()

    result = cli("user", "create", *args)

    assert_user_error(result, fragment)
    assert db_state() == before


def test_create_without_email_is_a_usage_error(cli):
    before = db_state()

    result = cli("user", "create", "someone", "--name", "X")

    assert_usage_error(result, "--email")
    assert db_state() == before


def test_list_shows_people_and_filters_by_role(cli, member, admin):
    result = cli("user", "list")
    assert result.exit_code == 0
    assert "ana.member" in result.stdout and "ada.admin" in result.stdout

    result = cli("user", "list", "--role", "admin", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [row["username"] for row in rows] == ["ada.admin"]
    assert set(rows[0]) == {
        "username", "email", "name", "role", "status", "department", "title", "birthday",
        "start_date", "created_at",
    }  # fmt: skip


def test_list_filters_by_status(cli, member, make_user):
    make_user("waiting.one", status="pending")

    rows = json.loads(cli("user", "list", "--status", "pending", "--json").stdout)

    assert [row["username"] for row in rows] == ["waiting.one"]


def test_list_refuses_an_unknown_role_as_usage_error(cli):
    assert_usage_error(cli("user", "list", "--role", "king"), "--role")


def test_show_prints_an_account_but_never_its_password_hash(cli, member):
    human = cli("user", "show", "ana.member")
    as_json = cli("user", "show", "ANA.MEMBER", "--json")

    assert human.exit_code == 0 and as_json.exit_code == 0
    assert "Finance" in human.stdout
    details = json.loads(as_json.stdout)
    assert details["username"] == "ana.member"
    assert details["department"] == "Finance"
    assert details["must_change_password"] is False
    for output in (human.stdout, as_json.stdout):
        assert "argon2" not in output and "hash" not in output


@pytest.mark.parametrize(
    "command",
    [
        ["show", "nobody"],
        ["disable", "nobody"],
        ["enable", "nobody"],
        ["approve", "nobody"],
        ["delete", "nobody", "--yes"],
        ["set-role", "nobody", "admin"],
        ["reset-password", "nobody"],
    ],
)
def test_commands_on_an_unknown_user_say_so_in_one_line(cli, member, command):
    before = db_state()

    result = cli("user", *command)

    assert_user_error(result, "no user called 'nobody'")
    assert db_state() == before


def test_disable_ends_sessions_and_enable_lets_them_back(cli, member, admin):
    service.start_session(member)
    db.session.commit()

    result = cli("user", "disable", "ana.member")

    assert result.exit_code == 0, result.output
    assert fresh_user("ana.member").status == "disabled"
    assert db.session.scalars(select(UserSession)).all() == []
    assert cli("user", "enable", "ana.member").exit_code == 0
    assert fresh_user("ana.member").status == "active"


@pytest.mark.parametrize(
    "command",
    [
        ["disable", "ada.admin"],
        ["set-role", "ada.admin", "member"],
        ["delete", "ada.admin", "--yes"],
    ],
)
def test_the_last_admin_cannot_be_disabled_demoted_or_deleted(cli, admin, command):
    before = db_state()

    assert_user_error(cli("user", *command), "last active admin")
    assert db_state() == before


def test_set_role_makes_a_member_a_moderator(cli, member):
    result = cli("user", "set-role", "ana.member", "moderator")

    assert result.exit_code == 0
    assert "ana.member is now a moderator" in result.stdout
    assert fresh_user("ana.member").role == "moderator"


def test_set_role_refuses_an_unknown_role_as_usage_error(cli, member):
    before = db_state()

    assert_usage_error(cli("user", "set-role", "ana.member", "owner"))
    assert db_state() == before


def test_approve_lets_a_pending_account_in_and_refuses_an_active_one(cli, member, make_user):
    make_user("waiting.one", status="pending")

    assert cli("user", "approve", "waiting.one").exit_code == 0
    assert fresh_user("waiting.one").status == "active"
    before = db_state()
    assert_user_error(cli("user", "approve", "ana.member"), "not waiting for approval")
    assert db_state() == before


def test_reset_password_prints_a_new_one_time_password_and_ends_sessions(cli, member):
    service.start_session(member)
    db.session.commit()

    result = cli("user", "reset-password", "ana.member")

    assert result.exit_code == 0, result.output
    password = one_time_password(result.stdout, "ana.member")
    user = fresh_user("ana.member")
    assert user.must_change_password
    assert passwords.verify_password(user.password_hash, password)
    assert db.session.scalars(select(UserSession)).all() == []


def test_delete_with_yes_removes_the_account(cli, member, admin):
    result = cli("user", "delete", "ana.member", "--yes")

    assert result.exit_code == 0, result.output
    assert fresh_user("ana.member") is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.delete"))
    assert event.actor_name == cli_actor_name()


def test_delete_asks_and_goes_ahead_on_yes(cli, member, admin):
    result = cli("user", "delete", "ana.member", input="y\n")

    assert result.exit_code == 0, result.output
    assert fresh_user("ana.member") is None


@pytest.mark.parametrize("answer", ["n\n", "\n", ""])
def test_delete_keeps_the_account_unless_confirmed_and_never_hangs(cli, member, admin, answer):
    before = db_state()

    result = cli("user", "delete", "ana.member", input=answer)

    assert_user_error(result, "ana.member was not deleted", "--yes")
    assert db_state() == before
