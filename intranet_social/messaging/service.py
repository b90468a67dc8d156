"""Conversations and messages: who may write to whom, groups, unread counts, new messages.

Only current members may read, poll or write to a conversation; to anyone else it does not
exist (:class:`NotFound`). One-to-one conversations follow the site's messaging rule (friends,
or everyone) and blocks; a group member may write to the group, and may add people they could
message. Every function flushes; the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import Select, and_, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.datastructures import FileStorage

from intranet_social.accounts.models import Status, User
from intranet_social.core import transaction
from intranet_social.core.errors import Forbidden, Invalid, NotFound
from intranet_social.core.models import MAX_ID, utcnow
from intranet_social.core.reads import Packed
from intranet_social.extensions import db
from intranet_social.friends.blocks import active_person, is_blocked_between
from intranet_social.friends.service import are_friends
from intranet_social.media.storage import store_image
from intranet_social.messaging.models import (
    Conversation,
    ConversationMember,
    Message,
    MessageMedia,
)
from intranet_social.posts.service import clean_body
from intranet_social.site_settings.service import get_setting

Upload = FileStorage | IO[bytes]

MAX_MEMBERS = 50
MAX_PHOTOS = 10
MAX_NAME = 100
PAGE_SIZE = 30
NO_SUCH_CONVERSATION = "There is no such conversation, or you are not in it."


@dataclass(frozen=True)
class ConversationSummary:
    """A line of the conversation list."""

    conversation: Conversation
    title: str
    members: list[User]
    unread: int
    last_message: Message | None


# ---------------------------------------------------------------- the rules


def messaging_policy() -> str:
    """Who may message whom: ``"friends"`` or ``"everyone"``, the site setting ``messaging``."""
    return "everyone" if get_setting("messaging") == "everyone" else "friends"


def can_message(sender: User, other: User) -> bool:
    """Whether ``sender`` may write to ``other`` one-to-one (or add them to a group)."""
    if other.id == sender.id or other.status != Status.ACTIVE:
        return False
    if is_blocked_between(sender.id, other.id):
        return False
    return messaging_policy() == "everyone" or are_friends(sender.id, other.id)


def check_can_message(sender: User, other: User, field: str) -> None:
    if not can_message(sender, other):
        raise Forbidden(f"You cannot send messages to {other.name}.", field)


# ---------------------------------------------------------------- look-ups


def membership(user: User, conversation_id: int) -> ConversationMember:
    member = None
    if 0 < conversation_id <= MAX_ID:
        member = db.session.get(ConversationMember, (conversation_id, user.id))
    if member is None or not member.is_current:
        raise NotFound(NO_SUCH_CONVERSATION)
    return member


def get_conversation(user: User, conversation_id: int) -> Conversation:
    """The conversation, if ``user`` is in it; otherwise :class:`NotFound`."""
    membership(user, conversation_id)
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound(NO_SUCH_CONVERSATION)
    return conversation


def members_of(conversation_id: int) -> list[User]:
    """The current members, by name."""
    query = (
        select(User)
        .join(ConversationMember, ConversationMember.user_id == User.id)
        .where(
            ConversationMember.conversation_id == conversation_id,
            ConversationMember.is_current,
        )
        .order_by(User.name, User.id)
    )
    return list(db.session.scalars(query))


def title_for(user: User, conversation: Conversation, members: Sequence[User]) -> str:
    """A group's name; for one-to-one, the other person's name."""
    if conversation.is_group:
        return conversation.name
    others = [member.name for member in members if member.id != user.id]
    return others[0] if others else "Conversation"


def other_member(user: User, members: Sequence[User]) -> User | None:
    return next((member for member in members if member.id != user.id), None)


#: built once: open pages poll with this every few seconds, and building the statement
#: costs more than running it
_NEWEST_MESSAGE = (
    select(Conversation.last_message_id, ConversationMember.is_current.label("is_current"))
    .join(ConversationMember, ConversationMember.conversation_id == Conversation.id)
    .where(
        Conversation.id == bindparam("conversation_id"),
        ConversationMember.user_id == bindparam("user_id"),
    )
)


def has_news(user: User, conversation_id: int, after: int) -> bool:
    """Whether the conversation has messages after ``after``: one query by primary keys,
    which also checks that ``user`` is a member (:class:`NotFound` otherwise)."""
    if not 0 < conversation_id <= MAX_ID:
        raise NotFound(NO_SUCH_CONVERSATION)
    row = db.session.execute(
        _NEWEST_MESSAGE, {"conversation_id": conversation_id, "user_id": user.id}
    ).first()
    if row is None or not row.is_current:
        raise NotFound(NO_SUCH_CONVERSATION)
    return (row.last_message_id or 0) > after


def messages_before(
    user: User, conversation_id: int, before: int | None = None, limit: int = PAGE_SIZE
) -> tuple[list[Message], int | None]:
    """Up to ``limit`` messages older than the id ``before`` (the newest without it), oldest
    first, and the id to pass as ``before`` for the older ones (``None`` when there are none)."""
    membership(user, conversation_id)
    query = select(Message).where(Message.conversation_id == conversation_id)
    if before is not None:
        query = query.where(Message.id < before)
    rows = list(db.session.scalars(query.order_by(Message.id.desc()).limit(limit + 1)))
    older = rows[limit - 1].id if len(rows) > limit else None
    return list(reversed(rows[:limit])), older


def messages_after(
    user: User, conversation_id: int, after: int, limit: int = PAGE_SIZE
) -> list[Message]:
    """Up to ``limit`` messages newer than the id ``after``, oldest first."""
    membership(user, conversation_id)
    query = (
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.id > after)
        .order_by(Message.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def senders_of(messages: Sequence[Message]) -> dict[int, User]:
    ids = {message.sender_id for message in messages if message.sender_id is not None}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def media_by_message(messages: Sequence[Message]) -> dict[int, list[MessageMedia]]:
    found: dict[int, list[MessageMedia]] = {message.id: [] for message in messages}
    if not found:
        return found
    query = (
        select(MessageMedia)
        .where(MessageMedia.message_id.in_(list(found)))
        .order_by(MessageMedia.message_id, MessageMedia.position)
    )
    for media in db.session.scalars(query):
        found[media.message_id].append(media)
    return found


def get_media(user: User, media_id: int) -> MessageMedia:
    """A photo of a message, if ``user`` is in its conversation."""
    media = db.session.get(MessageMedia, media_id) if 0 < media_id <= MAX_ID else None
    message = db.session.get(Message, media.message_id) if media is not None else None
    if media is None or message is None:
        raise NotFound("There is no such file, or you may not see it.")
    try:
        membership(user, message.conversation_id)
    except NotFound:
        raise NotFound("There is no such file, or you may not see it.") from None
    return media


def conversations_of(user: User, limit: int = 100) -> list[ConversationSummary]:
    """``user``'s conversations, the one with the newest message first, with unread counts:
    four queries whatever their number."""
    activity = func.coalesce(Conversation.last_message_id, 0)
    rows = db.session.execute(
        select(Conversation, ConversationMember.last_read_message_id)
        .join(ConversationMember, ConversationMember.conversation_id == Conversation.id)
        .where(ConversationMember.user_id == user.id, ConversationMember.is_current)
        .order_by(activity.desc(), Conversation.id.desc())
        .limit(limit)
    ).all()
    ids = [conversation.id for conversation, _ in rows]
    unread = _unread_by_conversation(user)
    last_ids = [c.last_message_id for c, _ in rows if c.last_message_id is not None]
    last = {m.id: m for m in db.session.scalars(select(Message).where(Message.id.in_(last_ids)))}
    members: dict[int, list[User]] = {conversation_id: [] for conversation_id in ids}
    if ids:
        for conversation_id, member in db.session.execute(
            select(ConversationMember.conversation_id, User)
            .join(User, User.id == ConversationMember.user_id)
            .where(
                ConversationMember.conversation_id.in_(ids),
                ConversationMember.is_current,
            )
            .order_by(User.name, User.id)
        ):
            members[conversation_id].append(member)
    return [
        ConversationSummary(
            conversation=conversation,
            title=title_for(user, conversation, members[conversation.id]),
            members=members[conversation.id],
            unread=unread.get(conversation.id, 0),
            last_message=last.get(conversation.last_message_id or 0),
        )
        for conversation, _ in rows
    ]


def _unread_messages(*columns: Any) -> Select[Any]:
    """``columns`` over the messages a member has not read, counting only conversations with
    news (the conversation's ``last_message_id`` passes the member's ``last_read_message_id``)."""
    member = ConversationMember
    return (
        select(*columns)
        .select_from(member)
        .join(Conversation, Conversation.id == member.conversation_id)
        .join(
            Message,
            and_(
                Message.conversation_id == member.conversation_id,
                Message.id > member.last_read_message_id,
            ),
        )
        .where(
            member.user_id == bindparam("user_id"),
            member.is_current,
            Conversation.last_message_id > member.last_read_message_id,
        )
    )


#: built once: the top bar of every page asks for the total
_UNREAD_BY_CONVERSATION = Packed(
    _unread_messages(ConversationMember.conversation_id, func.count(Message.id)).group_by(
        ConversationMember.conversation_id
    ),
    unordered=True,
)
_UNREAD_TOTAL = Packed(_unread_messages(func.count(Message.id)))


def _unread_by_conversation(user: User) -> dict[int, int]:
    """Unread messages per conversation that has any."""
    rows = _UNREAD_BY_CONVERSATION.rows({"user_id": user.id})
    return {conversation_id: count for conversation_id, count in rows}


def conversation_unread(user: User, conversation_id: int) -> int:
    """How many messages of one conversation ``user`` has not read."""
    member = membership(user, conversation_id)
    query = select(func.count(Message.id)).where(
        Message.conversation_id == conversation_id, Message.id > member.last_read_message_id
    )
    return db.session.scalar(query) or 0


def unread_count(user: User) -> int:
    """How many messages ``user`` has not read, over all their conversations: one query."""
    ((count,),) = _UNREAD_TOTAL.rows({"user_id": user.id})
    return count or 0


# ---------------------------------------------------------------- starting conversations


def _pair_key(a_id: int, b_id: int) -> str:
    return f"{min(a_id, b_id)}:{max(a_id, b_id)}"


def join_conversation(conversation_id: int, user_id: int) -> None:
    existing = db.session.get(ConversationMember, (conversation_id, user_id))
    if existing is None:
        db.session.add(ConversationMember(conversation_id=conversation_id, user_id=user_id))
    elif not existing.is_current:
        existing.left_at = None
        existing.joined_at = utcnow()


def open_direct(user: User, username: str) -> Conversation:
    """The one conversation ``user`` and ``username`` share, made if there is none yet (which
    needs ``user`` to be allowed to message them)."""
    other = active_person(username)
    if other.id == user.id:
        raise Invalid("You cannot start a conversation with yourself.", "username")
    key = _pair_key(user.id, other.id)
    conversation = db.session.scalar(select(Conversation).where(Conversation.pair_key == key))
    if conversation is not None:
        return conversation
    check_can_message(user, other, "username")
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # two people opening their conversation at once make one, not a unique-key error
    db.session.execute(
        insert(Conversation)
        .values(is_group=False, name="", pair_key=key, created_by_id=user.id, created_at=utcnow())
        .on_conflict_do_nothing()
    )
    conversation = db.session.scalar(select(Conversation).where(Conversation.pair_key == key))
    assert conversation is not None
    for member_id in (user.id, other.id):
        join_conversation(conversation.id, member_id)
    db.session.flush()
    return conversation


# ---------------------------------------------------------------- writing


def send_message(
    user: User, conversation_id: int, body: str | None, images: Sequence[Upload] = ()
) -> Message:
    """A new message by ``user`` with up to ten photos. In a one-to-one conversation the other
    person must still be someone ``user`` may message. Files are deleted again unless the
    transaction commits."""
    member = membership(user, conversation_id)
    conversation = get_conversation(user, conversation_id)
    text = clean_body(body)
    if len(images) > MAX_PHOTOS:
        raise Invalid(f"Attach at most {MAX_PHOTOS} photos; this has {len(images)}.", "photos")
    if not text and not images:
        raise Invalid("Write a message, or attach a photo.", "body")
    if not conversation.is_group:
        other = other_member(user, members_of(conversation.id))
        if other is None:
            raise Forbidden("There is no one left to read this conversation.", "body")
        check_can_message(user, other, "body")
    # Photos before the first write: re-encoding them while holding SQLite's single write
    # lock (taken by that write) would make every writer of every app process wait.
    photos = []
    for position, image in enumerate(images):
        try:
            photos.append(store_image(image, purpose="post", field="photos"))
        except Invalid as error:
            raise Invalid(f"Photo {position + 1}: {error.message}", "photos") from None
    # Locked until the transaction ends (PostgreSQL; SQLite has one writer anyway): the
    # messages of a conversation commit in the order of their ids, so ``last_message_id``
    # only grows and a poller asking for messages after the newest it saw misses none.
    db.session.refresh(conversation, with_for_update=True)
    message = Message(conversation_id=conversation.id, sender_id=user.id, body=text)
    db.session.add(message)
    db.session.flush()
    for position, stored in enumerate(photos):
        db.session.add(
            MessageMedia(
                message_id=message.id,
                position=position,
                key=stored.key,
                mime=stored.mime,
                width=stored.width,
                height=stored.height,
                size_bytes=stored.size_bytes,
            )
        )
    conversation.last_message_id = message.id
    conversation.last_message_at = message.created_at
    member.last_read_message_id = message.id
    db.session.flush()
    return message


def note_read(user: User, conversation_id: int) -> None:
    """Note that ``user`` has seen the conversation up to its newest message, as its page
    opens: bookkeeping of a read request, written apart from the request's transaction
    (``core/transaction.py``), and only when something was unread."""
    member = membership(user, conversation_id)
    conversation = db.session.get(Conversation, conversation_id)
    newest = conversation.last_message_id if conversation is not None else None
    if not newest or member.last_read_message_id >= newest:
        return
    columns = ConversationMember.__table__.c
    transaction.note_apart(
        update(ConversationMember)
        .where(
            columns.conversation_id == conversation_id,
            columns.user_id == user.id,
            columns.last_read_message_id < newest,
        )
        .values(last_read_message_id=newest)
    )
    set_committed_value(member, "last_read_message_id", newest)


def mark_read(user: User, conversation_id: int) -> None:
    """Everything in the conversation is read by ``user``."""
    member = membership(user, conversation_id)
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is not None and conversation.last_message_id:
        member.last_read_message_id = max(member.last_read_message_id, conversation.last_message_id)
        db.session.flush()
