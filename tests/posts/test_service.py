"""The posts service: who may see, write, edit, delete and pin posts, and what is stored."""

from __future__ import annotations

import pytest

from intranet_social.audit.models import AuditEvent
from intranet_social.core.errors import Forbidden, Invalid, NotFound
from intranet_social.extensions import db
from intranet_social.posts import service
from intranet_social.posts.models import Post
from tests.posts.helpers import befriend, counts


def write(author, body="Hello", **options):
    post = service.create_post(author, body, **options)
    db.session.commit()
    return post


# ---------------------------------------------------------------- who sees a post


def test_author_friend_and_wall_owner_see_a_friends_only_post_strangers_do_not(
    author, friend, stranger, make_user
):
    owner = make_user("dee", name="Dee Owner")
    befriend(author, owner)
    own = write(author, "mine", audience="friends")
    on_wall = write(author, "for Dee", audience="friends", wall_owner=owner)
    assert service.can_view_post(author, own) and service.can_view_post(friend, own)
    assert not service.can_view_post(stranger, own)
    assert service.can_view_post(owner, on_wall)
    assert not service.can_view_post(stranger, on_wall)


def test_friends_of_the_wall_owner_see_a_friends_only_post_on_that_wall(
    author, stranger, make_user
):
    owner = make_user("dee", name="Dee Owner")
    befriend(author, owner)
    befriend(owner, stranger)  # a friend of the wall's owner, not of the author
    post = write(author, "on Dee's wall", audience="friends", wall_owner=owner)
    assert service.can_view_post(stranger, post)


def test_everyone_sees_a_post_for_everyone(author, stranger):
    post = write(author, "all hands at 10", audience="everyone")
    assert service.can_view_post(stranger, post)
    assert service.get_post(stranger, post.id).id == post.id


def test_admins_and_moderators_get_no_wider_view_of_friends_only_posts(author, admin, moderator):
    post = write(author, "friends only")
    for viewer in (admin, moderator):
        assert not service.can_view_post(viewer, post)
        with pytest.raises(NotFound):
            service.get_post(viewer, post.id)


def test_a_hidden_post_and_a_missing_one_look_the_same(author, stranger):
    post = write(author)
    with pytest.raises(NotFound) as hidden:
        service.get_post(stranger, post.id)
    with pytest.raises(NotFound) as missing:
        service.get_post(stranger, post.id + 1000)
    assert hidden.value.message == missing.value.message


# ---------------------------------------------------------------- writing


def test_a_post_is_stored_with_its_text_audience_and_wall(author):
    post = write(author, "  Hello colleagues  ", audience="everyone")
    stored = db.session.get(Post, post.id)
    assert (stored.body, stored.audience, stored.author_id, stored.wall_id) == (
        "Hello colleagues",
        "everyone",
        author.id,
        author.id,
    )
    assert stored.edited_at is None and not stored.pinned


def test_text_of_5000_characters_is_fine_5001_is_refused(author):
    write(author, "x" * 5000)
    before = counts()
    with pytest.raises(Invalid) as error:
        service.create_post(author, "x" * 5001)
    db.session.rollback()
    assert error.value.field == "body" and "5,000" in error.value.message
    assert counts() == before


@pytest.mark.parametrize("body", ["", "   \n  ", None])
def test_an_empty_post_without_media_is_refused(author, body):
    with pytest.raises(Invalid) as error:
        service.create_post(author, body)
    db.session.rollback()
    assert error.value.field == "body"
    assert counts()["posts"] == 0


@pytest.mark.parametrize("audience", ["public", "", None, "FRIENDS"])
def test_an_unknown_audience_is_refused(author, audience):
    with pytest.raises(Invalid) as error:
        service.create_post(author, "hi", audience=audience)
    db.session.rollback()
    assert error.value.field == "audience"
    assert counts()["posts"] == 0


