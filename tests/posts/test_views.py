"""The post pages through HTTP: composer, post page, edit, delete, pin, like and comment forms."""

from __future__ import annotations

from sqlalchemy import select

from intranet_social.extensions import db
from intranet_social.posts import comments, service
from intranet_social.posts.models import Comment, Post
from tests.posts.helpers import counts


def write(author, body="Hello", **options):
    post = service.create_post(author, body, **options)
    db.session.commit()
    return post


def only_post() -> Post:
    db.session.rollback()
    return db.session.scalars(select(Post)).one()


def test_a_member_posts_from_the_feed_and_sees_it_there(author, browser):
    ana = browser(author)
    answer = ana.post("/posts", {"body": "First post!", "audience": "everyone", "next": "/"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    post = only_post()
    assert (post.body, post.audience) == ("First post!", "everyone")
    page = ana.get("/").get_data(as_text=True)
    assert "First post!" in page and f'id="post-{post.id}"' in page


def test_script_in_a_post_is_shown_as_text(author, friend, browser):
    write(author, '<script>alert("owned")</script><img src=x onerror=alert(1)>')
    page = browser(friend).get("/").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in page


def test_a_post_without_csrf_token_is_refused_and_nothing_is_stored(author, browser):
    ana = browser(author)
    answer = ana.post("/posts", {"body": "sneaky", "csrf_token": ""})
    assert answer.status_code == 400
    assert counts()["posts"] == 0


def test_an_empty_post_gets_the_form_back_with_the_error_beside_the_text(author, browser):
    answer = browser(author).post("/posts", {"body": "   ", "audience": "friends"})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="body-error"' in page and "Write something" in page
    assert counts()["posts"] == 0


def test_an_overlong_post_keeps_the_text_and_names_the_limit(author, browser):
    answer = browser(author).post("/posts", {"body": "y" * 5001, "audience": "friends"})
    assert answer.status_code == 422
    assert "5,000" in answer.get_data(as_text=True)
    assert counts()["posts"] == 0


def test_a_post_with_an_unknown_audience_is_refused(author, browser):
    answer = browser(author).post("/posts", {"body": "hi", "audience": "world"})
    assert answer.status_code == 422
    assert counts()["posts"] == 0


def test_a_stranger_cannot_post_on_my_wall_through_the_form(author, stranger, browser):
    answer = browser(stranger).post("/posts", {"body": "hi", "audience": "friends", "wall": "ana"})
    assert answer.status_code == 403
    assert "once you are friends" in answer.get_data(as_text=True)
    assert counts()["posts"] == 0


def test_posting_on_the_wall_of_nobody_is_not_found(author, browser):
    answer = browser(author).post("/posts", {"body": "hi", "audience": "friends", "wall": "nobody"})
    assert answer.status_code == 404
    assert counts()["posts"] == 0


def test_the_post_page_shows_the_post_and_every_comment(author, friend, browser):
    post = write(author, "Look")
    for n in range(5):
        comments.create_comment(friend, post.id, f"comment number {n}")
    db.session.commit()
    page = browser(friend).get(f"/posts/{post.id}").get_data(as_text=True)
    assert "Look" in page
    assert all(f"comment number {n}" in page for n in range(5))


def test_the_author_edits_a_post_and_it_shows_edited(author, browser):
    post = write(author, "Helo")
    ana = browser(author)
    form = ana.get(f"/posts/{post.id}/edit")
    assert form.status_code == 200 and "Helo" in form.get_data(as_text=True)
    answer = ana.post(f"/posts/{post.id}/edit", {"body": "Hello", "audience": "friends"})
    assert answer.status_code == 302
    assert only_post().body == "Hello"
    assert ">edited<" in ana.get(f"/posts/{post.id}").get_data(as_text=True)


def test_a_friend_cannot_open_or_send_the_edit_form_of_my_post(author, friend, browser):
    post = write(author, "mine")
    ben = browser(friend)
    assert ben.get(f"/posts/{post.id}/edit").status_code == 404
    answer = ben.post(f"/posts/{post.id}/edit", {"body": "hijacked", "audience": "everyone"})
    assert answer.status_code == 404
    stored = only_post()
    assert (stored.body, stored.audience, stored.edited_at) == ("mine", "friends", None)


def test_the_author_deletes_a_post_and_returns_to_the_feed(author, browser):
    post = write(author)
    answer = browser(author).post(f"/posts/{post.id}/delete", {"next": f"/posts/{post.id}"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert counts()["posts"] == 0


def test_a_friend_cannot_delete_my_post(author, friend, browser):
    post = write(author)
    assert browser(friend).post(f"/posts/{post.id}/delete").status_code == 403
    assert counts()["posts"] == 1


def test_deleting_without_csrf_token_is_refused(author, browser):
    post = write(author)
    answer = browser(author).post(f"/posts/{post.id}/delete", {"csrf_token": ""})
    assert answer.status_code == 400
    assert counts()["posts"] == 1


def test_liking_by_form_twice_counts_once_and_returns_to_the_post(author, friend, browser):
    post = write(author)
    ben = browser(friend)
    for _ in range(2):
        answer = ben.post(f"/posts/{post.id}/like", {"next": f"/#post-{post.id}"})
        assert answer.status_code == 302 and answer.headers["Location"] == f"/#post-{post.id}"
    assert only_post().like_count == 1
    page = ben.get("/").get_data(as_text=True)
    assert 'aria-pressed="true"' in page and "1 like<" in page
    ben.post(f"/posts/{post.id}/unlike")
    assert only_post().like_count == 0


def test_a_like_form_never_redirects_to_another_site(author, browser):
    post = write(author)
    answer = browser(author).post(f"/posts/{post.id}/like", {"next": "https://evil.example/"})
    assert answer.headers["Location"] == "/"


def test_commenting_by_form_shows_the_comment_under_the_post(author, friend, browser):
    post = write(author)
    ben = browser(friend)
    answer = ben.post(f"/posts/{post.id}/comments", {"body": "Well done @ana"})
    assert answer.status_code == 302
    made = db.session.scalars(select(Comment)).one()
    assert answer.headers["Location"] == f"/posts/{post.id}#comment-{made.id}"
    page = ben.get("/").get_data(as_text=True)
    assert 'Well done <a href="/u/ana" class="mention">@ana</a>' in page
    assert "1 comment<" in page


def test_an_empty_comment_is_refused_with_a_message(author, browser):
    post = write(author)
    ana = browser(author)
    answer = ana.post(f"/posts/{post.id}/comments", {"body": " "}, follow_redirects=True)
    assert "Write a comment first." in answer.get_data(as_text=True)
    assert counts()["comments"] == 0


def test_the_feed_shows_the_latest_three_comments_and_a_link_to_all(author, browser):
    post = write(author)
    for n in range(5):
        comments.create_comment(author, post.id, f"remark {n}")
    db.session.commit()
    page = browser(author).get("/").get_data(as_text=True)
    assert "remark 0" not in page and "remark 1" not in page
    assert page.index("remark 2") < page.index("remark 3") < page.index("remark 4")
    assert f'href="/posts/{post.id}#comments">View all 5 comments' in page


def test_the_comment_author_edits_a_comment_others_cannot(author, friend, browser):
    post = write(author)
    made = comments.create_comment(friend, post.id, "gerat")
    db.session.commit()
    assert browser(author).get(f"/comments/{made.id}/edit").status_code == 404
    answer = browser(author).post(f"/comments/{made.id}/edit", {"body": "changed"})
    assert answer.status_code == 404
    ben = browser(friend)
    assert ben.post(f"/comments/{made.id}/edit", {"body": "great"}).status_code == 302
    db.session.rollback()
    assert db.session.get(Comment, made.id).body == "great"


def test_a_stranger_cannot_delete_a_comment(author, stranger, browser):
    post = write(author, "open", audience="everyone")
    made = comments.create_comment(author, post.id, "mine")
    db.session.commit()
    assert browser(stranger).post(f"/comments/{made.id}/delete").status_code == 403
    assert counts()["comments"] == 1


def test_an_admin_pins_a_post_and_everyone_sees_it_first(author, admin, stranger, browser):
    pinned = write(author, "Company picnic on Friday", audience="everyone")
    boss = browser(admin)
    assert boss.post(f"/posts/{pinned.id}/pin").status_code == 302
    write(stranger, "my own news")
    page = browser(stranger).get("/").get_data(as_text=True)
    assert page.index("Company picnic") < page.index("my own news")
    assert "Pinned" in page
    assert boss.post(f"/posts/{pinned.id}/unpin").status_code == 302
    assert "Company picnic" not in browser(stranger).get("/").get_data(as_text=True)


def test_a_member_cannot_pin(author, browser):
    post = write(author, "me first", audience="everyone")
    assert browser(author).post(f"/posts/{post.id}/pin").status_code == 403
    assert not only_post().pinned


def test_post_pages_need_signing_in(author, client):
    post = write(author, "for everyone", audience="everyone")
    answer = client.get(f"/posts/{post.id}")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    assert client.get("/u/ana").status_code == 302


def test_unknown_post_and_comment_ids_are_not_found(author, browser):
    ana = browser(author)
    assert ana.get("/posts/999").status_code == 404
    assert ana.post("/posts/999/like").status_code == 404
    assert ana.post("/posts/999/comments", {"body": "hi"}).status_code == 404
    assert ana.post("/comments/999/delete").status_code == 404
    assert ana.get(f"/posts/{2**63}").status_code == 404
