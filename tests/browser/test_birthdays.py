"""Greeting a friend on their birthday in a real browser: the feed's box, the birthdays page,
the greeting on their wall."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from intranet_social.config import load_config
from tests.browser.conftest import ONE_TIME_PASSWORD_RE

pytestmark = pytest.mark.browser


def create_member(server, username: str, name: str, *options: str) -> str:  # type: ignore[no-untyped-def]
    result = server.cli(
        "user", "create", username, "--email", f"{username}@corp.example", "--name", name, *options
    )
    match = ONE_TIME_PASSWORD_RE.search(result.stdout)
    assert match, result.stdout
    return match.group(1)


def log_out(web) -> None:  # type: ignore[no-untyped-def]
    with web.page.expect_navigation():
        web.page.get_by_role("button", name="Log out").click()


def test_friend_greets_a_birthday_from_the_feed(server, web):
    today = datetime.now(load_config(server.config).tz).strftime("%m-%d")
    giver_password = create_member(server, "gina", "Gina Giver")
    host_password = create_member(server, "hal", "Hal Host", "--birthday", f"1990-{today}")
    page = web.page

    gina = web.first_sign_in("gina", giver_password)
    page.goto("/u/hal")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^Add friend\b.*Hal Host")).click()
    log_out(web)
    web.first_sign_in("hal", host_password)
    page.goto("/friends")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^Accept\b.*Gina Giver")).click()
    log_out(web)

    web.log_in("gina", gina)
    assert web.path == "/"
    box = page.get_by_role("region", name="Birthdays today")
    expect(box).to_contain_text("Hal Host")
    greeting = box.get_by_label("Greeting for Hal Host")
    expect(greeting).to_have_value("Happy birthday, Hal!")
    web.assert_accessible()

    greeting.fill("Happy birthday, Hal! Cake in the kitchen at four.")
    with page.expect_navigation():
        box.get_by_role("button", name="Greet Hal").click()
    assert web.path == "/"
    expect(page.get_by_text("Your greeting is on Hal Host's wall.")).to_be_visible()

    page.get_by_role("link", name="Celebrations", exact=True).click()
    page.wait_for_load_state()
    assert web.path == "/birthdays"
    expect(page.get_by_text("You wrote on Hal's wall today.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("1990")
    web.assert_accessible()
    page.get_by_role("link", name="Everyone", exact=True).click()
    page.wait_for_load_state()
    web.assert_accessible()

    page.goto("/u/hal")
    expect(page.get_by_text("Cake in the kitchen at four.")).to_be_visible()
    web.assert_stayed_local()
