"""Post cards made and rendered once and reused across requests (posts/cards.py,
posts/rendered.py, core/fragments.py): every change a card shows reaches the next page at
once, each viewer sees their own part of it, and nobody sees a post they may not see because
someone else's page rendered it first."""

from __future__ import annotations

import re

from intranet_social.core.memo import BoundedCache
from intranet_social.extensions import db
from intranet_social.posts import comments, likes, service
from tests.posts.helpers import befriend

LIKE_PRESSED = re.compile(r'aria-pressed="(true|false)"')
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def write(author, body, **options):
    post = service.create_post(author, body, **options)
    db.session.commit()
    return post


def composer_of(page: str) -> str:
    start = page.index("data-composer")
    return page[start : page.index("</form>", start)]


def kept_fragments(app) -> int:
    return len(app.extensions["fragments"])


def kept_cards(app) -> int:
    return len(app.extensions["post_cards"])


def session_secret(token: str) -> str:
    return token.split(".", 1)[0]


def card_of(page: str, post_id: int) -> str:
    """The HTML of one post's card on a page."""
    start = page.index(f'id="post-{post_id}"')
    end = page.find("</article>", start)
    return page[start:end]


def test_a_second_view_of_the_feed_reuses_the_rendered_card(app, author, friend, browser):
    post = write(author, "Lunch at noon")
    reader = browser(friend)
    first = reader.get("/").get_data(as_text=True)
    kept, made = kept_fragments(app), kept_cards(app)
    second = reader.get("/").get_data(as_text=True)
    assert kept >= 1 and kept_fragments(app) == kept
    assert made == 1 and kept_cards(app) == made
    assert card_of(first, post.id) == card_of(second, post.id)
    assert "Lunch at noon" in card_of(second, post.id)


def test_an_edit_shows_on_the_next_page_not_the_old_text(app, author, friend, browser):
    post = write(author, "Meeting at 10")
    reader = browser(friend)
    assert "Meeting at 10" in card_of(reader.get("/").get_data(as_text=True), post.id)
    service.edit_post(author, post.id, "Meeting moved to 11")
    db.session.commit()
    card = card_of(reader.get("/").get_data(as_text=True), post.id)
    assert "Meeting moved to 11" in card and "Meeting at 10" not in card
    assert "edited" in card


def test_likes_show_at_once_and_each_viewer_sees_their_own_like(
    app, author, friend, make_user, browser
):
    other = make_user("dee", name="Dee Friend")
    befriend(author, other)
    post = write(author, "Cake in the kitchen")
    liker, onlooker = browser(friend), browser(other)
    assert "0 likes" in card_of(liker.get("/").get_data(as_text=True), post.id)
    assert "0 likes" in card_of(onlooker.get("/").get_data(as_text=True), post.id)
    likes.like_post(friend, post.id)
    db.session.commit()
    mine = card_of(liker.get("/").get_data(as_text=True), post.id)
    theirs = card_of(onlooker.get("/").get_data(as_text=True), post.id)
    assert "1 like<" in mine and "1 like<" in theirs
    assert LIKE_PRESSED.search(mine)[1] == "true"
    assert LIKE_PRESSED.search(theirs)[1] == "false"


def test_a_new_comment_and_a_comment_edit_show_at_once(app, author, friend, browser):
    post = write(author, "Who is coming on Friday?")
    reader = browser(author)
    assert "0 comments" in card_of(reader.get("/").get_data(as_text=True), post.id)
    comment = comments.create_comment(friend, post.id, "Count me in")
    db.session.commit()
    card = card_of(reader.get("/").get_data(as_text=True), post.id)
    assert "1 comment<" in card and "Count me in" in card
    comments.edit_comment(friend, comment.id, "Count me in, with two guests")
    db.session.commit()
    card = card_of(reader.get("/").get_data(as_text=True), post.id)
    assert "Count me in, with two guests" in card
    comments.delete_comment(friend, comment.id)
    db.session.commit()
    card = card_of(reader.get("/").get_data(as_text=True), post.id)
    assert "0 comments" in card and "Count me in" not in card


def test_a_deleted_post_leaves_the_page(app, author, friend, browser):
    post = write(author, "Short-lived news")
    reader = browser(friend)
    assert f'id="post-{post.id}"' in reader.get("/").get_data(as_text=True)
    service.delete_post(author, post.id)
    db.session.commit()
    page = reader.get("/").get_data(as_text=True)
    assert f'id="post-{post.id}"' not in page and "Short-lived news" not in page


def test_a_stranger_never_sees_a_friends_only_post_rendered_for_a_friend(
    app, author, friend, stranger, browser
):
    post = write(author, "Only for my friends", audience="everyone")
    write(author, "For everyone", audience="everyone")
    reader, outsider = browser(friend), browser(stranger)
    # both render the post while everyone may see it, so it is kept
    assert "Only for my friends" in reader.get("/u/ana").get_data(as_text=True)
    assert "Only for my friends" in outsider.get("/u/ana").get_data(as_text=True)
    service.edit_post(author, post.id, audience="friends")
    db.session.commit()
    assert "Only for my friends" in reader.get("/u/ana").get_data(as_text=True)
    wall = outsider.get("/u/ana").get_data(as_text=True)
    assert "For everyone" in wall and "Only for my friends" not in wall
    found = outsider.get("/search?q=friends&type=posts").get_data(as_text=True)
    assert "Only for my friends" not in found


