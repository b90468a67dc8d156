"""The site under benchmark: its configuration, a few facts from its database, the real
server as a child process, and its peak memory."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from intranet_social import create_app
from intranet_social.accounts.models import Role, Status, User
from intranet_social.config import Config, load_config
from intranet_social.devtools.load import LOOPBACK, Connection
from intranet_social.extensions import db
from intranet_social.friends.models import Friendship
from intranet_social.posts.models import Post
from intranet_social.spaces.models import Space, SpaceMember

START_TIMEOUT = 60.0
LOCAL_HOSTS = ("127.0.0.1", "::1", "localhost")
STOP_TIMEOUT = 15.0


class BenchError(Exception):
    """The benchmark cannot run; the message says why."""


@dataclass(frozen=True)
class Person:
    """Someone the benchmark signs in as, and how they stand."""

    username: str
    #: whose profile page they open
    profile: str
    #: the slug of the space with the most posts among theirs (``None``: in no space)
    space: str | None
    friends: int
    spaces: int


@dataclass(frozen=True)
class SiteFacts:
    people: list[Person]
    users: int
    posts: int


@dataclass(frozen=True)
class BenchSite:
    config_file: Path
    config: Config
    workdir: Path

    def facts(self, usernames: list[str], people: int, profile: str | None) -> SiteFacts:
        """Counts, and who signs in: ``usernames``, else the first ``people`` members (on a
        seeded database, its benchmark readers); each opens ``profile``, else their own first
        friend's, and the busiest of their spaces."""
        app = create_app(self.config)
        with app.app_context():
            try:
                users = db.session.scalar(select(func.count()).select_from(User)) or 0
                posts = db.session.scalar(select(func.count()).select_from(Post)) or 0
                if not usernames:
                    usernames = list(
                        db.session.scalars(
                            select(User.username)
                            .where(User.role == Role.MEMBER, User.status == Status.ACTIVE)
                            .order_by(User.id)
                            .limit(people)
                        )
                    )
                if not usernames:
                    raise BenchError("the database has no active member; run scripts/seed first")
                found = [_person(name, profile) for name in usernames]
            except SQLAlchemyError as exc:
                cause = exc.orig if isinstance(exc, DBAPIError) else exc
                raise BenchError(f"cannot read the database: {cause or exc}") from None
            finally:
                db.session.remove()
                db.engine.dispose()
        return SiteFacts(found, users, posts)

    def command(self, *args: str) -> list[str]:
        return [_site_command(), *args, "--config", str(self.config_file)]


def _person(username: str, profile: str | None) -> Person:
    """``username``, their first friend (themselves when friendless), the space of theirs
    with the most posts, and how many friends and spaces they have."""
    user_id = db.session.scalar(select(User.id).where(User.username == username.lower()))
    if user_id is None:
        raise BenchError(f"there is nobody called {username!r} in the database")
    friend = db.session.scalar(
        select(User.username)
        .join(Friendship, Friendship.friend_id == User.id)
        .where(Friendship.user_id == user_id)
        .order_by(Friendship.friend_id)
        .limit(1)
    )
    friends = db.session.scalar(
        select(func.count()).select_from(Friendship).where(Friendship.user_id == user_id)
    )
    spaces = db.session.scalar(
        select(func.count()).select_from(SpaceMember).where(SpaceMember.user_id == user_id)
    )
    busiest = db.session.scalar(
        select(Space.slug)
        .join(SpaceMember, SpaceMember.space_id == Space.id)
        .outerjoin(Post, Post.space_id == Space.id)
        .where(SpaceMember.user_id == user_id)
        .group_by(Space.id, Space.slug)
        .order_by(func.count(Post.id).desc(), Space.id)
        .limit(1)
    )
    return Person(username, profile or friend or username, busiest, friends or 0, spaces or 0)


def _site_command() -> str:
    beside = Path(sys.executable).parent / "intranet-social"
    found = str(beside) if beside.exists() else shutil.which("intranet-social")
    if found is None:
        raise BenchError("the intranet-social command is not installed (run ./install.sh)")
    return found


