"""Reports: who can report what, and how moderators and admins resolve them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from intranet_social.accounts.models import Status
from intranet_social.admin import reports
from intranet_social.admin.models import Report
from intranet_social.audit.models import AuditEvent
from intranet_social.core.errors import Conflict, Forbidden, Invalid, NotFound
from intranet_social.extensions import db
from intranet_social.posts import comments
from intranet_social.posts import service as posts
from intranet_social.posts.models import Comment, Post


@pytest.fixture
def author(make_user):
    return make_user("ana", name="Ana Author")


@pytest.fixture
def public_post(author):
    post = posts.create_post(author, "buy my stuff", audience="everyone")
    db.session.commit()
    return post


def report_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Report)) or 0


def actions(name: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == name)))


def test_member_reports_a_post_they_can_see(member, public_post):
    report = reports.report_content(member, "post", public_post.id, "spam")
    db.session.commit()
    assert (report.kind, report.post_id, report.subject_id) == (
        "post",
        public_post.id,
        public_post.author_id,
    )
    assert report.status == "open"
    assert len(actions("report.create")) == 1


def test_member_cannot_report_a_friends_only_post_they_cannot_see(member, author):
    post = posts.create_post(author, "friends only", audience="friends")
    db.session.commit()
    with pytest.raises(NotFound):
        reports.report_content(member, "post", post.id, "spam")
    db.session.rollback()
    assert report_count() == 0


@pytest.mark.parametrize(
    ("kind", "target", "reason", "error"),
    [
        ("post", "x", "spam", NotFound),
        ("post", "9" * 30, "spam", NotFound),
        ("profile", "ana", "bad\x00", Invalid),
        ("post", 99999, "spam", NotFound),
        ("comment", 99999, "spam", NotFound),
        ("profile", "nobody", "spam", NotFound),
        ("video", 1, "spam", Invalid),
        ("profile", "ana", "   ", Invalid),
        ("profile", "ana", "x" * 1001, Invalid),
    ],
)
def test_bad_reports_are_refused_and_nothing_is_stored(member, author, kind, target, reason, error):
    with pytest.raises(error):
        reports.report_content(member, kind, target, reason)
    db.session.rollback()
    assert report_count() == 0


def test_nobody_reports_their_own_profile(author):
    with pytest.raises(Invalid):
        reports.report_content(author, "profile", "ana", "me")
    db.session.rollback()
    assert report_count() == 0


def test_member_cannot_see_or_resolve_reports(member, public_post):
    report = reports.report_content(member, "post", public_post.id, "spam")
    db.session.commit()
    with pytest.raises(Forbidden):
        reports.report_queue(member)
    with pytest.raises(Forbidden):
        reports.resolve_report(report.id, "remove", actor=member)
    db.session.rollback()
    assert db.session.get(Post, public_post.id) is not None
    assert db.session.get(Report, report.id).status == "open"


def test_moderator_dismisses_a_report(member, moderator, public_post):
    report = reports.report_content(member, "post", public_post.id, "spam")
    db.session.commit()
    [row] = reports.report_queue(moderator)
    assert (row.reporter, row.subject, row.excerpt) == ("ana.member", "ana", "buy my stuff")
    reports.resolve_report(report.id, "dismiss", actor=moderator)
    db.session.commit()
    assert report.status == "dismissed" and report.resolved_by_id == moderator.id
    assert db.session.get(Post, public_post.id) is not None
    assert reports.report_queue(moderator) == []
    assert [e.actor_id for e in actions("report.dismiss")] == [moderator.id]


def test_moderator_removes_a_reported_post_and_it_leaves_the_feed(
    member, moderator, make_user, public_post
):
    other = make_user("otto")
    first = reports.report_content(member, "post", public_post.id, "spam")
    second = reports.report_content(other, "post", public_post.id, "spam too")
    db.session.commit()
    reports.resolve_report(first.id, "remove", actor=moderator)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Post, public_post.id) is None
    assert db.session.get(Report, second.id).status == "removed"
    assert reports.report_queue(moderator) == []
    [event] = actions("report.remove")
    assert event.target == f"post:{public_post.id}"


def test_admin_removes_a_reported_comment(member, admin, author, public_post):
    comment = comments.create_comment(author, public_post.id, "rude words")
    db.session.commit()
    report = reports.report_content(member, "comment", comment.id, "rude")
    db.session.commit()
    reports.resolve_report(report.id, "remove", actor=admin)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Comment, comment.id) is None
    assert db.session.get(Post, public_post.id).comment_count == 0


def test_moderator_disables_the_author_of_a_reported_profile(member, moderator, author):
    report = reports.report_content(member, "profile", "ana", "fake account")
    db.session.commit()
    reports.resolve_report(report.id, "disable_author", actor=moderator)
    db.session.commit()
    assert author.status == Status.DISABLED
    assert report.status == "author_disabled"
    assert actions("user.disable") and actions("report.disable_author")


def test_profile_cannot_be_removed_and_resolved_reports_stay_resolved(member, moderator, author):
    report = reports.report_content(member, "profile", "ana", "fake account")
    db.session.commit()
    with pytest.raises(Invalid):
        reports.resolve_report(report.id, "remove", actor=moderator)
    db.session.rollback()
    reports.resolve_report(report.id, "dismiss", actor=moderator)
    db.session.commit()
    with pytest.raises(Conflict):
        reports.resolve_report(report.id, "dismiss", actor=moderator)
    with pytest.raises(Invalid):
        reports.resolve_report(report.id, "explode", actor=moderator)
    with pytest.raises(NotFound):
        reports.resolve_report(99999, "dismiss", actor=moderator)
    with pytest.raises(Invalid):
        reports.report_queue(moderator, status="weird")
