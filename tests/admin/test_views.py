"""The admin console and the report pages over HTTP: who may do what, and what it leaves."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from intranet_social.accounts.models import Status, User
from intranet_social.admin.models import Report
from intranet_social.audit.models import AuditEvent
from intranet_social.extensions import db
from intranet_social.posts import service as posts
from intranet_social.posts.models import Post
from intranet_social.site_settings import service as settings
from intranet_social.site_settings.models import SiteSetting
from tests.conftest import csrf_from

ADMIN_PAGES = [
    "/admin",
    "/admin/people",
    "/admin/invites",
    "/admin/reports",
    "/admin/settings",
    "/admin/audit",
    "/admin/audit.csv",
]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def token(client, path: str = "/") -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


@pytest.fixture
def target(make_user):
    return make_user("tom", name="Tom Target", department="Sales")


@pytest.fixture
def public_post(target):
    post = posts.create_post(target, "buy my stuff", audience="everyone")
    db.session.commit()
    return post


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_member_gets_403_on_every_admin_page(auth, member, client, path):
    auth.login(member.username)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/admin/people/tom/disable", {}),
        ("/admin/people/tom/delete", {}),
        ("/admin/people/tom/reset-password", {}),
        ("/admin/people/tom/role", {"role": "admin"}),
        ("/admin/invites", {"uses": "1", "expires_days": "7"}),
        ("/admin/invites/1/revoke", {}),
        ("/admin/settings", {"site_name": "Mine", "registration": "open"}),
        ("/admin/reports/1", {"action": "remove"}),
    ],
)
def test_member_gets_403_on_every_admin_operation_and_nothing_changes(
    auth, member, client, target, public_post, path, data
):
    report = Report(reporter_id=member.id, kind="post", post_id=public_post.id, reason="x")
    db.session.add(report)
    db.session.commit()
    events = count(AuditEvent)
    auth.login(member.username)
    answer = client.post(path, data={**data, "csrf_token": token(client)})
    assert answer.status_code == 403
    db.session.expire_all()
    assert target.status == Status.ACTIVE and target.role == "member"
    assert db.session.get(Post, public_post.id) is not None
    assert db.session.get(Report, report.id).status == "open"
    assert count(SiteSetting) == 0
    assert count(AuditEvent) == events + 1  # only the login


def test_moderator_cannot_change_roles_or_settings(auth, moderator, client, target):
    auth.login(moderator.username)
    csrf = token(client)
    assert client.get("/admin/settings").status_code == 403
    answer = client.post("/admin/settings", data={"site_name": "Mine", "csrf_token": csrf})
    assert answer.status_code == 403
    answer = client.post("/admin/people/tom/role", data={"role": "admin", "csrf_token": csrf})
    assert answer.status_code == 403
    answer = client.post("/admin/people/tom/delete", data={"csrf_token": csrf})
    assert answer.status_code == 403
    db.session.expire_all()
    assert target.role == "member" and count(SiteSetting) == 0
    assert db.session.get(User, target.id) is not None


def test_moderator_sees_reports_and_people_and_disables_a_member(
    auth, moderator, admin, client, target
):
    auth.login(moderator.username)
    assert client.get("/admin").headers["Location"].endswith("/admin/reports")
    assert client.get("/admin/reports").status_code == 200
    page = client.get("/admin/people").get_data(as_text=True)
    assert "tom" in page and "Reset password" not in page
    csrf = token(client, "/admin/people")
    answer = client.post("/admin/people/tom/disable", data={"csrf_token": csrf})
    assert answer.status_code == 302
    db.session.expire_all()
    assert target.status == Status.DISABLED
    answer = client.post("/admin/people/ada.admin/disable", data={"csrf_token": csrf})
    assert answer.status_code == 403
    db.session.expire_all()
    assert admin.status == Status.ACTIVE


def test_posts_without_csrf_token_are_refused(auth, admin, client, target):
    auth.login(admin.username)
    for path in ("/admin/people/tom/disable", "/admin/settings", "/admin/invites"):
        assert client.post(path, data={"site_name": "Mine"}).status_code == 400
    db.session.expire_all()
    assert target.status == Status.ACTIVE and count(SiteSetting) == 0


def test_unknown_people_reports_and_invites_are_404(auth, admin, client):
    auth.login(admin.username)
    csrf = token(client)
    events = count(AuditEvent)
    for path in (
        "/admin/people/nobody/disable",
        "/admin/people/nobody/role",
        "/admin/reports/999",
        "/admin/invites/999/revoke",
    ):
        answer = client.post(path, data={"csrf_token": csrf, "action": "dismiss", "role": "admin"})
        assert answer.status_code == 404, path
    assert client.get("/report/post/999").status_code == 404  # the form too, not only sending it
    assert (
        client.post("/report/post/999", data={"csrf_token": csrf, "reason": "x"}).status_code == 404
    )
    assert client.get("/report/video/1").status_code == 404
    assert count(AuditEvent) == events and count(Report) == 0


def test_dashboard_shows_the_numbers(auth, admin, client, public_post):
    auth.login(admin.username)
    page = client.get("/admin").get_data(as_text=True)
    assert "Posts today" in page and "Storage used" in page


def test_admin_filters_people_by_department_status_and_search(auth, admin, client, target):
    auth.login(admin.username)
    page = client.get("/admin/people?department=sales").get_data(as_text=True)
    assert 'id="person-tom"' in page and 'id="person-ada.admin"' not in page
    page = client.get("/admin/people?q=ad&status=active&role=admin").get_data(as_text=True)
    assert 'id="person-ada.admin"' in page and 'id="person-tom"' not in page
    assert client.get("/admin/people?status=weird").status_code == 422


def test_admin_resets_a_password_and_sees_it_once(auth, admin, client, target):
    auth.login(admin.username)
    answer = client.post("/admin/people/tom/reset-password", data={"csrf_token": token(client)})
    assert answer.status_code == 200
    password = re.search(r'<code class="secret">([^<]+)</code>', answer.get_data(as_text=True))
    assert password
    db.session.expire_all()
    assert target.must_change_password
    assert password.group(1) not in client.get("/admin/people").get_data(as_text=True)
    assert "password.reset" in audit_actions()


def test_admin_sets_a_role_approves_and_deletes(auth, admin, client, make_user, target):
    pending = make_user("pat", status=Status.PENDING)
    auth.login(admin.username)
    csrf = token(client)
    client.post("/admin/people/tom/role", data={"role": "moderator", "csrf_token": csrf})
    client.post("/admin/people/pat/approve", data={"csrf_token": csrf})
    db.session.expire_all()
    assert target.role == "moderator" and pending.status == Status.ACTIVE
    answer = client.post("/admin/people/tom/role", data={"role": "king", "csrf_token": csrf})
    assert answer.status_code == 422
    client.post("/admin/people/pat/delete", data={"csrf_token": csrf})
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.username == "pat")) is None
    actions = audit_actions()
    assert {"user.set_role", "user.approve", "user.delete"} <= set(actions)


def test_last_active_admin_cannot_be_demoted_disabled_or_deleted(auth, admin, client):
    auth.login(admin.username)
    csrf = token(client)
    answer = client.post(
        "/admin/people/ada.admin/role", data={"role": "member", "csrf_token": csrf}
    )
    assert answer.status_code == 409
    assert "last active admin" in answer.get_data(as_text=True)
    assert (
        client.post("/admin/people/ada.admin/disable", data={"csrf_token": csrf}).status_code == 409
    )
    db.session.expire_all()
    assert admin.role == "admin" and admin.status == Status.ACTIVE


def test_admin_creates_an_invite_sees_the_link_once_and_revokes_it(auth, admin, client):
    auth.login(admin.username)
    answer = client.post(
        "/admin/invites",
        data={"uses": "3", "expires_days": "5", "note": "new hires", "csrf_token": token(client)},
    )
    assert answer.status_code == 200
    assert "/register?invite=" in answer.get_data(as_text=True)
    page = client.get("/admin/invites").get_data(as_text=True)
    assert "/register?invite=" not in page and "new hires" in page
    bad = client.post(
        "/admin/invites", data={"uses": "0", "expires_days": "5", "csrf_token": token(client)}
    )
    assert bad.status_code == 422
    answer = client.post("/admin/invites/1/revoke", data={"csrf_token": token(client)})
    assert answer.status_code == 302
    assert {"invite.create", "invite.revoke"} <= set(audit_actions())


def test_admin_changes_settings_in_the_form_and_they_apply_at_once(auth, admin, client):
    auth.login(admin.username)
    data = {
        "site_name": "Acme Social",
        "registration": "domain",
        "email_domains": "acme.example, lab.example",
        "messaging": "everyone",
        "default_audience": "everyone",
        "space_creation": "everyone",
        "max_image_mb": "5",
        "max_video_mb": "50",
        "csrf_token": token(client, "/admin/settings"),
    }
    assert client.post("/admin/settings", data=data).status_code == 302
    assert "Acme Social" in client.get("/admin/settings").get_data(as_text=True)
    assert settings.get_setting("email_domains") == ["acme.example", "lab.example"]
    assert settings.get_setting("messaging") == "everyone"
    composer = client.get("/").get_data(as_text=True)
    assert re.search(r'<option selected value="everyone">', composer)
    assert audit_actions().count("settings.change") == 7


def test_bad_settings_form_names_the_field_and_changes_nothing(auth, admin, client):
    auth.login(admin.username)
    data = {
        "site_name": "Acme",
        "registration": "open",
        "email_domains": "",
        "messaging": "everyone",
        "default_audience": "friends",
        "space_creation": "admins",
        "max_image_mb": "lots",
        "max_video_mb": "50",
        "csrf_token": token(client, "/admin/settings"),
    }
    answer = client.post("/admin/settings", data=data)
    assert answer.status_code == 422
    assert "whole number of megabytes" in answer.get_data(as_text=True)
    assert count(SiteSetting) == 0 and "settings.change" not in audit_actions()


def test_member_reports_a_post_and_a_moderator_removes_it_from_the_feed(
    auth, member, moderator, client, public_post
):
    post_id = public_post.id
    auth.login(member.username)
    assert "Report" in client.get(f"/posts/{post_id}").get_data(as_text=True)
    path = f"/report/post/{post_id}"
    csrf = token(client, path)
    assert client.post(path, data={"reason": " ", "csrf_token": csrf}).status_code == 422
    answer = client.post(path, data={"reason": "spam", "next": "/", "csrf_token": csrf})
    assert answer.status_code == 302
    [report] = db.session.scalars(select(Report)).all()
    auth.logout()
    auth.login(moderator.username)
    assert "buy my stuff" in client.get("/admin/reports").get_data(as_text=True)
    csrf = token(client, "/admin/reports")
    answer = client.post(
        f"/admin/reports/{report.id}", data={"action": "explode", "csrf_token": csrf}
    )
    assert answer.status_code == 422
    answer = client.post(
        f"/admin/reports/{report.id}", data={"action": "remove", "csrf_token": csrf}
    )
    assert answer.status_code == 302
    assert "buy my stuff" not in client.get("/admin/reports").get_data(as_text=True)
    auth.logout()
    auth.login(member.username)
    assert client.get(f"/posts/{post_id}").status_code == 404
    assert "buy my stuff" not in client.get("/u/tom").get_data(as_text=True)
    assert {"report.create", "report.remove"} <= set(audit_actions())


def test_members_report_comments_and_profiles(auth, member, client, target, public_post):
    from intranet_social.posts import comments

    comment = comments.create_comment(target, public_post.id, "rude words")
    db.session.commit()
    auth.login(member.username)
    assert "Report" in client.get("/u/tom").get_data(as_text=True)
    csrf = token(client, "/report/profile/tom")
    for path in (f"/report/comment/{comment.id}", "/report/profile/tom"):
        assert client.post(path, data={"reason": "bad", "csrf_token": csrf}).status_code == 302
    assert sorted(db.session.scalars(select(Report.kind))) == ["comment", "profile"]


def test_audit_view_filters_and_exports_csv(auth, admin, client, target):
    from intranet_social.audit.service import record

    record("user.disable", actor=admin, target="tom")
    record("settings.change", actor_name="=cmd|' /C calc'!A0", target="x")
    db.session.commit()
    auth.login(admin.username)
    page = client.get("/admin/audit?action=user.disable").get_data(as_text=True)
    assert "user.disable" in page and "settings.change" not in page
    assert client.get("/admin/audit?since=yesterday").status_code == 422
    answer = client.get("/admin/audit.csv")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True))))
    assert rows[0] == ["id", "created_at", "action", "actor", "target", "ip", "details"]
    actors = [row[3] for row in rows[1:]]
    assert "'=cmd|' /C calc'!A0" in actors  # formulas are defused for spreadsheets
    filtered = client.get("/admin/audit.csv?actor=ada.admin").get_data(as_text=True)
    assert "user.disable" in filtered and "calc" not in filtered


def test_nothing_in_the_product_edits_or_deletes_an_audit_event():
    package = Path(__file__).parents[2] / "intranet_social"
    pattern = re.compile(
        r"(update|delete)\(\s*AuditEvent|AuditEvent\)?\.(query\.)?(update|delete)|"
        r"DELETE FROM audit_events|UPDATE audit_events",
        re.IGNORECASE,
    )
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_admin_link_shows_for_moderators_and_admins_only(auth, client, member, moderator):
    auth.login(member.username)
    assert 'href="/admin"' not in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(moderator.username)
    assert 'href="/admin"' in client.get("/").get_data(as_text=True)
