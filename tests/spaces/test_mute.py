"""Muting a space: a member turns the notices of its new posts off and on again, on the
space's page and through the API; anyone else gets a clear refusal and nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet_social.extensions import db
from intranet_social.spaces import service
from intranet_social.spaces.models import SpaceMember


@pytest.fixture
def club(author, friend):
    space = service.create_space(author, "Book Club", visibility="closed")
    service.add_member(author, space.slug, friend.username)
    db.session.commit()
    return space.slug


@pytest.fixture
def den(author):
    space = service.create_space(author, "Hidden Den", visibility="secret")
    db.session.commit()
    return space.slug


def mutes() -> list[tuple[int, int, bool]]:
    db.session.expire_all()
    rows = db.session.execute(
        select(SpaceMember.space_id, SpaceMember.user_id, SpaceMember.muted).order_by(
            SpaceMember.space_id, SpaceMember.user_id
        )
    )
    return [tuple(row) for row in rows]


def is_muted(user) -> bool:
    db.session.expire_all()
    return bool(db.session.scalar(select(SpaceMember.muted).where(SpaceMember.user_id == user.id)))


def test_a_member_mutes_and_unmutes_a_space_from_its_page(browser, friend, club):
    page = browser(friend)
    shown = page.get(f"/s/{club}").get_data(as_text=True)
    assert f'action="/s/{club}/mute"' in shown and "Unmute" not in shown
    answer = page.post(f"/s/{club}/mute")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/s/{club}")
    assert is_muted(friend)
    shown = page.get(f"/s/{club}").get_data(as_text=True)
    assert "Muted: new posts here no longer notify you." in shown
    assert f'action="/s/{club}/unmute"' in shown and f'action="/s/{club}/mute"' not in shown
    assert page.post(f"/s/{club}/unmute").status_code == 302
    assert not is_muted(friend)


def test_muting_without_the_form_token_is_refused_and_changes_nothing(browser, friend, club):
    before = mutes()
    answer = browser(friend).post(f"/s/{club}/mute", {"csrf_token": ""})
    assert answer.status_code == 400
    assert mutes() == before


def test_someone_outside_a_closed_space_is_told_they_cannot_mute_it(browser, stranger, club):
    before = mutes()
    page = browser(stranger)
    answer = page.post(f"/s/{club}/mute")
    assert answer.status_code == 302
    assert "Only members can mute a space" in page.get(f"/s/{club}").get_data(as_text=True)
    assert mutes() == before


@pytest.mark.parametrize("slug", ["hidden-den", "no-such-space"])
def test_a_secret_or_unknown_space_cannot_be_muted_from_outside(browser, stranger, den, slug):
    before = mutes()
    assert browser(stranger).post(f"/s/{slug}/mute").status_code == 404
    assert mutes() == before


def test_the_api_mutes_and_unmutes_and_the_space_says_so(api, author, friend, club):
    client = api(friend)
    assert client.get(f"/spaces/{club}").get_json()["muted"] is False
    answer = client.post(f"/spaces/{club}/mute")
    assert answer.status_code == 200 and answer.get_json()["muted"] is True
    assert client.get(f"/spaces/{club}").get_json()["muted"] is True
    assert [item["muted"] for item in client.get("/spaces").get_json()["items"]] == [True]
    assert api(author).get(f"/spaces/{club}").get_json()["muted"] is False
    answer = client.post(f"/spaces/{club}/unmute")
    assert answer.status_code == 200 and answer.get_json()["muted"] is False


def test_the_api_refuses_to_mute_for_someone_outside_and_changes_nothing(
    api, stranger, friend, club, den
):
    before = mutes()
    client = api(stranger)
    refused = client.post(f"/spaces/{club}/mute")
    assert refused.status_code == 409
    assert "Only members can mute" in refused.get_json()["error"]["message"]
    assert client.post(f"/spaces/{den}/mute").status_code == 404
    assert client.post("/spaces/nowhere/unmute").status_code == 404
    assert client.get(f"/spaces/{club}").get_json()["muted"] is False
    assert api(friend, "read").post(f"/spaces/{club}/mute").status_code == 403
    assert mutes() == before
