"""The messaging tests' site (only friends may message) and their table counts; the people
(Ana, her friend Ben, Cyd the stranger) are the shared ones of ``tests/people.py``."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from intranet_social.extensions import db
from intranet_social.friends.models import Block
from intranet_social.messaging.models import Conversation, ConversationMember, Message
from intranet_social.site_settings.models import SiteSetting


@pytest.fixture(autouse=True)
def friends_only(app: Flask) -> None:
    """Only friends may message each other (the product's rule unless an admin widens it)."""
    with app.app_context():
        db.session.merge(SiteSetting(key="messaging", value="friends"))
        db.session.commit()


def counts() -> dict[str, int]:
    """Rows in every messaging table: what a refused request must leave unchanged."""
    db.session.rollback()
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Conversation, ConversationMember, Message, Block)
    }
