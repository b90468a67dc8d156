"""The rows of a synthetic company: people, friendships, spaces, posts, likes, comments and
acknowledged must-read posts.

Rows are plain tuples in the column order of the ``*_COLUMNS`` constants, made in primary-key
order so the database appends to its indexes. Times are seconds since the epoch (UTC); the
writer turns them into the database's timestamp type. Post ids increase with their times, and
every post's ``like_count`` and ``comment_count`` equal the likes and comments made for it.

The first members (user ids 2 on, :attr:`SeedSize.readers` of them), whom ``scripts/bench``
signs in as, are the benchmark's readers: each has exactly ``friends`` friends (none of them
another reader) and is in exactly :data:`~intranet_social.devtools.spaces.READER_SPACES`
spaces, so every reader measured stands where the speed targets are set.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from intranet_social.devtools.spaces import SpaceMaker, SpacePlan
from intranet_social.devtools.synthetic import (
    ANNOUNCEMENTS,
    MUST_READS,
    SPACE_MUST_READS,
    PeopleMaker,
    TextMaker,
)

DAY = 86_400.0
ADMIN_ID = 1
ADMIN_USERNAME = "site.admin"
MAX_WEIGHT = 20.0
#: the share of posts written in a space
SPACE_SHARE = 0.3
#: the share of the other posts written on a friend's wall
WALL_SHARE = 0.05
#: at most this many benchmark readers (``scripts/bench --people`` signs in up to 16)
MAX_READERS = 16
#: the share of a must-read post's readers who have acknowledged it
ACKNOWLEDGED_SHARE = 0.6

USER_COLUMNS = (
    "id", "username", "email", "name", "password_hash", "must_change_password",
    "password_set_at", "role", "status", "department", "title", "birthday_month",
    "birthday_day", "birth_year", "location", "phone", "bio", "created_at", "failed_logins",
)  # fmt: skip
FRIENDSHIP_COLUMNS = ("user_id", "friend_id", "created_at")
POST_COLUMNS = (
    "id", "author_id", "wall_id", "body", "audience", "created_at", "pinned", "like_count",
    "comment_count", "space_id", "must_read",
)  # fmt: skip
LIKE_COLUMNS = ("post_id", "user_id", "created_at")
COMMENT_COLUMNS = ("id", "post_id", "author_id", "body", "created_at", "like_count")
ACKNOWLEDGEMENT_COLUMNS = ("post_id", "user_id", "acknowledged_at")

Timestamp = Callable[[float], object]
#: one table row, its values in the order of that table's ``*_COLUMNS``
Row = tuple[object, ...]


class SeedError(Exception):
    """Sizes that cannot make a company, or a database the seed must not touch."""


@dataclass(frozen=True)
class SeedSize:
    users: int = 10_000
    friends: int = 100
    posts: int = 1_000_000
    likes: int = 3_000_000
    comments: int = 1_000_000
    #: how many days the posts are spread over, ending now
    days: int = 730
    #: a department's space for each department (largest first), then teams, projects, clubs
    spaces: int = 300

    def check(self) -> None:
        if self.users < 2:
            raise SeedError("--users must be at least 2 (one admin and one member)")
        if min(self.friends, self.posts, self.likes, self.comments) < 0:
            raise SeedError("--friends, --posts, --likes and --comments cannot be negative")
        if self.friends > self.users - 1:
            raise SeedError(f"--friends can be at most {self.users - 1} with {self.users} users")
        if self.likes > self.posts * (self.users - 1):
            raise SeedError(
                "--likes can be at most posts x (users - 1): one like per person per post, "
                "and nobody likes their own post here"
            )
        if self.days < 1:
            raise SeedError("--days must be at least 1")
        if self.spaces < 0:
            raise SeedError("--spaces cannot be negative")

    @property
    def friendships(self) -> int:
        """Friendships (pairs of people); each is stored as two rows."""
        return self.users * self.friends // 2

    @property
    def readers(self) -> int:
        """How many benchmark readers (user ids 2 on) get exactly ``friends`` friends, all
        among the other people: one per ten people, at most :data:`MAX_READERS`."""
        return max(0, min(MAX_READERS, self.users // 10, self.users - self.friends))


@dataclass
class Company:
    """What the later phases need to know about the people already made."""

    usernames: list[str]  # index = user id (index 0 unused)
    departments: list[str]
    joined: list[float]
    activity: list[float]  # how much each person posts
    popularity: list[float]  # how much their posts are liked and commented
    friends: list[list[int]] = dataclasses.field(default_factory=list)
    #: the benchmark's readers' user ids
    readers: list[int] = dataclasses.field(default_factory=list)
    spaces: SpacePlan = dataclasses.field(default_factory=SpacePlan)


class CompanyMaker:
    def __init__(self, size: SeedSize, rng: random.Random, now: float) -> None:
        self.size = size
        self.rng = rng
        self.now = now
        #: the first post; people joined in the year before it
        self.start = now - size.days * DAY
        self.text = TextMaker(rng)

    def people(self, password_hash: str, timestamp: Timestamp) -> tuple[Company, list[Row]]:
        rng = self.rng
        maker = PeopleMaker(rng)
        maker.unique_username(ADMIN_USERNAME)
        company = Company(usernames=[""], departments=[""], joined=[0.0], activity=[0.0],
                          popularity=[0.0])  # fmt: skip
        company.readers = list(range(ADMIN_ID + 1, ADMIN_ID + 1 + self.size.readers))
        rows: list[Row] = []
        for user_id in range(1, self.size.users + 1):
            person = maker.person("IT" if user_id == ADMIN_ID else None)
            role = "member"
            if user_id == ADMIN_ID:
                person = dataclasses.replace(
                    person,
                    username=ADMIN_USERNAME,
                    email=f"{ADMIN_USERNAME}@{maker.email_domain}",
                    name="Site Admin",
                    title="Systems Administrator",
                )
                role = "admin"
            joined = self.start - DAY - rng.random() * 365 * DAY
            company.usernames.append(person.username)
            company.departments.append(person.department)
            company.joined.append(joined)
            # Some people post and are liked far more than others, within reason.
            activity = min(MAX_WEIGHT, rng.paretovariate(1.6))
            company.activity.append(0.05 if role == "admin" else activity)
            company.popularity.append(min(MAX_WEIGHT, rng.paretovariate(2.0)))
            stamp = timestamp(joined)
            rows.append((
                user_id, person.username, person.email, person.name, password_hash, False, stamp,
                role, "active", person.department, person.title, person.birthday_month,
                person.birthday_day, person.birth_year, person.location, person.phone,
                person.bio, stamp, 0,
            ))  # fmt: skip
        return company, rows

    def friendships(self, company: Company, timestamp: Timestamp) -> list[Row]:
        """Two rows per friendship; about 60% of friends are in the same department. Each
        benchmark reader gets exactly ``friends`` friends first, then the others share the
        rest at random."""
        rng, users = self.rng, self.size.users
        readers = set(company.readers)
        others = [user_id for user_id in range(1, users + 1) if user_id not in readers]
        colleagues: dict[str, list[int]] = {}
        for user_id in others:
            colleagues.setdefault(company.departments[user_id], []).append(user_id)
        pairs: list[tuple[int, int]] = []
        for reader in company.readers:
            mine = colleagues.get(company.departments[reader], [])
            chosen: set[int] = set()
            while len(chosen) < self.size.friends:
                pool = mine if mine and rng.random() < 0.6 else others
                chosen.add(pool[rng.randrange(len(pool))])
            pairs.extend((min(reader, v), max(reader, v)) for v in sorted(chosen))
        target = self.size.friendships - len(pairs)
        if 2 * target > len(others) * (len(others) - 1) // 2:
            pairs += rng.sample(list(itertools.combinations(others, 2)), target)
        else:
            seen: set[tuple[int, int]] = set()
            while len(pairs) < self.size.friendships:
                u = others[rng.randrange(len(others))]
                if rng.random() < 0.6:
                    v = rng.choice(colleagues[company.departments[u]])
                else:
                    v = others[rng.randrange(len(others))]
                pair = (u, v) if u < v else (v, u)
                if u != v and pair not in seen:
                    seen.add(pair)
                    pairs.append(pair)
        company.friends = [[] for _ in range(users + 1)]
        since: dict[tuple[int, int], float] = {}
        for u, v in pairs:
            company.friends[u].append(v)
            company.friends[v].append(u)
            earliest = max(company.joined[u], company.joined[v])
            since[(u, v)] = earliest + rng.random() * (self.start - earliest)
        rows: list[Row] = []
        for u in range(1, users + 1):
            company.friends[u].sort()
            for v in company.friends[u]:
                rows.append((u, v, timestamp(since[(u, v) if u < v else (v, u)])))
        return rows

    def spaces(self, company: Company, timestamp: Timestamp) -> tuple[list[Row], list[Row]]:
        """The spaces' rows and their members' (the plan is kept in ``company``)."""
        maker = SpaceMaker(self.rng, self.start, self.size.spaces)
        company.spaces, spaces, members = maker.spaces(
            company.departments, company.joined, company.readers, timestamp
        )
        return spaces, members

    def post_plan(self, company: Company) -> PostPlan:
        """Authors, walls, spaces and like/comment counts of every post, before any row is
        made: about 30% in a space their author is in, 5% of the rest on a friend's wall."""
        rng, count = self.rng, self.size.posts
        ids = range(1, self.size.users + 1)
        authors = rng.choices(ids, weights=company.activity[1:], k=count)
        walls = list(authors)
        spaces = [0] * count
        of_user = company.spaces.of_user
        for index in range(count):
            author = authors[index]
            if of_user and of_user[author] and rng.random() < SPACE_SHARE:
                spaces[index] = of_user[author][rng.randrange(len(of_user[author]))]
                continue
            friends = company.friends[author]
            if friends and rng.random() < WALL_SHARE:
                walls[index] = friends[rng.randrange(len(friends))]
        announcements = {count - 1 - k * max(1, count // 50): k for k in range(min(3, count))}
        for index in announcements:
            authors[index] = walls[index] = ADMIN_ID
            spaces[index] = 0
        must_reads = self._must_reads(company, announcements, authors, walls, spaces)
        weights = list(itertools.accumulate(company.popularity[a] for a in authors))
        plan = PostPlan(
            authors=authors,
            walls=walls,
            announcements=announcements,
            like_counts=spread(self.size.likes, weights, rng, cap=self.size.users - 1),
            comment_counts=spread(self.size.comments, weights, rng),
            spaces=spaces,
            must_reads=must_reads,
        )
        _fit_likes_to_spaces(plan, company.spaces)
        return plan

    def _must_reads(
        self, company: Company, announcements: dict[int, int], authors: list[int],
        walls: list[int], spaces: list[int],
    ) -> dict[int, str]:  # fmt: skip
        """A few recent must-read posts: the admin's to everyone, then a space owner's in
        each of a few of the first benchmark reader's spaces (any spaces without readers)."""
        rng, count = self.rng, self.size.posts
        plan = company.spaces
        spaces_of_reader = plan.of_user[company.readers[0]] if company.readers else []
        candidates = spaces_of_reader or list(range(1, plan.count + 1))
        chosen: dict[int, str] = {}
        step = max(1, count // 97)
        index = count - 1
        for text in (*MUST_READS, *SPACE_MUST_READS):
            index -= step
            while index in announcements:
                index -= 1
            if index < 0:
                break
            space = 0
            author = ADMIN_ID
            if text in SPACE_MUST_READS:
                if not candidates:
                    break
                space = candidates[rng.randrange(len(candidates))]
                author = plan.owners[space][rng.randrange(len(plan.owners[space]))]
            authors[index] = walls[index] = author
            spaces[index] = space
            chosen[index] = text
        return chosen

    def post_rows(
        self, company: Company, plan: PostPlan, first: int, stop: int, timestamp: Timestamp,
        next_comment_id: int,
    ) -> PostRows:  # fmt: skip
        """Rows for the posts with index ``first`` to ``stop`` (ids ``first + 1`` on). A
        space post's likes and comments come from its members (and, in an open space, a
        few from anyone); a must-read's acknowledgements from the people it is for."""
        rng, users, now = self.rng, self.size.users, self.now
        step = (now - 60 - self.start) / max(1, self.size.posts)
        rows = PostRows()
        for index in range(first, stop):
            post_id = index + 1
            author, wall, space = plan.authors[index], plan.walls[index], plan.spaces[index]
            # whom the likes and comments come from, and whether anyone else may add some
            circle = company.spaces.members[space] if space else company.friends[author]
            strangers = not space or company.spaces.is_open(space)
            created = self.start + (index + 0.1 + 0.8 * rng.random()) * step
            window = min(3 * DAY, now - created)
            like_count, comment_count = plan.like_counts[index], plan.comment_counts[index]
            pinned = must_read = False
            if index in plan.announcements:
                body, audience, pinned = ANNOUNCEMENTS[plan.announcements[index]], "everyone", True
            elif index in plan.must_reads:
                body, must_read = plan.must_reads[index], True
                audience = "space" if space else "everyone"
            else:
                mention = None
                if circle and rng.random() < 0.1:
                    mention = company.usernames[circle[rng.randrange(len(circle))]]
                body = self.text.post(mention)
                audience = "friends" if wall != author or rng.random() < 0.7 else "everyone"
                audience = "space" if space else audience
            rows.posts.append((post_id, author, wall, body, audience, timestamp(created), pinned,
                               like_count, comment_count, space or None, must_read))  # fmt: skip
            for liker in sorted(self._likers(author, circle, like_count, strangers)):
                rows.likes.append((post_id, liker, timestamp(created + rng.random() * window)))
            for moment in sorted(created + rng.random() * window for _ in range(comment_count)):
                if circle and (rng.random() < 0.7 or not strangers):
                    commenter = circle[rng.randrange(len(circle))]
                elif rng.random() < 0.3:
                    commenter = author
                else:
                    commenter = rng.randint(1, users)
                rows.comments.append((next_comment_id, post_id, commenter, self.text.comment(),
                                      timestamp(moment), 0))  # fmt: skip
                next_comment_id += 1
            if must_read:
                readers = circle if space else range(1, users + 1)
                rows.acknowledgements.extend(
                    (post_id, reader, timestamp(created + rng.random() * window))
                    for reader in readers
                    if reader != author and rng.random() < ACKNOWLEDGED_SHARE
                )
        return rows

    def _likers(self, author: int, circle: list[int], count: int, strangers: bool) -> set[int]:
        """``count`` different people other than the author, mostly (or, without
        ``strangers``, only) from ``circle``: the author's friends, or the space's members."""
        rng, users = self.rng, self.size.users
        chosen: set[int] = set()
        while len(chosen) < count:
            if circle and (not strangers or rng.random() < 0.8):
                liker = circle[rng.randrange(len(circle))]
            else:
                liker = rng.randint(1, users)
            if liker != author:
                chosen.add(liker)
        return chosen


@dataclass
class PostRows:
    posts: list[Row] = dataclasses.field(default_factory=list)
    likes: list[Row] = dataclasses.field(default_factory=list)
    comments: list[Row] = dataclasses.field(default_factory=list)
    acknowledgements: list[Row] = dataclasses.field(default_factory=list)


@dataclass
class PostPlan:
    authors: list[int]
    walls: list[int]
    announcements: dict[int, int]  # post index -> which announcement text
    like_counts: list[int]
    comment_counts: list[int]
    spaces: list[int]  # post index -> its space's id, 0 for none
    must_reads: dict[int, str]  # post index -> the must-read's text


def _fit_likes_to_spaces(plan: PostPlan, spaces: SpacePlan) -> None:
    """A post in a closed or secret space is liked by its members only: one with more likes
    than the space has other members swaps its count with the nearest post outside a space
    (or, when there is none, leaves its space)."""
    outside = [index for index, space in enumerate(plan.spaces) if not space]
    for index, space in enumerate(plan.spaces):
        if not space or spaces.is_open(space):
            continue
        room = len(spaces.members[space]) - 1
        if plan.like_counts[index] <= room:
            continue
        found = bisect.bisect_left(outside, index)
        partners = [i for i in outside[max(0, found - 50) : found + 50]
                    if plan.like_counts[i] <= room]  # fmt: skip
        if partners:
            other = min(partners, key=lambda i: abs(i - index))
            plan.like_counts[index], plan.like_counts[other] = (
                plan.like_counts[other],
                plan.like_counts[index],
            )
        else:
            plan.spaces[index] = 0
            if index in plan.must_reads:  # only admins write must-reads outside a space
                plan.authors[index] = plan.walls[index] = ADMIN_ID


def spread(
    total: int, cum_weights: list[float], rng: random.Random, cap: int | None = None
) -> list[int]:
    """Share ``total`` among ``len(cum_weights)`` slots in proportion to their weights, no slot
    above ``cap``."""
    slots = len(cum_weights)
    counts = [0] * slots
    if not slots:
        return counts
    remaining = total
    for _ in range(20):
        if not remaining:
            break
        placed = 0
        for batch in _batches(remaining, 100_000):
            for slot in rng.choices(range(slots), cum_weights=cum_weights, k=batch):
                if cap is None or counts[slot] < cap:
                    counts[slot] += 1
                    placed += 1
        remaining -= placed
    for slot in range(slots):  # only when the slots are nearly full: fill them in order
        if not remaining:
            break
        room = remaining if cap is None else cap - counts[slot]
        extra = min(remaining, room)
        counts[slot] += extra
        remaining -= extra
    return counts


def _batches(total: int, size: int) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size
