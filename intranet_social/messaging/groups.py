"""Groups: 2 to 50 members and a name; members may add people they could message, and anyone
may leave. Functions only ``flush()``; the caller commits."""

from __future__ import annotations

from collections.abc import Sequence

from intranet_social.accounts.models import User
from intranet_social.core.errors import Invalid
from intranet_social.core.models import utcnow
from intranet_social.extensions import db
from intranet_social.friends.blocks import active_person
from intranet_social.messaging.models import Conversation
from intranet_social.messaging.service import (
    MAX_MEMBERS,
    MAX_NAME,
    check_can_message,
    get_conversation,
    join_conversation,
    members_of,
    membership,
)
from intranet_social.posts.service import clean_body


def clean_name(name: str | None) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise Invalid("Give the group a name.", "name")
    if len(text) > MAX_NAME:
        raise Invalid(f"Use at most {MAX_NAME} characters for the name.", "name")
    return clean_body(text, "name", MAX_NAME)


def create_group(user: User, usernames: Sequence[str], name: str | None) -> Conversation:
    """A new group of ``user`` and the people named (2 to 50 in all), each someone ``user``
    may message."""
    if len(usernames) >= MAX_MEMBERS + 1:
        raise Invalid(f"A group has at most {MAX_MEMBERS} members.", "members")
    others: dict[int, User] = {}
    for username in usernames:
        person = active_person(username)
        if person.id != user.id:
            check_can_message(user, person, "members")
            others[person.id] = person
    if not others:
        raise Invalid("Add at least one other person to the group.", "members")
    if len(others) + 1 > MAX_MEMBERS:
        raise Invalid(f"A group has at most {MAX_MEMBERS} members.", "members")
    title = clean_name(name)
    conversation = Conversation(is_group=True, name=title, created_by_id=user.id)
    db.session.add(conversation)
    db.session.flush()
    for member_id in [user.id, *others]:
        join_conversation(conversation.id, member_id)
    db.session.flush()
    return conversation


def add_member(user: User, conversation_id: int, username: str) -> User:
    """Add ``username`` to a group ``user`` is in; returns them."""
    conversation = get_conversation(user, conversation_id)
    if not conversation.is_group:
        raise Invalid("Only groups take more people; start a group instead.", "username")
    person = active_person(username)
    members = members_of(conversation.id)
    if any(member.id == person.id for member in members):
        return person
    check_can_message(user, person, "username")
    if len(members) >= MAX_MEMBERS:
        raise Invalid(f"A group has at most {MAX_MEMBERS} members.", "username")
    join_conversation(conversation.id, person.id)
    db.session.flush()
    return person


def leave(user: User, conversation_id: int) -> None:
    """``user`` leaves a group: they no longer see it."""
    member = membership(user, conversation_id)
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or not conversation.is_group:
        raise Invalid("You can leave groups only.")
    member.left_at = utcnow()
    db.session.flush()
