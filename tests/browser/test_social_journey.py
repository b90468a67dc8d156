"""The social core in a real browser, one person per browser profile: a new colleague sets a
photo, befriends a colleague, posts two photos and a video that plays and seeks; the friend
sees, likes and comments on it, a stranger cannot reach it; a birthday greeting lands on the
friend's wall. Every page is checked with axe, and nothing is fetched from another host."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Response, expect

from intranet_social.config import load_config
from tests.browser.conftest import (
    DESKTOP,
    ONE_TIME_PASSWORD_RE,
    Server,
    WatchedPage,
    open_page,
)
from tests.browser.sample_media import VIDEO_HEIGHT, VIDEO_WIDTH, jpeg, webm_video

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"

pytestmark = pytest.mark.browser

POST_TEXT = "Photos and a clip from the team day at the lake."
COMMENT_TEXT = "Great pictures, see you at the next one!"

#: plays the post's video muted, then seeks it; answers what the player reported
PLAY_AND_SEEK = """
async (video) => {
  const waitFor = (name) => new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "${name}" from the player (network state ${video.networkState})`)),
      10000,
    );
    video.addEventListener(name, () => { clearTimeout(timer); resolve(); }, {once: true});
  });
  video.muted = true;
  if (video.readyState < HTMLMediaElement.HAVE_METADATA) {
    await waitFor("loadedmetadata");
  }
  await video.play();
  const started = performance.now();
  while (video.currentTime < 0.3 && performance.now() - started < 10000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  video.pause();
  const played = video.currentTime;
  const seeked = waitFor("seeked");
  video.currentTime = 1.5;
  await seeked;
  return {
    duration: video.duration,
    played,
    position: video.currentTime,
    width: video.videoWidth,
    height: video.videoHeight,
    seekable: video.seekable.length ? video.seekable.end(0) : 0,
    error: video.error && video.error.message,
  };
}
"""


@pytest.fixture
def open_browser(browser: Browser, server: Server) -> Iterator[Callable[[], WatchedPage]]:
    """Opens a fresh browser profile for each person; all are closed after the test."""
    with ExitStack() as stack:

        def open_one() -> WatchedPage:
            return stack.enter_context(contextmanager(open_page)(browser, server, DESKTOP))

        yield open_one


def create_member(server: Server, username: str, name: str, *options: str) -> str:
    result = server.cli(
        "user", "create", username, "--email", f"{username}@corp.example", "--name", name, *options
    )
    match = ONE_TIME_PASSWORD_RE.search(result.stdout)
    assert match, result.stdout
    return match.group(1)


def visit(person: WatchedPage, address: str, status: int = 200) -> None:
    response = person.page.goto(address)
    assert response is not None and response.status == status, (
        f"{address} answered {response and response.status}, expected {status}"
    )
    person.assert_accessible()


def image_loaded(person: WatchedPage, selector: str) -> tuple[int, int]:
    """The natural size of a picture once it has loaded (fails after 5 s if it does not)."""
    image = person.page.locator(selector)
    image.scroll_into_view_if_needed()
    person.page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=5000
    )
    return tuple(image.evaluate("img => [img.naturalWidth, img.naturalHeight]"))


def set_avatar(alice: WatchedPage) -> None:
    page = alice.page
    visit(alice, "/account/profile")
    page.get_by_label("New profile photo").set_input_files(
        files=[{"name": "me.jpg", "mimeType": "image/jpeg", "buffer": jpeg("#d04a02")}]
    )
    page.get_by_role("button", name="Upload profile photo").click()
    expect(page.get_by_role("status").filter(has_text="uploaded")).to_have_text(
        "Your photo is uploaded."
    )
    expect(page.get_by_alt_text("Your profile photo")).to_have_attribute(
        "src", re.compile(r"^/media/avatars/[0-9a-f]{32}/")
    )
    alice.assert_accessible()

    visit(alice, "/u/alice")
    photo = page.get_by_alt_text("Profile photo of Alice Archer")
    expect(photo).to_have_attribute("src", re.compile(r"^/media/avatars/[0-9a-f]{32}/"))
    assert image_loaded(alice, "img.profile-header__avatar") == (160, 160)


def befriend(alice: WatchedPage, bob: WatchedPage) -> None:
    visit(alice, "/u/bob")
    with alice.page.expect_navigation():
        alice.page.get_by_role("button", name=re.compile(r"^Add friend\b.*Bob Baker")).click()
    expect(alice.page.get_by_text("Friend request sent to Bob Baker.")).to_be_visible()
    alice.assert_accessible()

    visit(bob, "/friends")
    with bob.page.expect_navigation():
        bob.page.get_by_role("button", name=re.compile(r"^Accept\b.*Alice Archer")).click()
    expect(bob.page.locator("main")).to_contain_text("Alice Archer")
    bob.assert_accessible()


def post_photos_and_video(alice: WatchedPage) -> int:
    """Alice posts through the feed's composer; answers the new post's id."""
    page = alice.page
    visit(alice, "/")
    video = webm_video(page)
    page.get_by_label("What's on your mind?").fill(POST_TEXT)
    page.get_by_label("Photos").set_input_files(
        files=[
            {"name": "lake.jpg", "mimeType": "image/jpeg", "buffer": jpeg("#1f77b4")},
            {"name": "boats.jpg", "mimeType": "image/jpeg", "buffer": jpeg("#2ca02c", (240, 320))},
        ]
    )
    page.get_by_label("Video").set_input_files(
        files=[{"name": "clip.webm", "mimeType": "video/webm", "buffer": video}]
    )
    with (
        page.expect_response(lambda r: r.url.endswith("/api/v1/posts")) as sent,
        page.expect_navigation(),
    ):
        page.get_by_role("button", name="Post", exact=True).click()
    assert sent.value.status == 201, f"the upload answered {sent.value.status}"
    post = page.locator("article.post").filter(has_text=POST_TEXT)
    expect(post).to_have_count(1)
    post_id = int(post.get_attribute("id").removeprefix("post-"))
    expect(post.locator(".post__photo img")).to_have_count(2)
    expect(post.locator("video")).to_have_count(1)
    alice.assert_accessible()
    return post_id


def check_video_plays_and_seeks(alice: WatchedPage, post_id: int) -> None:
    page = alice.page
    media_answers: list[Response] = []
    page.on("response", lambda r: media_answers.append(r) if "/video" in r.url else None)
    visit(alice, f"/posts/{post_id}")
    player = page.locator(f"#post-{post_id} video")
    report = player.evaluate(PLAY_AND_SEEK)

    assert report["error"] is None
    assert (report["width"], report["height"]) == (VIDEO_WIDTH, VIDEO_HEIGHT)
    assert report["duration"] == pytest.approx(2.0, abs=0.05)
    assert report["played"] >= 0.3, "the video did not play"
    assert report["seekable"] == pytest.approx(2.0, abs=0.05)
    assert report["position"] == pytest.approx(1.5, abs=0.05), "the video did not seek"
    partial = [r for r in media_answers if r.status == 206]
    assert partial, f"no 206 answer to the player's Range request: {media_answers}"
    headers = partial[0].all_headers()
    assert headers["content-type"] == "video/webm"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-range"].startswith("bytes 0-")


def test_colleagues_share_photos_and_a_video_with_friends_only(server, open_browser):
    today = datetime.now(load_config(server.config).tz).strftime("%m-%d")
    passwords = {
        "alice": create_member(server, "alice", "Alice Archer"),
        "bob": create_member(server, "bob", "Bob Baker", "--birthday", today),
        "sam": create_member(server, "sam", "Sam Stranger"),
    }
    alice, bob, sam = open_browser(), open_browser(), open_browser()

    alice.page.goto("/login")
    alice.assert_accessible()
    for name, person in (("alice", alice), ("bob", bob), ("sam", sam)):
        person.first_sign_in(name, passwords[name])

    set_avatar(alice)
    befriend(alice, bob)
    post_id = post_photos_and_video(alice)
    check_video_plays_and_seeks(alice, post_id)
    photo_url = alice.page.locator(f"#post-{post_id} a.post__photo").first.get_attribute("href")
    video_url = alice.page.locator(f"#post-{post_id} video source").get_attribute("src")

    # Bob, a friend, sees the post with its photos in his feed; he likes it and comments.
    visit(bob, "/")
    post = bob.page.locator(f"#post-{post_id}")
    expect(post).to_contain_text(POST_TEXT)
    for index in range(2):
        width, height = image_loaded(bob, f"#post-{post_id} .post__photo img >> nth={index}")
        assert width > 0 and height > 0
    post.get_by_role("button", name="Like", exact=True).click()
    expect(post.locator("[data-like-count]").first).to_have_text("1 like")
    expect(post.get_by_role("button", name="Like", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    post.get_by_label("Write a comment on this post").fill(COMMENT_TEXT)
    with bob.page.expect_navigation():
        post.get_by_role("button", name="Comment", exact=True).click()
    post = bob.page.locator(f"#post-{post_id}")
    expect(post.locator(".comments")).to_contain_text(COMMENT_TEXT)
    expect(post.locator(".post__comment-count")).to_have_text("1 comment")
    bob.assert_accessible()
    assert bob.page.goto(photo_url).status == 200

    # Alice sees the like and the comment on her post.
    visit(alice, f"/posts/{post_id}")
    expect(alice.page.locator(f"#post-{post_id} .post__bar [data-like-count]")).to_have_text(
        "1 like"
    )
    expect(alice.page.locator("#comments")).to_contain_text(COMMENT_TEXT)

    # Sam is no friend: the post is not in his feed, and its page and files do not exist for him.
    visit(sam, "/")
    expect(sam.page.locator("main")).not_to_contain_text(POST_TEXT)
    visit(sam, f"/posts/{post_id}", status=404)
    for address in (photo_url, video_url):
        response = sam.page.goto(address)
        assert response is not None and response.status == 404, address

    # Bob's birthday is today: Alice greets him from the feed, the greeting is on his wall.
    visit(alice, "/")
    box = alice.page.get_by_role("region", name="Birthdays today")
    expect(box.get_by_label("Greeting for Bob Baker")).to_have_value("Happy birthday, Bob!")
    with alice.page.expect_navigation():
        box.get_by_role("button", name="Greet Bob").click()
    expect(alice.page.get_by_text("Your greeting is on Bob Baker's wall.")).to_be_visible()
    visit(alice, "/birthdays")
    expect(alice.page.get_by_text("You wrote on Bob's wall today.")).to_be_visible()
    visit(bob, "/u/bob")
    greeting = bob.page.locator("article.post").filter(has_text="Happy birthday, Bob!")
    expect(greeting).to_contain_text("Alice Archer")
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        visit(bob, "/")
        bob.page.screenshot(path=str(SCREENSHOT), full_page=False)

    for person in (alice, bob, sam):
        person.assert_stayed_local()
