"""The media URLs of API answers open with the API client's bearer token, behind the same
permission checks as for a signed-in browser; pages still take no token."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from intranet_social.accounts.models import User
from intranet_social.extensions import db
from intranet_social.messaging import service as messaging
from intranet_social.posts import service
from intranet_social.profiles import service as profiles
from tests.posts.helpers import Api, photo


def friends_only_photo_url(author: User, api: Callable[..., Api]) -> str:
    post = service.create_post(author, "team lunch", audience="friends", images=[photo()])
    db.session.commit()
    [media] = api(author, "read").get(f"/posts/{post.id}").get_json()["media"]
    return media["url"]


def test_friend_token_gets_a_friends_only_photo_and_a_stranger_token_does_not(
    app: Flask, api: Callable[..., Api], author: User, friend: User, stranger: User
) -> None:
    url = friends_only_photo_url(author, api)
    client = app.test_client()
    with client.get(url, headers=api(friend, "read").headers) as seen:
        assert seen.status_code == 200 and seen.mimetype == "image/webp"
        assert "Set-Cookie" not in seen.headers
    with client.get(url, headers=api(stranger, "read").headers) as refused:
        assert refused.status_code == 404
    with client.get(url) as anonymous:
        assert anonymous.status_code == 302 and "/login" in anonymous.location


def test_a_bad_or_revoked_token_opens_no_media(
    app: Flask, api: Callable[..., Api], author: User, friend: User
) -> None:
    url = friends_only_photo_url(author, api)
    client = app.test_client()
    for header in ("Bearer isk_not-a-real-token", "Basic Zm9vOmJhcg==", "Bearer "):
        with client.get(url, headers={"Authorization": header}) as refused:
            assert refused.status_code == 302 and "/login" in refused.location, header
    friend.must_change_password = True
    db.session.commit()
    with client.get(url, headers=api(friend, "read").headers) as waiting:
        assert waiting.status_code == 302


def test_pages_take_no_token(app: Flask, api: Callable[..., Api], author: User) -> None:
    client = app.test_client()
    for page in ("/", "/notifications", f"/u/{author.username}"):
        with client.get(page, headers=api(author, "write").headers) as answer:
            assert answer.status_code == 302 and "/login" in answer.location, page


def test_message_photos_open_for_members_tokens_only(
    app: Flask, api: Callable[..., Api], author: User, friend: User, stranger: User
) -> None:
    conversation_id = messaging.open_direct(author, friend.username).id
    messaging.send_message(author, conversation_id, "look", [photo()])
    db.session.commit()
    path = f"/conversations/{conversation_id}/messages"
    [message] = api(friend, "read").get(path).get_json()["items"]
    client = app.test_client()
    for variant in ("url", "thumb_url"):
        with client.get(message["photos"][0][variant], headers=api(friend).headers) as seen:
            assert seen.status_code == 200 and seen.mimetype == "image/webp"
        with client.get(message["photos"][0][variant], headers=api(stranger).headers) as hidden:
            assert hidden.status_code == 404


def test_avatar_opens_with_a_token(
    app: Flask, api: Callable[..., Api], author: User, stranger: User
) -> None:
    profiles.set_avatar(author, photo())
    db.session.commit()
    avatar_url = api(stranger, "read").get(f"/users/{author.username}").get_json()["avatar_url"]
    with app.test_client().get(avatar_url, headers=api(stranger, "read").headers) as seen:
        assert seen.status_code == 200 and seen.mimetype == "image/webp"
