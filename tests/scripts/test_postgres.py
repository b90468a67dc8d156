"""``scripts/seed`` and ``scripts/bench`` on PostgreSQL (needs a local server)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from tests.conftest import STRONG_PASSWORD
from tests.scripts.conftest import TINY, run_script, size_args

pytestmark = pytest.mark.postgres


@pytest.fixture
def seeded_postgres(postgres_url: str) -> Iterator[tuple[str, Engine]]:
    """A tiny company seeded into a new PostgreSQL database, and an engine on it."""
    result = run_script("seed", "--database", postgres_url, "--password", STRONG_PASSWORD,
                        *size_args())  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "40 people" in result.stdout and "***" not in postgres_url
    engine = create_engine(postgres_url)
    yield postgres_url, engine
    engine.dispose()


def scalar(engine: Engine, sql: str) -> object:
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


def test_seed_fills_postgresql_with_the_same_company_as_sqlite(seeded_postgres):
    _, engine = seeded_postgres
    counts = {
        table: scalar(engine, f"SELECT count(*) FROM {table}")  # noqa: S608
        for table in ("users", "friendships", "posts", "post_likes", "comments")
    }
    assert counts == {
        "users": TINY["users"],
        "friendships": TINY["users"] * TINY["friends"],
        "posts": TINY["posts"],
        "post_likes": TINY["likes"],
        "comments": TINY["comments"],
    }
    wrong_counts = scalar(
        engine,
        "SELECT count(*) FROM posts p WHERE like_count != "
        "(SELECT count(*) FROM post_likes l WHERE l.post_id = p.id) OR comment_count != "
        "(SELECT count(*) FROM comments c WHERE c.post_id = p.id)",
    )
    assert wrong_counts == 0
    assert scalar(engine, "SELECT count(*) FROM posts WHERE pinned") == 3
    assert scalar(engine, "SELECT count(*) FROM spaces") == 300
    assert scalar(engine, "SELECT count(*) FROM posts WHERE space_id IS NOT NULL") > 0
    assert scalar(engine, "SELECT count(*) FROM posts WHERE must_read") == 5
    assert scalar(engine, "SELECT count(*) FROM post_acknowledgements") > 0
    assert scalar(engine, "SELECT count(*) FROM space_members WHERE user_id = 2") == 20
    out_of_order = scalar(
        engine,
        "SELECT count(*) FROM posts a JOIN posts b ON b.id = a.id + 1 "
        "WHERE b.created_at <= a.created_at",
    )
    assert out_of_order == 0
    # the newest post is less than one post's share of the days old: times are not shifted
    newest = "SELECT extract(epoch FROM now() - max(created_at)) FROM posts"
    assert 0 < float(scalar(engine, newest)) < 730 * 86_400 / TINY["posts"]


def test_seeded_postgresql_takes_new_rows_after_the_seeded_ids(seeded_postgres):
    _, engine = seeded_postgres
    with engine.begin() as connection:
        post_id = connection.execute(
            text(
                "INSERT INTO posts (author_id, wall_id, body, audience, created_at, pinned,"
                " like_count, comment_count) VALUES (2, 2, 'after the seed', 'everyone', now(),"
                " false, 0, 0) RETURNING id"
            )
        ).scalar()
        comment_id = connection.execute(
            text(
                "INSERT INTO comments (post_id, author_id, body, created_at, like_count)"
                " VALUES (:post_id, 2, 'me too', now(), 0) RETURNING id"
            ),
            {"post_id": post_id},
        ).scalar()
    assert post_id == TINY["posts"] + 1
    assert comment_id == TINY["comments"] + 1
    assert scalar(engine, "SELECT nextval('users_id_seq')") == TINY["users"] + 1
    assert scalar(engine, "SELECT nextval('spaces_id_seq')") == 300 + 1


def test_seeded_postgresql_posts_are_searchable_and_analyzed(seeded_postgres):
    _, engine = seeded_postgres
    unsearchable = scalar(engine, "SELECT count(*) FROM posts WHERE search_vector = ''")
    analyzed = scalar(
        engine, "SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL"
    )
    assert unsearchable == 0
    assert analyzed >= 5


def test_seed_refuses_a_postgresql_database_that_already_has_people(seeded_postgres):
    url, engine = seeded_postgres

    result = run_script("seed", "--database", url, "--password", STRONG_PASSWORD, *size_args())

    assert result.returncode == 1
    assert "already has 40 people" in result.stderr
    assert scalar(engine, "SELECT count(*) FROM posts") == TINY["posts"]


def test_seed_says_when_it_cannot_open_a_postgresql_database():
    result = run_script(
        "seed", "--database", "postgresql+psycopg://seed@127.0.0.1:1/nowhere",
        "--password", STRONG_PASSWORD, *size_args(),
    )  # fmt: skip

    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot open the database:"), result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.slow
def test_bench_measures_every_scenario_on_postgresql(seeded_postgres):
    url, engine = seeded_postgres

    result = run_script(
        "bench", "--database", url, "--password", STRONG_PASSWORD, "--people", "2",
        "--duration", "0.3", "--warmup", "0", "--concurrency", "3", "--threads", "2",
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout.splitlines()[-1])
    assert figures["posts"] == TINY["posts"] and figures["errors"] == 0
    scenarios = ("feed", "feed_page10", "space", "profile", "api_feed", "search", "messages_poll")
    for scenario in scenarios:
        assert figures[f"{scenario}_rps"] > 0, scenario
        assert figures[f"{scenario}_cpu_ms"] > 0, scenario
    assert scalar(engine, "SELECT count(*) FROM api_tokens") == 2
