"""The org chart as pages show it: trees of people, a person's chain of command and reports.

The rules for setting a manager are in :mod:`intranet_social.accounts.organisation`; this
module only reads. A tree is read level by level (one query per level, however wide), down
to a fixed depth; deeper people are reached from their own page, ``/org/<username>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from intranet_social.accounts import organisation
from intranet_social.accounts.models import User
from intranet_social.core.errors import NotFound
from intranet_social.extensions import db
from intranet_social.friends.cards import PersonRef
from intranet_social.media.avatars import SMALL_AVATAR, avatar_url

#: how many levels a chart page shows below its top people
CHART_DEPTH = 3


@dataclass(frozen=True)
class OrgNode:
    """One person in a chart, with the reports shown below them."""

    person: PersonRef
    title: str
    department: str
    #: how many people report to them directly
    report_count: int
    #: their reports as far as the page goes (empty below the page's depth)
    reports: list[OrgNode]

    @property
    def more(self) -> bool:
        """Whether they have reports the page does not show (found on their own page)."""
        return self.report_count > 0 and not self.reports


@dataclass(frozen=True)
class OrgPlace:
    """Where a person stands: above them (nearest first) and their direct reports."""

    chain: list[PersonRef]
    reports: list[PersonRef]

    @property
    def manager(self) -> PersonRef | None:
        return self.chain[0] if self.chain else None


def person_ref(user: User) -> PersonRef:
    return PersonRef(user.username, user.name, avatar_url(user, SMALL_AVATAR))


def person_named(username: str) -> User:
    """An active person, or 404."""
    user = db.session.scalar(select(User).where(User.username == (username or "").lower()))
    if user is None or not user.is_active:
        raise NotFound(f"No one called {username!r} works here.", "username")
    return user


def place_of(user: User) -> OrgPlace:
    """The person's chain of command and direct reports (for their profile page)."""
    chain = organisation.people_by_ids(organisation.chain_ids(user.id))
    reports = organisation.direct_reports([user.id])[user.id]
    return OrgPlace([person_ref(p) for p in chain], [person_ref(p) for p in reports])


def chart(tops: list[User], depth: int = CHART_DEPTH) -> list[OrgNode]:
    """Trees starting from ``tops``, ``depth`` levels deep (``tops`` being the first)."""
    levels: list[list[User]] = [tops]
    below: dict[int, list[User]] = {}
    while len(levels) < depth and levels[-1]:
        reports = organisation.direct_reports(user.id for user in levels[-1])
        below.update(reports)
        levels.append([person for people in reports.values() for person in people])
    counts = organisation.report_counts(user.id for user in levels[-1])
    counts.update({manager: len(people) for manager, people in below.items()})

    def node(user: User) -> OrgNode:
        return OrgNode(
            person=person_ref(user),
            title=user.title,
            department=user.department,
            report_count=counts.get(user.id, 0),
            reports=[node(report) for report in below.get(user.id, [])],
        )

    return [node(user) for user in tops]


def top_chart() -> list[OrgNode]:
    """The whole organisation from the people with no manager."""
    return chart(organisation.top_of_organisation())


def person_chart(user: User) -> tuple[list[PersonRef], OrgNode]:
    """A person's chain of command (top first, for a trail) and the tree below them."""
    chain = organisation.people_by_ids(organisation.chain_ids(user.id))
    return [person_ref(p) for p in reversed(chain)], chart([user])[0]


def direct_reports_of(user: User) -> list[User]:
    return organisation.direct_reports([user.id])[user.id]
