"""The rows of a synthetic company: people, friendships, posts, likes and comments.

Rows are plain tuples in the column order of the ``*_COLUMNS`` constants, made in primary-key
order so the database appends to its indexes. Times are seconds since the epoch (UTC); the
writer turns them into the database's timestamp type. Post ids increase with their times, and
every post's ``like_count`` and ``comment_count`` equal the likes and comments made for it.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from intranet_social.devtools.synthetic import ANNOUNCEMENTS, PeopleMaker, TextMaker

DAY = 86_400.0
ADMIN_ID = 1
ADMIN_USERNAME = "site.admin"
MAX_WEIGHT = 20.0

USER_COLUMNS = (
    "id", "username", "email", "name", "password_hash", "must_change_password",
    "password_set_at", "role", "status", "department", "title", "birthday_month",
    "birthday_day", "birth_year", "location", "phone", "bio", "created_at", "failed_logins",
)  # fmt: skip
FRIENDSHIP_COLUMNS = ("user_id", "friend_id", "created_at")
POST_COLUMNS = (
    "id", "author_id", "wall_id", "body", "audience", "created_at", "pinned", "like_count",
    "comment_count",
)  # fmt: skip
LIKE_COLUMNS = ("post_id", "user_id", "created_at")
COMMENT_COLUMNS = ("id", "post_id", "author_id", "body", "created_at", "like_count")

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

    @property
    def friendships(self) -> int:
        """Friendships (pairs of people); each is stored as two rows."""
        return self.users * self.friends // 2


@dataclass
class Company:
    """What the later phases need to know about the people already made."""

    usernames: list[str]  # index = user id (index 0 unused)
    departments: list[str]
    joined: list[float]
    activity: list[float]  # how much each person posts
    popularity: list[float]  # how much their posts are liked and commented
    friends: list[list[int]] = dataclasses.field(default_factory=list)


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
        """Two rows per friendship; about 60% of friends are in the same department."""
        rng, users = self.rng, self.size.users
        target = self.size.friendships
        pairs: list[tuple[int, int]]
        if 2 * target > users * (users - 1) // 2:
            pairs = rng.sample(list(itertools.combinations(range(1, users + 1), 2)), target)
        else:
            colleagues: dict[str, list[int]] = {}
            for user_id in range(1, users + 1):
                colleagues.setdefault(company.departments[user_id], []).append(user_id)
            seen: set[tuple[int, int]] = set()
            pairs = []
            while len(pairs) < target:
                u = rng.randint(1, users)
                if rng.random() < 0.6:
                    v = rng.choice(colleagues[company.departments[u]])
                else:
                    v = rng.randint(1, users)
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

    def post_plan(self, company: Company) -> PostPlan:
        """Authors, walls and like/comment counts of every post, before any row is made."""
        rng, count = self.rng, self.size.posts
        ids = range(1, self.size.users + 1)
        authors = rng.choices(ids, weights=company.activity[1:], k=count)
        walls = list(authors)
        for index in range(count):
            friends = company.friends[authors[index]]
            if friends and rng.random() < 0.05:
                walls[index] = friends[rng.randrange(len(friends))]
        announcements = {count - 1 - k * max(1, count // 50): k for k in range(min(3, count))}
        for index in announcements:
            authors[index] = walls[index] = ADMIN_ID
        weights = list(itertools.accumulate(company.popularity[a] for a in authors))
        return PostPlan(
            authors=authors,
            walls=walls,
            announcements=announcements,
            like_counts=spread(self.size.likes, weights, rng, cap=self.size.users - 1),
            comment_counts=spread(self.size.comments, weights, rng),
        )

    def post_rows(
        self, company: Company, plan: PostPlan, first: int, stop: int, timestamp: Timestamp,
        next_comment_id: int,
    ) -> tuple[list[Row], list[Row], list[Row]]:  # fmt: skip
        """Rows for the posts with index ``first`` to ``stop`` (ids ``first + 1`` on)."""
        rng, users, now = self.rng, self.size.users, self.now
        step = (now - 60 - self.start) / max(1, self.size.posts)
        posts: list[Row] = []
        likes: list[Row] = []
        comments: list[Row] = []
        for index in range(first, stop):
            post_id = index + 1
            author, wall = plan.authors[index], plan.walls[index]
            friends = company.friends[author]
            created = self.start + (index + 0.1 + 0.8 * rng.random()) * step
            window = min(3 * DAY, now - created)
            like_count, comment_count = plan.like_counts[index], plan.comment_counts[index]
            if index in plan.announcements:
                body, audience, pinned = ANNOUNCEMENTS[plan.announcements[index]], "everyone", True
            else:
                mention = None
                if friends and rng.random() < 0.1:
                    mention = company.usernames[friends[rng.randrange(len(friends))]]
                body = self.text.post(mention)
                audience = "friends" if wall != author or rng.random() < 0.7 else "everyone"
                pinned = False
            posts.append((post_id, author, wall, body, audience, timestamp(created), pinned,
                          like_count, comment_count))  # fmt: skip
            for liker in sorted(self._likers(author, friends, like_count)):
                likes.append((post_id, liker, timestamp(created + rng.random() * window)))
            for moment in sorted(created + rng.random() * window for _ in range(comment_count)):
                if friends and rng.random() < 0.7:
                    commenter = friends[rng.randrange(len(friends))]
                elif rng.random() < 0.3:
                    commenter = author
                else:
                    commenter = rng.randint(1, users)
                comments.append((next_comment_id, post_id, commenter, self.text.comment(),
                                 timestamp(moment), 0))  # fmt: skip
                next_comment_id += 1
        return posts, likes, comments

    def _likers(self, author: int, friends: list[int], count: int) -> set[int]:
        """``count`` different people other than the author, mostly the author's friends."""
        rng, users = self.rng, self.size.users
        chosen: set[int] = set()
        while len(chosen) < count:
            if friends and rng.random() < 0.8:
                liker = friends[rng.randrange(len(friends))]
            else:
                liker = rng.randint(1, users)
            if liker != author:
                chosen.add(liker)
        return chosen


@dataclass
class PostPlan:
    authors: list[int]
    walls: list[int]
    announcements: dict[int, int]  # post index -> which announcement text
    like_counts: list[int]
    comment_counts: list[int]


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
