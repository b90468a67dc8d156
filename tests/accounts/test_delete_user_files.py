"""Deleting a person removes their photos and their posts' files once the deletion commits."""

import io

from sqlalchemy import select

from intranet_social.accounts import service
from intranet_social.accounts.models import User
from intranet_social.core.settings import current_config
from intranet_social.extensions import db
from intranet_social.posts.models import PostMedia
from intranet_social.posts.service import create_post
from intranet_social.profiles.service import set_avatar
from tests.media.pictures import jpeg


def _media_keys(post_id: int) -> list[str]:
    return list(db.session.scalars(select(PostMedia.key).where(PostMedia.post_id == post_id)))


def _files() -> set[str]:
    root = current_config().media_path
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_deleting_a_person_removes_their_photo_and_post_files(app, make_user, admin):
    person = make_user("dora.deleted")
    keeper = make_user("kim.keeper")
    set_avatar(person, io.BytesIO(jpeg()))
    theirs = create_post(person, "With a photo", images=[io.BytesIO(jpeg())])
    kept = create_post(keeper, "Someone else's photo", images=[io.BytesIO(jpeg())])
    db.session.commit()
    gone_keys = {person.avatar_key, *_media_keys(theirs.id)}
    kept_keys = set(_media_keys(kept.id))
    before = _files()
    assert all(any(key in name for name in before) for key in gone_keys | kept_keys)

    service.delete_user(db.session.get(User, person.id), actor_name="test")
    db.session.commit()

    after = _files()
    assert after == {name for name in before if not any(key in name for key in gone_keys)}
    assert all(any(key in name for name in after) for key in kept_keys)


def test_a_rolled_back_deletion_keeps_every_file(app, make_user, admin):
    person = make_user("rob.rollback")
    set_avatar(person, io.BytesIO(jpeg()))
    db.session.commit()
    before = _files()
    service.delete_user(db.session.get(User, person.id), actor_name="test")
    db.session.rollback()
    assert _files() == before
