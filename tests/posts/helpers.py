"""Helpers for the posts, walls and feed tests: friendships, signed-in browsers, API clients,
files to upload, and counts of what a refused request must leave unchanged."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse

from intranet_social.accounts.models import User
from intranet_social.core.settings import current_config
from intranet_social.extensions import db
from intranet_social.friends.models import Friendship
from intranet_social.posts.models import Comment, CommentLike, Post, PostLike, PostMedia
from tests.conftest import STRONG_PASSWORD, csrf_from
from tests.media.pictures import jpeg, mp4_header, png


def befriend(a: User, b: User) -> None:
    """Make ``a`` and ``b`` friends (both rows, as the friends service stores them)."""
    db.session.add_all(
        [Friendship(user_id=a.id, friend_id=b.id), Friendship(user_id=b.id, friend_id=a.id)]
    )
    db.session.commit()


class Browser:
    """A signed-in browser: its own cookie jar, and the CSRF token of its pages."""

    def __init__(self, client: FlaskClient, user: User) -> None:
        self.client = client
        self.user = user
        token = csrf_from(client.get("/login").get_data(as_text=True))
        answer = client.post(
            "/login",
            data={"username": user.username, "password": STRONG_PASSWORD, "csrf_token": token},
        )
        assert answer.status_code == 302, answer.get_data(as_text=True)
        self.token = csrf_from(client.get("/").get_data(as_text=True))

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        """POST a form with the CSRF token (unless ``data`` sets ``csrf_token`` itself)."""
        fields = {"csrf_token": self.token, **(data or {})}
        return self.client.post(path, data=fields, **kwargs)


class Api:
    def __init__(self, client: FlaskClient, secret: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {secret}"}

    def call(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        return self.client.open(f"/api/v1{path}", method=method, headers=self.headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("DELETE", path, **kwargs)


def photo(name: str = "photo.png", data: bytes | None = None) -> FileStorage:
    return FileStorage(io.BytesIO(png() if data is None else data), filename=name)


def upload(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    """A file for a test client's multipart form."""
    return io.BytesIO(data), name


def video_bytes() -> bytes:
    return mp4_header() + b"\x00" * 4096


def picture_bytes() -> bytes:
    return jpeg((64, 48))


def media_files(app: Flask) -> list[Path]:
    """Every file in the media folder (temporary ones included)."""
    with app.app_context():
        root = current_config().media_path
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def counts() -> dict[str, int]:
    """Rows in every posts table: what a refused request must leave unchanged."""
    db.session.rollback()
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Post, PostMedia, PostLike, Comment, CommentLike)
    }
