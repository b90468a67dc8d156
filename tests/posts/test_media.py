"""Post photos and videos: stored, served with Range to those who may see the post, deleted
with the post, and never left behind by a refused request."""

from __future__ import annotations

import io
import os
import threading

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from intranet_social.accounts.models import User
from intranet_social.core.errors import Invalid
from intranet_social.extensions import db
from intranet_social.media import images
from intranet_social.posts import likes, service
from intranet_social.posts.models import Post, PostMedia
from tests.media.pictures import png
from tests.posts.helpers import (
    counts,
    media_files,
    photo,
    picture_bytes,
    upload,
    video_bytes,
)


@pytest.fixture
def site_settings():
    return {"media": {"max_image_mb": 1}}


def post_with_files(browser, user, photos=2, video=True, **fields):
    data = {"body": "Holiday", "audience": "friends", **fields}
    data["photos"] = [upload(picture_bytes(), f"p{n}.jpg") for n in range(photos)]
    if video:
        data["video"] = upload(video_bytes(), "clip.mp4")
    return browser(user).post("/posts", data, content_type="multipart/form-data")


def stored_media() -> list[PostMedia]:
    db.session.rollback()
    return list(db.session.scalars(select(PostMedia).order_by(PostMedia.position)))


def test_a_post_with_two_photos_and_a_video_stores_them_in_order(app, author, browser):
    answer = post_with_files(browser, author)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    media = stored_media()
    assert [m.kind for m in media] == ["image", "image", "video"]
    assert [m.position for m in media] == [0, 1, 2]
    assert media[0].mime == "image/webp" and (media[0].width, media[0].height) == (64, 48)
    assert media[2].mime == "video/mp4"
    assert all(m.key not in ("p0.jpg", "clip.mp4") for m in media)
    assert media_files(app)


def test_the_feed_shows_photos_and_a_playable_video(author, friend, browser):
    post_with_files(browser, author)
    photo, _, clip = stored_media()
    page = browser(friend).get("/").get_data(as_text=True)
    assert f'src="/posts/media/{photo.id}/thumb"' in page
    assert f'href="/posts/media/{photo.id}/full"' in page
    assert f'<source src="/posts/media/{clip.id}/video" type="video/mp4">' in page
    assert f'poster="/posts/media/{clip.id}/poster"' in page


def test_a_friend_gets_the_photo_as_webp_with_nosniff(author, friend, browser):
    post_with_files(browser, author, video=False)
    photo = stored_media()[0]
    with browser(friend).get(f"/posts/media/{photo.id}/full") as answer:
        assert answer.status_code == 200
        assert answer.mimetype == "image/webp"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.data[:4] == b"RIFF"


def test_the_video_is_served_with_http_range_so_players_can_seek(author, friend, browser):
    post_with_files(browser, author, photos=0)
    clip = stored_media()[0]
    ben = browser(friend)
    with ben.get(f"/posts/media/{clip.id}/video") as whole:
        assert whole.status_code == 200 and whole.mimetype == "video/mp4"
        assert whole.headers["Accept-Ranges"] == "bytes"
    with ben.get(f"/posts/media/{clip.id}/video", headers={"Range": "bytes=100-199"}) as part:
        assert part.status_code == 206
        assert part.headers["Content-Range"] == f"bytes 100-199/{len(video_bytes())}"
        assert part.data == video_bytes()[100:200]
    with ben.get(f"/posts/media/{clip.id}/poster") as poster:
        assert poster.status_code == 200 and poster.mimetype == "image/webp"


def test_a_variant_of_another_kind_is_not_found(author, browser):
    post_with_files(browser, author, photos=1)
    photo, clip = stored_media()
    ana = browser(author)
    assert ana.get(f"/posts/media/{photo.id}/video").status_code == 404
    assert ana.get(f"/posts/media/{clip.id}/thumb").status_code == 404
    assert ana.get(f"/posts/media/{photo.id}/../../config.toml").status_code == 404


def test_deleting_the_post_deletes_its_files(app, author, browser):
    post_with_files(browser, author)
    post_id = stored_media()[0].post_id
    assert media_files(app)
    browser(author).post(f"/posts/{post_id}/delete")
    assert stored_media() == []
    assert media_files(app) == []


