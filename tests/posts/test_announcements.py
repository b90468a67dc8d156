"""Must-read announcements: who may mark one, its audience, acknowledging it from the feed,
who has (page, API and CSV), the notices; bad input gets a clear answer and changes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from intranet_social.audit.models import AuditEvent
from intranet_social.extensions import db
from intranet_social.feed import service as feed
from intranet_social.notifications.models import Kind, Notification
from intranet_social.posts import announcements, service
from intranet_social.posts.models import Acknowledgement, Post
from intranet_social.spaces import service as spaces
from tests.posts.helpers import befriend

ACK_BUTTON = ">I have read this</button>"
CHECKBOX = "Must-read announcement"


@pytest.fixture
def boss(make_user):
    """An admin, who may mark a must-read anywhere."""
    return make_user("boss", name="Bo Boss", role="admin")


@pytest.fixture
def team(author, friend, stranger):
    """A closed space Ana owns, with Ben as a plain member; Cyd is not in it."""
    spaces.create_space(author, "Team", slug="team", visibility="closed")
    spaces.add_member(author, "team", friend.username)
    db.session.commit()
    return "team"


def must_read(author, body="Read me", **options):
    post = service.create_post(author, body, must_read=True, **options)
    db.session.commit()
    return post


def post_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Post))


def acknowledgement_rows() -> list[tuple[int, int]]:
    db.session.rollback()
    return list(db.session.execute(select(Acknowledgement.post_id, Acknowledgement.user_id)))


def audit_actions(prefix: str = "post.") -> list[str]:
    db.session.rollback()
    query = select(AuditEvent.action).where(AuditEvent.action.startswith(prefix))
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def must_read_notices(post_id: int) -> list[int]:
    db.session.rollback()
    query = select(Notification.user_id).where(
        Notification.post_id == post_id, Notification.kind == Kind.MUST_READ.value
    )
    return sorted(db.session.scalars(query))


# ---------------------------------------------------------------- the whole flow


def test_a_must_read_is_pinned_until_acknowledged_then_counted_and_exported(
    boss, author, friend, stranger, api, browser
):
    post = must_read(boss, "Fire drill on Friday", audience="everyone")
    reader = api(friend)
    first = reader.get("/feed").get_json()["items"][0]
    assert first["id"] == post.id
    assert (first["must_read"], first["asked_to_acknowledge"], first["acknowledged"]) == (
        True,
        True,
        False,
    )
    assert first["acknowledged_count"] is None  # counts are for the author, owners, admins

    answer = reader.post(f"/posts/{post.id}/acknowledge")
    assert answer.status_code == 200
    assert answer.get_json()["acknowledged"] is True
    assert post.id not in [item["id"] for item in reader.get("/feed").get_json()["items"]]

    report = api(boss).get(f"/posts/{post.id}/acknowledgements").get_json()
    assert (report["acknowledged_count"], report["audience_count"]) == (1, 3)
    assert [item["user"]["username"] for item in report["items"]] == [friend.username]
    assert [person["username"] for person in report["pending"]] == ["ana", "cyd"]
    assert report["pending_count"] == 2 and report["next_cursor"] is None

    page = browser(boss).get(f"/posts/{post.id}/acknowledgements").get_data(as_text=True)
    assert "Acknowledged by 1 of 3" in page and "Ben Friend" in page and "Cyd Stranger" in page
    exported = browser(boss).get(f"/posts/{post.id}/acknowledgements.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert [(row["username"], row["status"]) for row in rows] == [
        ("ben", "acknowledged"),
        ("ana", "pending"),
        ("cyd", "pending"),
    ]
    assert rows[0]["acknowledged_at"] and not rows[1]["acknowledged_at"]
    assert audit_actions() == ["post.must_read", "post.acknowledgements_export"]


def test_the_card_asks_the_reader_and_then_says_it_was_acknowledged(boss, friend, browser):
    post = must_read(boss, "New expense policy", audience="everyone")
    ben = browser(friend)
    feed = ben.get("/").get_data(as_text=True)
    assert ACK_BUTTON in feed and "New expense policy" in feed
    answer = ben.post(f"/posts/{post.id}/acknowledge", {"next": "/"})
    assert answer.status_code == 302
    assert acknowledgement_rows() == [(post.id, friend.id)]
    card = ben.get(f"/posts/{post.id}").get_data(as_text=True)
    assert ACK_BUTTON not in card and "You have acknowledged this announcement." in card
    assert ACK_BUTTON not in ben.get("/").get_data(as_text=True)
    mine = browser(boss).get(f"/posts/{post.id}").get_data(as_text=True)
    assert "Acknowledged by 1 of 2" in mine and ACK_BUTTON not in mine  # Ana has not


def test_the_pinned_must_read_is_not_shown_twice_in_the_feed(author, friend, boss, api):
    befriend(boss, friend)
    post = must_read(boss, "Twice?", audience="everyone")
    service.create_post(author, "A newer ordinary post", audience="everyone")
    db.session.commit()
    ids = [item["id"] for item in api(friend).get("/feed").get_json()["items"]]
    assert ids.count(post.id) == 1 and ids[0] == post.id
    api(friend).post(f"/posts/{post.id}/acknowledge")
    ids = [item["id"] for item in api(friend).get("/feed").get_json()["items"]]
    assert ids.count(post.id) == 1 and ids[0] != post.id  # back in the stream, in its place


def test_acknowledging_again_is_harmless(boss, friend, api):
    post = must_read(boss, audience="everyone")
    reader = api(friend)
    first = reader.post(f"/posts/{post.id}/acknowledge").get_json()
    again = reader.post(f"/posts/{post.id}/acknowledge").get_json()
    assert first == again
    assert acknowledgement_rows() == [(post.id, friend.id)]


# ---------------------------------------------------------------- the audience


def test_a_space_must_read_is_for_its_members_even_in_an_open_space(author, friend, stranger, api):
    spaces.create_space(author, "Open Hall", slug="hall", visibility="open")
    spaces.add_member(author, "hall", friend.username)
    db.session.commit()
    post = must_read(author, "Members, read this", audience="space", space="hall")
    assert announcements.report(author, post.id).audience_count == 1
    # Cyd may read an open space's post, but it is not for him: not pinned, not asked
    seen = api(stranger).get(f"/posts/{post.id}").get_json()
    assert seen["must_read"] is True and seen["asked_to_acknowledge"] is False
    assert post.id not in [item["id"] for item in api(stranger).get("/feed").get_json()["items"]]
    assert api(friend).get("/feed").get_json()["items"][0]["id"] == post.id
    assert must_read_notices(post.id) == [friend.id]


def test_a_friends_must_read_is_for_the_authors_friends(boss, author, friend, stranger):
    befriend(boss, friend)
    post = must_read(boss, "Friends only", audience="friends")
    report = announcements.report(boss, post.id)
    assert report.audience_count == 1
    assert [reader.username for reader in report.pending] == [friend.username]


# ---------------------------------------------------------------- who may mark


def test_a_plain_member_cannot_mark_a_must_read_in_the_space(friend, team, api, browser):
    answer = api(friend).post("/posts", json={"body": "Me too", "space": team, "must_read": True})
    assert answer.status_code == 403
    assert answer.get_json()["error"]["field"] == "must_read"
    page = browser(friend).post(
        "/posts", {"body": "Me too", "space": team, "must_read": "y", "next": f"/s/{team}"}
    )
    assert page.status_code == 403
    assert "can mark a must-read" in page.get_data(as_text=True)
    assert post_count() == 0 and audit_actions() == []


def test_a_member_cannot_mark_a_must_read_on_their_own_wall(author, api):
    answer = api(author).post("/posts", json={"body": "Hear me", "must_read": True})
    assert answer.status_code == 403
    assert post_count() == 0


def test_a_space_owner_marks_in_their_space_and_the_members_are_told(
    author, friend, team, api, browser
):
    answer = api(author).post(
        "/posts", json={"body": "Team rules", "space": team, "must_read": True}
    )
    assert answer.status_code == 201 and answer.get_json()["must_read"] is True
    assert answer.get_json()["audience_count"] == 1
    post_id = answer.get_json()["id"]
    assert must_read_notices(post_id) == [friend.id]
    notices = api(friend).get("/notifications").get_json()["items"]
    assert notices[0]["kind"] == "must_read"
    assert "Must read: an announcement from Ana Author" in browser(friend).get(
        "/notifications"
    ).get_data(as_text=True)


def test_acknowledging_reads_the_readers_notice_of_it(boss, friend, api):
    post = must_read(boss, audience="everyone")
    reader = api(friend)
    assert reader.get("/notifications/unread").get_json()["notifications"] == 1
    reader.post(f"/posts/{post.id}/acknowledge")
    assert reader.get("/notifications/unread").get_json()["notifications"] == 0
    assert friend.id in must_read_notices(post.id)  # read, not gone


def test_an_admin_marks_anyones_post_and_takes_it_back(boss, author, friend, api):
    post = service.create_post(author, "Ordinary", audience="everyone")
    db.session.commit()
    marked = api(boss).patch(f"/posts/{post.id}", json={"must_read": True})
    assert marked.status_code == 200 and marked.get_json()["must_read"] is True
    assert marked.get_json()["edited_at"] is None
    assert friend.id in must_read_notices(post.id)
    cleared = api(boss).patch(f"/posts/{post.id}", json={"must_read": False})
    assert cleared.get_json()["must_read"] is False
    assert must_read_notices(post.id) == []
    assert audit_actions() == ["post.must_read", "post.must_read_cleared"]


def test_an_author_who_may_not_mark_cannot_patch_it_and_nothing_changes(author, api):
    post = service.create_post(author, "Mine", audience="everyone")
    db.session.commit()
    answer = api(author).patch(f"/posts/{post.id}", json={"must_read": True, "body": "Changed"})
    assert answer.status_code == 403
    db.session.rollback()
    assert (db.session.get(Post, post.id).must_read, db.session.get(Post, post.id).body) == (
        False,
        "Mine",
    )


def test_must_read_must_be_true_or_false(boss, api):
    answer = api(boss).post("/posts", json={"body": "x", "must_read": "yes"})
    assert answer.status_code == 422 and answer.get_json()["error"]["field"] == "must_read"
    assert post_count() == 0


def test_the_composer_offers_the_checkbox_only_to_those_who_may_mark(
    boss, author, friend, team, browser
):
    assert CHECKBOX in browser(boss).get("/").get_data(as_text=True)
    assert CHECKBOX not in browser(author).get("/").get_data(as_text=True)
    assert CHECKBOX in browser(author).get(f"/s/{team}").get_data(as_text=True)
    assert CHECKBOX not in browser(friend).get(f"/s/{team}").get_data(as_text=True)


def test_an_admin_posts_a_must_read_from_the_composer(boss, friend, browser):
    answer = browser(boss).post(
        "/posts", {"body": "From the form", "audience": "everyone", "must_read": "y", "next": "/"}
    )
    assert answer.status_code == 302
    db.session.rollback()
    post = db.session.scalars(select(Post)).one()
    assert post.must_read is True
    assert ACK_BUTTON in browser(friend).get("/").get_data(as_text=True)


# ---------------------------------------------------------------- who may read who has


def test_only_the_author_owners_and_admins_see_who_acknowledged(
    author, friend, stranger, boss, team, api, browser
):
    post = must_read(author, "Owners read", audience="space", space=team)
    assert api(friend).get(f"/posts/{post.id}/acknowledgements").status_code == 403
    assert browser(friend).get(f"/posts/{post.id}/acknowledgements").status_code == 403
    assert browser(friend).get(f"/posts/{post.id}/acknowledgements.csv").status_code == 403
    assert "Acknowledged by" not in browser(friend).get(f"/posts/{post.id}").get_data(as_text=True)
    # Cyd is not in the closed space: the post does not exist for him
    assert api(stranger).get(f"/posts/{post.id}/acknowledgements").status_code == 404
    assert api(author).get(f"/posts/{post.id}/acknowledgements").status_code == 200
    assert audit_actions("post.acknowledgements") == []


def test_a_reader_who_cannot_see_the_post_gets_404_on_acknowledging(
    author, stranger, team, api, browser
):
    post = must_read(author, "Team only", audience="space", space=team)
    assert api(stranger).post(f"/posts/{post.id}/acknowledge").status_code == 404
    assert browser(stranger).post(f"/posts/{post.id}/acknowledge").status_code == 404
    assert acknowledgement_rows() == []


def test_unknown_posts_and_ordinary_posts_are_refused(author, friend, boss, api, browser):
    ordinary = service.create_post(author, "Not a must-read", audience="everyone")
    db.session.commit()
    reader = api(friend)
    assert reader.post("/posts/999999/acknowledge").status_code == 404
    assert api(boss).get("/posts/999999/acknowledgements").status_code == 404
    refused = reader.post(f"/posts/{ordinary.id}/acknowledge")
    assert refused.status_code == 409
    assert browser(boss).get(f"/posts/{ordinary.id}/acknowledgements.csv").status_code == 409
    page = browser(friend).post(f"/posts/{ordinary.id}/acknowledge", {"next": "/"})
    assert page.status_code == 302
    assert acknowledgement_rows() == []


def test_the_acknowledge_form_needs_its_csrf_token(boss, friend, browser):
    post = must_read(boss, audience="everyone")
    answer = browser(friend).post(f"/posts/{post.id}/acknowledge", {"csrf_token": ""})
    assert answer.status_code == 400
    assert acknowledgement_rows() == []


def test_the_must_read_form_needs_its_csrf_token(boss, browser):
    answer = browser(boss).post(
        "/posts", {"body": "x", "audience": "everyone", "must_read": "y", "csrf_token": ""}
    )
    assert answer.status_code == 400
    assert post_count() == 0


def test_names_with_script_are_shown_as_text_on_the_page(boss, make_user, browser):
    make_user("mallory", name="<script>alert(1)</script>")
    post = must_read(boss, audience="everyone")
    page = browser(boss).get(f"/posts/{post.id}/acknowledgements").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_a_long_audience_is_paged_by_username(boss, make_user, api):
    for number in range(5):
        make_user(f"reader{number}")
    post = must_read(boss, audience="everyone")
    caller = api(boss)
    first = caller.get(f"/posts/{post.id}/acknowledgements?limit=3").get_json()
    assert [person["username"] for person in first["pending"]] == [
        "reader0",
        "reader1",
        "reader2",
    ]
    rest = caller.get(
        f"/posts/{post.id}/acknowledgements?limit=3&cursor={first['next_cursor']}"
    ).get_json()
    assert [person["username"] for person in rest["pending"]] == ["reader3", "reader4"]
    assert rest["next_cursor"] is None and rest["audience_count"] == 5
    bad = caller.get(f"/posts/{post.id}/acknowledgements?cursor=%%%")
    assert bad.status_code == 422


@pytest.mark.sqlite(reason="SQLite's query plan (EXPLAIN QUERY PLAN)")
def test_the_feeds_must_read_pins_are_read_through_the_must_read_index(app):
    connection = db.session.connection()
    statement, parameters = feed._MUST_READ.sqlite_statement(connection.dialect, {"viewer": 1})
    plan = [
        row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    ]
    assert "SEARCH posts USING INDEX ix_posts_must_read (must_read=?)" in plan, plan
    # the audience rule's look-ups and the acknowledgement's go through indexes too
    assert not [step for step in plan if step.startswith("SCAN") and "anon" not in step], plan


def test_an_owner_makes_it_an_ordinary_post_again_from_its_page(author, friend, team, browser):
    post = must_read(author, "Oops", audience="space", space=team)
    owner = browser(author)
    page = owner.get(f"/posts/{post.id}/acknowledgements").get_data(as_text=True)
    assert "Make it an ordinary post" in page
    refused = browser(friend).post(f"/posts/{post.id}/must-read", {"must_read": "0"})
    assert refused.status_code == 403
    assert owner.post(f"/posts/{post.id}/must-read", {"csrf_token": ""}).status_code == 400
    db.session.rollback()
    assert db.session.get(Post, post.id).must_read is True
    assert owner.post(f"/posts/{post.id}/must-read", {"must_read": "0"}).status_code == 302
    db.session.rollback()
    assert db.session.get(Post, post.id).must_read is False
    assert must_read_notices(post.id) == []
    assert "Make it a must-read again" in owner.get(f"/posts/{post.id}/acknowledgements").get_data(
        as_text=True
    )
