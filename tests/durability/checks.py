"""What must hold after the load, read straight from the database and the media folder:
every acknowledged write is there, every stored count equals the real count, the database is
intact, and every upload is complete with nothing half-written left behind."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import aliased

from intranet_social import create_app
from intranet_social.accounts.models import User
from intranet_social.config import load_config
from intranet_social.core.settings import current_config
from intranet_social.extensions import db
from intranet_social.media import pending
from intranet_social.media.storage import media_file
from intranet_social.messaging.models import Conversation, ConversationMember, Message, MessageMedia
from intranet_social.posts.models import Comment, CommentLike, Post, PostLike, PostMedia
from tests.durability.clients import Ledger


def check_site(config_file: Path, ledger: Ledger) -> tuple[list[str], list[str]]:
    """Problems found (none is a pass), and notes on what was checked."""
    app = create_app(load_config(config_file))
    with app.app_context():
        try:
            problems = [
                *_acknowledged_writes_missing(ledger),
                *_counts_that_differ(),
                *_half_written_uploads(),
            ]
            integrity, notes = _database_integrity()
            return [*problems, *integrity], notes
        finally:
            db.session.remove()
            db.engine.dispose()


def _acknowledged_writes_missing(ledger: Ledger) -> list[str]:
    posts = set(db.session.scalars(select(Post.id)))
    media = {
        row.id: row.post_id for row in db.session.execute(select(PostMedia.id, PostMedia.post_id))
    }
    comments = {
        row.id: (row.post_id, row.author_id)
        for row in db.session.execute(select(Comment.id, Comment.post_id, Comment.author_id))
    }
    messages = {
        row.id: (row.conversation_id, row.sender_id)
        for row in db.session.execute(
            select(Message.id, Message.conversation_id, Message.sender_id)
        )
    }
    likes = {
        (row.user_id, row.post_id)
        for row in db.session.execute(select(PostLike.user_id, PostLike.post_id))
    }
    problems = [f"acknowledged post {i} is missing" for i in ledger.posts if i not in posts]
    problems += [
        f"photo {media_id} of acknowledged post {post_id} is missing"
        for post_id, (_author, media_ids) in ledger.posts.items()
        for media_id in media_ids
        if media.get(media_id) != post_id
    ]
    problems += [
        f"acknowledged comment {i} {where} is missing or changed"
        for i, where in ledger.comments.items()
        if comments.get(i) != where
    ]
    problems += [
        f"acknowledged message {i} {where} is missing or changed"
        for i, where in ledger.messages.items()
        if messages.get(i) != where
    ]
    problems += [
        f"person {user_id} {'liked' if liked else 'unliked'} post {post_id}, but the "
        f"database says otherwise"
        for (user_id, post_id), liked in ledger.likes.items()
        if (user_id, post_id) not in ledger.uncertain_likes
        and liked != ((user_id, post_id) in likes)
    ]
    return problems


def _counts_that_differ() -> list[str]:
    checks = {
        "posts.like_count": (
            Post.id,
            Post.like_count,
            select(func.count()).where(PostLike.post_id == Post.id).scalar_subquery(),
        ),
        "posts.comment_count": (
            Post.id,
            Post.comment_count,
            select(func.count()).where(Comment.post_id == Post.id).scalar_subquery(),
        ),
        "comments.like_count": (
            Comment.id,
            Comment.like_count,
            select(func.count()).where(CommentLike.comment_id == Comment.id).scalar_subquery(),
        ),
        "conversations.last_message_id": (
            Conversation.id,
            func.coalesce(Conversation.last_message_id, 0),
            select(func.coalesce(func.max(Message.id), 0))
            .where(Message.conversation_id == Conversation.id)
            .scalar_subquery(),
        ),
    }
    problems = []
    for name, (row_id, stored, real) in checks.items():
        for found in db.session.execute(select(row_id, stored, real).where(stored != real)):
            problems.append(f"{name} of {found[0]} is {found[1]}, the real count {found[2]}")
    newest = aliased(Message)
    for conversation_id, stored, real in db.session.execute(
        select(Conversation.id, Conversation.last_message_at, newest.created_at)
        .join(newest, newest.id == Conversation.last_message_id)
        .where(Conversation.last_message_at != newest.created_at)
    ):
        problems.append(
            f"conversations.last_message_at of {conversation_id} is {stored}, "
            f"its newest message's {real}"
        )
    own_newest = (
        select(func.coalesce(func.max(Message.id), 0))
        .where(
            Message.conversation_id == ConversationMember.conversation_id,
            Message.sender_id == ConversationMember.user_id,
        )
        .scalar_subquery()
    )
    for conversation_id, user_id, stored, real in db.session.execute(
        select(
            ConversationMember.conversation_id,
            ConversationMember.user_id,
            ConversationMember.last_read_message_id,
            own_newest,
        ).where(ConversationMember.last_read_message_id < own_newest)
    ):
        problems.append(
            f"person {user_id} has read conversation {conversation_id} up to message {stored}, "
            f"before their own message {real}: their unread count is wrong"
        )
    return problems


def _database_integrity() -> tuple[list[str], list[str]]:
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        problems = []
        integrity = [row[0] for row in connection.execute(text("PRAGMA integrity_check"))]
        if integrity != ["ok"]:
            problems.append(f"PRAGMA integrity_check: {integrity}")
        foreign = list(connection.execute(text("PRAGMA foreign_key_check")))
        if foreign:
            problems.append(f"PRAGMA foreign_key_check: {foreign[:20]}")
        return problems, ["sqlite integrity_check ok, foreign_key_check empty"]
    connection.execute(text("SELECT count(*) FROM posts")).scalar_one()
    return [], [_postgres_index_check()]


def _postgres_index_check() -> str:
    """Every B-tree index of the schema checked by ``amcheck`` when the server has it."""
    try:
        with db.session.begin_nested():
            db.session.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
    except DBAPIError as exc:
        return f"amcheck not available, indexes not checked ({exc.orig})"
    indexes = db.session.scalars(
        text(
            "SELECT c.oid::regclass::text FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = current_schema()"
        )
    ).all()
    for index in indexes:
        # raises on a corrupt index, failing the test with the server's own words
        db.session.execute(
            text("SELECT bt_index_check(CAST(:index AS regclass), true)"), {"index": index}
        )
    db.session.execute(text("DROP EXTENSION amcheck"))
    db.session.commit()
    return f"amcheck bt_index_check passed on {len(indexes)} indexes"


def _half_written_uploads() -> list[str]:
    """Temporary files, journals of open transactions, files no row names, and rows whose
    files are missing or cut short."""
    folder = current_config().media_path
    files = [path for path in folder.rglob("*") if path.is_file()] if folder.is_dir() else []
    problems = [
        f"{path.relative_to(folder)} was left behind"
        for path in files
        if path.name.startswith((pending.TEMPORARY_PREFIX, pending.JOURNAL_PREFIX))
    ]
    referenced = set(db.session.scalars(select(PostMedia.key)))
    referenced.update(db.session.scalars(select(MessageMedia.key)))
    for avatar, cover in db.session.execute(select(User.avatar_key, User.cover_key)):
        referenced.update(key for key in (avatar, cover) if key)
    problems += [
        f"{path.relative_to(folder)} belongs to no row (an upload that never committed)"
        for path in files
        if not path.name.startswith(".") and path.name.split("-", 1)[0] not in referenced
    ]
    for key, width, height in db.session.execute(
        select(PostMedia.key, PostMedia.width, PostMedia.height)
    ):
        for variant in ("full", "thumb"):
            problems += _incomplete_picture(
                key, variant, (width, height) if variant == "full" else None
            )
    return problems


def _incomplete_picture(key: str, variant: str, size: tuple[int, int] | None) -> list[str]:
    path = media_file(key, variant)
    try:
        with Image.open(path) as picture:
            picture.load()
            if size is not None and picture.size != size:
                return [f"{path.name} is {picture.size}, its row says {size}"]
    except (OSError, SyntaxError) as exc:
        return [f"{path.name} of a stored photo is missing or cut short: {exc}"]
    return []
