"""The People and Friends pages and the friend buttons, through real HTTP with CSRF."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet_social.extensions import db
from intranet_social.friends import service
from intranet_social.friends.models import FriendRequest, Friendship
from tests.conftest import csrf_from


@pytest.fixture
def bob(make_user):
    return make_user("bob.builder", name="Bob Builder", department="Finance", title="Engineer")


@pytest.fixture
def signed_in(client, auth, member):
    auth.login("ana.member")
    return client


def token(client, path="/friends") -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def friendships() -> int:
    return len(db.session.scalars(select(Friendship)).all())


def open_requests() -> list[tuple[int, int, str]]:
    rows = db.session.execute(
        select(FriendRequest.from_id, FriendRequest.to_id, FriendRequest.status)
    )
    return [tuple(row) for row in rows]


def test_visitor_is_sent_to_sign_in(client):
    for path in ("/people", "/friends"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_top_bar_links_to_people_and_friends(signed_in):
    html = signed_in.get("/").get_data(as_text=True)
    assert 'href="/people"' in html and 'href="/friends"' in html


def test_directory_lists_active_people_with_search_and_department(signed_in, bob, make_user):
    make_user("carla", name="Carla Cruz", department="Sales")
    make_user("pending.pat", name="Pending Pat", status="pending")
    make_user("gone.gus", name="Gone Gus", status="disabled")
    html = signed_in.get("/people").get_data(as_text=True)
    assert "Bob Builder" in html and "Carla Cruz" in html and "Ana Member" in html
    assert "Pending Pat" not in html and "Gone Gus" not in html
    assert '<option value="Finance">Finance</option>' in html
    html = signed_in.get("/people?q=engineer").get_data(as_text=True)
    assert "Bob Builder" in html and "Carla Cruz" not in html
    html = signed_in.get("/people?department=Sales").get_data(as_text=True)
    assert "Carla Cruz" in html and "Bob Builder" not in html
    assert '<option value="Sales" selected>' in html
    html = signed_in.get("/people?q=nobody-like-this").get_data(as_text=True)
    assert "No one matches" in html


def test_directory_pages_with_more_link(signed_in, make_user, monkeypatch):
    from intranet_social.friends import views

    monkeypatch.setattr(views, "DIRECTORY_PAGE_SIZE", 2)
    for name in ("aaa", "bbb", "ccc"):
        make_user(name)
    html = signed_in.get("/people").get_data(as_text=True)
    assert "Aaa" in html and "Bbb" not in html
    assert 'href="/people?after=ana.member"' in html
    second = signed_in.get("/people?after=ana.member").get_data(as_text=True)
    assert "Bbb" in second and "Ccc" in second and "Aaa" not in second
    assert "after=" not in second


def test_script_in_a_name_or_search_is_shown_as_text(signed_in, make_user):
    make_user("mal.lory", name="<script>alert(1)</script> Mal")
    html = signed_in.get("/people?q=<script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Mal" in html


def test_member_adds_a_friend_with_the_button_and_comes_back(signed_in, member, bob):
    response = signed_in.post(
        "/friends/add/bob.builder?next=/people?q=bob",
        data={"csrf_token": token(signed_in)},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/people?q=bob"
    assert open_requests() == [(member.id, bob.id, "pending")]
    html = signed_in.get("/people?q=bob").get_data(as_text=True)
    assert "Friend request sent to Bob Builder." in html
    assert "Cancel request" in html


def test_friend_button_without_csrf_changes_nothing(signed_in, bob):
    response = signed_in.post("/friends/add/bob.builder")
    assert response.status_code == 400
    assert open_requests() == []


def test_next_to_another_site_goes_home(signed_in, bob):
    response = signed_in.post(
        "/friends/add/bob.builder?next=https://evil.example/", data={"csrf_token": token(signed_in)}
    )
    assert response.headers["Location"] == "/"


def test_friends_page_shows_requests_friends_and_suggestions(signed_in, member, bob, make_user):
    carla = make_user("carla", name="Carla Cruz")
    dora = make_user("dora", name="Dora Diaz", department="Finance")
    eve = make_user("eve", name="Eve Evans")
    service.send_friend_request(bob, "ana.member")
    service.send_friend_request(member, "carla")
    service.send_friend_request(member, "eve")
    service.send_friend_request(eve, "ana.member")
    db.session.commit()
    html = signed_in.get("/friends").get_data(as_text=True)
    incoming = html.split('id="incoming-title"', 1)[1].split("</section>", 1)[0]
    assert "Bob Builder" in incoming and "Accept" in incoming and "Decline" in incoming
    friends = html.split('id="friends-title"', 1)[1].split("</section>", 1)[0]
    assert "Eve Evans" in friends and "Unfriend" in friends
    outgoing = html.split('id="outgoing-title"', 1)[1].split("</section>", 1)[0]
    assert "Carla Cruz" in outgoing and "Cancel request" in outgoing
    suggestions = html.split('id="suggestions-title"', 1)[1].split("</section>", 1)[0]
    assert "Dora Diaz" in suggestions
    assert carla.id and dora.id


def test_member_accepts_declines_cancels_and_unfriends_from_the_page(
    signed_in, member, bob, make_user
):
    carla = make_user("carla", name="Carla Cruz")
    service.send_friend_request(bob, "ana.member")
    service.send_friend_request(carla, "ana.member")
    db.session.commit()
    bob_request = db.session.scalar(select(FriendRequest.id).where(FriendRequest.from_id == bob.id))
    carla_request = db.session.scalar(
        select(FriendRequest.id).where(FriendRequest.from_id == carla.id)
    )
    csrf = token(signed_in)
    assert (
        signed_in.post(
            f"/friends/requests/{bob_request}/accept", data={"csrf_token": csrf}
        ).status_code
        == 302
    )
    assert (
        signed_in.post(
            f"/friends/requests/{bob_request}/accept", data={"csrf_token": csrf}
        ).status_code
        == 302
    )
    assert friendships() == 2
    signed_in.post(f"/friends/requests/{carla_request}/decline", data={"csrf_token": csrf})
    assert (carla.id, member.id, "declined") in open_requests()
    signed_in.post("/friends/unfriend/bob.builder", data={"csrf_token": csrf})
    assert friendships() == 0
    signed_in.post("/friends/add/carla", data={"csrf_token": csrf})
    mine = db.session.scalar(select(FriendRequest.id).where(FriendRequest.from_id == member.id))
    signed_in.post(f"/friends/requests/{mine}/cancel", data={"csrf_token": csrf})
    assert (member.id, carla.id, "cancelled") in open_requests()


def test_accepting_someone_elses_request_is_not_found(signed_in, bob, make_user):
    carla = make_user("carla")
    service.send_friend_request(bob, "carla")
    db.session.commit()
    rid = db.session.scalar(select(FriendRequest.id))
    response = signed_in.post(
        f"/friends/requests/{rid}/accept", data={"csrf_token": token(signed_in)}
    )
    assert response.status_code == 404
    assert friendships() == 0
    assert open_requests() == [(bob.id, carla.id, "pending")]


def test_befriending_yourself_or_a_stranger_gets_a_clear_answer(signed_in):
    csrf = token(signed_in)
    response = signed_in.post("/friends/add/ana.member", data={"csrf_token": csrf})
    assert response.status_code == 422
    assert "cannot send yourself a friend request" in response.get_data(as_text=True)
    response = signed_in.post("/friends/add/no.such.person", data={"csrf_token": csrf})
    assert response.status_code == 404
    assert open_requests() == []
