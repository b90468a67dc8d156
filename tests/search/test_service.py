"""Search services: people by word prefixes, posts by full text, never what one may not see."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from intranet_social.accounts import service as accounts
from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.posts import service as posts
from intranet_social.search.service import Kind, find_people, find_posts, query_words, search
from tests.posts.helpers import befriend

pytestmark = pytest.mark.usefixtures("in_request")

EVERYONE = "everyone"
FRIENDS = "friends"


def usernames(viewer: User, q: str, **kwargs) -> list[str]:
    return [card.username for card in find_people(viewer, q, **kwargs).cards]


def post_ids(viewer: User, q: str, **kwargs) -> list[int]:
    return [card.id for card in find_posts(viewer, q, **kwargs).posts]


def write(author: User, body: str, audience: str = EVERYONE, wall: User | None = None) -> int:
    post = posts.create_post(author, body, audience=audience, wall_owner=wall)
    db.session.commit()
    return post.id


# ---------------------------------------------------------------- people


def test_anyone_finds_people_by_the_start_of_their_name(searcher, make_user):
    make_user("asmith", name="Anna Smith", department="Finance", title="Accountant")
    make_user("bjones", name="Joanne Bell")

    assert usernames(searcher, "ann") == ["asmith"]
    assert usernames(searcher, "SMI") == ["asmith"]
    assert usernames(searcher, "Anna Smith") == ["asmith"]
    assert usernames(searcher, "anne") == []


def test_anyone_finds_people_by_username_department_and_title(searcher, make_user):
    make_user("asmith", name="Anna Smith", department="Finance", title="Accountant")
    make_user("rob.lee", name="Robert Lee", department="Legal", title="Counsel")

    assert usernames(searcher, "fin") == ["asmith"]
    assert usernames(searcher, "accoun") == ["asmith"]
    assert usernames(searcher, "rob.l") == ["rob.lee"]
    assert usernames(searcher, "coun leg") == ["rob.lee"]
    assert usernames(searcher, "fin leg") == []


def test_disabled_people_are_never_found(searcher, make_user):
    gone = make_user("gone.person", name="Gina Gone")
    accounts.disable_user(gone)
    db.session.commit()

    assert usernames(searcher, "gina") == []


def test_people_found_follow_renames_and_deletions(searcher, make_user):
    person = make_user("pat.q", name="Pat Quinn", department="Sales")
    accounts.update_user(person, name="Pat Rivers", department="Support")
    db.session.commit()

    assert usernames(searcher, "quinn") == []
    assert usernames(searcher, "rivers supp") == ["pat.q"]

    accounts.delete_user(person)
    db.session.commit()
    assert usernames(searcher, "rivers") == []


def test_people_come_in_pages_by_username(searcher, make_user):
    for number in range(5):
        make_user(f"tess{number}", name=f"Tess Tester{number}")

    first = find_people(searcher, "tess", limit=2)
    second = find_people(searcher, "tess", after=first.next_after, limit=2)
    last = find_people(searcher, "tess", after=second.next_after, limit=2)

    assert [c.username for c in first.cards + second.cards + last.cards] == [
        f"tess{number}" for number in range(5)
    ]
    assert last.next_after is None


# ---------------------------------------------------------------- posts


def test_anyone_finds_public_posts_by_their_words_newest_first(searcher, stranger):
    older = write(stranger, "The Quarterly report is out")
    newer = write(stranger, "Another quarterly REPORT, with charts")
    write(stranger, "Lunch at noon")

    assert post_ids(searcher, "quarterly report") == [newer, older]
    assert post_ids(searcher, "charts") == [newer]
    assert post_ids(searcher, "report lunch") == []


def test_stranger_never_finds_a_friends_only_post(searcher, stranger, friend):
    hidden = write(stranger, "secret budget plans", FRIENDS)
    on_friend_wall = write(friend, "budget for the party", FRIENDS)
    mine = write(searcher, "my budget", FRIENDS)

    assert hidden not in post_ids(searcher, "budget")
    assert post_ids(searcher, "budget") == [mine, on_friend_wall]
    assert post_ids(stranger, "budget") == [hidden]


def test_friends_of_the_wall_owner_find_posts_on_their_wall(searcher, friend, make_user):
    other = make_user("oli.other", name="Oli Other")
    befriend(other, friend)
    on_wall = write(other, "happy birthday fay", FRIENDS, wall=friend)

    assert post_ids(searcher, "birthday") == [on_wall]


def test_posts_found_follow_edits_and_deletions(searcher):
    post_id = write(searcher, "draft agenda")
    posts.edit_post(searcher, post_id, body="final agenda")
    db.session.commit()

    assert post_ids(searcher, "draft") == []
    assert post_ids(searcher, "final") == [post_id]

    posts.delete_post(searcher, post_id)
    db.session.commit()
    assert post_ids(searcher, "agenda") == []


def test_posts_of_a_deleted_person_are_no_longer_found(searcher, stranger):
    write(stranger, "farewell everyone")

    accounts.delete_user(stranger)
    db.session.commit()

    assert post_ids(searcher, "farewell") == []
    if db.engine.dialect.name == "sqlite":  # PostgreSQL keeps its words in the row itself
        assert db.session.execute(text("SELECT count(*) FROM posts_fts")).scalar() == 0


def test_posts_come_in_pages_below_the_last_id(searcher):
    ids = [write(searcher, f"standup note {number}") for number in range(5)]

    first = find_posts(searcher, "standup", limit=2)
    second = find_posts(searcher, "standup", before=first.next_before, limit=2)
    last = find_posts(searcher, "standup", before=second.next_before, limit=2)

    found = [card.id for page in (first, second, last) for card in page.posts]
    assert found == ids[::-1]
    assert last.next_before is None


@pytest.mark.parametrize(
    "query",
    ['"', "AND", "*", "OR NOT", "NEAR(a b)", "a:b", "^x", "(", "-", "\x00", "'", "a\x00b", "\\"],
)
def test_fts_syntax_in_a_query_is_searched_as_text_and_never_fails(searcher, query):
    write(searcher, "and or not near")

    find_posts(searcher, query)
    find_people(searcher, query)


def test_operators_in_a_query_are_plain_words(searcher):
    post_id = write(searcher, "pros AND cons")

    assert post_ids(searcher, "and") == [post_id]
    assert post_ids(searcher, '"cons') == [post_id]
    assert post_ids(searcher, "pros OR nothing") == []


@pytest.mark.parametrize("query", ["", "   ", None, "!!!", "\x00"])
def test_a_query_without_words_finds_nothing(searcher, query):
    write(searcher, "anything")

    results = search(searcher, query)

    assert (results.words, results.people.cards, results.posts.items) == ([], [], [])


def test_a_long_query_is_cut_to_a_few_words():
    words = query_words(" ".join(f"w{n}" for n in range(50)) + " " + "x" * 500)

    assert words == [f"w{n}" for n in range(8)]


def test_search_for_both_shows_a_few_people_and_a_page_of_posts(
    searcher, make_user: Callable[..., User]
):
    for number in range(7):
        make_user(f"dev{number}", name=f"Dev Person{number}")
    post_id = write(searcher, "dev meeting")

    both = search(searcher, "dev")
    people_only = search(searcher, "dev", Kind.PEOPLE)
    posts_only = search(searcher, "dev", Kind.POSTS)

    assert len(both.people.cards) == 5 and both.people.next_after == "dev4"
    assert [card.id for card in both.posts.posts] == [post_id]
    assert len(people_only.people.cards) == 7 and people_only.posts.items == []
    assert posts_only.people.cards == [] and [c.id for c in posts_only.posts.posts] == [post_id]
