"""Packed reads (core/reads.py) give exactly the rows the plain statement gives, whatever
the text, on a real database (SQLite packs, PostgreSQL reads plainly)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import (
    Float,
    String,
    bindparam,
    cast,
    column,
    exists,
    func,
    select,
    table,
)
from sqlalchemy.exc import DBAPIError

from intranet_social.accounts.models import User
from intranet_social.core.reads import Packed, in_list, run
from intranet_social.extensions import db
from intranet_social.posts import card_queries
from intranet_social.posts.models import Post, PostLike
from tests.statements import statements_run

#: what a person may type, and what JSON must escape: quotes, backslashes, control
#: characters, a NUL, line separators, accents, emoji and text that looks like JSON
AWKWARD_TEXTS = [
    "",
    'She said "hi" \\ and left',
    "line one\nline two\r\n\ttabbed",
    "nul \x00 and bell \x07",
    "é ü ß 中文 😀 \u2028 \u2029",
    '["not", "an", {"array": 1}]',
    "null",
    "<script>alert(1)</script>",
]


def awkward_texts() -> list[str]:
    if db.engine.dialect.name == "sqlite":
        return AWKWARD_TEXTS
    # PostgreSQL's text holds no NUL (and the app refuses one in anything typed)
    return [text.replace("\x00", "") for text in AWKWARD_TEXTS]


def big(number: int) -> int:
    """A count beyond 32 bits where the column holds one (SQLite), else near the top."""
    return (2**40 if db.engine.dialect.name == "sqlite" else 2**31 - 100) + number


@pytest.fixture
def posts(app, member, make_user):
    other = make_user("bob.two", name='Bob "Quote" Two')
    made = []
    start = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    for number, body in enumerate(awkward_texts()):
        post = Post(
            author_id=member.id if number % 2 else other.id,
            wall_id=member.id,
            body=body,
            created_at=start + timedelta(minutes=number),
            edited_at=None if number % 3 else start,
            pinned=number == 2,
            like_count=big(number),
        )
        db.session.add(post)
        made.append(post)
    db.session.flush()
    db.session.add(PostLike(post_id=made[1].id, user_id=member.id))
    db.session.commit()
    return made


def columns(member_id: int):
    liked = exists().where(PostLike.post_id == Post.id, PostLike.user_id == member_id)
    return (
        Post.id,
        Post.body,
        Post.audience,
        Post.created_at,
        Post.edited_at,
        Post.pinned,
        Post.like_count,
        liked,
    )


def test_packed_rows_equal_the_plain_rows_in_order(posts, member):
    statement = select(*columns(member.id)).order_by(Post.id.desc())
    plain = [tuple(row) for row in run(statement)]
    packed = [tuple(row) for row in Packed(statement).rows()]
    assert packed == plain
    assert [row[1] for row in packed] == list(reversed(awkward_texts()))
    by_id = {row[0]: row for row in packed}
    assert by_id[posts[1].id][7] is True and by_id[posts[0].id][7] is False
    assert by_id[posts[2].id][5] is True
    assert by_id[posts[0].id][3] == datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    assert by_id[posts[1].id][4] is None
    assert by_id[posts[7].id][6] == big(7)


def test_unordered_packed_rows_are_the_same_rows(posts, member):
    statement = select(*columns(member.id))
    plain = sorted(tuple(row) for row in run(statement))
    assert sorted(tuple(row) for row in Packed(statement, unordered=True).rows()) == plain


def test_unordered_reads_keep_the_limit_choosing_the_rows(posts):
    newest = select(Post.id).order_by(Post.id.desc()).limit(3)
    found = {post_id for (post_id,) in Packed(newest, unordered=True).rows()}
    assert found == {post.id for post in posts[-3:]}


def test_parameters_reach_the_packed_statement(posts, member):
    statement = select(Post.id).where(Post.author_id == bindparam("author"))
    found = {post_id for (post_id,) in Packed(statement, unordered=True).rows({"author": 0})}
    assert found == set()
    found = Packed(statement, unordered=True).rows({"author": member.id})
    assert sorted(post_id for (post_id,) in found) == [post.id for post in posts[1::2]]


def test_no_rows_read_packed_are_no_rows(app):
    statement = select(Post.id, Post.body)
    assert list(Packed(statement).rows()) == []
    assert list(Packed(statement, unordered=True).rows()) == []


def test_a_fraction_is_not_read_packed_as_json_would_round_it(posts):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite reads packed")
    statement = select(cast(Post.like_count, Float))
    with pytest.raises(TypeError, match="cannot be read packed"):
        Packed(statement).rows()


def test_a_count_reads_packed_as_a_number(posts):
    (count,) = Packed(select(func.count(Post.id))).rows()[0]
    assert count == len(AWKWARD_TEXTS)


def test_a_list_parameter_finds_exactly_its_values(posts, member, make_user):
    make_user("o_brien", name="O'Brien")
    statement = select(User.name).where(in_list(User.name, "names", String()))
    packed = Packed(statement, unordered=True)
    asked = ["O'Brien", 'Bob "Quote" Two', "Ana Member", "nobody", "%", "", '"]']
    found = {name for (name,) in packed.rows({"names": asked})}
    assert found == {"O'Brien", 'Bob "Quote" Two', "Ana Member"}
    assert {name for (name,) in run(statement, {"names": asked})} == found
    assert list(packed.rows({"names": []})) == []
    ids = Packed(select(Post.id).where(in_list(Post.id, "ids")), unordered=True)
    wanted = [posts[0].id, posts[3].id, 10**9]
    assert sorted(post_id for (post_id,) in ids.rows({"ids": wanted})) == wanted[:2]


def test_a_packed_statement_refuses_an_in_list_rendered_into_its_text(posts):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite reads packed")
    statement = select(Post.id).where(Post.id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(TypeError, match="in_list"):
        Packed(statement).rows({"ids": [1]})


@pytest.mark.sqlite(reason="SQLite's query plan (EXPLAIN QUERY PLAN)")
@pytest.mark.parametrize("name", ["POSTS", "POST_MEDIA", "LATEST_COMMENTS", "USERNAMES"])
def test_the_card_queries_look_their_rows_up_through_an_index(app, name):
    connection = db.session.connection()
    statement, parameters = getattr(card_queries, name).sqlite_statement(
        connection.dialect, {"viewer_id": 1, "ids": [1, 2], "names": ["a"]}
    )
    plan = [
        row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    ]
    scans = [step for step in plan if step.startswith("SCAN") and " json_each " not in step]
    assert not [step for step in scans if step.split()[1] in TABLES], plan


TABLES = {"posts", "post_media", "comments", "users", "post_likes", "comment_likes"}


def test_a_failing_packed_read_raises_sqlalchemys_error(app):
    """Callers that show a page while the database is away catch SQLAlchemy's errors."""
    missing = table("no_such_table", column("id"), column("body"))
    for unordered in (False, True):
        with pytest.raises(DBAPIError, match="no_such_table"):
            Packed(select(missing.c.id, missing.c.body), unordered=unordered).rows()
        db.session.rollback()


def test_the_statement_count_of_tests_sees_a_packed_read(posts):
    """Tests that count a page's statements keep seeing every one, packed reads included."""
    post_id = posts[0].id
    statement = select(Post.id).where(Post.id == post_id)
    with statements_run() as seen:
        found = [tuple(row) for row in Packed(statement).rows()]
    assert found == [(post_id,)]
    assert len(seen) == 1 and "FROM posts" in seen[0]