@contextmanager
def bench_site(config_path: Path | None, database_url: str | None) -> Iterator[BenchSite]:
    """The site to measure: the given config file, or a throw-away one around
    ``database_url`` in a temporary folder (removed afterwards)."""
    if (config_path is None) == (database_url is None):
        raise BenchError("give either --config PATH or --database URL")
    with tempfile.TemporaryDirectory(prefix="intranet-social-bench-") as folder:
        workdir = Path(folder)
        if config_path is None:
            assert database_url is not None
            config_path = _write_config(workdir, database_url)
        yield BenchSite(config_path.resolve(), load_config(config_path), workdir)


def _write_config(folder: Path, database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).is_absolute():
        database_url = url.set(database=str(Path(url.database).resolve())).render_as_string(False)
    sections: dict[str, dict[str, object]] = {
        "site": {"name": "Benchmark", "hostnames": []},
        "database": {"url": database_url},
        "media": {"dir": str(folder / "media")},
        "security": {"secret_key": secrets.token_hex(32)},
    }
    lines = []
    for section, keys in sections.items():
        lines.append(f"[{section}]")
        lines.extend(f"{key} = {json.dumps(value)}" for key, value in keys.items())
    path = folder / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Server:
    """``intranet-social serve`` on a free loopback port, stopped on exit."""

    def __init__(self, site: BenchSite, threads: int) -> None:
        self.site = site
        self.threads = threads
        self.port = _free_port()
        hostnames = site.config.site.hostnames
        self.host = hostnames[0] if hostnames else f"{LOOPBACK}:{self.port}"
        self.log_path = site.workdir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        listen = f"{LOOPBACK}:{self.port}"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.site.command("serve", "--listen", listen, "--threads", str(self.threads)),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_healthy()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _wait_until_healthy(self) -> None:
        assert self.process is not None
        connection = Connection(self.port, self.host, timeout=5)
        deadline = time.monotonic() + START_TIMEOUT
        try:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    self.stop()
                    raise BenchError(f"the server stopped at start-up:\n{self.log_tail()}")
                try:
                    if connection.request("GET", "/healthz").status == 200:
                        return
                except OSError:
                    pass
                time.sleep(0.1)
        finally:
            connection.close()
        self.stop()
        raise BenchError(f"the server did not answer within {START_TIMEOUT:g}s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(lines[-20:])

    def memory_mb(self, field: str = "VmHWM") -> float:
        """Resident memory of the server and any processes it started: at its peak
        (``VmHWM``) or now (``VmRSS``)."""
        assert self.process is not None
        kilobytes = 0
        for pid in [self.process.pid, *_descendants(self.process.pid)]:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith(f"{field}:"):
                    kilobytes += int(line.split()[1])
        return kilobytes / 1024

    def cpu_seconds(self) -> float:
        """CPU time (user and system) the server and its child processes used so far, and
        on a PostgreSQL database of this machine its server processes for the database: on
        SQLite the server's own threads do that work, so the figures compare."""
        assert self.process is not None
        ticks = 0
        pids = [self.process.pid, *_descendants(self.process.pid)]
        for pid in pids + _postgres_backends(self.site.config.database.url):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime and stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        # SIGTERM, not SIGINT: a shell starting the bench in the background makes its
        # children ignore SIGINT.
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _postgres_backends(database_url: str) -> list[int]:
    """The processes of a PostgreSQL server on this machine serving ``database_url``'s
    database, found by the title PostgreSQL gives them: ``postgres: USER DATABASE HOST...``,
    with the cluster's name after ``postgres:`` where it has one (as on Debian)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql" or url.host not in (None, "", *LOCAL_HOSTS):
        return []
    found = []
    for entry in Path("/proc").iterdir() if os.path.isdir("/proc") else ():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
        except OSError:
            continue
        words = title.split()
        if words[:1] != ["postgres:"]:
            continue
        words = words[2:] if len(words) > 1 and words[1].endswith(":") else words[1:]
        if len(words) > 2 and words[1] == url.database:
            found.append(int(entry.name))
    return found


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (read from /proc; empty where there is no /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir() if os.path.isdir("/proc") else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        children = parents.get(queue.pop(), [])
        found.extend(children)
        queue.extend(children)
    return found
