"""The news feed: whose posts, in what order, pinned announcements, paging by cursor."""

from __future__ import annotations

import re

from intranet_social.core.paging import encode_cursor
from intranet_social.extensions import db
from intranet_social.feed.service import feed_page
from intranet_social.posts import service
from tests.posts.helpers import befriend

MORE_LINK = re.compile(r'href="(/\?cursor=[^"]+)" data-load-more')


def write(author, body, **options):
    post = service.create_post(author, body, **options)
    db.session.commit()
    return post


def bodies(page) -> list[str]:
    return [post.body for post in page.items]


def test_the_feed_has_my_posts_my_friends_posts_and_posts_on_my_wall(
    app, author, friend, stranger, make_user
):
    third = make_user("dee")
    befriend(friend, third)
    write(author, "mine")
    write(friend, "my friend's")
    write(friend, "on my wall", wall_owner=author)
    write(friend, "my friend on someone else's wall", wall_owner=third)
    write(stranger, "a stranger's, for everyone", audience="everyone")
    write(third, "a friend of a friend's")
    with app.test_request_context():
        page = feed_page(author)
    assert bodies(page) == [
        "my friend on someone else's wall",
        "on my wall",
        "my friend's",
        "mine",
    ]


def test_pinned_announcements_come_first_on_the_first_page_only(app, author, friend, admin):
    announcement = write(admin, "Office closed on Monday", audience="everyone")
    for n in range(25):
        write(friend, f"post {n}")
    service.set_pinned(admin, announcement.id, True)
    db.session.commit()
    with app.test_request_context():
        first = feed_page(author)
        second = feed_page(author, first.next_before)
    assert [p.body for p in first.pinned] == ["Office closed on Monday"]
    assert bodies(first)[0] == "Office closed on Monday" and len(first.posts) == 20
    assert "Office closed on Monday" not in bodies(second)
    assert second.pinned == [] and len(second.posts) == 5 and second.next_before is None


def test_a_pinned_post_i_may_not_see_is_not_shown(app, author, stranger):
    private = write(stranger, "friends only news")
    private.pinned = True  # pinned while it was for everyone, say
    db.session.commit()
    with app.test_request_context():
        assert bodies(feed_page(author)) == []


def test_pages_are_newest_first_twenty_at_a_time(app, author, friend):
    made = [write(friend if n % 2 else author, f"post {n}").id for n in range(45)]
    with app.test_request_context():
        pages = [feed_page(author)]
        while pages[-1].next_before is not None:
            pages.append(feed_page(author, pages[-1].next_before))
    assert [len(p.posts) for p in pages] == [20, 20, 5]
    assert [post.id for page in pages for post in page.posts] == made[::-1]


def test_posts_arriving_between_pages_cause_no_duplicate_and_no_gap(app, author, friend):
    older = [write(friend, f"old {n}").id for n in range(30)]
    with app.test_request_context():
        first = feed_page(author)
        for n in range(7):
            write(friend, f"new {n}")
        second = feed_page(author, first.next_before)
    seen = [post.id for post in first.posts + second.posts]
    assert len(seen) == len(set(seen)) == 30
    assert seen == older[::-1]


def test_load_more_is_a_plain_link_and_its_partial_holds_only_the_posts(author, friend, browser):
    made = [write(friend, f"post {n}").id for n in range(21)]
    oldest_shown = made[1]
    ana = browser(author)
    page = ana.get("/").get_data(as_text=True)
    link = MORE_LINK.search(page).group(1)
    assert "post 0<" not in page and "post 1<" in page
    assert link == "/?cursor=" + encode_cursor(oldest_shown)
    rest = ana.get(link).get_data(as_text=True)
    assert "post 0<" in rest and "<html" in rest
    partial = ana.get(link + "&partial=1").get_data(as_text=True)
    assert "post 0<" in partial and "<html" not in partial and "data-load-more" not in partial


def test_a_broken_cursor_on_the_page_is_a_clear_error(author, browser):
    answer = browser(author).get("/?cursor=not-a-cursor")
    assert answer.status_code == 422
    assert "cursor is not valid" in answer.get_data(as_text=True)


def test_the_api_feed_pages_like_the_page(author, friend, api):
    for n in range(25):
        write(friend, f"post {n}")
    client = api(author, scope="read")
    first = client.get("/feed").get_json()
    second = client.get(f"/feed?cursor={first['next_cursor']}").get_json()
    assert len(first["items"]) == 20 and len(second["items"]) == 5
    assert second["next_cursor"] is None
    small = client.get("/feed?limit=3").get_json()
    assert [p["body"] for p in small["items"]] == ["post 24", "post 23", "post 22"]
