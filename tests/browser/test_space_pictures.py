"""A department space's pictures in a real browser, on a desktop and on a 360 px phone: the
command line makes a department space; its owner uploads an avatar and a cover on the space's
pictures page; the space's page and the directory show them, the admin console's spaces page
lists it with its department. Every page is checked with axe, no page is wider than the
phone's screen, every picture loads, and nothing is fetched from another host."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import test_spaces_journey as journey
from tests.browser.sample_media import jpeg
from tests.browser.test_spaces_journey import check_page, create_member, visit

pytestmark = pytest.mark.browser

# the journey's fixtures: each screen size, a fresh browser profile per person
screen = journey.screen
open_browser = journey.open_browser

BROKEN_IMAGES = "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length"


def test_an_owner_gives_a_department_space_its_pictures(server, open_browser, screen):
    word, _ = screen
    username = f"pic.{word}"
    password = create_member(server, username, f"Pia {word.title()}")
    server.cli("user", "set-role", username, "admin")
    slug = f"design-{word}"
    server.cli("space", "create", f"Design {word}", "--owner", username, "--department", "Design")
    owner = open_browser()
    owner.first_sign_in(username, password)
    page = owner.page

    visit(owner, f"/s/{slug}")
    expect(page.get_by_text("Everyone in the Design department is a member.")).to_be_visible()
    page.get_by_role("link", name="Pictures").click()
    check_page(owner)
    page.get_by_label("New avatar").set_input_files(
        files=[{"name": "logo.jpg", "mimeType": "image/jpeg", "buffer": jpeg("#2ca02c")}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Upload avatar").click()
    expect(page.get_by_text("The space's avatar is updated.")).to_be_visible()
    page.get_by_label("New cover picture").set_input_files(
        files=[{"name": "wide.jpg", "mimeType": "image/jpeg", "buffer": jpeg("#9467bd")}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Upload cover").click()
    expect(page.get_by_text("The space's cover is updated.")).to_be_visible()
    check_page(owner)

    for address in (f"/s/{slug}", "/spaces", "/admin/spaces"):
        visit(owner, address)
        assert page.evaluate(BROKEN_IMAGES) == 0, f"{address}: a picture did not load"
    expect(page.locator(f"#department-{slug}")).to_have_value("Design")
    owner.assert_stayed_local()
