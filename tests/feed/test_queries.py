"""A feed page costs a fixed number of SQL queries however many posts, authors, photos and
comments it shows, and the stream query reads indexes only, never every post of every friend."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import text

from intranet_social.extensions import db
from intranet_social.feed.service import stream_ids, stream_sql
from intranet_social.posts import comments, likes, service
from intranet_social.posts.models import MediaKind, PostMedia
from tests.posts.helpers import befriend
from tests.statements import statements_run

KEYS = (f"{n:032x}" for n in itertools.count(1))


def attach(post_id: int, photos: int, video: bool) -> None:
    """Media rows (the page only links to the files, so none are written)."""
    kinds = [MediaKind.IMAGE] * photos + ([MediaKind.VIDEO] if video else [])
    for position, kind in enumerate(kinds):
        mime = "video/mp4" if kind == MediaKind.VIDEO else "image/webp"
        db.session.add(
            PostMedia(
                post_id=post_id, position=position, kind=kind.value, key=next(KEYS), mime=mime
            )
        )


def fill(viewer, authors, number: int) -> None:
    """``number`` posts by various authors with various photos, videos, comments and likes."""
    for n in range(number):
        writer = authors[n % len(authors)]
        post = service.create_post(writer, f"post {n} for @{viewer.username}", audience="everyone")
        attach(post.id, photos=n % 4, video=n % 3 == 0)
        for c in range(n % 6):
            comments.create_comment(authors[c % len(authors)], post.id, f"comment {c} @ana")
        if n % 2:
            likes.like_post(viewer, post.id)
    db.session.commit()


def feed_queries(browser, viewer, path: str = "/") -> int:
    reader = browser(viewer)
    reader.get(path)  # the first visit fills the process's caches; count the next
    with statements_run() as statements:
        answer = reader.get(path)
    assert answer.status_code == 200
    return len(statements)


def test_a_feed_page_of_one_post_and_of_twenty_costs_the_same_queries(
    author, friend, stranger, make_user, admin, browser
):
    one = feed_queries_for(author, [friend], 1, browser)
    others = [friend] + [make_user(f"writer{n}") for n in range(4)]
    for other in others[1:]:
        befriend(author, other)
    twenty = feed_queries_for(author, others, 24, browser)
    assert one == twenty


def feed_queries_for(viewer, authors, number, browser) -> int:
    fill(viewer, authors, number)
    return feed_queries(browser, viewer)


def test_a_later_page_costs_the_same_queries_whatever_it_shows(author, friend, make_user, browser):
    fill(author, [friend], 21)  # the second page holds one post
    reader = browser(author)
    link = reader.get("/").get_data(as_text=True).split('href="/?cursor=')[1].split('"')[0]
    small = feed_queries(browser, author, f"/?cursor={link}")
    others = [make_user(f"writer{n}") for n in range(3)]
    for other in others:
        befriend(author, other)
    fill(author, others, 40)
    link = reader.get("/").get_data(as_text=True).split('href="/?cursor=')[1].split('"')[0]
    assert feed_queries(browser, author, f"/?cursor={link}") == small


@pytest.mark.sqlite(reason="SQLite's query plan (EXPLAIN QUERY PLAN)")
def test_the_stream_reads_each_source_through_its_index_and_merges(author, friend):
    sql, params = stream_sql(author.id, [friend.id, 99], before=500, take=21)
    connection = db.session.connection()
    plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]
    searches = [step for step in plan if step.startswith(("SEARCH", "SCAN"))]
    assert searches, plan
    for step in searches:
        # every arm, a friend's with its audience test included, is answered by its index
        assert step.startswith("SEARCH posts USING COVERING INDEX") or step.startswith(
            "SCAN arm"
        ), step
    assert any("ix_posts_author_id_id" in step for step in searches)
    assert any("ix_posts_wall_id_id" in step for step in searches)


@pytest.mark.sqlite(reason="SQLite's query plan (EXPLAIN QUERY PLAN)")
def test_the_stream_reads_each_of_my_spaces_through_its_index(author, friend):
    sql, params = stream_sql(author.id, [friend.id], before=500, take=21, spaces=[7, 8])
    connection = db.session.connection()
    plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]
    spaces = [step for step in plan if "ix_posts_space_id_id" in step]
    assert spaces and all(
        step.startswith("SEARCH posts USING COVERING INDEX") for step in spaces
    ), plan
    assert any(step.startswith("MERGE") for step in plan), plan


@pytest.mark.sqlite(reason="the compound SELECT is SQLite's stream")
def test_the_stream_merges_large_friend_lists_in_groups_with_the_same_answer(author, make_user):
    friends = [make_user(f"f{n:03d}") for n in range(12)]
    for number, person in enumerate(friends):
        service.create_post(person, f"from {number}")
    db.session.commit()
    ids = [person.id for person in friends] + list(range(10_000, 10_900))
    flat_sql, flat_params = stream_sql(author.id, ids[:12], None, 21)
    grouped_sql, grouped_params = stream_sql(author.id, ids, None, 21)
    connection = db.session.connection()
    flat = list(connection.exec_driver_sql(flat_sql, flat_params).scalars())
    grouped = list(connection.exec_driver_sql(grouped_sql, grouped_params).scalars())
    assert flat == grouped and len(flat) == 12


def test_the_stream_matches_a_plain_query_page_after_page_on_either_database(
    author, friend, stranger, make_user
):
    """The per-source statement (compound SELECT on SQLite, LATERAL join on PostgreSQL) finds
    exactly what "my, my friends' and my wall's posts, newest first" means, page by page."""
    friends = [friend, *(make_user(f"pal{n:02d}") for n in range(20))]
    for person in friends[1:]:
        befriend(author, person)
    outsider = make_user("outsider")  # a friend's friend, not mine
    befriend(outsider, friends[0])
    for n in range(90):
        writer = friends[n % len(friends)]
        on_wall = author if n % 7 == 0 else None
        service.create_post(writer, f"post {n}", wall_owner=on_wall)
        if n % 11 == 0:
            service.create_post(friends[0], f"elsewhere {n}", wall_owner=outsider)
            service.create_post(outsider, f"outsider {n}", wall_owner=friends[0])
        if n % 9 == 0:
            service.create_post(stranger, f"stranger {n}", audience="everyone")
    service.create_post(author, "mine")
    db.session.commit()
    sources = [author.id, *(person.id for person in friends)]
    # left out (as pinned posts are): the oldest post, and the newest three of one friend,
    # which that source would otherwise put at the top of its own list
    skip = [
        *db.session.scalars(text("SELECT id FROM posts ORDER BY id LIMIT 1")),
        *db.session.scalars(
            text("SELECT id FROM posts WHERE author_id = :who ORDER BY id DESC LIMIT 3"),
            {"who": friends[1].id},
        ),
    ]
    before: int | None = None
    pages = 0
    while True:
        got = stream_ids(author, before, skip, 20)
        bound = "" if before is None else f" AND id < {int(before)}"
        expected = list(
            db.session.scalars(
                text(
                    "SELECT id FROM posts WHERE (author_id IN ("  # noqa: S608
                    + ", ".join(str(int(s)) for s in sources)
                    + f") OR wall_id = {int(author.id)}){bound}"
                    + " AND id NOT IN ("
                    + ", ".join(str(int(s)) for s in skip)
                    + ") ORDER BY id DESC LIMIT 21"
                )
            )
        )
        assert got == expected
        pages += 1
        if len(got) <= 20:
            break
        before = got[19]
    assert pages >= 4
