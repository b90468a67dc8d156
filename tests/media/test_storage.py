"""Storing pictures and videos: re-encoded, metadata dropped, refused clearly, no file left."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from intranet_social.core.errors import Invalid, NotFound
from intranet_social.core.settings import current_config
from intranet_social.extensions import db
from intranet_social.media import images, video
from intranet_social.media.pending import JOURNAL_PREFIX
from intranet_social.media.storage import (
    delete_media,
    delete_when_committed,
    media_file,
    send_media,
    store_image,
    store_video,
)
from tests.media.pictures import (
    animated_gif,
    jpeg,
    mp4_header,
    png,
    png_declaring,
    webm_header,
)


def stored_files() -> list[Path]:
    """Every file in the media folder but the journals of open transactions (their own
    tests are in test_pending.py)."""
    folder = current_config().media_path
    if not folder.exists():
        return []
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(JOURNAL_PREFIX)
    )


def upload(data: bytes, filename: str = "upload.bin") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename)


def opened(key: str, variant: str) -> Image.Image:
    image = Image.open(media_file(key, variant))
    image.load()
    return image


def test_photo_is_turned_upright_and_loses_its_exif(app):
    stored = store_image(
        upload(jpeg((40, 20), orientation=6, make="SpyCam"), "holiday.jpg"), purpose="post"
    )
    db.session.commit()
    assert (stored.width, stored.height) == (20, 40)
    assert stored.mime == "image/webp"
    full = opened(stored.key, "full")
    assert full.format == "WEBP"
    assert full.size == (20, 40)
    # turned a quarter clockwise: the red left half is now on top
    red, _, blue = full.convert("RGB").getpixel((10, 5))
    assert red > 200 and blue < 60
    red, _, blue = full.convert("RGB").getpixel((10, 35))
    assert blue > 200 and red < 60
    assert not full.getexif()
    assert {"exif", "xmp", "icc_profile"}.isdisjoint(full.info)
    for variant in ("full", "thumb"):
        assert b"SpyCam" not in media_file(stored.key, variant).read_bytes()
    assert stored.size_bytes == media_file(stored.key, "full").stat().st_size


def test_stored_file_names_are_made_by_the_server(app):
    stored = store_image(upload(png(), "../../evil name.png"), purpose="post")
    db.session.commit()
    names = [p.name for p in stored_files()]
    assert names == [f"{stored.key}-full.webp", f"{stored.key}-thumb.webp"]
    assert len(stored.key) == 32
    assert not any(p.name.endswith(".tmp") for p in stored_files())


def test_animated_gif_keeps_only_its_first_frame(app):
    stored = store_image(upload(animated_gif(), "dance.gif"), purpose="post")
    db.session.commit()
    full = Image.open(media_file(stored.key, "full"))
    assert not getattr(full, "is_animated", False)
    red, green, blue = full.convert("RGB").getpixel((10, 10))
    assert red > 200 and blue < 60


def test_png_text_chunks_are_dropped_and_transparency_kept(app):
    data = png((30, 30), colour=(0, 128, 0, 100), text={"Comment": "secret-note"})
    stored = store_image(upload(data, "logo.png"), purpose="post")
    db.session.commit()
    raw = media_file(stored.key, "full").read_bytes()
    assert b"secret-note" not in raw
    full = opened(stored.key, "full")
    assert full.mode == "RGBA"
    assert full.getpixel((5, 5))[3] == 100


def test_large_photo_is_shrunk_to_the_sizes_pages_show(app):
    stored = store_image(upload(jpeg((4000, 1000)), "wide.jpg"), purpose="post")
    db.session.commit()
    assert (stored.width, stored.height) == (1600, 400)
    assert opened(stored.key, "thumb").size == (480, 120)


def test_small_photo_is_not_enlarged(app):
    stored = store_image(upload(jpeg((300, 200)), "small.jpg"), purpose="post")
    db.session.commit()
    assert opened(stored.key, "full").size == (300, 200)
    assert opened(stored.key, "thumb").size == (300, 200)


def test_avatar_is_cropped_to_squares_and_cover_to_a_banner(app):
    avatar = store_image(upload(jpeg((900, 300)), "me.jpg"), purpose="avatar")
    cover = store_image(upload(jpeg((500, 500)), "cover.jpg"), purpose="cover")
    db.session.commit()
    assert opened(avatar.key, "160").size == (160, 160)
    assert opened(avatar.key, "48").size == (48, 48)
    assert (avatar.width, avatar.height) == (160, 160)
    assert opened(cover.key, "cover").size == (1200, 400)
    assert not media_file(avatar.key, "full").exists()


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"just some text pretending to be a photo\n" * 20, "cat.jpg"),
        (b"<svg onload='alert(1)'></svg>", "cat.png"),
        (jpeg()[:200], "truncated.jpg"),
        (b"BM" + b"\x00" * 100, "old.bmp"),
    ],
    ids=["text", "svg", "truncated-jpeg", "bmp-not-accepted"],
)
def test_a_file_that_is_not_a_picture_is_refused_whatever_its_name(app, data, filename):
    with pytest.raises(Invalid) as refused:
        store_image(upload(data, filename), purpose="post")
    assert refused.value.field == "file"
    assert "not a picture" in refused.value.message
    assert stored_files() == []


def test_empty_upload_asks_for_a_file(app):
    with pytest.raises(Invalid, match="Choose a picture"):
        store_image(upload(b"", ""), purpose="avatar", field="avatar")
    assert stored_files() == []


def test_picture_over_the_byte_limit_is_refused_naming_the_limit(app):
    with pytest.raises(Invalid) as refused:
        store_image(
            upload(b"\xff" * (2 * 1024 * 1024 + 1), "huge.jpg"),
            purpose="post",
            max_bytes=2 * 1024 * 1024,
        )
    assert "2 MB" in refused.value.message
    assert stored_files() == []


@pytest.mark.parametrize("side", [7_000, 100_000], ids=["over-the-cap", "far-over"])
def test_decompression_bomb_is_refused(app, side):
    bomb = png_declaring(side, side)
    assert len(bomb) < 1000
    with pytest.raises(Invalid) as refused:
        store_image(upload(bomb, "bomb.png"), purpose="post")
    assert "megapixels" in refused.value.message
    assert stored_files() == []


def test_a_failed_write_leaves_no_file_behind(app, monkeypatch):
    calls = []

    def failing_encode(image):
        calls.append(image)
        if len(calls) == 2:
            raise OSError("disk full")
        return original(image)

    original = images.encode
    monkeypatch.setattr(images, "encode", failing_encode)
    with pytest.raises(OSError):
        store_image(upload(jpeg()), purpose="post")
    assert stored_files() == []


def test_files_stored_in_a_transaction_that_rolls_back_are_deleted(app):
    store_image(upload(jpeg()), purpose="avatar")
    assert len(stored_files()) == 2
    db.session.rollback()
    assert stored_files() == []


def test_files_are_deleted_only_once_the_deletion_commits(app):
    stored = store_image(upload(jpeg()), purpose="avatar")
    db.session.commit()
    delete_when_committed([stored.key])
    db.session.rollback()
    assert len(stored_files()) == 2
    delete_when_committed([stored.key])
    db.session.commit()
    assert stored_files() == []


def test_delete_media_removes_every_variant(app):
    stored = store_image(upload(jpeg()), purpose="post")
    db.session.commit()
    delete_media(stored.key)
    delete_media(stored.key)
    assert stored_files() == []


@pytest.mark.parametrize(
    ("key", "variant"),
    [("../../etc/passwd", "full"), ("A" * 32, "full"), ("a" * 32, "original"), ("a" * 31, "48")],
)
def test_media_file_refuses_malformed_keys_and_variants(app, key, variant):
    with pytest.raises(NotFound):
        media_file(key, variant)


# ---------------------------------------------------------------- videos


@pytest.mark.parametrize(
    ("head", "mime"),
    [
        (mp4_header(b"mp42"), "video/mp4"),
        (mp4_header(b"isom", b"isomavc1"), "video/mp4"),
        (mp4_header(b"M4V ", b"M4V mp42"), "video/mp4"),
        (mp4_header(b"xxxx", b"xxxxmp41"), "video/mp4"),
        (mp4_header(b"qt  ", b"qt  "), "video/quicktime"),
        (webm_header(), "video/webm"),
    ],
    ids=["mp42", "isom", "m4v", "compatible-brand", "quicktime", "webm"],
)
def test_videos_are_known_by_their_bytes(app, head, mime):
    assert video.sniff(head[: video.SNIFF_BYTES]) == mime
    stored = store_video(upload(head, "clip.bin"))
    db.session.commit()
    assert stored.mime == mime
    assert stored.size_bytes == len(head)
    assert media_file(stored.key, "video").read_bytes() == head
    poster = opened(stored.key, "poster")
    assert poster.format == "WEBP"
    assert poster.size == images.POSTER_SIZE
    assert (stored.width, stored.height) == (None, None)


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>not a video</body></html>" * 10,
        webm_header(b"matroska"),
        mp4_header(b"3gp4", b"3gp4"),
        jpeg(),
        b"\x00\x00\x00\x18ftyp",
    ],
    ids=["html", "matroska", "3gp", "jpeg", "short"],
)
def test_a_file_named_mp4_that_is_not_a_video_is_refused(app, data):
    with pytest.raises(Invalid) as refused:
        store_video(upload(data, "clip.mp4"))
    assert "not a video" in refused.value.message
    assert refused.value.field == "file"
    assert stored_files() == []


def test_video_over_the_limit_is_refused_and_its_temporary_file_removed(app):
    data = mp4_header() + b"\x00" * (3 * 1024 * 1024)
    with pytest.raises(Invalid) as refused:
        store_video(upload(data, "long.mp4"), max_bytes=2 * 1024 * 1024)
    assert "2 MB" in refused.value.message
    assert stored_files() == []


def test_empty_video_is_refused(app):
    with pytest.raises(Invalid, match="Choose a video"):
        store_video(upload(b"", "clip.mp4"))
    assert stored_files() == []


def test_video_is_read_in_chunks_not_at_once(app):
    class ChunkCounting(io.BytesIO):
        sizes: list[int] = []

        def read(self, size=-1):
            self.sizes.append(size)
            return super().read(size)

    stream = ChunkCounting(mp4_header() + b"\x00" * (3 * 1024 * 1024))
    store_video(stream)
    db.session.commit()
    assert stream.sizes and all(0 < size <= 1024 * 1024 for size in stream.sizes)


def _fake_ffmpeg(folder: Path, script: str) -> str:
    path = folder / "ffmpeg"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_poster_frame_comes_from_ffmpeg_when_it_is_installed(app, tmp_path, monkeypatch):
    frame = tmp_path / "frame.png"
    frame.write_bytes(png((320, 180), colour=(200, 10, 10)))
    fake = _fake_ffmpeg(tmp_path, f'for last; do :; done\ncp "{frame}" "$last"\n')
    monkeypatch.setattr(video.shutil, "which", lambda name: fake if name == "ffmpeg" else None)
    stored = store_video(upload(mp4_header(), "clip.mp4"))
    db.session.commit()
    assert (stored.width, stored.height) == (320, 180)
    poster = opened(stored.key, "poster")
    assert poster.size == (320, 180)
    red, _, _ = poster.convert("RGB").getpixel((5, 5))
    assert red > 150


def test_neutral_poster_when_ffmpeg_fails(app, tmp_path, monkeypatch):
    fake = _fake_ffmpeg(tmp_path, "echo 'moov atom not found' >&2\nexit 1\n")
    monkeypatch.setattr(video.shutil, "which", lambda name: fake if name == "ffmpeg" else None)
    stored = store_video(upload(webm_header(), "clip.webm"))
    db.session.commit()
    assert opened(stored.key, "poster").size == images.POSTER_SIZE
    assert stored.width is None


# ---------------------------------------------------------------- serving


def test_send_media_answers_ranges_with_the_given_type_and_nosniff(app):
    data = mp4_header() + bytes(range(256)) * 40
    stored = store_video(upload(data, "clip.mp4"))
    db.session.commit()
    with app.test_request_context(headers={"Range": "bytes=10-19"}):
        response = send_media(stored.key, "video", stored.mime)
        response.direct_passthrough = False
        assert response.status_code == 206
        assert response.headers["Content-Range"] == f"bytes 10-19/{len(data)}"
        assert response.get_data() == data[10:20]
        assert response.mimetype == "video/mp4"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "private, max-age=86400"
        assert response.headers["Accept-Ranges"] == "bytes"
        response.close()


def test_send_media_of_a_missing_file_is_not_found(app):
    with app.test_request_context(), pytest.raises(NotFound):
        send_media("a" * 32, "full", "image/webp")