def test_a_refused_deletion_keeps_the_files(app, author, friend, browser):
    post_with_files(browser, author)
    files = media_files(app)
    post_id = stored_media()[0].post_id
    assert browser(friend).post(f"/posts/{post_id}/delete").status_code == 403
    assert media_files(app) == files


def test_a_fake_photo_among_good_ones_leaves_no_file_and_no_row(app, author, browser):
    data = {
        "body": "three photos",
        "audience": "friends",
        "photos": [
            upload(picture_bytes(), "good.jpg"),
            upload(b"<html>not a picture</html>", "evil.jpg"),
            upload(picture_bytes(), "good2.jpg"),
        ],
    }
    answer = browser(author).post("/posts", data, content_type="multipart/form-data")
    assert answer.status_code == 422
    assert "Photo 2:" in answer.get_data(as_text=True)
    assert counts()["posts"] == 0 and counts()["post_media"] == 0
    assert media_files(app) == []


def test_a_file_named_mp4_that_is_not_a_video_is_refused(app, author, browser):
    data = {"body": "video", "audience": "friends", "video": upload(png(), "clip.mp4")}
    answer = browser(author).post("/posts", data, content_type="multipart/form-data")
    assert answer.status_code == 422
    assert "MP4, WebM or QuickTime" in answer.get_data(as_text=True)
    assert counts()["posts"] == 0 and media_files(app) == []


def test_eleven_photos_are_refused_and_nothing_is_stored(app, author, browser):
    answer = post_with_files(browser, author, photos=11, video=False)
    assert answer.status_code == 422
    assert "at most 10 photos" in answer.get_data(as_text=True)
    assert counts()["posts"] == 0 and media_files(app) == []


def test_a_photo_over_the_size_limit_is_refused_naming_the_limit(app, author):
    noise = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    assert buffer.tell() > 1024 * 1024
    buffer.seek(0)
    with pytest.raises(Invalid) as error:
        service.create_post(author, "big", images=[FileStorage(buffer, filename="big.png")])
    db.session.rollback()
    assert error.value.field == "photos"
    assert "larger than the 1 MB this site accepts" in error.value.message
    assert counts()["posts"] == 0 and media_files(app) == []


def test_a_photo_only_post_needs_no_text(author, browser):
    answer = post_with_files(browser, author, photos=1, video=False, body="")
    assert answer.status_code == 302
    assert len(stored_media()) == 1


def test_an_upload_larger_than_the_site_accepts_is_refused_with_413(app, author, browser):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    data = {"body": "huge", "audience": "friends", "video": upload(b"\x00" * 20_000, "big.mp4")}
    answer = browser(author).post("/posts", data, content_type="multipart/form-data")
    assert answer.status_code == 413
    assert counts()["posts"] == 0 and media_files(app) == []


def test_others_write_while_a_posts_photos_are_re_encoded(app, author, friend, monkeypatch):
    """SQLite lets one transaction write at a time, across every app process: a post must
    not take that lock before its photos are re-encoded, or every other writer waits."""
    earlier = service.create_post(friend, "earlier", audience="everyone").id
    db.session.commit()
    encoding, liked = threading.Event(), threading.Event()
    original = images.encode

    def slow_encode(image):  # type: ignore[no-untyped-def]
        encoding.set()
        liked.wait(5)
        return original(image)

    monkeypatch.setattr(images, "encode", slow_encode)
    errors: list[BaseException] = []

    def post_photo() -> None:
        with app.app_context():
            try:
                user = db.session.get(User, author.id)
                service.create_post(user, "slow", images=[photo("slow.png", picture_bytes())])
                db.session.commit()
            except BaseException as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    poster = threading.Thread(target=post_photo)
    poster.start()
    try:
        assert encoding.wait(10)
        with app.app_context():
            likes.like_post(db.session.get(User, friend.id), earlier)
            db.session.commit()
            posts_when_liked = db.session.scalar(select(func.count()).select_from(Post))
            db.session.remove()
    finally:
        liked.set()
        poster.join(30)
    assert errors == []
    # the like went in while the photo was still being encoded, not after the post committed
    assert posts_when_liked == 1
    assert [m.kind for m in stored_media()] == ["image"]
