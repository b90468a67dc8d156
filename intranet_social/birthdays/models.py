"""Birthday and work anniversary notices: one row per person per celebrated day, written
once that day begins.

The notifications feature turns each notice into a notification for the person's friends;
storing the notice keeps "who was told about which birthday" exact across restarts.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intranet_social.core.models import utcnow
from intranet_social.extensions import Model


class BirthdayNotice(Model):
    __tablename__ = "birthday_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: the day celebrated in the site's time zone (28 February for 29 February birthdays
    #: in other years)
    celebrated_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "celebrated_on"),)


class AnniversaryNotice(Model):
    """A work anniversary noted on its day, like :class:`BirthdayNotice`; the person's
    friends are told once per anniversary."""

    __tablename__ = "anniversary_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: the day celebrated in the site's time zone (28 February for a 29 February start in
    #: other years)
    celebrated_on: Mapped[date]
    #: how many years the person has worked here that day (1 or more)
    years: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "celebrated_on"),)
