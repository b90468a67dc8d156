"""``/u/<username>``: the profile header above the wall, and who may write on it."""

from __future__ import annotations

import re

from intranet_social.extensions import db
from intranet_social.posts import service
from tests.posts.helpers import counts

MORE_LINK = re.compile(r'href="(/u/ana\?cursor=[^"]+)" data-load-more')


def write(author, body, **options):
    post = service.create_post(author, body, **options)
    db.session.commit()
    return post


def test_the_profile_page_shows_the_header_and_the_wall(author, friend, browser):
    write(author, "my own post")
    write(friend, "Happy birthday, Ana!", wall_owner=author)
    write(friend, "on Ben's own wall")
    page = browser(friend).get("/u/ana").get_data(as_text=True)
    assert '<h1 id="profile-name" class="profile-header__name">Ana Author</h1>' in page
    assert page.index("Happy birthday, Ana!") < page.index("my own post")
    assert "on Ben&#39;s own wall" not in page and "on Ben's own wall" not in page
    assert "on the wall of" in page


def test_the_owner_and_friends_get_a_composer_strangers_do_not(author, friend, stranger, browser):
    own = browser(author).get("/u/ana").get_data(as_text=True)
    assert "Write on your wall" in own and 'name="wall" type="hidden" value="ana"' in own
    theirs = browser(friend).get("/u/ana").get_data(as_text=True)
    assert "Write on Ana Author&#39;s wall" in theirs
    assert "data-composer" not in browser(stranger).get("/u/ana").get_data(as_text=True)


def test_a_friend_writes_on_my_wall_from_my_profile(author, friend, browser):
    ben = browser(friend)
    answer = ben.post(
        "/posts", {"body": "Welcome!", "audience": "friends", "wall": "ana", "next": "/u/ana"}
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "/u/ana"
    assert "Welcome!" in browser(author).get("/u/ana").get_data(as_text=True)
    assert "Welcome!" in browser(author).get("/").get_data(as_text=True)


def test_a_stranger_sees_only_posts_for_everyone_on_a_wall(author, stranger, browser):
    write(author, "for friends")
    write(author, "for everyone", audience="everyone")
    page = browser(stranger).get("/u/ana").get_data(as_text=True)
    assert "for everyone" in page and "for friends" not in page


def test_the_wall_pages_by_cursor_and_by_partial(author, browser):
    for n in range(22):
        write(author, f"wall post {n}")
    ana = browser(author)
    page = ana.get("/u/ana").get_data(as_text=True)
    assert "wall post 2<" in page and "wall post 1<" not in page
    link = MORE_LINK.search(page).group(1)
    partial = ana.get(link + "&partial=1").get_data(as_text=True)
    assert "wall post 1<" in partial and "wall post 0<" in partial and "<html" not in partial


def test_an_unknown_or_disabled_person_has_no_profile(author, make_user, browser):
    make_user("gone", status="disabled")
    ana = browser(author)
    assert ana.get("/u/nobody").status_code == 404
    assert ana.get("/u/gone").status_code == 404
    assert counts()["posts"] == 0


def test_a_name_with_a_nul_character_is_refused_cleanly(author, browser, api):
    ana = browser(author)
    assert ana.get("/u/an%00a").status_code == 404
    answer = ana.post("/posts", {"body": "hi", "audience": "friends", "wall": "an\x00a"})
    assert answer.status_code == 404
    answer = api(author).post(
        "/posts", data={"body": "hi", "wall": "an\x00a"}, content_type="multipart/form-data"
    )
    assert answer.status_code == 422 and answer.get_json()["error"]["field"] == "wall"
    assert counts()["posts"] == 0