def test_a_new_role_shows_its_buttons_at_once(app, author, friend, browser):
    post = write(author, "An announcement to pin", audience="everyone")
    reader = browser(friend)
    card = card_of(reader.get("/").get_data(as_text=True), post.id)
    assert f"/posts/{post.id}/delete" not in card and f"/posts/{post.id}/pin" not in card
    friend.role = "admin"
    db.session.commit()
    card = card_of(reader.get("/").get_data(as_text=True), post.id)
    assert f"/posts/{post.id}/delete" in card and f"/posts/{post.id}/pin" in card
    friend.role = "member"
    db.session.commit()
    card = card_of(reader.get("/").get_data(as_text=True), post.id)
    assert f"/posts/{post.id}/delete" not in card


def test_a_new_name_shows_on_cards_already_rendered(app, author, friend, browser):
    post = write(author, "Hello from the new office")
    reader = browser(friend)
    assert "Ana Author" in card_of(reader.get("/").get_data(as_text=True), post.id)
    author.name = "Ana Renamed"
    db.session.commit()
    card = card_of(reader.get("/").get_data(as_text=True), post.id)
    assert "Ana Renamed" in card and "Ana Author" not in card


def test_only_other_peoples_posts_have_a_report_link(app, author, friend, browser):
    post = write(author, "Nothing to see here")
    mine = card_of(browser(author).get("/").get_data(as_text=True), post.id)
    theirs = card_of(browser(friend).get("/").get_data(as_text=True), post.id)
    assert "Report" not in mine and "Report" in theirs


def test_each_session_gets_its_own_csrf_token_in_a_shared_card(app, author, friend, browser):
    post = write(author, "Like me", audience="everyone")
    first, second = browser(friend), browser(friend)
    page_one = first.get("/").get_data(as_text=True)
    page_two = second.get("/").get_data(as_text=True)
    in_card_one = set(CSRF_FIELD.findall(card_of(page_one, post.id)))
    in_card_two = set(CSRF_FIELD.findall(card_of(page_two, post.id)))
    # a token is its session's secret, signed with the time: the secret must be the page's
    assert {session_secret(token) for token in in_card_one} == {session_secret(first.token)}
    assert {session_secret(token) for token in in_card_two} == {session_secret(second.token)}
    assert session_secret(first.token) != session_secret(second.token)
    answer = second.client.post(
        f"/posts/{post.id}/like", data={"csrf_token": in_card_two.pop(), "next": "/"}
    )
    assert answer.status_code == 302
    assert "1 like<" in card_of(second.get("/").get_data(as_text=True), post.id)


def test_the_store_keeps_the_most_recently_used_entries():
    store: BoundedCache[str, str] = BoundedCache(size=2)
    store.put("a", "A")
    store.put("b", "B")
    assert store.get("a") == "A"
    store.put("c", "C")
    assert store.get("b") is None
    assert store.get("a") == "A" and store.get("c") == "C"
    assert len(store) == 2


def test_a_mention_becomes_a_link_once_the_person_exists(app, author, friend, make_user, browser):
    post = write(author, "Welcome @zoe.new to the team")
    reader = browser(friend)
    assert 'class="mention"' not in card_of(reader.get("/").get_data(as_text=True), post.id)
    make_user("zoe.new", name="Zoe New")
    card = card_of(reader.get("/").get_data(as_text=True), post.id)
    assert '<a href="/u/zoe.new" class="mention">@zoe.new</a>' in card


def test_the_composer_is_kept_but_carries_each_sessions_token(app, author, browser):
    first, second = browser(author), browser(author)
    page_one = first.get("/").get_data(as_text=True)
    kept = kept_fragments(app)
    page_two = second.get("/").get_data(as_text=True)
    assert kept_fragments(app) == kept
    token_one = CSRF_FIELD.search(composer_of(page_one))[1]
    token_two = CSRF_FIELD.search(composer_of(page_two))[1]
    assert session_secret(token_one) == session_secret(first.token)
    assert session_secret(token_two) == session_secret(second.token)
    assert session_secret(first.token) != session_secret(second.token)
    answer = second.post("/posts", data={"body": "Sent from a kept composer", "next": "/"})
    assert answer.status_code == 302
    assert "Sent from a kept composer" in second.get("/").get_data(as_text=True)


def test_a_refused_post_shows_the_composer_with_its_error_and_text(app, author, browser):
    reader = browser(author)
    answer = reader.post("/posts", data={"body": "x" * 5001, "next": "/"})
    page = answer.get_data(as_text=True)
    assert answer.status_code in (200, 422)
    assert 'aria-invalid="true"' in page and "x" * 5001 in page
    assert session_secret(CSRF_FIELD.search(composer_of(page))[1]) == session_secret(reader.token)
    fresh = reader.get("/").get_data(as_text=True)
    assert 'aria-invalid="true"' not in fresh and "x" * 5001 not in fresh
