"""What spaces tell people: requests to join (to the owners and moderators), requests let in,
being added, and new posts grouped per space; muted members hear nothing of new posts; and
whoever may no longer know of a space or see its post is never shown or led to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import delete, func, select

from intranet_social.accounts import service as accounts
from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.notifications import inbox as notification_inbox
from intranet_social.notifications import service
from intranet_social.notifications.models import Notification
from intranet_social.posts import service as posts
from intranet_social.spaces import departments
from intranet_social.spaces import service as spaces
from intranet_social.spaces.models import SpaceMember
from tests.notifications.conftest import inbox, snapshot
from tests.statements import statements_run


@pytest.fixture(autouse=True)
def request_context(app: Flask) -> Iterator[None]:
    """The list links to avatars, which takes a request to build URLs."""
    with app.test_request_context():
        yield


@pytest.fixture
def club(ana: User, ben: User, dee: User) -> str:
    """A closed space: Ana owns it, Ben moderates, Dee is a plain member."""
    space = spaces.create_space(ana, "Design", slug="design", visibility="closed")
    spaces.add_member(ana, "design", "ben", "moderator")
    spaces.add_member(ana, "design", "dee")
    db.session.execute(delete(Notification))
    db.session.commit()
    return space.slug


def entries(user: User) -> list[tuple[str, str, str]]:
    """``user``'s list as (kind, text, link), newest first."""
    cards, _ = notification_inbox.notification_page(user)
    return [(card.kind, card.text, card.object_url) for card in cards]


def write(author: User, body: str, slug: str = "design") -> int:
    post = posts.create_post(author, body, audience="space", space=slug)
    db.session.commit()
    return post.id


def test_a_request_to_join_tells_the_owners_and_moderators_as_one_entry_per_space(
    club, ana, ben, dee, cyd, make_user
):
    spaces.join(cyd, club)
    db.session.commit()
    assert entries(ana) == [
        ("space_join_request", "Cyd Stranger asked to join Design.", "/s/design")
    ]
    assert inbox(ben) == [("space_join_request", cyd.id)]
    assert inbox(dee) == [] and inbox(cyd) == []
    eve = make_user("eve", name="Eve Else")
    spaces.join(eve, club)
    db.session.commit()
    assert entries(ana) == [
        ("space_join_request", "Eve Else and 1 other asked to join Design.", "/s/design")
    ]
    assert service.unread_count(ana) == 1


def test_an_accepted_request_tells_whoever_asked_and_the_request_leaves_every_list(
    club, ana, ben, cyd
):
    spaces.join(cyd, club)
    db.session.commit()
    spaces.answer_request(ben, club, "cyd", approve=True)
    db.session.commit()
    assert entries(cyd) == [("space_join_accepted", "Ben Friend let you into Design.", "/s/design")]
    assert entries(ana) == [] and entries(ben) == []


def test_a_declined_or_withdrawn_request_tells_nobody_and_leaves_no_notice(
    club, ana, cyd, make_user
):
    spaces.join(cyd, club)
    db.session.commit()
    spaces.answer_request(ana, club, "cyd", approve=False)
    db.session.commit()
    assert inbox(cyd) == [] and inbox(ana) == []
    eve = make_user("eve", name="Eve Else")
    spaces.join(eve, club)
    spaces.leave(eve, club)
    db.session.commit()
    assert inbox(ana) == [] and inbox(eve) == []


def test_adding_someone_tells_them_but_joining_by_oneself_tells_nobody(club, ana, cyd, make_user):
    spaces.add_member(ana, club, "cyd")
    db.session.commit()
    assert entries(cyd) == [("space_member_added", "Ana Author added you to Design.", "/s/design")]
    open_space = spaces.create_space(ana, "Lunch", visibility="open")
    db.session.commit()
    eve = make_user("eve", name="Eve Else")
    spaces.join(eve, open_space.slug)
    db.session.commit()
    assert inbox(eve) == [] and inbox(ana) == []


def test_the_command_line_adding_someone_tells_them_without_a_name(club, cyd):
    spaces.add_member(None, club, "cyd")
    db.session.commit()
    assert entries(cyd) == [("space_member_added", "You were added to Design.", "/s/design")]


