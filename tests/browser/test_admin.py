"""Running the site from the admin console in a real browser: approving a registration and
removing a reported post."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

from tests.browser.test_birthdays import create_member, log_out

pytestmark = pytest.mark.browser


def test_admin_approves_a_registration_and_removes_a_reported_post(server, web):
    assert server.cli("settings", "set", "registration", "approval").returncode == 0
    admin_password = create_member(server, "ada.console", "Ada Console", "--admin")
    page = web.page
    password = f"rita-{secrets.token_urlsafe(12)}"

    page.goto("/register")
    web.submit(
        {
            "username": "rita",
            "email": "rita@corp.example",
            "name": "Rita Registers",
            "password": password,
            "password_confirm": password,
        },
        "Create account",
    )
    web.log_in("rita", password)
    assert web.path == "/login"

    admin = web.first_sign_in("ada.console", admin_password)
    page.get_by_role("link", name="Admin", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Admin console")).to_be_visible()
    web.assert_accessible()
    page.goto("/admin/people?status=pending")
    web.assert_accessible()
    with page.expect_navigation():
        page.get_by_role("button", name="Approve rita").click()
    expect(page.get_by_text("rita: active.")).to_be_visible()
    page.goto("/")
    page.get_by_label("What's on your mind?").fill("Quarterly numbers are out")
    page.get_by_label("Who sees it").select_option("everyone")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Post")).click()
    log_out(web)

    web.log_in("rita", password)
    assert web.path == "/"
    page.goto("/u/ada.console")
    expect(page.get_by_text("Quarterly numbers are out")).to_be_visible()
    page.get_by_role("link", name="Report this post").click()
    page.wait_for_load_state()
    web.assert_accessible()
    page.get_by_label("Why do you report this?").fill("Leaks internal numbers")
    with page.expect_navigation():
        page.get_by_role("button", name="Send report").click()
    log_out(web)

    web.log_in("ada.console", admin)
    page.goto("/admin/reports")
    expect(page.get_by_text("Leaks internal numbers")).to_be_visible()
    web.assert_accessible()
    with page.expect_navigation():
        page.get_by_role("button", name="Remove the post").click()
    expect(page.locator("main")).not_to_contain_text("Leaks internal numbers")
    page.goto("/")
    expect(page.locator("main")).not_to_contain_text("Quarterly numbers are out")
    web.assert_stayed_local()
