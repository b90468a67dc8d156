"""Messages with photos through ``/api/v1``: multipart, the page's limits and re-encoding."""

from __future__ import annotations

import io
import os
from collections.abc import Callable

import pytest
from flask import Flask
from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.messaging import service
from tests.api.conftest import documented, error_of
from tests.media.pictures import jpeg, png
from tests.messaging.conftest import counts
from tests.posts.helpers import Api, Browser, media_files

__all__ = ["documented", "error_of"]
ROTATE_CLOCKWISE = 6


@pytest.fixture
def site_settings() -> dict[str, dict[str, int]]:
    return {"media": {"max_image_mb": 1}}


@pytest.fixture
def conversation_path(ana: User, ben: User) -> str:
    conversation_id = service.open_direct(ana, "ben").id
    db.session.commit()
    return f"/conversations/{conversation_id}/messages"


def photos(*pictures: bytes) -> list[tuple[io.BytesIO, str]]:
    return [(io.BytesIO(data), f"p{n}.jpg") for n, data in enumerate(pictures)]


def photo_fields(*pictures: bytes) -> list[tuple[str, FileStorage]]:
    return [
        ("photos", FileStorage(io.BytesIO(data), filename=f"p{n}.png"))
        for n, data in enumerate(pictures)
    ]


def noise_png() -> bytes:
    """A PNG over 1 MB that no compression shrinks."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)).save(buffer, "PNG")
    assert buffer.tell() > 1024 * 1024
    return buffer.getvalue()


def test_friend_sends_photos_that_are_re_encoded_and_the_other_sees_them(
    app: Flask,
    api: Callable[..., Api],
    browser: Callable[[User], Browser],
    documented,
    ana: User,
    ben: User,
    conversation_path: str,
) -> None:
    data = {
        "body": "the whiteboard",
        "photos": photos(jpeg((40, 20), orientation=ROTATE_CLOCKWISE, make="SecretCam"), png()),
    }
    sent = api(ana).post(conversation_path, data=data, content_type="multipart/form-data")
    assert sent.status_code == 201, sent.get_data(as_text=True)
    documented(sent, "POST", "/conversations/{conversation_id}/messages")
    message = sent.get_json()
    assert message["body"] == "the whiteboard"
    assert [(p["width"], p["height"]) for p in message["photos"]] == [(20, 40), (30, 30)]
    assert media_files(app)
    read = api(ben).get(conversation_path).get_json()["items"]
    assert read[-1]["photos"] == message["photos"]
    with browser(ben).get(message["photos"][0]["url"]) as full:
        assert full.status_code == 200 and full.mimetype == "image/webp"
        assert b"SecretCam" not in full.data and b"Exif" not in full.data


def test_a_photo_without_text_is_a_message(
    api: Callable[..., Api], ana: User, conversation_path: str
) -> None:
    data = {"photos": photos(png())}
    sent = api(ana).post(conversation_path, data=data, content_type="multipart/form-data")
    assert sent.status_code == 201
    assert sent.get_json()["body"] == "" and len(sent.get_json()["photos"]) == 1


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (lambda: photo_fields(png(), b"<html>not a picture</html>"), "Photo 2:"),
        (lambda: photo_fields(noise_png()), "larger than the 1 MB this site accepts"),
        (lambda: photo_fields(*[png()] * 11), "at most 10 photos"),
    ],
    ids=["fake", "oversized", "eleven"],
)
def test_bad_photos_are_refused_and_nothing_is_kept(
    app: Flask,
    api: Callable[..., Api],
    error_of,
    ana: User,
    conversation_path: str,
    files: Callable[[], list],
    message: str,
) -> None:
    client = api(ana)
    before = counts()
    # Encoded in memory: the test client would spool a large body to a file it never closes.
    boundary, data = encode_multipart(MultiDict([("body", "look"), *files()]))
    answer = client.post(
        conversation_path, data=data, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert answer.status_code == 422
    error = error_of(answer)
    assert error["field"] == "photos" and message in error["message"]
    assert counts() == before and media_files(app) == []


def test_fields_other_than_body_and_photos_are_refused(
    app: Flask, api: Callable[..., Api], error_of, ana: User, conversation_path: str
) -> None:
    client = api(ana)
    before = counts()
    for data, field in (
        ({"body": "x", "files": photos(png())}, "files"),
        ({"body": "x", "wall": "ben", "photos": photos(png())}, "wall"),
    ):
        answer = client.post(conversation_path, data=data, content_type="multipart/form-data")
        assert answer.status_code == 422 and error_of(answer)["field"] == field
    assert counts() == before and media_files(app) == []


def test_an_outsider_gets_not_found_and_nothing_is_stored(
    app: Flask, api: Callable[..., Api], error_of, cyd: User, conversation_path: str
) -> None:
    before = counts()
    data = {"body": "hi", "photos": photos(png())}
    answer = api(cyd).post(conversation_path, data=data, content_type="multipart/form-data")
    assert answer.status_code == 404 and error_of(answer)["code"] == "not_found"
    assert counts() == before and media_files(app) == []


def test_photos_need_a_write_token(
    app: Flask, api: Callable[..., Api], error_of, ana: User, conversation_path: str
) -> None:
    reader = api(ana, "read")
    before = counts()
    refused = reader.post(
        conversation_path,
        data={"body": "hi", "photos": photos(png())},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 403 and error_of(refused)["code"] == "forbidden"
    anonymous = app.test_client().post(
        f"/api/v1{conversation_path}",
        data={"body": "hi", "photos": photos(png())},
        content_type="multipart/form-data",
    )
    assert anonymous.status_code == 401 and error_of(anonymous)["code"] == "unauthorized"
    assert counts() == before and media_files(app) == []
