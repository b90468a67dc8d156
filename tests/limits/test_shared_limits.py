"""Two real app processes on one database and one Redis: the sign-in limits and the account
lock-out hold for the site as a whole, whichever process takes each attempt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from intranet_social.accounts.service import LOCKOUT_DURATION, LOCKOUT_THRESHOLD
from intranet_social.accounts.views import LOGIN_LIMIT_PER_ACCOUNT, LOGIN_LIMIT_PER_IP
from intranet_social.config import load_config
from intranet_social.core.rate_limits import key_prefix
from tests.limits.conftest import Browser, Serve, Site, free_port, make_site, site_name
from tests.redis_server import answering_redis, delete_keys_under, keys_under

pytestmark = [
    pytest.mark.slow,
    pytest.mark.sqlite(reason="the processes share an SQLite file; Redis is what is tested"),
]

PER_IP = int(LOGIN_LIMIT_PER_IP.split()[0])
PER_ACCOUNT = int(LOGIN_LIMIT_PER_ACCOUNT.split()[0])
WRONG = "not-the-password-1"


@pytest.fixture
def shared_site(tmp_path: Path) -> Iterator[Site]:
    """A site keeping its limits in the test Redis; its keys are deleted afterwards."""
    redis_url = answering_redis()
    site = make_site(tmp_path, site_name(), redis_url)
    prefix = key_prefix(load_config(site.config, environ={}))
    try:
        yield site
    finally:
        delete_keys_under(prefix)
    assert keys_under(prefix) == []


@pytest.fixture
def two_processes(shared_site: Site, serve: Serve) -> tuple[str, str]:
    return serve(shared_site), serve(shared_site)


def retry_after(answer) -> int:
    return int(answer.headers["Retry-After"])


def test_address_limit_counts_the_attempts_of_both_processes_together(two_processes, shared_site):
    first, second = two_processes
    browser = Browser()
    address = "10.9.0.1"

    # Each process takes half the attempts: alone, neither comes near the limit.
    for attempt in range(PER_IP):
        origin = first if attempt % 2 == 0 else second
        answer = browser.login(origin, f"ghost-{attempt}", WRONG, address=address)
        assert answer.status == 422, (attempt, answer.status)

    for origin in (second, first):
        refused = browser.login(origin, "ghost-last", WRONG, address=address)
        assert refused.status == 429
        assert 0 < retry_after(refused) <= 60
        assert "Too many attempts" in refused.body
    # Another address is not held back by this one's attempts.
    assert browser.login(second, "ghost-other", WRONG, address="10.9.0.2").status == 422
    prefix = key_prefix(load_config(shared_site.config, environ={}))
    assert keys_under(prefix), "the limits were not kept in Redis"


def test_account_limit_reached_on_one_process_holds_on_the_other(two_processes):
    first, second = two_processes
    browser = Browser()

    # Every attempt from an address of its own, so only the account's limit counts.
    for attempt in range(PER_ACCOUNT):
        answer = browser.login(first, "ghost.account", WRONG, address=f"10.9.1.{attempt + 1}")
        assert answer.status == 422, (attempt, answer.status)

    refused = browser.login(second, "ghost.account", WRONG, address="10.9.1.200")
    assert refused.status == 429
    assert 0 < retry_after(refused) <= 60
    assert browser.login(second, "ghost.other", WRONG, address="10.9.1.201").status == 422


def test_lock_out_made_through_one_process_is_honoured_by_the_other(two_processes, shared_site):
    first, second = two_processes
    password = shared_site.create_user("lena.locked")
    browser = Browser()

    for attempt in range(LOCKOUT_THRESHOLD):
        origin = first if attempt % 2 == 0 else second
        answer = browser.login(origin, "lena.locked", WRONG, address=f"10.9.2.{attempt + 1}")
        assert answer.status == 422, (attempt, answer.status)

    # The right password, through either process, from a fresh address: still locked.
    for origin, address in ((second, "10.9.2.100"), (first, "10.9.2.101")):
        locked = browser.login(origin, "lena.locked", password, address=address)
        assert locked.status == 429
        # the lock-out's 15 minutes, less the seconds since it began
        assert 0.9 * LOCKOUT_DURATION.total_seconds() < retry_after(locked)
        assert retry_after(locked) <= LOCKOUT_DURATION.total_seconds()
        assert "Too many failed sign-in attempts" in locked.body


def test_without_redis_each_process_still_limits_sign_in_attempts(tmp_path, serve):
    """Redis down (nothing listens on its port): the process counts in its own memory
    instead, answers every request, and refuses the attempt over the limit."""
    site = make_site(tmp_path, site_name(), f"redis://127.0.0.1:{free_port()}/0")
    origin = serve(site)
    browser = Browser()

    for attempt in range(PER_IP):
        answer = browser.login(origin, f"ghost-{attempt}", WRONG, address="10.9.3.1")
        assert answer.status == 422, (attempt, answer.status, answer.body[-300:])

    refused = browser.login(origin, "ghost-last", WRONG, address="10.9.3.1")
    assert refused.status == 429
    assert 0 < retry_after(refused) <= 60
    # The address is the one the proxy passed on, not the proxy's own.
    assert browser.login(origin, "ghost-other", WRONG, address="10.9.3.2").status == 422
    assert browser.request(f"{origin}/healthz", address="10.9.3.1").status == 200
