"""A small organisation (a chief, two leads, their people) and the API fixtures."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from intranet_social.accounts.models import User
from tests.api.conftest import api_as, documented, error_of, make_token  # noqa: F401


@pytest.fixture
def org(make_user: Callable[..., User]) -> dict[str, User]:
    """chief ← (lead.a ← (dev.one, dev.two), lead.b ← (dev.three)); loner has no manager."""
    people = {"chief": make_user("chief", name="Chris Chief", title="CEO", start_date="2001-05-02")}
    for lead in ("lead.a", "lead.b"):
        people[lead] = make_user(lead, name=f"Lee {lead[-1].upper()}", manager="chief")
    for dev, lead in (("dev.one", "lead.a"), ("dev.two", "lead.a"), ("dev.three", "lead.b")):
        people[dev] = make_user(dev, name=f"Dev {dev[4:].title()}", manager=lead)
    people["loner"] = make_user("loner", name="Lou Loner")
    return people
