"""A colleague's first visit in a real browser: one-time password, own password, feed, account."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"


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
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        page.screenshot(path=str(SCREENSHOT))

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


@pytest.mark.parametrize("address", ["/login", "/", "/account", "/account/password"])
def test_pages_fit_a_small_phone_screen_without_sideways_scrolling(server, phone, address):
    username = "erin" + address.replace("/", "-").rstrip("-")
    phone.first_sign_in(username, server.create_user(username, "Erin Small-Screen"))
    if address == "/login":
        phone.page.context.clear_cookies()
    phone.page.goto(address)
    assert phone.path == address
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{address} is {width} px wide on a 360 px screen"
    phone.assert_stayed_local()
