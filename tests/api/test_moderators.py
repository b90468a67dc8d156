"""Moderators in the API: what they do on the console (reports; approving, disabling and
enabling members) they do with an admin-scope token too, and nothing more."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from intranet_social.accounts.models import Status, User
from intranet_social.admin.models import Report
from intranet_social.audit.models import AuditEvent
from intranet_social.extensions import db
from intranet_social.posts import service as posts
from intranet_social.posts.models import Post
from intranet_social.site_settings.models import SiteSetting


def events(action: str) -> list[tuple[str, str]]:
    """(actor name, target) of every audit event of ``action``."""
    query = select(AuditEvent.actor_name, AuditEvent.target).where(AuditEvent.action == action)
    return [tuple(row) for row in db.session.execute(query.order_by(AuditEvent.id))]


def state() -> tuple[list[tuple], list[tuple], int, int]:
    """Accounts, reports, settings and audit events: what a refused request leaves alone."""
    db.session.expire_all()
    people = db.session.execute(
        select(User.username, User.status, User.role, User.password_hash).order_by(User.id)
    ).all()
    reports = db.session.execute(select(Report.id, Report.status).order_by(Report.id)).all()
    settings = db.session.scalar(select(func.count()).select_from(SiteSetting))
    audited = db.session.scalar(select(func.count()).select_from(AuditEvent))
    return [tuple(p) for p in people], [tuple(r) for r in reports], settings, audited


def report_of(reporter: User, author: User, text: str = "buy my stuff") -> int:
    post = posts.create_post(author, text, audience="everyone")
    db.session.flush()
    report = Report(
        reporter_id=reporter.id, subject_id=author.id, kind="post", post_id=post.id, reason="spam"
    )
    db.session.add(report)
    db.session.commit()
    return report.id


@pytest.fixture
def moderator_api(api_as, moderator):
    return api_as(moderator, "admin")


def test_moderator_can_hold_an_admin_scope_token(api_as, moderator):
    answer = api_as(moderator, "write").post("/tokens", json={"name": "m", "scope": "admin"})
    assert answer.status_code == 403  # a token makes no token stronger than itself
    assert api_as(moderator, "admin").post("/tokens", json={"scope": "admin"}).status_code == 201


def test_moderator_lists_and_resolves_reports_every_way(
    moderator_api, documented, make_user, member, moderator
):
    tom = make_user("tom", name="Tom Target")
    dismissed, removed, disabled = (report_of(member, tom, f"post {n}") for n in range(3))
    listed = moderator_api.get("/admin/reports")
    documented(listed, "GET", "/admin/reports")
    assert [item["id"] for item in listed.get_json()["items"]] == [disabled, removed, dismissed]

    for report_id, action, status in (
        (dismissed, "dismiss", "dismissed"),
        (removed, "remove", "removed"),
        (disabled, "disable_author", "author_disabled"),
    ):
        answer = moderator_api.post(f"/admin/reports/{report_id}/resolve", json={"action": action})
        documented(answer, "POST", "/admin/reports/{report_id}/resolve")
        assert answer.get_json()["status"] == status

    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Post)) == 2
    assert db.session.get(User, tom.id).status == Status.DISABLED
    who = moderator.username
    assert events("report.dismiss") == [(who, f"report:{dismissed}")]
    assert events("report.remove")[0][0] == who
    assert events("report.disable_author") == [(who, f"report:{disabled}")]
    assert events("user.disable") == [(who, "tom")]
    assert moderator_api.get("/admin/reports").get_json()["items"] == []


def test_moderator_cannot_disable_an_admin_through_a_report(moderator_api, error_of, member, admin):
    report_id = report_of(member, admin)
    before = state()
    answer = moderator_api.post(
        f"/admin/reports/{report_id}/resolve", json={"action": "disable_author"}
    )
    assert answer.status_code == 403 and error_of(answer)["code"] == "forbidden"
    assert state() == before


def test_moderator_approves_disables_and_enables_members(
    moderator_api, documented, make_user, member, moderator
):
    make_user("pat.pending", status="pending")
    for path, status in (
        ("/admin/users/pat.pending/approve", "active"),
        ("/admin/users/ana.member/disable", "disabled"),
        ("/admin/users/ana.member/enable", "active"),
    ):
        answer = moderator_api.post(path)
        assert answer.status_code == 200
        assert answer.get_json()["status"] == status
    documented(moderator_api.get("/admin/users"), "GET", "/admin/users")
    assert events("user.approve") == [(moderator.username, "pat.pending")]
    assert events("user.disable") == [(moderator.username, "ana.member")]
    assert events("user.enable") == [(moderator.username, "ana.member")]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/admin/users/ana.member/role", {"role": "admin"}),
        ("POST", "/admin/users/mo.moderator/role", {"role": "admin"}),
        ("POST", "/admin/users/ana.member/reset-password", None),
        ("POST", "/admin/users/ada.admin/disable", None),
        ("POST", "/admin/users/other.mod/disable", None),
        ("POST", "/admin/users", {"username": "new.one", "email": "n@x.example", "name": "N"}),
        ("GET", "/admin/settings", None),
        ("PATCH", "/admin/settings", {"registration": "open"}),
        ("GET", "/admin/audit", None),
    ],
)
def test_moderator_cannot_change_roles_settings_or_staff(
    moderator_api, error_of, make_user, member, admin, method, path, body
):
    make_user("other.mod", role="moderator")
    before = state()
    answer = moderator_api.call(method, path, json=body)
    assert answer.status_code == 403
    assert error_of(answer)["code"] == "forbidden"
    assert state() == before


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/admin/reports"), ("POST", "/admin/reports/{id}/resolve"), ("GET", "/admin/users")],
)
def test_member_cannot_use_the_moderators_operations(
    api_as, error_of, make_user, member, method, path
):
    report_id = report_of(member, make_user("tom"))
    api = api_as(member, "write")
    before = state()
    answer = api.call(
        method, path.format(id=report_id), json={"action": "dismiss"} if method == "POST" else None
    )
    assert answer.status_code == 403 and error_of(answer)["code"] == "forbidden"
    assert state() == before


def test_admin_sets_a_role_over_the_api(admin_api, documented, error_of, admin, member):
    answer = admin_api.post("/admin/users/ana.member/role", json={"role": "moderator"})
    documented(answer, "POST", "/admin/users/{username}/role")
    assert answer.get_json()["role"] == "moderator"
    assert events("user.set_role") == [(admin.username, "ana.member")]

    before = state()
    for body, status, field in (
        ({"role": "owner"}, 422, "role"),
        ({"role": None}, 422, "role"),
        ({"colour": "red"}, 422, "colour"),
    ):
        refused = admin_api.post("/admin/users/ana.member/role", json=body)
        assert refused.status_code == status and error_of(refused)["field"] == field
    last_admin = admin_api.post("/admin/users/ada.admin/role", json={"role": "member"})
    assert last_admin.status_code == 409 and error_of(last_admin)["field"] == "username"
    assert admin_api.post("/admin/users/nobody/role", json={"role": "admin"}).status_code == 404
    assert state() == before
