"""The site under load: a database (SQLite in WAL mode, or PostgreSQL), one media folder, and
32 friends with write tokens, a post each and shared conversations, made before any app
process starts. The PostgreSQL variant takes its database from the shared ``postgres_url``
fixture, so it skips when no server answers, except under ``CI=true``."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from intranet_social import create_app
from intranet_social.accounts import service as accounts
from intranet_social.accounts import tokens
from intranet_social.accounts.models import TokenScope
from intranet_social.config import load_config
from intranet_social.extensions import db
from intranet_social.friends.models import Friendship
from intranet_social.messaging import groups
from intranet_social.messaging import service as messaging
from intranet_social.posts import service as posts
from tests.conftest import STRONG_PASSWORD, write_config
from tests.durability.clients import Person

PEOPLE = 32
GROUP_SIZE = 8


@dataclass(frozen=True)
class LoadSite:
    backend: str
    config_file: Path
    folder: Path
    media: Path
    people: tuple[Person, ...]
    first_posts: tuple[int, ...]


@pytest.fixture(
    params=[
        pytest.param("sqlite", marks=pytest.mark.sqlite(reason="two processes on SQLite in WAL")),
        pytest.param("postgres", marks=pytest.mark.postgres),
    ]
)
def load_site(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_db: Path
) -> Iterator[LoadSite]:
    if request.param == "sqlite":
        shutil.copyfile(migrated_db, tmp_path / "social.db")
        url = "sqlite:///social.db"
    else:
        url = request.getfixturevalue("postgres_url")
    config_file = write_config(tmp_path, database={"url": url}, media={"dir": "media"})
    people, first_posts = _populate(config_file)
    yield LoadSite(request.param, config_file, tmp_path, tmp_path / "media", people, first_posts)


def _populate(config_file: Path) -> tuple[tuple[Person, ...], tuple[int, ...]]:
    """Everyone befriends everyone, holds a write token and has written one post; each person
    is in a one-to-one conversation with the next, a group of eight and an all-hands group."""
    app = create_app(load_config(config_file))
    with app.app_context():
        users = [
            accounts.create_user(
                f"load{number:02d}",
                f"load{number:02d}@corp.example",
                f"Load Person {number}",
                password=STRONG_PASSWORD,
            ).user
            for number in range(PEOPLE)
        ]
        db.session.add_all(
            Friendship(user_id=a.id, friend_id=b.id) for a in users for b in users if a is not b
        )
        db.session.flush()
        secrets = [
            tokens.create_token(user, name="load", scope=TokenScope.WRITE).secret for user in users
        ]
        everyone = groups.create_group(users[0], [u.username for u in users], "All hands")
        teams = [
            groups.create_group(
                users[start], [u.username for u in users[start : start + GROUP_SIZE]], "Team"
            )
            for start in range(0, PEOPLE, GROUP_SIZE)
        ]
        pairs = [
            messaging.open_direct(user, users[(index + 1) % PEOPLE].username)
            for index, user in enumerate(users)
        ]
        first_posts = tuple(
            posts.create_post(user, f"Hello from {user.name}", audience="everyone").id
            for user in users
        )
        people = tuple(
            Person(
                user.id,
                user.username,
                secret,
                (everyone.id, teams[index // GROUP_SIZE].id, pairs[index].id, pairs[index - 1].id),
            )
            for index, (user, secret) in enumerate(zip(users, secrets, strict=True))
        )
        db.session.commit()
        if db.engine.dialect.name == "sqlite":
            assert db.session.scalar(text("PRAGMA journal_mode")) == "wal"
        db.session.remove()
        db.engine.dispose()
    return people, first_posts
