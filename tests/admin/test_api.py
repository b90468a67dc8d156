"""``/api/v1/admin/settings``, ``/admin/reports``, ``/reports`` and the audit filters."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from intranet_social.admin.models import Report
from intranet_social.audit.models import AuditEvent
from intranet_social.extensions import db
from intranet_social.posts import service as posts
from intranet_social.posts.models import Post
from intranet_social.site_settings.models import SiteSetting
from tests.api.conftest import admin_api, api_as, documented, error_of, make_token

__all__ = ["admin_api", "api_as", "documented", "error_of", "make_token"]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def public_post(make_user):
    author = make_user("tom", name="Tom Target")
    post = posts.create_post(author, "buy my stuff", audience="everyone")
    db.session.commit()
    return post


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/admin/settings", None),
        ("PATCH", "/admin/settings", {"site_name": "Mine"}),
        ("GET", "/admin/reports", None),
        ("POST", "/admin/reports/1/resolve", {"action": "remove"}),
    ],
)
@pytest.mark.parametrize("role", ["member", "moderator"])
def test_members_and_moderators_cannot_use_settings_or_report_operations(
    api_as, make_user, public_post, role, method, path, body
):
    user = make_user("who", role=role)
    db.session.add(Report(reporter_id=user.id, kind="post", post_id=public_post.id, reason="x"))
    db.session.commit()
    response = api_as(user, "write").call(method, path, json=body)
    assert response.status_code == 403
    db.session.expire_all()
    assert count(SiteSetting) == 0 and db.session.get(Post, public_post.id) is not None


def test_admin_reads_and_changes_settings(admin_api, documented):
    response = admin_api.get("/admin/settings")
    documented(response, "GET", "/admin/settings")
    assert response.json["registration"] == "approval"
    response = admin_api.call(
        "PATCH", "/admin/settings", json={"registration": "open", "email_domains": ["a.example"]}
    )
    documented(response, "PATCH", "/admin/settings")
    assert response.json["registration"] == "open"
    assert response.json["email_domains"] == ["a.example"]
    assert count(AuditEvent.__table__) >= 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"max_image_mb": "5"}, "max_image_mb"),
        ({"max_image_mb": 0}, "max_image_mb"),
        ({"email_domains": "a.example"}, "email_domains"),
        ({"registration": "anyone"}, "registration"),
        ({"colour": "red"}, "colour"),
        ({"site_name": "ok", "messaging": "nobody"}, "messaging"),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(admin_api, error_of, body, field):
    response = admin_api.call("PATCH", "/admin/settings", json=body)
    assert response.status_code == 422
    assert error_of(response)["field"] == field
    assert count(SiteSetting) == 0


def test_member_reports_and_admin_resolves_over_the_api(
    api_as, admin_api, documented, error_of, member, public_post
):
    api = api_as(member, "write")
    body = {"kind": "post", "target": str(public_post.id), "reason": "spam"}
    response = api.post("/reports", json=body)
    documented(response, "POST", "/reports")
    report_id = response.json["id"]
    assert api.post("/reports", json={**body, "target": "999"}).status_code == 404
    assert api.post("/reports", json={**body, "reason": ""}).status_code == 422
    response = admin_api.get("/admin/reports")
    documented(response, "GET", "/admin/reports")
    assert [r["id"] for r in response.json["items"]] == [report_id]
    path = f"/admin/reports/{report_id}/resolve"
    response = admin_api.post(path, json={"action": "remove"})
    documented(response, "POST", "/admin/reports/{report_id}/resolve")
    assert response.json["status"] == "removed"
    assert admin_api.post(path, json={"action": "remove"}).status_code == 409
    missing = admin_api.post("/admin/reports/999/resolve", json={"action": "dismiss"})
    assert missing.status_code == 404
    assert count(Post) == 0


def test_audit_operation_filters_by_actor_action_and_dates(admin_api, documented, error_of):
    response = admin_api.get("/admin/audit?action=user&since=2000-01-01")
    documented(response, "GET", "/admin/audit")
    assert {e["action"].split(".")[0] for e in response.json["items"]} == {"user"}
    response = admin_api.get("/admin/audit?since=2999-01-01")
    assert response.json["items"] == []
    response = admin_api.get("/admin/audit?until=never")
    assert response.status_code == 422 and error_of(response)["field"] == "until"
