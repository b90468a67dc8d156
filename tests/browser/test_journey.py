"""A colleague's first visit in a real browser: one-time password, own password, feed, account."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_new_colleague_must_choose_own_password_before_reaching_the_feed(server, web):
    one_time_password = server.create_user("carol", "Carol Jones")
    page = web.page

    page.goto("/login")
    web.assert_accessible()
    web.submit({"username": "carol", "password": one_time_password}, "Log in")
    assert web.path == "/account/password"
    web.assert_accessible()

    common = "password1234"
    web.submit(
        {
            "current_password": one_time_password,
            "new_password": common,
            "new_password_confirm": common,
        },
        "Save new password",
    )
    assert web.path == "/account/password"
    expect(page.locator("#new_password-error")).to_contain_text("common")
    expect(page.locator("#new_password")).to_have_attribute("aria-invalid", "true")
    web.assert_accessible()

    page.goto("/")
    assert web.path == "/account/password", "the feed must wait for a new password"

    new_password = "cobalt-meadow-tangent-19"
    web.submit(
        {
            "current_password": one_time_password,
            "new_password": new_password,
            "new_password_confirm": new_password,
        },
        "Save new password",
    )
    assert web.path == "/"
    expect(page.get_by_role("heading", level=1)).to_have_text("News feed")
    web.assert_accessible()

    page.get_by_role("link", name="Account").click()
    page.wait_for_load_state()
    assert web.path == "/account"
    expect(page.get_by_text("carol@corp.example")).to_be_visible()
    web.assert_accessible()

    response = page.goto("/nope")
    assert response is not None and response.status == 404
    web.assert_accessible()

    web.assert_stayed_local()


def test_stranger_sees_an_accessible_error_page_for_a_missing_address(web):
    response = web.page.goto("/no/such/page")
    assert response is not None and response.status == 404
    web.assert_accessible()
    web.assert_stayed_local()


def test_member_logs_out_with_the_button_and_lands_on_the_login_page(server, web):
    web.first_sign_in("dave", server.create_user("dave", "Dave Brown"))
    page = web.page

    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    assert web.path == "/login"
    expect(page.get_by_text("You are signed out.")).to_be_visible()

    page.goto("/")
    assert web.path == "/login", "a signed-out browser must not see the feed"
    web.assert_stayed_local()


def test_pages_fit_a_small_phone_screen_without_sideways_scrolling(server, phone):
    page = phone.page
    screen_width = page.viewport_size["width"]
    assert screen_width == 360
    widths: list[tuple[str, int]] = []

    def measure() -> None:
        widths.append((phone.path, page.evaluate("document.documentElement.scrollWidth")))

    page.goto("/login")
    measure()
    one_time_password = server.create_user("erin", "Erin Small-Screen")
    # a chain of three on the org chart: a long-named chief, erin, and erin's report
    server.create_user("chief.long", "Maximiliana Worthington-Featherstonehaugh")
    server.cli("user", "set-manager", "erin", "chief.long")
    server.cli(
        "user", "create", "rep.one", "--email", "rep.one@corp.example", "--name", "Rey Report",
        "--manager", "erin", "--title", "Senior principal infrastructure reliability engineer",
    )  # fmt: skip
    phone.log_in("erin", one_time_password)
    measure()  # the forced password change
    phone.submit(
        {
            "current_password": one_time_password,
            "new_password": "quartz-lagoon-ember-73",
            "new_password_confirm": "quartz-lagoon-ember-73",
        },
        "Save new password",
    )
    for address in ("/", "/account", "/account/password", "/org", "/org/erin", "/nope"):
        page.goto(address)
        measure()
        if address.startswith("/org"):
            phone.assert_accessible()

    visited = [path for path, _ in widths]
    assert visited == [
        "/login",
        "/account/password",
        "/",
        "/account",
        "/account/password",
        "/org",
        "/org/erin",
        "/nope",
    ]
    too_wide = [(path, width) for path, width in widths if width > screen_width]
    assert not too_wide, f"pages wider than a {screen_width} px screen: {too_wide}"
    phone.assert_stayed_local()
