"""Spaces in a real browser, on a desktop and on a 360 px phone: an owner creates a closed
space, adds a colleague from the space's page and posts a photo in it; the colleague finds the
post in their home feed, marked "in <space>". A space's owner posts a must-read announcement
there: it stays at the top of a member's feed until they press "I have read this", and the
owner sees who has. Every page is checked with axe, no page is wider than the phone's screen,
and nothing is fetched from another host."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import (
    DESKTOP,
    ONE_TIME_PASSWORD_RE,
    PHONE,
    Server,
    WatchedPage,
    open_page,
)
from tests.browser.sample_media import jpeg

pytestmark = pytest.mark.browser


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def screen(request: pytest.FixtureRequest) -> tuple[str, dict[str, int]]:
    """The screen size, and a word that keeps each run's people and spaces apart (the server
    lives for the whole session)."""
    return request.node.callspec.id, request.param


@pytest.fixture
def open_browser(
    browser: Browser, server: Server, screen: tuple[str, dict[str, int]]
) -> Iterator[Callable[[], WatchedPage]]:
    """Opens a fresh browser profile of the screen's size for each person; all are closed after
    the test."""
    _, viewport = screen
    with ExitStack() as stack:

        def open_one() -> WatchedPage:
            return stack.enter_context(contextmanager(open_page)(browser, server, viewport))

        yield open_one


def create_member(server: Server, username: str, name: str) -> str:
    result = server.cli(
        "user", "create", username, "--email", f"{username}@corp.example", "--name", name
    )
    match = ONE_TIME_PASSWORD_RE.search(result.stdout)
    assert match, result.stdout
    return match.group(1)


def visit(person: WatchedPage, address: str) -> None:
    """Open a page, check that it answered, fits the screen and has no serious axe finding."""
    response = person.page.goto(address)
    assert response is not None and response.status == 200, (
        f"{address} answered {response and response.status}"
    )
    check_page(person)


def check_page(person: WatchedPage) -> None:
    """The page as it is: no serious axe finding, and no sideways scrolling."""
    person.assert_accessible()
    width = person.page.viewport_size["width"]
    scroll_width = person.page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{person.page.url} is {scroll_width} px wide, the screen {width}"


def create_space(owner: WatchedPage, name: str, about: str) -> str:
    """The owner creates a closed space on /spaces; answers its address."""
    page = owner.page
    visit(owner, "/spaces")
    form = page.get_by_role("region", name="Create a space")
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Who sees it").select_option("closed")
    form.get_by_label("About").fill(about)
    with page.expect_navigation():
        form.get_by_role("button", name="Create the space").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text(f"{name} is ready: add its members.")).to_be_visible()
    check_page(owner)
    assert owner.path.startswith("/s/"), owner.page.url
    return owner.path


def add_member(owner: WatchedPage, username: str, name: str) -> None:
    page = owner.page
    members = page.get_by_role("region", name="Members")
    members.get_by_label("Username").fill(username)
    with page.expect_navigation():
        members.get_by_role("button", name="Add", exact=True).click()
    members = page.get_by_role("region", name="Members")
    expect(members.get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("region", name="About")).to_contain_text("2 members")
    check_page(owner)


def sign_in_all(
    server: Server, open_browser: Callable[[], WatchedPage], people: dict[str, str]
) -> dict[str, WatchedPage]:
    """Create each (username: name) with the CLI and sign each in, in a profile of their own."""
    pages = {}
    for username, name in people.items():
        password = create_member(server, username, name)
        pages[username] = open_browser()
        pages[username].first_sign_in(username, password)
    return pages


def post_photo_in_space(owner: WatchedPage, name: str, text: str) -> int:
    """The owner posts a photo through the space's composer; answers the post's id."""
    page = owner.page
    composer = page.get_by_role("region", name=f"Write in {name}")
    composer.get_by_label("What's on your mind?").fill(text)
    composer.get_by_label("Photos").set_input_files(
        files=[{"name": "paddles.jpg", "mimeType": "image/jpeg", "buffer": jpeg("#1f77b4")}]
    )
    with (
        page.expect_response(lambda r: r.url.endswith("/api/v1/posts")) as sent,
        page.expect_navigation(),
    ):
        composer.get_by_role("button", name="Post", exact=True).click()
    assert sent.value.status == 201, f"the post answered {sent.value.status}"
    post = page.locator("article.post").filter(has_text=text)
    expect(post).to_have_count(1)
    expect(post.locator(".post__photo img")).to_have_count(1)
    check_page(owner)
    return int(post.get_attribute("id").removeprefix("post-"))


def test_members_of_a_closed_space_share_a_photo_post(server, open_browser, screen):
    word, _ = screen
    # long names and a long address, as a phone must fit them too
    space_name = f"Evening kayak crew of the north lakeshore boathouse ({word})"
    post_text = f"Paddles are in the boathouse, {word} crew."
    owner_name = f"Olivia Featherstonehaugh-Worthington {word}"
    member_name = f"Maximilian Member {word}"
    passwords = {
        f"olive.{word}": create_member(server, f"olive.{word}", owner_name),
        f"max.{word}": create_member(server, f"max.{word}", member_name),
    }
    owner, member = open_browser(), open_browser()
    owner.first_sign_in(f"olive.{word}", passwords[f"olive.{word}"])
    member.first_sign_in(f"max.{word}", passwords[f"max.{word}"])

    address = create_space(owner, space_name, "Evening paddles on the lake.")
    add_member(owner, f"max.{word}", member_name)
    visit(owner, f"{address}/members")  # the owner's view, with a role menu for each
    expect(owner.page.get_by_role("heading", name="2 members")).to_be_visible()
    visit(owner, address)
    post_id = post_photo_in_space(owner, space_name, post_text)

    # The member finds the space among theirs, and the post in their home feed, "in" the space.
    visit(member, "/spaces")
    expect(member.page.get_by_role("link", name=space_name)).to_be_visible()
    visit(member, "/")
    post = member.page.locator(f"#post-{post_id}")
    expect(post).to_contain_text(post_text)
    expect(post).to_contain_text(f"in {space_name}")
    expect(post.get_by_role("link", name=space_name)).to_have_attribute("href", address)
    image = post.locator(".post__photo img")
    image.scroll_into_view_if_needed()
    member.page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=5000
    )
    visit(member, address)
    expect(member.page.locator(f"#post-{post_id}")).to_contain_text(post_text)
    visit(member, "/org")

    for person in (owner, member):
        person.assert_stayed_local()


def write_in_space(owner: WatchedPage, name: str, text: str, *, must_read: bool) -> int:
    """The owner writes through the space's composer; answers the post's id."""
    page = owner.page
    composer = page.get_by_role("region", name=f"Write in {name}")
    composer.get_by_label("What's on your mind?").fill(text)
    if must_read:
        composer.get_by_label("Must-read announcement").check()
    with (
        page.expect_response(lambda r: r.url.endswith("/api/v1/posts")) as sent,
        page.expect_navigation(),
    ):
        composer.get_by_role("button", name="Post", exact=True).click()
    assert sent.value.status == 201, f"the post answered {sent.value.status}"
    post = page.locator("article.post").filter(has_text=text)
    expect(post).to_have_count(1)
    return int(post.get_attribute("id").removeprefix("post-"))


def test_member_acknowledges_a_must_read_and_its_owner_sees_who_has(server, open_browser, screen):
    word, _ = screen
    space_name = f"Boathouse notices ({word})"
    slug = f"boathouse-notices-{word}"
    owner_id, reader_id, other_id = f"nora.{word}", f"rex.{word}", f"quinn.{word}"
    people = sign_in_all(
        server,
        open_browser,
        {
            owner_id: f"Nora Noticeboard {word}",
            reader_id: f"Rex Reader {word}",
            other_id: f"Quinn Quiet {word}",
        },
    )
    server.cli(
        "space", "create", space_name, "--slug", slug, "--visibility", "closed", "--owner", owner_id
    )
    for username in (reader_id, other_id):
        server.cli("space", "add-member", slug, username)
    owner, reader = people[owner_id], people[reader_id]
    announcement = f"The boathouse is closed on Friday for repairs ({word})."
    chatter = f"Who is up for a paddle on Saturday? ({word})"

    # The owner writes the announcement, then an ordinary post after it.
    visit(owner, f"/s/{slug}")
    must_read_id = write_in_space(owner, space_name, announcement, must_read=True)
    card = owner.page.locator(f"#post-{must_read_id}")
    expect(card.locator(".badge").filter(has_text="Must read")).to_be_visible()
    expect(card).to_contain_text("Acknowledged by 0 of 2")
    check_page(owner)
    chatter_id = write_in_space(owner, space_name, chatter, must_read=False)

    # A member finds it pinned above the newer post, marked "in" the space, and reads it.
    visit(reader, "/")
    posts = reader.page.locator("article.post")
    expect(posts.first).to_have_id(f"post-{must_read_id}")
    expect(posts.first).to_have_class(re.compile(r"\bpost--pinned\b"))
    expect(posts.first).to_contain_text(f"in {space_name}")
    with reader.page.expect_navigation():
        posts.first.get_by_role("button", name="I have read this").click()
    expect(reader.page.get_by_text("you have acknowledged the announcement")).to_be_visible()
    check_page(reader)

    # Read, it takes its place in the stream below the newer post, no longer pinned.
    expect(posts.first).to_have_id(f"post-{chatter_id}")
    card = reader.page.locator(f"#post-{must_read_id}")
    expect(card).not_to_have_class(re.compile(r"\bpost--pinned\b"))
    expect(card).to_contain_text("You have acknowledged this announcement.")
    expect(card.get_by_role("button", name="I have read this")).to_have_count(0)

    # The owner sees one of the two members has read it, and who.
    visit(owner, f"/s/{slug}")
    link = owner.page.locator(f"#post-{must_read_id}").get_by_role(
        "link", name="Acknowledged by 1 of 2"
    )
    with owner.page.expect_navigation():
        link.click()
    assert owner.path == f"/posts/{must_read_id}/acknowledgements"
    expect(owner.page.get_by_role("heading", name="Acknowledged by 1 of 2")).to_be_visible()
    readers = owner.page.get_by_role("region", name="Acknowledged by 1 of 2")
    expect(readers.get_by_role("link", name=f"Rex Reader {word}")).to_be_visible()
    expect(readers).to_contain_text("Not yet acknowledged (1)")
    expect(readers.get_by_role("link", name=f"Quinn Quiet {word}")).to_be_visible()
    check_page(owner)

    for person in people.values():
        person.assert_stayed_local()
