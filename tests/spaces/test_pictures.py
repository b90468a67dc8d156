"""A space's avatar and cover: owners and moderators upload them through the media pipeline,
the space's page and the directory show them (its initials without one), a bad file changes
nothing, and old files go on replace and with the space."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from intranet_social.core.settings import current_config
from intranet_social.extensions import db
from intranet_social.media.storage import sweep_abandoned_uploads
from intranet_social.spaces import service
from intranet_social.spaces.models import Space
from tests.media.pictures import jpeg, png
from tests.posts.helpers import Browser


@pytest.fixture
def site_settings():
    return {"media": {"max_image_mb": 1}}


@pytest.fixture
def den(author, friend):
    """A secret space: ana owns it, ben moderates it."""
    service.create_space(author, "Quiet Den", slug="den", visibility="secret")
    service.add_member(author, "den", friend.username, "moderator")
    db.session.commit()


def stored_files() -> list[Path]:
    folder = current_config().media_path
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def keys() -> tuple[str | None, str | None]:
    db.session.expire_all()
    space = db.session.scalars(select(Space).where(Space.slug == "den")).one()
    return space.avatar_key, space.cover_key


def send(page: Browser, path: str, field: str, data: bytes, token: str | None = None):
    boundary, body = encode_multipart(
        {
            "csrf_token": page.token if token is None else token,
            field: FileStorage(io.BytesIO(data), "picture.jpg"),
        }
    )
    return page.client.post(
        path, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def test_a_space_without_pictures_shows_its_initials(browser, author, den):
    page = browser(author).get("/s/den").get_data(as_text=True)
    assert "/media/avatars/initials/" in page and "QD.svg" in page
    listed = browser(author).get("/spaces").get_data(as_text=True)
    assert 'class="spaces__avatar"' in listed and "QD.svg" in listed


def test_an_owner_uploads_an_avatar_and_a_cover_shown_on_the_page_and_directory(
    browser, author, den
):
    page = browser(author)
    assert send(page, "/s/den/avatar", "avatar", jpeg((400, 300))).status_code == 302
    assert send(page, "/s/den/cover", "cover", png((1200, 500))).status_code == 302
    avatar, cover = keys()
    assert avatar and cover
    shown = page.get("/s/den").get_data(as_text=True)
    assert f"/media/avatars/{avatar}/160" in shown and f"/media/covers/{cover}" in shown
    assert f"/media/avatars/{avatar}/48" in page.get("/spaces").get_data(as_text=True)
    served = page.get(f"/media/avatars/{avatar}/48", buffered=True)
    served.close()
    assert served.status_code == 200 and served.mimetype == "image/webp"


def test_a_moderator_may_change_the_pictures_but_a_member_may_not(
    browser, author, friend, stranger, den
):
    assert send(browser(friend), "/s/den/avatar", "avatar", jpeg((200, 200))).status_code == 302
    service.add_member(author, "den", stranger.username)
    db.session.commit()
    before = keys(), stored_files()
    member = browser(stranger)
    assert member.get("/s/den/pictures").status_code == 403
    assert send(member, "/s/den/avatar", "avatar", jpeg((200, 200))).status_code == 403
    assert member.post("/s/den/avatar/remove").status_code == 403
    assert (keys(), stored_files()) == before


def test_outsiders_find_no_secret_space_to_decorate(browser, stranger, den):
    outsider = browser(stranger)
    assert outsider.get("/s/den/pictures").status_code == 404
    assert send(outsider, "/s/den/cover", "cover", jpeg((200, 200))).status_code == 404
    assert send(outsider, "/s/nowhere/cover", "cover", jpeg((200, 200))).status_code == 404
    assert keys() == (None, None) and stored_files() == []


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (b"<script>alert(1)</script>", 422, "not a picture"),
        (b"", 422, "Choose a picture"),
        (b"\xff\xd8" + b"\x00" * (1024 * 1024 + 10), 422, "larger than the 1 MB"),
    ],
)
def test_a_bad_file_is_refused_with_a_form_error_and_nothing_changes(
    browser, author, den, data, status, message
):
    page = browser(author)
    send(page, "/s/den/avatar", "avatar", jpeg((100, 100)))
    before = keys(), stored_files()
    answer = send(page, "/s/den/avatar", "avatar", data)
    assert answer.status_code == status
    text = answer.get_data(as_text=True)
    assert message in text and "<script>alert" not in text
    assert (keys(), stored_files()) == before


def test_an_upload_without_the_csrf_token_changes_nothing(browser, author, den):
    answer = send(browser(author), "/s/den/avatar", "avatar", jpeg((100, 100)), token="")
    assert answer.status_code in (400, 422)
    assert keys() == (None, None) and stored_files() == []


def test_replacing_removing_and_deleting_the_space_remove_the_old_files(browser, author, den):
    page = browser(author)
    send(page, "/s/den/avatar", "avatar", jpeg((100, 100)))
    first, _ = keys()
    send(page, "/s/den/avatar", "avatar", jpeg((120, 100)))
    second, _ = keys()
    assert first != second
    assert not any(first in path.name for path in stored_files())
    page.post("/s/den/avatar/remove")
    assert keys() == (None, None) and stored_files() == []
    send(page, "/s/den/avatar", "avatar", jpeg((100, 100)))
    send(page, "/s/den/cover", "cover", jpeg((900, 300)))
    assert stored_files()
    page.post("/s/den/delete")
    assert stored_files() == []


def test_the_sweep_keeps_a_spaces_pictures(browser, author, den, app):
    send(browser(author), "/s/den/cover", "cover", jpeg((900, 300)))
    files = stored_files()
    sweep_abandoned_uploads()
    assert stored_files() == files


def test_the_api_sets_and_removes_pictures_for_managers_only(api, author, stranger, den):
    owner = api(author)
    made = owner.call(
        "PUT",
        "/spaces/den/avatar",
        data={"file": (io.BytesIO(jpeg((100, 100))), "a.jpg")},
        content_type="multipart/form-data",
    )
    assert made.status_code == 200 and "/media/avatars/" in made.get_json()["avatar_url"]
    bad = owner.call(
        "PUT",
        "/spaces/den/cover",
        data={"file": (io.BytesIO(b"GIF89a not really"), "c.gif")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "file"
    assert api(stranger).delete("/spaces/den/avatar").status_code == 404
    removed = owner.delete("/spaces/den/avatar").get_json()
    assert "/initials/" in removed["avatar_url"] and removed["cover_url"] is None
    assert keys() == (None, None)