def test_a_pending_request_is_answered_by_adding_its_asker(club, ana, ben, cyd):
    spaces.join(cyd, club)
    db.session.commit()
    spaces.add_member(ben, club, "cyd")
    db.session.commit()
    assert inbox(ana) == [] and inbox(ben) == []
    assert inbox(cyd) == [("space_member_added", ben.id)]


def test_opening_a_space_lets_the_askers_in_and_tells_them(club, ana, cyd):
    spaces.join(cyd, club)
    db.session.commit()
    spaces.update_space(ana, club, visibility="open")
    db.session.commit()
    assert inbox(cyd) == [("space_join_accepted", ana.id)]
    assert inbox(ana) == []


def test_a_new_post_tells_every_member_but_its_author(club, ana, ben, dee, cyd):
    post_id = write(ben, "The new logo is up")
    assert entries(ana) == [("space_post", "Ben Friend posted in Design.", f"/posts/{post_id}")]
    assert inbox(dee) == [("space_post", ben.id)]
    assert inbox(ben) == [] and inbox(cyd) == []


def test_new_posts_of_one_space_are_one_unread_entry_until_it_is_read(club, ana, ben, dee):
    write(ben, "one")
    write(dee, "two")
    write(ben, "three")
    assert entries(ana) == [("space_post", "3 new posts in Design.", "/s/design")]
    assert service.unread_count(ana) == 1
    other = spaces.create_space(ana, "Garden", visibility="open")
    spaces.join(ben, other.slug)
    db.session.commit()
    write(ana, "weeding", other.slug)
    assert [text for _kind, text, _url in entries(ben)] == [
        "Ana Author posted in Garden.",
        "Dee Friend posted in Design.",
    ]
    (card, *_), _ = notification_inbox.notification_page(ana)
    service.mark_read(ana, [card.id])
    db.session.commit()
    assert service.unread_count(ana) == 0
    fourth = write(dee, "four")
    assert entries(ana) == [
        ("space_post", "Dee Friend posted in Design.", f"/posts/{fourth}"),
        ("space_post", "3 new posts in Design.", "/s/design"),
    ]
    assert service.unread_count(ana) == 1


def test_a_post_tells_all_its_members_in_the_same_few_statements(club, ana, make_user):
    for number in range(30):
        spaces.add_member(ana, club, make_user(f"member{number}").username)
    db.session.commit()
    with statements_run() as seen:
        write(ana, "to everyone")
    told = db.session.scalar(
        select(func.count()).select_from(Notification).where(Notification.kind == "space_post")
    )
    assert told == 32
    assert sum("INSERT INTO notifications" in statement for statement in seen) == 1


def test_muted_members_hear_nothing_of_new_posts_until_they_unmute(club, ana, ben, dee):
    spaces.set_muted(dee, club, True)
    db.session.commit()
    write(ben, "quiet please")
    assert inbox(dee) == [] and inbox(ana) == [("space_post", ben.id)]
    spaces.set_muted(dee, club, False)
    db.session.commit()
    write(ben, "loud again")
    assert inbox(dee) == [("space_post", ben.id)]


def test_a_must_read_post_is_told_once_and_to_muted_members_too(club, ana, ben, dee):
    spaces.set_muted(dee, club, True)
    db.session.commit()
    posts.create_post(ana, "Read this", audience="space", space=club, must_read=True)
    db.session.commit()
    assert inbox(ben) == [("must_read", ana.id)]
    assert inbox(dee) == [("must_read", ana.id)]


def test_a_muted_owner_still_hears_of_requests_to_join(club, ana, cyd):
    spaces.set_muted(ana, club, True)
    db.session.commit()
    spaces.join(cyd, club)
    db.session.commit()
    assert inbox(ana) == [("space_join_request", cyd.id)]


def test_leaving_or_being_taken_out_takes_what_the_space_said_away(club, ana, ben, dee, cyd):
    spaces.add_member(ana, club, "cyd")
    db.session.commit()
    write(ben, "hello all")
    spaces.leave(dee, club)
    spaces.remove_member(ana, club, "cyd")
    db.session.commit()
    assert inbox(dee) == [] and inbox(cyd) == []
    assert inbox(ana) == [("space_post", ben.id)]
    assert service.unread_count(dee) == 0


