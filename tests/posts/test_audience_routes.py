"""No page and no API operation shows a post (its text, photos, comments) to someone who may
not see it, nor a conversation to someone not in it.

Every GET route of the app and every GET operation of the OpenAPI document is requested, so
a route added later is checked too: its path parameters are filled from :func:`path_values`,
which fails the test for a parameter it does not know, asking for it to be classified. Routes
that name the hidden post, comment, photo or conversation answer 404; none of the others
shows any of them. A post the viewer may see shows where it should, so the check is not
vacuous."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, select

from intranet_social.extensions import db
from intranet_social.friends.models import Friendship
from intranet_social.messaging import service as messaging
from intranet_social.messaging.models import MessageMedia
from intranet_social.posts import comments, likes, service
from intranet_social.posts.models import PostMedia
from intranet_social.spaces import service as spaces
from tests.posts.helpers import befriend, photo

API = "/api/v1"
#: words found only in what the viewer may not see
HIDDEN_POST = "zanzibarhiddenpost"
HIDDEN_COMMENT = "quokkahiddencomment"
MY_OLD_COMMENT = "vicoldcomment"
HIDDEN_MESSAGE = "marmosethiddenmessage"
HIDDEN_SPACE_POST = "ocelotsecretspacepost"
CLOSED_SPACE_POST = "tapirclosedspacepost"
#: the name of a secret space the viewer is not in: not even its name may show
SECRET_SPACE_NAME = "Walrusclub Council"
SECRET_SPACE = "hush"
CLOSED_SPACE = "closed-room"
#: words of what the viewer may see
SHOWN_POST = "lanternshownpost"
SHOWN_COMMENT = "pebbleshowncomment"
FILE_VARIANTS = ("full", "thumb", "video", "poster")
#: a word both posts have, searched for on every route (echoed, it gives nothing away)
COMMON_WORD = "harbour"


@dataclass(frozen=True)
class Site:
    viewer: Any
    hidden_author: Any
    friend: Any
    post: int
    comment: int
    photo: int
    photo_key: str
    conversation: int
    message_photo: int
    message_photo_key: str
    shown_post: int
    shown_comment: int
    shown_photo: int
    space_post: int
    closed_space_post: int


@pytest.fixture
def site(make_user) -> Site:
    """Vic, the viewer, was Hal's friend: he commented on Hal's friends-only post (which Hal
    pinned as an announcement and made a must-read, with a photo, a friend's comment and a
    like; Hal liked Vic's comment, and Vic was told). Then the friendship ended: the post is
    hidden from Vic. Hal and Hank talk in a conversation Vic is not in. Fay, Vic's friend,
    wrote a post he sees."""
    vic = make_user("vic.viewer")
    hal = make_user("hal.hidden")
    hank = make_user("hank.halsfriend")
    fay = make_user("fay.friend")
    befriend(vic, hal)
    befriend(hank, hal)
    befriend(vic, fay)

    post = service.create_post(
        hal,
        f"{HIDDEN_POST} {COMMON_WORD} for friends, @vic.viewer",
        audience="friends",
        images=[photo()],
    )
    db.session.flush()
    comment = comments.create_comment(hank, post.id, f"{HIDDEN_COMMENT} indeed")
    mine = comments.create_comment(vic, post.id, f"{MY_OLD_COMMENT} from when we were friends")
    likes.like_post(hank, post.id)
    likes.like_comment(hal, mine.id)
    post.pinned = True  # an announcement, for everyone who may see it
    post.must_read = True  # and a must-read: pinned, counted and listed for its audience only
    conversation = messaging.open_direct(hal, hank.username)
    messaging.send_message(hal, conversation.id, f"{HIDDEN_MESSAGE} between us", [photo()])

    # Hal's secret space, and his closed one, neither of which Vic is in (Fay, his friend,
    # is: friendship opens neither)
    spaces.create_space(hal, SECRET_SPACE_NAME, slug=SECRET_SPACE, visibility="secret")
    spaces.create_space(hal, "Closed Room", slug=CLOSED_SPACE, visibility="closed")
    spaces.add_member(hal, SECRET_SPACE, fay.username)
    spaces.add_member(hal, CLOSED_SPACE, fay.username)
    spaces.join(vic, CLOSED_SPACE)  # asked, never let in
    space_post = service.create_post(
        fay,
        f"{HIDDEN_SPACE_POST} {COMMON_WORD} @vic.viewer",
        audience="space",
        space=SECRET_SPACE,
        images=[photo()],
    )
    closed_space_post = service.create_post(
        hal, f"{CLOSED_SPACE_POST} {COMMON_WORD}", audience="space", space=CLOSED_SPACE
    )
    db.session.flush()
    comments.create_comment(hal, space_post.id, f"{HIDDEN_COMMENT} in the space")
    likes.like_post(hal, closed_space_post.id)

    shown = service.create_post(fay, f"{SHOWN_POST} {COMMON_WORD} for friends", images=[photo()])
    db.session.flush()
    shown_comment = comments.create_comment(fay, shown.id, f"{SHOWN_COMMENT} too")
    db.session.commit()
    db.session.execute(
        delete(Friendship)
        .where(Friendship.user_id.in_([vic.id, hal.id]))
        .where(Friendship.friend_id.in_([vic.id, hal.id]))
    )
    db.session.commit()

    def media_of(post_id: int) -> PostMedia:
        return db.session.scalars(select(PostMedia).where(PostMedia.post_id == post_id)).one()

    message_photo = db.session.scalars(select(MessageMedia)).one()
    return Site(
        viewer=vic,
        hidden_author=hal,
        friend=fay,
        post=post.id,
        comment=comment.id,
        photo=media_of(post.id).id,
        photo_key=media_of(post.id).key,
        conversation=conversation.id,
        message_photo=message_photo.id,
        message_photo_key=message_photo.key,
        shown_post=shown.id,
        shown_comment=shown_comment.id,
        shown_photo=media_of(shown.id).id,
        space_post=space_post.id,
        closed_space_post=closed_space_post.id,
    )


def path_values(site: Site, endpoint: str, name: str) -> list[tuple[str, bool]]:
    """The values to try for the path parameter ``name`` of ``endpoint``, each with whether
    it names something hidden from the viewer (and so must answer 404)."""
    per_endpoint: dict[tuple[str, str], list[tuple[Any, bool]]] = {
        ("messaging.show_media", "media_id"): [(site.message_photo, True)],
    }
    values: dict[str, list[tuple[Any, bool]]] = {
        "post_id": [
            (site.post, True),
            (site.space_post, True),
            (site.closed_space_post, True),
        ],
        # a secret space is not found; a closed one shows that it exists, not its posts
        "slug": [(SECRET_SPACE, True), (CLOSED_SPACE, False)],
        "comment_id": [(site.comment, True)],
        "media_id": [(site.photo, True)],
        "conversation_id": [(site.conversation, True)],
        # a person is not hidden: their profile shows, without the hidden post
        "username": [(site.hidden_author.username, False)],
        "variant": [(variant, False) for variant in FILE_VARIANTS],
        # profile pictures and static files: nothing of a post
        "key": [("0" * 32, False)],
        "size": [("small", False)],
        "colour": [(0, False)],
        "text": [("HH", False)],
        "filename": [("css/site.css", False)],
    }
    found = per_endpoint.get((endpoint, name), values.get(name))
    if found is None:
        pytest.fail(
            f"The route {endpoint} has a path parameter {name!r} this test does not know. "
            f"Add it to path_values() in {__name__}: which object of the site it names, and "
            "whether that is hidden from the viewer (the route must then answer 404)."
        )
    return [(str(value), hidden) for value, hidden in found]


def route_arguments(site: Site, endpoint: str, names: list[str]) -> list[tuple[dict, bool]]:
    """Every way to fill the path parameters ``names`` of ``endpoint``, each with whether it
    names something hidden."""
    if endpoint == "admin.report_content":  # what ``target`` is depends on ``kind``
        return [
            ({"kind": "post", "target": str(site.post)}, True),
            ({"kind": "comment", "target": str(site.comment)}, True),
            ({"kind": "profile", "target": site.hidden_author.username}, False),
        ]
    choices = [path_values(site, endpoint, name) for name in names]
    return [
        (
            dict(zip(names, (value for value, _ in combination), strict=True)),
            any(hidden for _, hidden in combination),
        )
        for combination in itertools.product(*choices)
    ]


Request = tuple[str, tuple[tuple[str, str], ...]]


def app_requests(site: Site, app: Flask) -> dict[Request, tuple[str, bool]]:
    """Every GET route of the app, as concrete requests (with the common word as ``q``):
    (path, query) -> (endpoint, whether it names something hidden)."""
    requests: dict[Request, tuple[str, bool]] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()):
            continue
        for arguments, hidden in route_arguments(site, rule.endpoint, sorted(rule.arguments)):
            built = rule.build(arguments, append_unknown=False)
            assert built is not None, (rule.rule, arguments)
            requests[built[1], (("q", COMMON_WORD),)] = (rule.endpoint, hidden)
    return requests


def openapi_requests(
    site: Site, app: Flask, document: dict[str, Any]
) -> dict[Request, tuple[str, bool]]:
    """The document's GET operations as concrete requests, each matched to the app's route:
    ``q`` is the common word, and a parameter with a list of values takes each in turn."""
    adapter = app.url_map.bind("localhost")
    requests: dict[Request, tuple[str, bool]] = {}
    for path, operations in document["paths"].items():
        if "get" not in operations:
            continue
        endpoint, _ = adapter.match(API + re.sub(r"\{(\w+)\}", "1", path), method="GET")
        parameters = [*operations.get("parameters", []), *operations["get"].get("parameters", [])]
        queries = [(("q", COMMON_WORD),)]
        for parameter in parameters:
            choices = parameter.get("schema", {}).get("enum", [])
            if parameter.get("in") == "query" and choices:
                queries += [(("q", COMMON_WORD), (parameter["name"], str(c))) for c in choices]
        names = re.findall(r"\{(\w+)\}", path)
        for arguments, hidden in route_arguments(site, endpoint, names):
            url = API + path.format(**arguments)
            for query in queries:
                requests[url, query] = (endpoint, hidden)
    return requests


def secrets_of(site: Site) -> list[str]:
    """What no answer to the viewer may contain."""
    return [
        HIDDEN_POST,
        HIDDEN_COMMENT,
        MY_OLD_COMMENT,
        HIDDEN_MESSAGE,
        HIDDEN_SPACE_POST,
        CLOSED_SPACE_POST,
        SECRET_SPACE_NAME,
        site.photo_key,
        site.message_photo_key,
        f"/posts/media/{site.photo}/",
        f"/messages/media/{site.message_photo}/",
        f"comment-{site.comment}",
    ]


def test_nothing_hidden_shows_on_any_page_or_api_operation(site, app, browser, api):
    viewer_page = browser(site.viewer)
    viewer_api = api(site.viewer, scope="read")
    document = viewer_api.get("/openapi.json").get_json()
    requests = app_requests(site, app)
    documented = openapi_requests(site, app, document)
    assert documented, "the OpenAPI document lists no GET operation"
    requests.update(documented)
    post_path = re.compile(rf"/posts/{site.post}(?!\d)")
    checked = 0
    for (url, query), (endpoint, names_hidden) in sorted(requests.items()):
        if url.startswith(API + "/"):
            answer = viewer_api.client.get(url, query_string=query, headers=viewer_api.headers)
        else:
            answer = viewer_page.get(url, query_string=query)
        body = answer.get_data().decode("utf-8", "replace")
        answer.close()  # files are sent streamed
        where = f"GET {url}?{query} ({endpoint}) answered {answer.status_code}"
        assert answer.status_code < 500, where
        if names_hidden:
            assert answer.status_code == 404, where
        for secret in secrets_of(site):
            assert secret not in body, f"{where} and shows {secret!r}"
        assert not post_path.search(body), f"{where} and links to the hidden post"
        checked += 1
    assert checked > 50


def test_a_post_the_viewer_may_see_shows_where_it_should(site, browser, api):
    page = browser(site.viewer)
    client = api(site.viewer, scope="read")
    friend = site.friend.username
    for path in ("/", f"/u/{friend}", f"/posts/{site.shown_post}", f"/search?q={COMMON_WORD}"):
        answer = page.get(path)
        assert answer.status_code == 200, path
        assert SHOWN_POST in answer.get_data(as_text=True), path
    for path in ("/feed", f"/users/{friend}/posts", f"/posts/{site.shown_post}"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert SHOWN_POST in answer.get_data(as_text=True), path
        assert f"/posts/media/{site.shown_photo}/" in answer.get_data(as_text=True), path
    search = client.get("/search", query_string={"q": COMMON_WORD, "type": "posts"})
    assert SHOWN_POST in search.get_data(as_text=True)
    listed = client.get(f"/posts/{site.shown_post}/comments").get_data(as_text=True)
    assert SHOWN_COMMENT in listed
    for variant in ("full", "thumb"):
        answer = page.get(f"/posts/media/{site.shown_photo}/{variant}")
        answer.close()
        assert answer.status_code == 200, variant


def test_the_notification_about_a_post_no_longer_visible_leads_to_its_author(site, browser, api):
    """Vic was told Hal liked his comment; the post is hidden now, so the entry leads to Hal."""
    items = api(site.viewer, scope="read").get("/notifications").get_json()["items"]
    assert items  # the mention, and the like of Vic's comment
    assert {item["object_url"] for item in items} == {f"/u/{site.hidden_author.username}"}
    assert f"/u/{site.hidden_author.username}" in browser(site.viewer).get(
        "/notifications"
    ).get_data(as_text=True)
