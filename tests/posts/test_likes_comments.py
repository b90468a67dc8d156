"""Likes and comments: idempotent likes, counts right under concurrency, comment rights."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from intranet_social.accounts.models import User
from intranet_social.core.errors import Forbidden, Invalid, NotFound
from intranet_social.extensions import db
from intranet_social.posts import comments, likes, service
from intranet_social.posts.models import Comment, CommentLike, Post, PostLike
from tests.posts.helpers import counts


def write(author, body="Hello", **options):
    post = service.create_post(author, body, **options)
    db.session.commit()
    return post


def comment(user, post, body="Nice"):
    made = comments.create_comment(user, post.id, body)
    db.session.commit()
    return made


def stored_post(post_id: int) -> Post:
    db.session.rollback()
    return db.session.get(Post, post_id)


# ---------------------------------------------------------------- likes


def test_liking_twice_counts_once_and_unliking_twice_uncounts_once(author, friend):
    post = write(author)
    assert likes.like_post(friend, post.id) == likes.LikeState(True, 1)
    assert likes.like_post(friend, post.id) == likes.LikeState(True, 1)
    db.session.commit()
    assert stored_post(post.id).like_count == 1
    assert likes.unlike_post(friend, post.id) == likes.LikeState(False, 0)
    assert likes.unlike_post(friend, post.id) == likes.LikeState(False, 0)
    db.session.commit()
    assert stored_post(post.id).like_count == 0
    assert counts()["post_likes"] == 0


def test_a_stranger_cannot_like_a_friends_only_post(author, stranger):
    post = write(author)
    with pytest.raises(NotFound):
        likes.like_post(stranger, post.id)
    db.session.rollback()
    assert stored_post(post.id).like_count == 0
    assert counts()["post_likes"] == 0


def test_comment_likes_are_idempotent_too(author, friend):
    post = write(author)
    made = comment(friend, post)
    likes.like_comment(author, made.id)
    likes.like_comment(author, made.id)
    db.session.commit()
    assert db.session.get(Comment, made.id).like_count == 1
    likes.unlike_comment(author, made.id)
    db.session.commit()
    db.session.rollback()
    assert db.session.get(Comment, made.id).like_count == 0


def _together(app: Flask, jobs: list[Callable[[], object]]) -> list[BaseException]:
    """Run every job at once, each in its own thread, app context and database session."""
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], object]) -> None:
        with app.app_context():
            try:
                start.wait()
                job()
                db.session.commit()
            except BaseException as error:  # reported to the test below
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def _as(user_id: int, action: Callable[[User, int], object], thing_id: int) -> Callable[[], object]:
    return lambda: action(db.session.get(User, user_id), thing_id)


def test_concurrent_likes_and_double_submits_are_all_counted_exactly_once(app, author, make_user):
    post = write(author, "like me", audience="everyone")
    people = [make_user(f"liker{n}").id for n in range(8)]
    # every person clicks twice at the same moment
    jobs = [_as(person, likes.like_post, post.id) for person in people for _ in range(2)]
    assert _together(app, jobs) == []
    assert stored_post(post.id).like_count == len(people)
    rows = db.session.scalar(select(func.count()).select_from(PostLike))
    assert rows == len(people)
    jobs = [_as(person, likes.unlike_post, post.id) for person in people for _ in range(2)]
    assert _together(app, jobs) == []
    assert stored_post(post.id).like_count == 0


def test_concurrent_comment_likes_are_counted_exactly_once(app, author, make_user):
    post = write(author, "comment here", audience="everyone")
    made = comment(author, post)
    people = [make_user(f"liker{n}").id for n in range(6)]
    jobs = [_as(person, likes.like_comment, made.id) for person in people for _ in range(2)]
    assert _together(app, jobs) == []
    db.session.rollback()
    assert db.session.get(Comment, made.id).like_count == len(people)
    assert db.session.scalar(select(func.count()).select_from(CommentLike)) == len(people)


# ---------------------------------------------------------------- comments


def test_a_friend_comments_and_the_count_follows(author, friend):
    post = write(author)
    made = comment(friend, post, "  Congratulations!  ")
    assert made.body == "Congratulations!"
    assert stored_post(post.id).comment_count == 1
    comments.delete_comment(friend, made.id)
    db.session.commit()
    assert stored_post(post.id).comment_count == 0


def test_a_stranger_cannot_comment_on_a_friends_only_post(author, stranger):
    post = write(author)
    with pytest.raises(NotFound):
        comments.create_comment(stranger, post.id, "hi")
    db.session.rollback()
    assert counts()["comments"] == 0
    assert stored_post(post.id).comment_count == 0


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001, "a\x00b"])
def test_an_empty_overlong_or_broken_comment_is_refused(author, body):
    post = write(author)
    with pytest.raises(Invalid) as error:
        comments.create_comment(author, post.id, body)
    db.session.rollback()
    assert error.value.field == "body"
    assert counts()["comments"] == 0
    assert stored_post(post.id).comment_count == 0


def test_only_the_author_edits_a_comment(author, friend):
    post = write(author)
    made = comment(friend, post, "typo")
    with pytest.raises(Forbidden):
        comments.edit_comment(author, made.id, "changed by the post's author")
    db.session.rollback()
    assert db.session.get(Comment, made.id).body == "typo"
    comments.edit_comment(friend, made.id, "fixed")
    db.session.commit()
    stored = db.session.get(Comment, made.id)
    assert stored.body == "fixed" and stored.edited_at is not None


def test_the_post_author_may_delete_a_comment_on_their_post(author, friend):
    post = write(author)
    made = comment(friend, post)
    comments.delete_comment(author, made.id)
    db.session.commit()
    assert counts()["comments"] == 0


def test_another_commenter_may_not_delete_a_comment(author, friend, make_user):
    other = make_user("dee")
    post = write(author, "for all", audience="everyone")
    made = comment(friend, post)
    with pytest.raises(Forbidden):
        comments.delete_comment(other, made.id)
    db.session.rollback()
    assert counts()["comments"] == 1
    assert stored_post(post.id).comment_count == 1


def test_comments_page_oldest_first_by_cursor(app, author):
    post = write(author)
    made = [comment(author, post, f"comment {n}") for n in range(5)]
    with app.test_request_context():
        first, after = comments.comment_page(author, post.id, limit=3)
        rest, last = comments.comment_page(author, post.id, after, limit=3)
    assert [c.id for c in first + rest] == [c.id for c in made]
    assert after == made[2].id and last is None


def test_deleting_a_post_deletes_its_likes_and_comments(author, friend):
    post = write(author)
    made = comment(friend, post)
    likes.like_post(friend, post.id)
    likes.like_comment(author, made.id)
    db.session.commit()
    service.delete_post(author, post.id)
    db.session.commit()
    assert set(counts().values()) == {0}