def test_text_with_a_nul_character_is_refused(author):
    with pytest.raises(Invalid) as error:
        service.create_post(author, "a\x00b")
    db.session.rollback()
    assert error.value.field == "body"


def test_a_friend_may_write_on_my_wall(author, friend):
    post = write(friend, "Happy birthday!", wall_owner=author)
    assert (post.author_id, post.wall_id) == (friend.id, author.id)


def test_a_stranger_may_not_write_on_my_wall(author, stranger):
    with pytest.raises(Forbidden) as error:
        service.create_post(stranger, "hello", wall_owner=author)
    db.session.rollback()
    assert error.value.field == "wall"
    assert counts()["posts"] == 0


def test_more_than_ten_photos_are_refused_before_any_is_stored(author):
    with pytest.raises(Invalid) as error:
        service.create_post(author, "lots", images=[object()] * 11)  # type: ignore[list-item]
    db.session.rollback()
    assert error.value.field == "photos" and "10" in error.value.message


# ---------------------------------------------------------------- editing, deleting, pinning


def test_the_author_edits_a_post_and_it_is_marked_edited(author):
    post = write(author, "frist")
    service.edit_post(author, post.id, "first", "everyone")
    db.session.commit()
    stored = db.session.get(Post, post.id)
    assert (stored.body, stored.audience) == ("first", "everyone")
    assert stored.edited_at is not None


def test_saving_an_unchanged_post_does_not_mark_it_edited(author):
    post = write(author, "same")
    service.edit_post(author, post.id, "same")
    db.session.commit()
    assert db.session.get(Post, post.id).edited_at is None


def test_a_friend_cannot_edit_my_post_and_nothing_changes(author, friend):
    post = write(author, "mine")
    with pytest.raises(Forbidden):
        service.edit_post(friend, post.id, "hijacked")
    db.session.rollback()
    stored = db.session.get(Post, post.id)
    assert (stored.body, stored.edited_at) == ("mine", None)


def test_a_stranger_editing_a_friends_only_post_is_told_it_does_not_exist(author, stranger):
    post = write(author, "mine")
    with pytest.raises(NotFound):
        service.edit_post(stranger, post.id, "hijacked")


def test_the_author_deletes_a_post(author):
    post = write(author)
    service.delete_post(author, post.id)
    db.session.commit()
    assert counts()["posts"] == 0


def test_the_wall_owner_deletes_a_post_on_their_wall(author, friend):
    post = write(friend, "on Ana's wall", wall_owner=author)
    service.delete_post(author, post.id)
    db.session.commit()
    assert counts()["posts"] == 0


def test_a_friend_cannot_delete_my_post(author, friend):
    post = write(author)
    with pytest.raises(Forbidden):
        service.delete_post(friend, post.id)
    db.session.rollback()
    assert counts()["posts"] == 1


def test_an_admin_deletes_any_post_even_one_they_cannot_see_and_it_is_audited(author, admin):
    post = write(author, "friends only")
    service.delete_post(admin, post.id)
    db.session.commit()
    assert counts()["posts"] == 0
    event = db.session.query(AuditEvent).filter_by(action="post.delete").one()
    assert (event.actor_name, event.target) == (admin.username, f"post:{post.id}")


def test_an_admin_pins_and_unpins_an_announcement_and_it_is_audited(author, admin):
    post = write(author, "All hands", audience="everyone")
    service.set_pinned(admin, post.id, True)
    db.session.commit()
    assert db.session.get(Post, post.id).pinned
    service.set_pinned(admin, post.id, False)
    db.session.commit()
    assert not db.session.get(Post, post.id).pinned
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-2:] == ["post.pin", "post.unpin"]


def test_members_and_moderators_cannot_pin(author, moderator):
    post = write(author, "pin me", audience="everyone")
    for viewer in (author, moderator):
        with pytest.raises(Forbidden):
            service.set_pinned(viewer, post.id, True)
        db.session.rollback()
    assert not db.session.get(Post, post.id).pinned
