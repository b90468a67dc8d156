"""``intranet-social token`` and ``invite``: API tokens and invite links from the command line."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from intranet_social.accounts import invites, tokens
from intranet_social.accounts.models import Invite
from intranet_social.extensions import db
from tests.cli.conftest import assert_usage_error, assert_user_error, db_state

LINK_RE = re.compile(r"^(\S+)/register\?invite=(\S+)$", re.M)


def test_token_create_prints_a_working_token_once(cli, member):
    result = cli("token", "create", "ana.member", "--name", "backup script", "--scope", "write")

    assert result.exit_code == 0, result.output
    secret = next(line for line in result.stdout.splitlines() if line.startswith("isk_"))
    db.session.rollback()
    user, token = tokens.user_for_token(secret)
    assert user.username == "ana.member"
    assert (token.name, token.scope, token.expires_at) == ("backup script", "write", None)
    assert secret not in token.token_hash


def test_token_create_with_expiry_sets_it(cli, member):
    result = cli("token", "create", "ana.member", "--expires-days", "30")

    assert result.exit_code == 0, result.output
    [row] = json.loads(cli("token", "list", "ana.member", "--json").stdout)
    assert row["expires_at"] is not None and row["scope"] == "read"
    assert "isk_" not in json.dumps(row).replace(row["prefix"], "")


def test_a_member_cannot_get_an_admin_scope_token(cli, member):
    before = db_state()

    assert_user_error(cli("token", "create", "ana.member", "--scope", "admin"), "admin")
    assert db_state() == before


def test_token_create_for_an_unknown_user_fails_in_one_line(cli):
    before = db_state()

    assert_user_error(cli("token", "create", "nobody"), "no user called 'nobody'")
    assert db_state() == before


@pytest.mark.parametrize("args", [["--scope", "root"], ["--expires-days", "0"]])
def test_token_create_refuses_bad_options_as_usage_error(cli, member, args):
    before = db_state()

    assert_usage_error(cli("token", "create", "ana.member", *args))
    assert db_state() == before


def test_invite_create_prints_a_link_on_the_listen_address_without_hostnames(cli):
    result = cli("invite", "create", "--uses", "5", "--expires-days", "3", "--note", "new team")

    assert result.exit_code == 0, result.output
    [(base, code)] = LINK_RE.findall(result.stdout)
    assert base == "http://127.0.0.1:8080"
    assert "registration is 'approval'" in result.stdout
    db.session.rollback()
    invite = invites.find_usable_invite(code)
    assert (invite.max_uses, invite.note) == (5, "new team")


class TestWithHostnames:
    @pytest.fixture
    def site_settings(self):
        return {
            "site": {"hostnames": ["social.corp.example", "social"]},
            "security": {"registration": "invite"},
        }

    def test_invite_link_uses_the_first_hostname_over_https(self, cli):
        result = cli("invite", "create")

        assert result.exit_code == 0, result.output
        assert LINK_RE.findall(result.stdout)[0][0] == "https://social.corp.example"
        assert "Note:" not in result.stdout


def test_invite_list_and_revoke(cli):
    cli("invite", "create", "--note", "for Bo")
    invite_id = db.session.scalar(select(Invite.id))

    listed = json.loads(cli("invite", "list", "--json").stdout)
    revoked = cli("invite", "revoke", str(invite_id))
    after = json.loads(cli("invite", "list", "--json").stdout)

    assert [(row["id"], row["state"], row["note"]) for row in listed] == [
        (invite_id, "usable", "for Bo")
    ]
    assert revoked.exit_code == 0 and f"Revoked invite {invite_id}" in revoked.stdout
    assert after[0]["state"] == "revoked"
    assert "for Bo" in cli("invite", "list").stdout


def test_revoking_an_unknown_invite_fails_in_one_line(cli):
    before = db_state()

    assert_user_error(cli("invite", "revoke", "999"), "no invite with id 999")
    assert db_state() == before


def test_invite_options_out_of_range_are_usage_errors(cli):
    before = db_state()

    assert_usage_error(cli("invite", "create", "--uses", "0"))
    assert_usage_error(cli("invite", "create", "--expires-days", "365"))
    assert_usage_error(cli("invite", "revoke", "abc"))
    assert db_state() == before
