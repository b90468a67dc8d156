"""``PATCH /me`` and ``/me/avatar``, ``/me/cover``: documented answers, clear refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from intranet_social.accounts.models import User
from intranet_social.core.settings import current_config
from intranet_social.extensions import db
from tests.media.pictures import jpeg


@pytest.fixture
def api(api_as, member):
    return api_as(member)


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def stored_files() -> list[Path]:
    folder = current_config().media_path
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def put_file(api, path: str, data: bytes, field: str = "file", filename: str = "me.jpg"):
    boundary, body = encode_multipart({field: FileStorage(io.BytesIO(data), filename)})
    return api.call(
        "PUT", path, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def test_member_changes_some_profile_fields(api, member, documented):
    response = api.call(
        "PATCH",
        "/me",
        json={
            "title": "Controller",
            "bio": "Hello\nthere",
            "birthday": "12-24",
            "birth_year": 1985,
        },
    )
    assert response.status_code == 200
    documented(response, "PATCH", "/me")
    me = response.get_json()
    assert (me["title"], me["bio"], me["birthday"], me["birth_year"]) == (
        "Controller",
        "Hello\nthere",
        "12-24",
        1985,
    )
    assert me["department"] == "Finance"
    user = fresh(member)
    assert (user.birthday_month, user.birthday_day, user.birth_year) == (12, 24, 1985)
    again = api.call("PATCH", "/me", json={"birth_year": None}).get_json()
    assert again["birthday"] == "12-24" and again["birth_year"] is None
    cleared = api.call("PATCH", "/me", json={"birthday": None, "location": None}).get_json()
    assert cleared["birthday"] is None and cleared["location"] == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"bio": "b" * 1001}, "bio"),
        ({"name": ""}, "name"),
        ({"name": 7}, "name"),
        ({"birthday": "31-12"}, "birthday"),
        ({"birth_year": 1800}, "birth_year"),
        ({"birth_year": True}, "birth_year"),
        ({"email": "me@evil.example"}, "email"),
        ({"role": "admin"}, "role"),
        ({"phone": "x" * 41}, "phone"),
        ({"title": "a\x00b"}, "title"),
    ],
)
def test_bad_profile_change_is_refused_naming_the_field_and_nothing_changes(
    api, member, error_of, body, field
):
    response = api.call("PATCH", "/me", json={"title": "Changed", **body})
    assert response.status_code == 422
    assert error_of(response)["field"] == field
    user = fresh(member)
    assert (user.title, user.name, user.role, user.email) == (
        "",
        "Ana Member",
        "member",
        "ana.member@corp.example",
    )


def test_read_token_cannot_change_the_profile(api_as, member):
    response = api_as(member, "read").call("PATCH", "/me", json={"title": "X"})
    assert response.status_code == 403
    assert fresh(member).title == ""


def test_member_uploads_and_removes_a_photo(api, member, client, documented):
    response = put_file(api, "/me/avatar", jpeg((500, 500)))
    assert response.status_code == 200
    documented(response, "PUT", "/me/avatar")
    key = fresh(member).avatar_key
    assert response.get_json()["avatar_url"] == f"/media/avatars/{key}/160"
    assert api.get("/me").get_json()["avatar_url"] == f"/media/avatars/{key}/160"
    response = api.delete("/me/avatar")
    documented(response, "DELETE", "/me/avatar")
    assert response.get_json()["avatar_url"].startswith("/media/avatars/initials/")
    assert stored_files() == []


def test_member_uploads_and_removes_a_cover(api, member, documented):
    response = put_file(api, "/me/cover", jpeg((1600, 900)))
    documented(response, "PUT", "/me/cover")
    assert response.get_json()["cover_url"] == f"/media/covers/{fresh(member).cover_key}"
    response = api.delete("/me/cover")
    documented(response, "DELETE", "/me/cover")
    assert response.get_json()["cover_url"] is None
    assert stored_files() == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (b"plain text, not a picture", "file", "not a picture"),
        (jpeg(), "photo", "Choose a picture"),
    ],
    ids=["fake-image", "wrong-field"],
)
def test_bad_photo_upload_is_refused_and_nothing_is_stored(
    api, member, error_of, data, field, message
):
    response = put_file(api, "/me/avatar", data, field=field)
    assert response.status_code == 422
    error = error_of(response)
    assert error["field"] == "file" and message in error["message"]
    assert fresh(member).avatar_key is None
    assert stored_files() == []


def test_photo_sent_as_json_is_refused(api, member, error_of):
    response = api.call("PUT", "/me/avatar", json={"file": "aGVsbG8="})
    assert response.status_code == 422
    assert error_of(response)["field"] == "file"


def test_session_caller_needs_the_csrf_header_to_upload(client, auth, member, error_of):
    auth.login("ana.member")
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(jpeg()), "me.jpg")})
    response = client.put(
        "/api/v1/me/avatar", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "csrf_failed"
    assert fresh(member).avatar_key is None and stored_files() == []
