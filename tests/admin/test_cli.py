"""``report``, ``settings`` and ``audit`` commands: the console's CLI parity."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from intranet_social.admin import reports
from intranet_social.admin.models import Report
from intranet_social.audit.models import AuditEvent
from intranet_social.audit.service import record
from intranet_social.extensions import db
from intranet_social.posts import service as posts
from intranet_social.posts.models import Post
from intranet_social.site_settings import service as settings
from tests.cli.conftest import assert_user_error, cli, db_state

__all__ = ["cli"]


@pytest.fixture
def reported_post(member, make_user):
    author = make_user("ana", name="Ana Author")
    post = posts.create_post(author, "buy my stuff", audience="everyone")
    db.session.flush()
    report = reports.report_content(member, "post", post.id, "spam\nand more")
    db.session.commit()
    return report


def test_report_list_shows_open_reports(cli, reported_post):
    result = cli("report", "list")
    assert result.exit_code == 0, result.output
    assert f"{reported_post.id}  " in result.output and "spam and more" in result.output
    data = json.loads(cli("report", "list", "--json").output)
    assert [row["id"] for row in data] == [reported_post.id]
    assert data[0]["subject"] == "ana" and data[0]["reporter"] == "ana.member"
    assert json.loads(cli("report", "list", "--status", "dismissed", "--json").output) == []


def test_report_resolve_removes_the_post_and_is_audited_with_the_os_user(cli, reported_post):
    post_id = reported_post.post_id
    result = cli("report", "resolve", str(reported_post.id), "remove")
    assert result.exit_code == 0, result.output
    assert "removed" in result.output
    db.session.expire_all()
    assert db.session.get(Post, post_id) is None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.remove")).one()
    assert event.actor_name.startswith("cli:")


def test_report_resolve_refuses_unknown_and_resolved_reports(cli, reported_post):
    before = db_state()
    assert_user_error(cli("report", "resolve", "999", "dismiss"), "no such report")
    assert db_state() == before
    assert cli("report", "resolve", str(reported_post.id), "dismiss").exit_code == 0
    before = db_state()
    assert_user_error(cli("report", "resolve", str(reported_post.id), "dismiss"), "already")
    assert db_state() == before
    assert cli("report", "resolve", "x", "dismiss").exit_code == 2
    assert cli("report", "resolve", "1", "explode").exit_code == 2
    assert db.session.get(Report, reported_post.id).status == "dismissed"


def test_settings_get_and_set(cli):
    result = cli("settings", "get")
    assert result.exit_code == 0 and "registration = " in result.output
    assert cli("settings", "set", "registration", "open").exit_code == 0
    assert cli("settings", "get", "registration").output.strip() == "open"
    assert cli("settings", "set", "email_domains", "corp.example", "lab.example").exit_code == 0
    assert json.loads(cli("settings", "get", "email_domains", "--json").output) == [
        "corp.example",
        "lab.example",
    ]
    db.session.expire_all()
    assert settings.get_setting("registration") == "open"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.target == "registration")).one()
    assert event.actor_name.startswith("cli:") and event.details["new"] == "open"


def test_settings_set_refuses_bad_values_and_keys(cli):
    before = db_state()
    assert_user_error(cli("settings", "set", "max_video_mb", "lots"), "max_video_mb")
    assert_user_error(cli("settings", "set", "registration", "anyone"), "registration")
    assert db_state() == before
    assert cli("settings", "set", "nope", "1").exit_code == 2
    assert cli("settings", "get", "nope").exit_code == 2


def test_audit_list_filters_by_day_actor_and_action(cli, admin):
    record("user.disable", actor=admin, target="bob")
    record("settings.change", actor_name="cli:ops-team", target="site_name")
    db.session.commit()
    rows = json.loads(cli("audit", "list", "--json").output)
    assert {"user.disable", "settings.change"} <= {row["action"] for row in rows}
    rows = json.loads(cli("audit", "list", "--json", "--action", "user").output)
    assert {row["action"] for row in rows} <= {"user.disable", "user.create"}
    rows = json.loads(cli("audit", "list", "--json", "--actor", "cli:ops-team").output)
    assert [row["target"] for row in rows] == ["site_name"]
    assert json.loads(cli("audit", "list", "--json", "--since", "2999-01-01").output) == []
    assert "user.disable" in cli("audit", "list").output


def test_audit_list_refuses_bad_dates(cli):
    assert_user_error(cli("audit", "list", "--since", "yesterday"), "since")
    assert_user_error(
        cli("audit", "list", "--since", "2024-02-02", "--until", "2024-01-01"), "until"
    )