def test_moving_out_of_a_department_takes_its_spaces_notices_away(ana, make_user):
    eva = make_user("eva", name="Eva Engineer", department="Engineering")
    space = spaces.create_space(ana, "Engineering", visibility="closed")
    departments.link_department(None, space, "Engineering")
    db.session.commit()
    write(ana, "standup at ten", space.slug)
    assert inbox(eva) == [("space_post", ana.id)]
    accounts.set_department(eva, "Sales")
    db.session.commit()
    assert inbox(eva) == [] and entries(eva) == []


def test_a_request_a_department_answers_leaves_the_owners_lists(ana, make_user):
    eva = make_user("eva", name="Eva Engineer", department="Engineering")
    sam = make_user("sam", name="Sam Sales", department="Sales")
    space = spaces.create_space(ana, "Engineering", visibility="closed")
    sales = spaces.create_space(ana, "Sales", visibility="closed")
    spaces.join(eva, space.slug)
    spaces.join(sam, space.slug)
    db.session.commit()
    assert len(inbox(ana)) == 2
    departments.link_department(None, space, "Engineering")
    db.session.commit()
    assert inbox(ana) == [("space_join_request", sam.id)]
    departments.link_department(None, sales, "Sales")
    spaces.join(eva, sales.slug)
    db.session.commit()
    accounts.set_department(eva, "Sales")
    db.session.commit()
    assert inbox(ana) == [("space_join_request", sam.id)]


def test_a_deleted_space_leaves_no_notice_behind(club, ana, ben, cyd):
    spaces.join(cyd, club)
    write(ben, "last words")
    spaces.delete_space(ana, club)
    db.session.commit()
    assert snapshot() == []


def test_a_member_gone_without_notice_is_not_shown_a_closed_spaces_posts(club, ana, ben, dee):
    """However a membership ends (a department space follows its people by itself), the
    list never shows or links a post its reader may no longer see."""
    write(ben, "members only")
    db.session.execute(delete(SpaceMember).where(SpaceMember.user_id == dee.id))
    db.session.commit()
    assert entries(dee) == []


def test_a_space_made_secret_vanishes_from_the_lists_of_those_outside(club, ana, cyd):
    spaces.add_member(ana, club, "cyd")
    db.session.execute(delete(SpaceMember).where(SpaceMember.user_id == cyd.id))
    db.session.commit()
    assert [kind for kind, _text, _url in entries(cyd)] == ["space_member_added"]
    spaces.update_space(ana, club, visibility="secret")
    db.session.commit()
    assert entries(cyd) == []


def test_the_notifications_page_and_api_show_space_entries_escaped(browser, api, ana, dee):
    spaces.create_space(ana, "<script>alert(1)</script> Team", slug="xss", visibility="open")
    spaces.add_member(ana, "xss", "dee")
    db.session.commit()
    page = browser(dee).get("/notifications").get_data(as_text=True)
    assert "added you to &lt;script&gt;alert(1)&lt;/script&gt; Team." in page
    assert 'href="/s/xss"' in page and "<script>alert(1)" not in page
    post = posts.create_post(ana, "welcome", audience="space", space="xss")
    db.session.commit()
    items = api(dee, "read").get("/notifications").get_json()["items"]
    assert [(item["kind"], item["text"], item["object_url"]) for item in items] == [
        ("space_post", "Ana Author posted in <script>alert(1)</script> Team.", f"/posts/{post.id}"),
        ("space_member_added", "Ana Author added you to <script>alert(1)</script> Team.", "/s/xss"),
    ]


def test_marking_a_space_entry_read_through_the_api_reads_its_whole_group(api, club, ana, ben):
    write(ben, "one")
    write(ben, "two")
    client = api(ana)
    (item,) = client.get("/notifications").get_json()["items"]
    assert item["others"] == 1 and item["text"] == "2 new posts in Design."
    assert client.post("/notifications/read", json={"ids": [item["id"]]}).status_code < 300
    assert client.get("/notifications/unread").get_json()["notifications"] == 0
