"""The same search on PostgreSQL, through migration 0005's word vectors (needs a local server)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import downgrade as alembic_downgrade
from sqlalchemy import text

from intranet_social import MIGRATIONS_DIR
from intranet_social.accounts.models import User
from intranet_social.core.database import current_revision, head_revision, upgrade_database
from intranet_social.extensions import db
from intranet_social.posts import service as posts
from intranet_social.search.index import include_name
from intranet_social.search.service import find_people, find_posts
from tests.posts.helpers import befriend

pytestmark = pytest.mark.postgres


@pytest.fixture
def site_settings(postgres_url: str) -> dict[str, dict[str, str]]:
    return {"database": {"url": postgres_url}}


def test_people_and_visible_posts_are_found_on_postgresql(
    app, api, searcher, friend, stranger, make_user
):
    assert db.engine.dialect.name == "postgresql"
    make_user("asmith", name="Anna Smith", department="Finance", title="Accountant")
    make_user("joanne", name="Joanne Bell")
    posts.create_post(stranger, "hidden budget notes", audience="friends")
    shown = posts.create_post(friend, "Budget day, 100% done", audience="friends")
    db.session.commit()
    client = api(searcher, "read")

    def found(kind: str, q: str, key: str) -> list[object]:
        answer = client.get(f"/search?type={kind}&q={q}")
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return [item[key] for item in answer.get_json()["items"]]

    assert found("people", "ann", "username") == ["asmith"]
    assert found("people", "smi fin", "username") == ["asmith"]
    assert found("people", "sid.str", "username") == ["sid.stranger"]
    assert found("posts", "BUDGET", "id") == [shown.id]
    for query in ("%22", "AND", "*", "%00", "%25", "_"):
        found("posts", query, "id")
        found("people", query, "username")


def write(author: User, body: str, audience: str = "everyone", wall: User | None = None) -> int:
    post = posts.create_post(author, body, audience=audience, wall_owner=wall)
    db.session.commit()
    return post.id


def post_ids(viewer: User, q: str, **kwargs: int) -> list[int]:
    return [card.id for card in find_posts(viewer, q, **kwargs).posts]


def usernames(viewer: User, q: str) -> list[str]:
    return [card.username for card in find_people(viewer, q).cards]


@pytest.mark.usefixtures("in_request")
def test_posts_are_found_by_whole_words_in_any_case_newest_first(searcher, stranger):
    older = write(stranger, "Quarterly review: slides in the shared folder")
    newer = write(stranger, "The REVIEW went well; see anna@corp.example or wiki/review-notes")

    assert post_ids(searcher, "review") == [newer, older]
    assert post_ids(searcher, "Review quarterly") == [older]
    assert post_ids(searcher, "revie") == []  # posts match whole words, as on SQLite
    # punctuation only separates words, so addresses and paths are words too
    assert post_ids(searcher, "anna") == [newer]
    assert post_ids(searcher, "corp example") == [newer]
    assert post_ids(searcher, "notes") == [newer]


@pytest.mark.usefixtures("in_request")
def test_people_are_found_by_the_starts_of_their_words(searcher, make_user):
    make_user("asmith", name="Anna Smith", department="Finance", title="Accountant")
    make_user("rob.lee", name="Robert Lee", department="Legal", title="Counsel")

    assert usernames(searcher, "ann") == ["asmith"]
    assert usernames(searcher, "ACCOUN fin") == ["asmith"]
    assert usernames(searcher, "rob.l") == ["rob.lee"]
    assert usernames(searcher, "coun leg") == ["rob.lee"]
    assert usernames(searcher, "fin leg") == []


@pytest.mark.usefixtures("in_request")
def test_words_with_and_without_diacritics_find_each_other_when_unaccent_is_there(
    searcher, stranger, make_user
):
    post_id = write(stranger, "Café meeting in Zürich")
    make_user("jmuller", name="Jörg Müller")
    unaccent = db.session.scalar(
        text("SELECT count(*) FROM pg_extension WHERE extname = 'unaccent'")
    )

    assert post_ids(searcher, "café zürich") == [post_id]
    assert usernames(searcher, "müll") == ["jmuller"]
    if unaccent:
        assert post_ids(searcher, "cafe zurich") == [post_id]
        assert usernames(searcher, "jorg mull") == ["jmuller"]
    else:
        assert post_ids(searcher, "cafe") == []


@pytest.mark.usefixtures("in_request")
def test_nobody_finds_a_post_they_may_not_see_on_postgresql(searcher, friend, stranger, make_user):
    hidden = write(stranger, "secret roadmap", audience="friends")
    public = write(stranger, "public roadmap")
    from_friend = write(friend, "friendly roadmap", audience="friends")
    wall_owner = make_user("wally", name="Wally Wall")
    befriend(wall_owner, friend)
    on_friends_wall = write(wall_owner, "roadmap on a wall", audience="friends", wall=friend)

    assert post_ids(searcher, "roadmap") == [on_friends_wall, from_friend, public]
    assert post_ids(stranger, "roadmap") == [public, hidden]
    assert hidden not in post_ids(searcher, "secret roadmap")


@pytest.mark.usefixtures("in_request")
def test_found_posts_follow_edits_and_deletions_on_postgresql(searcher):
    post_id = write(searcher, "draft agenda")
    posts.edit_post(searcher, post_id, body="final agenda")
    db.session.commit()

    assert post_ids(searcher, "draft") == []
    assert post_ids(searcher, "final agenda") == [post_id]

    posts.delete_post(searcher, post_id)
    db.session.commit()
    assert post_ids(searcher, "agenda") == []


@pytest.mark.usefixtures("in_request")
def test_found_posts_come_in_pages_below_the_last_id_on_postgresql(searcher):
    ids = [write(searcher, f"standup number {n}") for n in range(5)]

    first = find_posts(searcher, "standup", limit=2)
    second = find_posts(searcher, "standup", before=first.next_before, limit=2)
    last = find_posts(searcher, "standup", before=second.next_before, limit=2)

    assert [c.id for c in first.posts + second.posts + last.posts] == ids[::-1]
    assert last.next_before is None


HOSTILE = ('a" OR 1=1 --', "*", ":", ":*", "&|!()", "'", "''", "\\", "a & !b | (c", "x:*A", "<->")


@pytest.mark.parametrize("query", HOSTILE)
def test_tsquery_syntax_in_a_query_is_searched_as_text_and_never_fails(
    api, searcher, stranger, query
):
    shown = write(stranger, "A quiet OR loud 1 day")
    write(stranger, "Something else entirely")
    client = api(searcher, "read")
    expected = [shown] if query.startswith("a") else []
    if query == "a & !b | (c":
        expected = []  # every word must be there, and b and c are not

    for kind in ("posts", "people"):
        answer = client.get("/search", query_string={"type": kind, "q": query})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        if kind == "posts":
            assert [item["id"] for item in answer.get_json()["items"]] == expected


def test_the_posts_index_answers_a_word_search(app):
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = db.session.execute(
        text(
            "EXPLAIN SELECT id FROM posts"
            " WHERE search_vector @@ to_tsquery('social_search'::regconfig, '''budget''')"
        )
    ).scalars()

    assert "ix_posts_search_vector" in "\n".join(plan)
    db.session.rollback()


def test_search_migration_goes_down_and_up_again_on_postgresql(app, searcher, stranger):
    post_id = write(stranger, "Before the downgrade")
    searcher_id = searcher.id
    db.session.remove()

    alembic_downgrade(directory=str(MIGRATIONS_DIR), revision="0004")
    columns = db.session.scalar(
        text("SELECT count(*) FROM information_schema.columns WHERE column_name = 'search_vector'")
    )
    configurations = db.session.scalar(
        text("SELECT count(*) FROM pg_ts_config WHERE cfgname = 'social_search'")
    )
    db.session.remove()
    assert (columns, configurations) == (0, 0)

    upgrade_database(app)
    with app.test_request_context("/"):
        assert post_ids(db.session.get(User, searcher_id), "downgrade") == [post_id]
    assert current_revision(app) == head_revision()


def test_postgresql_schema_equals_the_models_but_for_the_search_vectors(app):
    with db.engine.connect() as connection:
        opts = {"render_as_batch": True, "include_name": include_name}
        context = MigrationContext.configure(connection, opts=opts)
        differences = compare_metadata(context, db.metadata)

    assert differences == [], f"models and migrations differ: {differences}"
