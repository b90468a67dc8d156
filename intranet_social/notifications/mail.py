"""Notification e-mail through the organisation's internal relay, for people who opted in.

Only when ``[mail] host`` is set. The ids of new notifications are remembered on the session;
just before it commits their e-mails are written (one query for recipients, actors and
objects), and once the commit has happened they are sent with :mod:`smtplib`. So an e-mail is
never sent for an action that was rolled back, and a relay that is down or refuses the
message never fails the action: the failure is logged and the notification stays in the
list, without ``emailed_at``.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage

from flask import has_app_context, has_request_context, request
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, SessionTransaction, aliased

from intranet_social.accounts.models import Status, User
from intranet_social.config import Config, MailConfig
from intranet_social.core.models import utcnow
from intranet_social.core.settings import current_config
from intranet_social.extensions import db
from intranet_social.notifications.models import Notification, NotificationPreference
from intranet_social.notifications.wording import (
    Entry,
    describe,
    object_path,
    space_id_of,
    space_labels,
)
from intranet_social.posts.models import Post
from intranet_social.site_settings.service import get_setting

log = logging.getLogger(__name__)

PENDING = "notification_mail_pending"
READY = "notification_mail_ready"
#: seconds to wait for the relay before giving up on this batch
TIMEOUT = 10


@dataclass(frozen=True)
class Outgoing:
    notification_id: int
    message: EmailMessage


@dataclass(frozen=True)
class Batch:
    config: MailConfig
    messages: list[Outgoing]


def mail_enabled() -> bool:
    return has_app_context() and bool(current_config().mail.host)


def send_when_committed(notification_ids: Iterable[int]) -> None:
    """E-mail these notifications to those who opted in, once the transaction commits."""
    ids = list(notification_ids)
    if ids and mail_enabled():
        db.session().info.setdefault(PENDING, []).extend(ids)


def _base_url(config: Config) -> str:
    if has_request_context():
        return request.url_root.rstrip("/")
    return f"https://{config.site.hostnames[0]}" if config.site.hostnames else ""


def _sender(config: Config) -> str:
    host = config.site.hostnames[0] if config.site.hostnames else "localhost"
    return config.mail.sender or f"no-reply@{host}"


def _write_messages(session: Session, ids: list[int]) -> list[Outgoing]:
    config = current_config()
    recipient = aliased(User)
    actor = aliased(User)
    rows = session.execute(
        select(Notification, recipient, actor, Post.author_id)
        .join(recipient, recipient.id == Notification.user_id)
        .join(NotificationPreference, NotificationPreference.user_id == recipient.id)
        .outerjoin(actor, actor.id == Notification.actor_id)
        .outerjoin(Post, Post.id == Notification.post_id)
        .where(
            Notification.id.in_(ids),
            NotificationPreference.email_enabled.is_(True),
            recipient.status == Status.ACTIVE.value,
        )
        .order_by(Notification.id)
    ).all()
    base = _base_url(config)
    site_name = get_setting("site_name")
    spaces = space_labels(row[0] for row in rows)
    outgoing = []
    for notification, person, doer, post_author_id in rows:
        space_id = space_id_of(notification)
        entry = Entry(
            notification,
            doer,
            others=0,
            post_author_id=post_author_id,
            space=spaces.get(space_id) if space_id is not None else None,
        )
        message = EmailMessage()
        message["Subject"] = f"{site_name}: {describe(entry, person.id)}"
        message["From"] = _sender(config)
        message["To"] = person.email
        message.set_content(
            f"Hello {person.name},\n\n{describe(entry, person.id)}\n\n"
            f"{base}{object_path(entry)}\n\n"
            f"You get these e-mails because you asked for them; turn them off on "
            f"{base}/notifications.\n"
        )
        outgoing.append(Outgoing(notification.id, message))
    return outgoing


def deliver(config: MailConfig, messages: list[EmailMessage]) -> None:
    """Send ``messages`` through the relay in one connection; raises on failure."""
    with smtplib.SMTP(config.host, config.port, timeout=TIMEOUT) as smtp:
        if config.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if config.username:
            smtp.login(config.username, config.password)
        for message in messages:
            smtp.send_message(message)


def _send(batch: Batch) -> None:
    try:
        deliver(batch.config, [item.message for item in batch.messages])
    except (OSError, smtplib.SMTPException):
        log.exception(
            "could not e-mail %d notifications through %s:%d",
            len(batch.messages),
            batch.config.host,
            batch.config.port,
        )
        return
    sent = [item.notification_id for item in batch.messages]
    with db.engine.begin() as connection:
        connection.execute(
            update(Notification).where(Notification.id.in_(sent)).values(emailed_at=utcnow())
        )


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    ids = session.info.pop(PENDING, None)
    if ids:
        messages = _write_messages(session, ids)
        if messages:
            session.info[READY] = Batch(current_config().mail, messages)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    batch = session.info.pop(READY, None)
    if batch is not None:
        _send(batch)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)
        session.info.pop(READY, None)
