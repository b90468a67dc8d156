"""Durability under load: 32 people write through two app processes sharing one database.

Nothing acknowledged may be lost, no request may fail with a 5xx, and every stored count must
equal the real count — also when one process is killed with SIGKILL in the middle, uploads in
flight: then the database must still be intact and no half-written upload may stay behind
once the killed process is started again (its start-up sweeps what it left).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from intranet_social.config import load_config
from intranet_social.devtools.server import BenchSite, Server
from intranet_social.media import pending
from tests.durability.checks import check_site
from tests.durability.clients import Client, Endpoint, Ledger, photo
from tests.durability.conftest import LoadSite

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

DURATION = 30.0
KILL_AT = 15.0
#: how long the surviving process serves everyone alone before the killed one is back
ALONE_FOR = 4.0
THREADS = 8
SWEEP_LINE = re.compile(r"Removed the files of (\d+) uploads")


def start_server(site: LoadSite, name: str) -> Server:
    workdir = site.folder / f"server-{name}"
    workdir.mkdir(exist_ok=True)
    config = load_config(site.config_file)
    return Server(BenchSite(site.config_file, config, workdir), THREADS).__enter__()


@contextmanager
def two_processes(site: LoadSite) -> Iterator[list[Endpoint]]:
    with ThreadPoolExecutor(2) as starting:
        starts = {name: starting.submit(start_server, site, name) for name in ("a", "b")}
    failure = next((s.exception() for s in starts.values() if s.exception()), None)
    if failure is not None:
        for start in starts.values():
            if start.exception() is None:
                start.result().stop()
        raise failure
    endpoints = [Endpoint(name, start.result()) for name, start in starts.items()]
    try:
        yield endpoints
    finally:
        for endpoint in endpoints:
            endpoint.server.stop()


def run_clients(site: LoadSite, endpoints: list[Endpoint], ledger: Ledger) -> float:
    """Every person writes for :data:`DURATION`; the seconds it took."""
    picture = photo()
    started = time.monotonic()
    clients = [
        Client(person, endpoints, ledger, picture, started + DURATION) for person in site.people
    ]
    threads = [threading.Thread(target=client.run) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DURATION + 120)
    assert not any(thread.is_alive() for thread in threads), "a client hung"
    return time.monotonic() - started


def server_errors_logged(server: Server) -> str:
    """The server's log without waitress's notes on its queue (expected under this load)."""
    lines = server.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(line for line in lines if "Task queue depth" not in line)[-6000:]


def assert_served_everything(ledger: Ledger, endpoints: list[Endpoint]) -> None:
    logs = "\n\n".join(f"{e.name}:\n{server_errors_logged(e.server)}" for e in endpoints)
    assert ledger.server_errors == [], "\n".join(ledger.server_errors[:5]) + "\n" + logs
    assert ledger.unexpected == [], "\n".join(ledger.unexpected[:10])


def report(site: LoadSite, ledger: Ledger, seconds: float, notes: list[str]) -> None:
    print(f"\n[{site.backend}] {seconds:.1f} s: {ledger.summary()}; {'; '.join(notes)}")


def test_two_processes_under_load_lose_no_write_and_keep_counts_right(load_site: LoadSite):
    ledger = Ledger(post_ids=list(load_site.first_posts))
    with two_processes(load_site) as endpoints:
        seconds = run_clients(load_site, endpoints, ledger)
    assert_served_everything(ledger, endpoints)
    assert ledger.cut_off == {}
    assert ledger.acknowledged["photo_post"] > 0

    problems, notes = check_site(load_site.config_file, ledger)

    assert problems == [], "\n".join(problems[:30])
    report(load_site, ledger, seconds, notes)


class Killer(threading.Thread):
    """Kills process ``b`` with SIGKILL at :data:`KILL_AT`, in the middle of storing a photo
    (its journal names the key and the last variant is not written yet), notes what it left
    in the media folder, and starts it again after :data:`ALONE_FOR`."""

    def __init__(self, site: LoadSite, endpoint: Endpoint, ledger: Ledger) -> None:
        super().__init__()
        self.site = site
        self.endpoint = endpoint
        self.ledger = ledger
        self.uploads_cut = 0
        self.journals_left: list[Path] = []
        self.restarted: Server | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            time.sleep(KILL_AT)
            process = self.endpoint.server.process
            assert process is not None
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not self.storing_a_photo(process.pid):
                time.sleep(0.001)
            self.uploads_cut = self.ledger.uploads_in_flight["b"]
            self.endpoint.kill()
            self.journals_left = sorted(
                self.site.media.glob(f"{pending.JOURNAL_PREFIX}{process.pid}-*")
            )
            time.sleep(ALONE_FOR)
            self.restarted = start_server(self.site, "b-again")
            self.endpoint.replace(self.restarted)
        except BaseException as exc:
            self.error = exc

    def storing_a_photo(self, pid: int) -> bool:
        for journal in self.site.media.glob(f"{pending.JOURNAL_PREFIX}{pid}-*"):
            try:
                keys = journal.read_text().split()
            except FileNotFoundError:
                continue
            if keys and not (self.site.media / keys[-1][:2] / f"{keys[-1]}-thumb.webp").exists():
                return True
        return False


def test_a_process_killed_mid_upload_loses_no_acknowledged_write(load_site: LoadSite):
    with two_processes(load_site) as endpoints:
        ledger = Ledger(post_ids=list(load_site.first_posts))
        killer = Killer(load_site, endpoints[1], ledger)
        killer.start()
        seconds = run_clients(load_site, endpoints, ledger)
        killer.join(60)
    assert killer.error is None, killer.error
    assert killer.restarted is not None
    assert_served_everything(ledger, endpoints)
    assert set(ledger.cut_off) <= {"b"}
    assert killer.journals_left, "the process was not killed while storing a photo"

    # the restarted process swept what the killed one left, while the other kept serving
    assert [path for path in killer.journals_left if path.exists()] == []
    swept = SWEEP_LINE.search(killer.restarted.log_path.read_text())
    assert swept, killer.restarted.log_tail()
    assert int(swept.group(1)) >= 1
    problems, notes = check_site(load_site.config_file, ledger)

    assert problems == [], "\n".join(problems[:30])
    notes.append(
        f"killed with {killer.uploads_cut} uploads in flight, "
        f"{len(killer.journals_left)} journals left, "
        f"{swept.group(1) if swept else 0} unfinished uploads swept at restart"
    )
    report(load_site, ledger, seconds, notes)
