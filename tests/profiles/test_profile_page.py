"""The profile edit page, photo uploads and photo serving, through real HTTP with CSRF."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask import render_template
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from intranet_social.accounts.models import User
from intranet_social.core.settings import current_config
from intranet_social.extensions import db
from intranet_social.friends import cards
from intranet_social.friends import service as friends
from intranet_social.media import avatars
from intranet_social.profiles import service
from tests.conftest import csrf_from
from tests.media.pictures import jpeg, png


@pytest.fixture
def site_settings():
    return {"media": {"max_image_mb": 1}}


@pytest.fixture
def signed_in(client, auth, member):
    auth.login("ana.member")
    return client


def token(client) -> str:
    return csrf_from(client.get("/account/profile").get_data(as_text=True))


def stored_files() -> list[Path]:
    folder = current_config().media_path
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def upload(client, path: str, field: str, data: bytes, filename: str = "photo.jpg"):
    # Encoded here, in memory: the test client would spool a large body to a file it never
    # closes.
    boundary, body = encode_multipart(
        {"csrf_token": token(client), field: FileStorage(io.BytesIO(data), filename)}
    )
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def profile_data(client, **changes: str) -> dict[str, str]:
    data = {
        "csrf_token": token(client),
        "name": "Ana Member",
        "title": "",
        "department": "Finance",
        "location": "",
        "phone": "",
        "bio": "",
        "birthday": "",
        "birth_year": "",
    }
    data.update(changes)
    return data


def test_visitor_cannot_see_the_edit_page_or_photos(client, member):
    for path in ("/account/profile", "/media/avatars/" + "a" * 32 + "/160"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_edit_page_shows_the_fields_with_labels(signed_in, member):
    html = signed_in.get("/account/profile").get_data(as_text=True)
    for name in (
        "name",
        "title",
        "department",
        "location",
        "phone",
        "bio",
        "birthday",
        "birth_year",
    ):
        assert f'name="{name}"' in html
        assert f'<label class="field__label" for="{name}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="avatar"' in html and 'name="cover"' in html
    assert "up to 1 MB" in html
    assert "js/profile.js" in html and "<progress" in html


def test_member_saves_their_profile(signed_in, member):
    response = signed_in.post(
        "/account/profile",
        data=profile_data(
            signed_in,
            name="Ana M. Member",
            title="Accountant",
            location="Berlin, 3rd floor",
            phone="+49 30 1234 567 ext 12",
            bio="Line one\r\nLine two",
            birthday="02-29",
            birth_year="1992",
        ),
    )
    assert response.status_code == 302
    user = fresh(member)
    assert (user.name, user.title, user.location) == (
        "Ana M. Member",
        "Accountant",
        "Berlin, 3rd floor",
    )
    assert user.phone == "+49 30 1234 567 ext 12"
    assert user.bio == "Line one\nLine two"
    assert (user.birthday_month, user.birthday_day, user.birth_year) == (2, 29, 1992)
    html = signed_in.get("/account/profile").get_data(as_text=True)
    assert "Your profile is saved." in html
    assert 'value="02-29"' in html and 'value="1992"' in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"bio": "x" * 1001}, "bio", "at most 1000 characters"),
        ({"birthday": "13-40"}, "birthday", "is not a date"),
        ({"birthday": "02-29", "birth_year": "1991"}, "birth_year", "is not a past date"),
        ({"birth_year": "1990"}, "birthday", "day and month"),
        ({"birth_year": "nineteen"}, "birth_year", "year like 1990"),
        ({"phone": "call me maybe"}, "phone", "phone number"),
        ({"name": "   "}, "name", "Enter your name"),
        ({"title": "t" * 101}, "title", "100 characters"),
    ],
    ids=[
        "long-bio",
        "bad-birthday",
        "no-feb-29",
        "year-alone",
        "word-year",
        "phone",
        "no-name",
        "long-title",
    ],
)
def test_bad_profile_values_are_refused_beside_the_field_and_nothing_changes(
    signed_in, member, changes, field, message
):
    response = signed_in.post("/account/profile", data=profile_data(signed_in, **changes))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.search(rf'<p class="field__error" id="{field}-error">(.*?)</p>', html, re.S)
    assert error and message in error.group(1)
    user = fresh(member)
    assert (user.name, user.bio, user.phone, user.title) == ("Ana Member", "", "", "")
    assert user.birthday_month is None and user.birth_year is None


def test_year_typed_into_the_birthday_is_kept_and_an_emptied_year_is_removed(signed_in, member):
    signed_in.post("/account/profile", data=profile_data(signed_in, birthday="1988-05-17"))
    assert (fresh(member).birthday_month, fresh(member).birth_year) == (5, 1988)
    signed_in.post("/account/profile", data=profile_data(signed_in, birthday="05-17"))
    user = fresh(member)
    assert (user.birthday_month, user.birthday_day, user.birth_year) == (5, 17, None)


def test_profile_change_without_csrf_changes_nothing(signed_in, member):
    data = profile_data(signed_in, name="Hacked")
    del data["csrf_token"]
    assert signed_in.post("/account/profile", data=data).status_code == 400
    assert fresh(member).name == "Ana Member"


def test_member_uploads_a_profile_photo_and_colleagues_see_it(
    signed_in, client, auth, member, make_user
):
    response = upload(
        signed_in, "/account/profile/avatar", "avatar", jpeg((640, 480), make="SpyCam")
    )
    assert response.status_code == 302
    key = fresh(member).avatar_key
    assert key and len(stored_files()) == 2
    auth.logout()
    make_user("bob.builder")
    auth.login("bob.builder")
    with client.get(f"/media/avatars/{key}/160") as photo:
        assert photo.status_code == 200
        assert photo.mimetype == "image/webp"
        assert photo.headers["X-Content-Type-Options"] == "nosniff"
        assert "private" in photo.headers["Cache-Control"]
        assert Image.open(io.BytesIO(photo.get_data())).size == (160, 160)
        assert b"SpyCam" not in photo.get_data()
    with client.get(f"/media/avatars/{key}/48") as small:
        assert Image.open(io.BytesIO(small.get_data())).size == (48, 48)


@pytest.mark.parametrize(
    "path",
    [
        "/media/avatars/{key}/999",
        "/media/avatars/{other}/160",
        "/media/covers/{key}",
        "/media/avatars/../etc/160",
    ],
)
def test_unknown_photo_keys_and_sizes_are_not_found(signed_in, member, path):
    upload(signed_in, "/account/profile/avatar", "avatar", jpeg())
    key = fresh(member).avatar_key
    response = signed_in.get(path.format(key=key, other="b" * 32))
    assert response.status_code == 404


def test_new_photo_replaces_the_old_files(signed_in, member):
    upload(signed_in, "/account/profile/avatar", "avatar", jpeg())
    first = fresh(member).avatar_key
    upload(signed_in, "/account/profile/avatar", "avatar", png())
    second = fresh(member).avatar_key
    assert first != second
    assert all(second in p.name for p in stored_files())
    assert len(stored_files()) == 2


def test_member_removes_their_photo_and_gets_initials_again(signed_in, member):
    upload(signed_in, "/account/profile/avatar", "avatar", jpeg())
    response = signed_in.post(
        "/account/profile/avatar/remove", data={"csrf_token": token(signed_in)}
    )
    assert response.status_code == 302
    assert fresh(member).avatar_key is None
    assert stored_files() == []
    html = signed_in.get("/account/profile").get_data(as_text=True)
    assert "/media/avatars/initials/" in html
    assert "Remove profile photo" not in html


def test_member_sets_and_removes_a_cover_photo(signed_in, member):
    response = upload(signed_in, "/account/profile/cover", "cover", jpeg((2000, 600)))
    assert response.status_code == 302
    key = fresh(member).cover_key
    with signed_in.get(f"/media/covers/{key}") as cover:
        assert Image.open(io.BytesIO(cover.get_data())).size == (1200, 400)
    signed_in.post("/account/profile/cover/remove", data={"csrf_token": token(signed_in)})
    assert fresh(member).cover_key is None
    assert stored_files() == []


@pytest.mark.parametrize(
    ("field", "path", "data", "filename", "message"),
    [
        (
            "avatar",
            "/account/profile/avatar",
            b"not really a photo\n" * 50,
            "cat.jpg",
            "not a picture",
        ),
        ("cover", "/account/profile/cover", b"<svg onload=alert(1)>", "cover.png", "not a picture"),
        ("avatar", "/account/profile/avatar", b"\xff" * (1024 * 1024 + 1), "big.jpg", "1 MB"),
        ("avatar", "/account/profile/avatar", b"", "", "Choose a picture"),
    ],
    ids=["fake-jpeg", "svg", "too-large", "no-file"],
)
def test_bad_upload_is_refused_beside_the_field_and_nothing_is_stored(
    signed_in, member, field, path, data, filename, message
):
    response = upload(signed_in, path, field, data, filename)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.search(rf'<p class="field__error" id="{field}-error">(.*?)</p>', html, re.S)
    assert error and message in error.group(1)
    user = fresh(member)
    assert user.avatar_key is None and user.cover_key is None
    assert stored_files() == []


def test_default_avatar_is_an_svg_of_initials(app, signed_in, make_user):
    user = make_user("ola.nordmann", name="Ola (Nordmann)")
    with app.test_request_context():
        url = avatars.avatar_url(user)
    assert re.fullmatch(r"/media/avatars/initials/\d+/ON\.svg", url)
    response = signed_in.get(url)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert ">ON</text>" in response.get_data(as_text=True)


def test_default_avatars_of_every_colour_load(signed_in):
    for colour in range(len(avatars.PALETTE)):
        response = signed_in.get(f"/media/avatars/initials/{colour}/AB.svg")
        assert response.status_code == 200, colour
        assert response.mimetype == "image/svg+xml"


@pytest.mark.parametrize(
    "path",
    [
        "/media/avatars/initials/99/AB.svg",
        "/media/avatars/initials/-1/AB.svg",
        "/media/avatars/initials/1/ABC.svg",
        "/media/avatars/initials/1/%3Cb%3E.svg",
    ],
)
def test_default_avatar_refuses_made_up_urls(signed_in, path):
    assert signed_in.get(path).status_code == 404


def test_profile_header_shows_the_card_with_escaped_text(app, member, make_user):
    bob = make_user("bob.builder", name="Bob Builder", department="Finance", birthday="1990-07-14")
    service.update_profile(
        bob, {"bio": "<script>alert(1)</script>\nSecond line", "location": "Oslo"}
    )
    friends.send_friend_request(bob, "ana.member")
    db.session.commit()
    with app.test_request_context("/u/bob.builder"):
        card = cards.profile_card(member, bob)
        html = render_template("profiles/_header.html", card=card)
    assert card.friendship == "request_received" and card.birthday == "07-14"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "14 July" in html and "1990" not in html
    assert "Oslo" in html and "Finance" in html
    assert f"/friends/requests/{card.request_id}/accept?next=/u/bob.builder" in html
    assert "Decline" in html
    with app.test_request_context("/u/ana.member"):
        own = cards.profile_card(member, member)
        html = render_template("profiles/_header.html", card=own)
    assert "Edit profile" in html and "Add friend" not in html
