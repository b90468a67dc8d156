"""Reports of posts, comments and profiles, and how moderators resolve them.

Anyone signed in can report what they can see. Moderators and admins dismiss a report, remove
the reported content (the post or comment is deleted, its files once the deletion commits), or
disable the author. Every resolution is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select, update

from intranet_social.accounts import service as accounts
from intranet_social.accounts.models import Status, User
from intranet_social.admin.models import Report, ReportStatus
from intranet_social.audit import service as audit
from intranet_social.core.errors import Conflict, Forbidden, Invalid, NotFound
from intranet_social.core.models import id_from_text, utcnow
from intranet_social.extensions import db
from intranet_social.friends.service import active_user
from intranet_social.media.storage import delete_when_committed
from intranet_social.posts import comments as post_comments
from intranet_social.posts import service as posts
from intranet_social.posts.models import Comment, Post

KINDS = ("post", "comment", "profile")
ACTIONS = ("dismiss", "remove", "disable_author")
MAX_REASON = 1000
NO_SUCH_REPORT = "There is no such report."


@dataclass(frozen=True)
class ReportRow:
    """A report as the queue shows it."""

    report: Report
    reporter: str
    subject: str
    excerpt: str


def _clean_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise Invalid("Say why you report this.", "reason")
    if "\x00" in text:
        raise Invalid("The reason contains a NUL character.", "reason")
    if len(text) > MAX_REASON:
        raise Invalid(f"The reason can be at most {MAX_REASON} characters.", "reason")
    return text


def reported(reporter: User, kind: str, target: str | int) -> Report:
    """A report (not yet written, without its reason) of what ``reporter`` names: a post or
    comment (by id) they can see, or a profile (by username); :class:`NotFound` otherwise,
    as if it did not exist."""
    if kind not in KINDS:
        raise Invalid(f"Report a {', a '.join(KINDS)}.", "kind")
    report = Report(reporter_id=reporter.id, kind=kind)
    if kind == "post":
        post = posts.get_post(reporter, _as_id(target))
        report.post_id, report.subject_id = post.id, post.author_id
    elif kind == "comment":
        comment, _post = post_comments.get_comment(reporter, _as_id(target))
        report.comment_id, report.subject_id = comment.id, comment.author_id
    else:
        report.subject_id = active_user(str(target)).id
    return report


def report_content(reporter: User, kind: str, target: str | int, reason: str | None) -> Report:
    """``reporter`` reports a post or comment (by id) or a profile (by username) they can see."""
    report = reported(reporter, kind, target)
    report.reason = _clean_reason(reason)
    if report.subject_id == reporter.id:
        raise Invalid("You cannot report your own content.", "kind")
    db.session.add(report)
    db.session.flush()
    audit.record("report.create", actor=reporter, target=f"report:{report.id}", kind=kind)
    return report


def _as_id(target: str | int) -> int:
    number = id_from_text(str(target).strip())
    if number is None:
        raise NotFound("There is no such post or comment.")
    return number


def _require_moderator(user: User | None) -> None:
    if user is not None and not user.is_moderator:
        raise Forbidden("Only moderators and admins can see and resolve reports.")


def report_queue(
    viewer: User | None, *, status: str = "open", before_id: int | None = None, limit: int = 50
) -> list[ReportRow]:
    """Reports with ``status``, newest first, paged back by keyset (``before_id``)."""
    _require_moderator(viewer)
    if status not in {s.value for s in ReportStatus}:
        raise Invalid(f"Choose a status: {', '.join(s.value for s in ReportStatus)}.", "status")
    query = select(Report).where(Report.status == status).order_by(Report.id.desc())
    if before_id is not None:
        query = query.where(Report.id < before_id)
    return report_rows(list(db.session.scalars(query.limit(limit))))


def report_rows(reports: list[Report]) -> list[ReportRow]:
    """The reports with the names and the text they are about, in three queries."""
    user_ids = {r.reporter_id for r in reports} | {r.subject_id for r in reports}
    # keyed by the nullable id columns the rows are looked up by
    names: dict[int | None, str] = dict(
        db.session.execute(
            select(User.id, User.username).where(User.id.in_(user_ids - {None}))
        ).all()
    )
    post_bodies: dict[int | None, str] = dict(
        db.session.execute(
            select(Post.id, Post.body).where(Post.id.in_({r.post_id for r in reports} - {None}))
        ).all()
    )
    comment_bodies: dict[int | None, str] = dict(
        db.session.execute(
            select(Comment.id, Comment.body).where(
                Comment.id.in_({r.comment_id for r in reports} - {None})
            )
        ).all()
    )
    rows = []
    for r in reports:
        body = post_bodies.get(r.post_id) or comment_bodies.get(r.comment_id) or ""
        rows.append(
            ReportRow(
                report=r,
                reporter=names.get(r.reporter_id, ""),
                subject=names.get(r.subject_id, ""),
                excerpt=body[:200],
            )
        )
    return rows


def resolve_report(
    report_id: int, action: str, *, actor: User | None = None, actor_name: str | None = None
) -> Report:
    """Dismiss an open report, remove its content, or disable the author (moderators, admins)."""
    _require_moderator(actor)
    if action not in ACTIONS:
        raise Invalid(f"Choose an action: {', '.join(ACTIONS)}.", "action")
    report = db.session.get(Report, report_id)
    if report is None:
        raise NotFound(NO_SUCH_REPORT)
    if report.status != ReportStatus.OPEN:
        raise Conflict(f"This report was already resolved ({report.status}).")
    target = f"report:{report.id}"
    if action == "dismiss":
        status = ReportStatus.DISMISSED
    elif action == "remove":
        if report.kind == "profile":
            raise Invalid("A profile cannot be removed; disable the author instead.", "action")
        status = ReportStatus.REMOVED
        target = _remove_content(report)
    else:
        status = ReportStatus.AUTHOR_DISABLED
        author = db.session.get(User, report.subject_id) if report.subject_id else None
        if author is None:
            raise NotFound("The author of this content no longer exists.")
        if author.status != Status.DISABLED:
            accounts.disable_user(author, actor=actor, actor_name=actor_name)
    _close(report, status, actor)
    audit.record(
        f"report.{action}",
        actor=actor,
        actor_name=actor_name,
        target=target,
        report=report.id,
        kind=report.kind,
    )
    db.session.flush()
    return report


def _close(report: Report, status: ReportStatus, actor: User | None) -> None:
    report.status = status.value
    report.resolved_by_id = actor.id if actor is not None else None
    report.resolved_at = utcnow()


def _remove_content(report: Report) -> str:
    """Delete the reported post or comment; other open reports of it close with this one."""
    if report.kind == "post":
        post = db.session.get(Post, report.post_id) if report.post_id else None
        if post is None:
            raise NotFound("The reported post is gone already.")
        keys = [media.key for media in posts.media_of(post)]
        same = Report.post_id == post.id
        target = f"post:{post.id}"
        _close_others(same, report)
        db.session.delete(post)
        db.session.flush()
        delete_when_committed(keys)
        return target
    comment = db.session.get(Comment, report.comment_id) if report.comment_id else None
    if comment is None:
        raise NotFound("The reported comment is gone already.")
    _close_others(Report.comment_id == comment.id, report)
    db.session.execute(
        update(Post)
        .where(Post.id == comment.post_id)
        .values(comment_count=Post.comment_count - 1)
        .execution_options(synchronize_session=False)
    )
    target = f"comment:{comment.id}"
    db.session.delete(comment)
    db.session.flush()
    return target


def _close_others(same_target: ColumnElement[bool], report: Report) -> None:
    db.session.execute(
        update(Report)
        .where(same_target, Report.id != report.id, Report.status == ReportStatus.OPEN.value)
        .values(status=ReportStatus.REMOVED.value, resolved_at=utcnow())
        .execution_options(synchronize_session=False)
    )
