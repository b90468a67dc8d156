"""The spaces of a synthetic company: one per department, then teams, projects and interest
groups of 10 to 500 people, their members with roles, and the benchmark's readers in exactly
:data:`READER_SPACES` of them.

Rows are plain tuples in the column order of the ``*_COLUMNS`` constants, made in primary-key
order; times are seconds since the epoch, turned into the database's type by the writer.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from intranet_social.devtools.synthetic import DEPARTMENTS

SPACE_COLUMNS = ("id", "slug", "name", "description", "visibility", "created_at", "department")
MEMBER_COLUMNS = ("space_id", "user_id", "role", "joined_at", "muted")

DAY = 86_400.0
#: how many spaces each benchmark reader belongs to (their department's among them)
READER_SPACES = 20
MIN_MEMBERS, MAX_MEMBERS = 10, 500
#: open, closed, secret: the share of each among the spaces that are not a department's
VISIBILITIES = ("open", "closed", "secret")
VISIBILITY_WEIGHTS = (55, 35, 10)
#: a department's space is read by its people and known to everyone
DEPARTMENT_VISIBILITY = "closed"
MUTED_SHARE = 0.05

_INTERESTS = (
    "Running", "Cycling", "Book", "Board games", "Photography", "Chess", "Climbing", "Gardening",
    "Baking", "Football", "Yoga", "Film", "Choir", "Language exchange", "Coffee", "Hiking",
)  # fmt: skip
_TEAM_WORDS = ("Platform", "Core", "North", "South", "Delivery", "Tools", "Quality", "Growth")
_PROJECTS = (
    "Aurora", "Beacon", "Compass", "Delta", "Ember", "Falcon", "Granite", "Harbour", "Iris",
    "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orbit", "Pioneer", "Quartz", "Relay",
)  # fmt: skip

Timestamp = Callable[[float], object]
Row = tuple[object, ...]


@dataclass
class SpacePlan:
    """Who is in which space, for the posts made afterwards."""

    visibility: list[str] = field(default_factory=lambda: [""])  # index = space id
    members: list[list[int]] = field(default_factory=lambda: [[]])
    owners: list[list[int]] = field(default_factory=lambda: [[]])
    #: index = user id: the spaces each person is in
    of_user: list[list[int]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.visibility) - 1

    def is_open(self, space_id: int) -> bool:
        return self.visibility[space_id] == "open"


class SpaceMaker:
    def __init__(self, rng: random.Random, start: float, count: int) -> None:
        self.rng = rng
        #: the first post's time; spaces are made in the month before it
        self.start = start
        self.count = count
        self._slugs: dict[str, int] = {}

    def spaces(
        self,
        departments: list[str],
        joined: list[float],
        readers: list[int],
        timestamp: Timestamp,
    ) -> tuple[SpacePlan, list[Row], list[Row]]:
        """The spaces (a department's first, largest department first) and their members.
        ``departments`` and ``joined`` are indexed by user id (index 0 unused)."""
        rng, users = self.rng, len(departments) - 1
        plan = SpacePlan(of_user=[[] for _ in range(users + 1)])
        people: dict[str, list[int]] = {}
        for user_id in range(1, users + 1):
            people.setdefault(departments[user_id], []).append(user_id)
        reader_set = set(readers)
        others = [user_id for user_id in range(1, users + 1) if user_id not in reader_set]
        colleagues = {
            name: [user_id for user_id in ids if user_id not in reader_set]
            for name, ids in people.items()
        }
        by_size = sorted(people, key=lambda name: (-len(people[name]), name))
        space_rows: list[Row] = []
        member_sets: list[set[int]] = [set()]
        created_at = [0.0]
        for space_id in range(1, self.count + 1):
            created = self.start - rng.random() * 30 * DAY
            created_at.append(created)
            if space_id <= len(by_size):
                department = by_size[space_id - 1]
                name, visibility = department, DEPARTMENT_VISIBILITY
                members = set(people[department])
                description = f"Everyone in {department}: news, plans and questions."
            else:
                department = None
                name, team_of = self._name()
                visibility = rng.choices(VISIBILITIES, weights=VISIBILITY_WEIGHTS)[0]
                members = self._members(others, colleagues.get(team_of or "", []))
                description = f"{name}: for everyone who takes part." if rng.random() < 0.7 else ""
            space_rows.append((space_id, self._slug(name), name, description, visibility,
                               timestamp(created), department))  # fmt: skip
            plan.visibility.append(visibility)
            member_sets.append(members)
        non_department = list(range(len(by_size) + 1, self.count + 1))
        for reader in readers:
            have = sum(1 for members in member_sets if reader in members)
            extra = min(max(0, READER_SPACES - have), len(non_department))
            for space_id in rng.sample(non_department, extra):
                member_sets[space_id].add(reader)
        member_rows: list[Row] = []
        for space_id in range(1, self.count + 1):
            listed = sorted(member_sets[space_id])
            owners, moderators = self._roles(listed, reader_set)
            for user_id in listed:
                role = "member"
                if user_id in owners or user_id in moderators:
                    role = "owner" if user_id in owners else "moderator"
                since = max(created_at[space_id], joined[user_id])
                since += rng.random() * (self.start - since)
                muted = role == "member" and rng.random() < MUTED_SHARE
                member_rows.append((space_id, user_id, role, timestamp(since), muted))
                plan.of_user[user_id].append(space_id)
            plan.members.append(listed)
            plan.owners.append(sorted(owners))
        return plan, space_rows, member_rows

    def _name(self) -> tuple[str, str | None]:
        """A space's name, and the department a team space draws its people from."""
        rng = self.rng
        kind = rng.random()
        if kind < 0.4:
            department = rng.choice(list(DEPARTMENTS))
            return f"{department} {rng.choice(_TEAM_WORDS)}", department
        if kind < 0.7:
            return f"Project {rng.choice(_PROJECTS)}", None
        interest = rng.choice(_INTERESTS)
        return f"{interest} club" if rng.random() < 0.5 else f"{interest} lovers", None

    def _slug(self, name: str) -> str:
        base = "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())
        taken = self._slugs.get(base, 0) + 1
        self._slugs[base] = taken
        return base if taken == 1 else f"{base}-{taken}"

    def _members(self, others: list[int], colleagues: list[int]) -> set[int]:
        """10 to 500 people (fewer in a small company), spread evenly on a log scale; most of a
        team's from its department."""
        rng = self.rng
        wanted = round(math.exp(rng.uniform(math.log(MIN_MEMBERS), math.log(MAX_MEMBERS))))
        wanted = min(wanted, len(others))
        members: set[int] = set()
        while len(members) < wanted:
            if colleagues and rng.random() < 0.7:
                members.add(colleagues[rng.randrange(len(colleagues))])
            else:
                members.add(others[rng.randrange(len(others))])
        return members

    def _roles(self, members: list[int], readers: set[int]) -> tuple[set[int], set[int]]:
        """One owner, two in a space of 50 or more; a moderator per hundred members. The
        benchmark's readers are plain members."""
        rng = self.rng
        eligible = [user_id for user_id in members if user_id not in readers] or members
        owner_count = 2 if len(members) >= 50 else 1
        staff = rng.sample(eligible, min(len(eligible), owner_count + len(members) // 100))
        return set(staff[:owner_count]), set(staff[owner_count:])
