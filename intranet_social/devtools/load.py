"""Concurrent HTTP load against a server on this machine's loopback interface.

Each worker thread keeps one HTTP/1.1 keep-alive connection, sends the same request over and
over until the time is up or the shared request budget is spent, and records the latency and
status of each. Anything but a 200 (or a 204, "nothing new") is an error, and so is a failed
connection.
"""

from __future__ import annotations

import http.client
import itertools
import math
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Connection:
    """One keep-alive connection to ``127.0.0.1:port`` that reconnects after a failure."""

    def __init__(self, port: int, host: str, timeout: float = 30.0) -> None:
        self.port = port
        self.host = host
        self.timeout = timeout
        self._http: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> Answer:
        if self._http is None:
            self._http = http.client.HTTPConnection(LOOPBACK, self.port, timeout=self.timeout)
        try:
            self._http.request(
                method, path, body=body, headers={"Host": self.host, **(headers or {})}
            )
            response = self._http.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.will_close:
            self.close()
        return answer

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None


class CookieJar:
    """The cookies one signed-in browser would send (a single site, so no domain rules)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def take(self, answer: Answer) -> None:
        for header in answer.headers.get_all("Set-Cookie") or ():
            parsed: SimpleCookie = SimpleCookie()
            parsed.load(header)
            for name, morsel in parsed.items():
                self.cookies[name] = morsel.value

    def header(self) -> dict[str, str]:
        if not self.cookies:
            return {}
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: int = 0
    seconds: float = 0.0
    first_error: str = ""
    #: some answer was a 5xx: the server's log says why
    server_failed: bool = False
    #: CPU time the server spent meanwhile (filled in by the caller that can see it)
    server_cpu_seconds: float = 0.0

    @property
    def rps(self) -> float:
        """Successful requests per second."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def server_cpu_ms(self) -> float | None:
        """The server's CPU time per request: unlike latency, hardly touched by other
        programs competing for the machine."""
        requests = len(self.latencies) + self.errors
        return self.server_cpu_seconds * 1000 / requests if requests else None

    def add(self, other: LoadResult) -> None:
        """Take in another measurement of the same scenario."""
        self.latencies.extend(other.latencies)
        self.errors += other.errors
        self.seconds += other.seconds
        self.first_error = self.first_error or other.first_error
        self.server_failed = self.server_failed or other.server_failed
        self.server_cpu_seconds += other.server_cpu_seconds

    def percentile_ms(self, share: float) -> float | None:
        """The nearest-rank percentile of the successful requests' latencies (``None`` when
        no request succeeded)."""
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        rank = max(1, math.ceil(share * len(ordered)))
        return ordered[rank - 1] * 1000


def run_load(
    port: int,
    host: str,
    requests: Sequence[tuple[str, Mapping[str, str]]],
    *,
    concurrency: int,
    duration: float,
    max_requests: int,
) -> LoadResult:
    """``GET`` from ``concurrency`` connections, started together, for ``duration`` seconds
    or until ``max_requests`` were sent. Connection ``i`` sends ``requests[i % len]`` (a path
    and its headers) over and over."""
    budget = itertools.count()
    start = threading.Barrier(concurrency)
    results = [LoadResult() for _ in range(concurrency)]
    finished = [0.0] * concurrency
    began = [0.0]

    def worker(index: int) -> None:
        connection = Connection(port, host)
        path, headers = requests[index % len(requests)]
        result = results[index]
        try:
            if start.wait() == 0:
                began[0] = time.monotonic()
            deadline = time.monotonic() + duration
            while time.monotonic() < deadline and next(budget) < max_requests:
                _one_request(connection, path, headers, result)
        finally:
            finished[index] = time.monotonic()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = LoadResult()
    for result in results:
        total.add(result)
    total.seconds = max(finished) - began[0]
    return total


def _one_request(
    connection: Connection, path: str, headers: Mapping[str, str], result: LoadResult
) -> None:
    started = time.perf_counter()
    try:
        answer = connection.request("GET", path, headers)
    except (OSError, http.client.HTTPException) as exc:
        result.errors += 1
        result.first_error = result.first_error or f"{type(exc).__name__}: {exc}"
        return
    if answer.status in (200, 204):
        result.latencies.append(time.perf_counter() - started)
    else:
        result.errors += 1
        result.first_error = result.first_error or f"HTTP {answer.status}"
        result.server_failed = result.server_failed or answer.status >= 500
