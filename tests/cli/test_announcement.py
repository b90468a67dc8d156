"""``intranet-social announcement …``: the must-read posts with their counts, and who has
acknowledged one as CSV (audited); an unknown post is one line and changes nothing."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from intranet_social.audit.models import AuditEvent
from intranet_social.extensions import db
from intranet_social.posts import announcements, service
from intranet_social.spaces import service as spaces
from tests.cli.conftest import assert_usage_error, assert_user_error, db_state


@pytest.fixture
def posts(admin, author, friend, stranger):
    """An everyone must-read by the admin, which Ben acknowledged, and a must-read in Ana's
    space, of which Ben is a member; and an ordinary post."""
    everyone = service.create_post(admin, "Fire drill", audience="everyone", must_read=True)
    spaces.create_space(author, "Team", slug="team", visibility="closed")
    spaces.add_member(author, "team", friend.username)
    team = service.create_post(author, "Team rules", audience="space", space="team", must_read=True)
    ordinary = service.create_post(author, "Hello", audience="everyone")
    db.session.flush()
    announcements.acknowledge(friend, everyone.id)
    db.session.commit()
    return everyone.id, team.id, ordinary.id


def export_events() -> list[tuple[str, str, str]]:
    db.session.rollback()
    query = select(AuditEvent.action, AuditEvent.target, AuditEvent.actor_name).where(
        AuditEvent.action == "post.acknowledgements_export"
    )
    return [tuple(row) for row in db.session.execute(query)]


def test_list_shows_each_must_read_with_its_counts(cli, posts):
    everyone, team, _ordinary = posts
    listed = json.loads(cli("announcement", "list", "--json").stdout)
    assert [
        (
            item["id"],
            item["author"],
            item["space"],
            item["acknowledged_count"],
            item["audience_count"],
        )
        for item in listed
    ] == [(team, "ana", "team", 0, 1), (everyone, "ada.admin", None, 1, 3)]
    text = cli("announcement", "list").stdout.splitlines()
    assert text[0].startswith(f"{team}\tana\t/s/team\t") and text[0].endswith("0/1 acknowledged")
    assert text[1].endswith("1/3 acknowledged")


def test_list_says_when_there_are_none(cli, admin):
    assert cli("announcement", "list").stdout == "No must-read announcements.\n"
    assert json.loads(cli("announcement", "list", "--json").stdout) == []


def test_export_prints_who_has_and_who_has_not_and_is_audited(cli, posts):
    everyone = posts[0]
    result = cli("announcement", "export", str(everyone))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(row["username"], row["name"], row["status"]) for row in rows] == [
        ("ben", "Ben Friend", "acknowledged"),
        ("ana", "Ana Author", "pending"),
        ("cyd", "Cyd Stranger", "pending"),
    ]
    events = export_events()
    assert len(events) == 1 and events[0][:2] == (
        "post.acknowledgements_export",
        f"post:{everyone}",
    )
    assert events[0][2].startswith("cli:")


def test_export_writes_a_file(cli, posts, tmp_path):
    target = tmp_path / "acks.csv"
    result = cli("announcement", "export", str(posts[1]), "--output", str(target))
    assert result.exit_code == 0 and str(target) in result.stdout
    assert target.read_text().splitlines() == [
        "username,name,status,acknowledged_at",
        "ben,Ben Friend,pending,",
    ]


@pytest.mark.parametrize(
    ("which", "fragment"),
    [("unknown", "no such post"), ("ordinary", "not a must-read")],
)
def test_an_unknown_or_ordinary_post_is_one_line_and_not_audited(cli, posts, which, fragment):
    post_id = "999999" if which == "unknown" else str(posts[2])
    before = db_state()
    assert_user_error(cli("announcement", "export", post_id), fragment)
    assert db_state() == before


def test_a_post_id_must_be_a_number(cli, posts):
    assert_usage_error(cli("announcement", "export", "abc"), "POST_ID")
