"""Clients for the durability tests: people with tokens, the app processes they talk to, and a
ledger of every write the site acknowledged.

Each client thread is one person with a bearer token and one keep-alive connection per app
process; it sends its requests to the processes in turn, choosing each time to create a post
(some with a photo, as multipart), like or unlike a post, comment, or send a message.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import random
import secrets
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from intranet_social.devtools.load import Connection
from intranet_social.devtools.server import Server

API = "/api/v1"
#: what a client does, and how often
KINDS = ("post", "photo_post", "like", "comment", "message", "read")
WEIGHTS = (12, 8, 35, 22, 20, 3)


def photo() -> bytes:
    """A noisy 640×480 JPEG: big enough that re-encoding it keeps an upload in flight for a
    while, small enough for a few hundred of them."""
    image = Image.effect_noise((640, 480), 64).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@dataclass(frozen=True)
class Person:
    user_id: int
    username: str
    token: str
    conversations: tuple[int, ...]


class Endpoint:
    """One app process as the clients see it; a restart puts a new server behind it."""

    def __init__(self, name: str, server: Server) -> None:
        self.name = name
        self.server = server
        #: changes when the process is killed, so requests sent before can be told apart
        self.generation = 0
        self.down = False

    def kill(self) -> None:
        self.down = True
        self.generation += 1
        assert self.server.process is not None
        self.server.process.kill()
        self.server.process.wait(15)

    def replace(self, server: Server) -> None:
        self.server = server
        self.generation += 1
        self.down = False


@dataclass
class Ledger:
    """What the clients sent and what the site acknowledged; shared by all client threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: Counter[str] = field(default_factory=Counter)
    acknowledged: Counter[str] = field(default_factory=Counter)
    #: post id -> (author id, ids of its media)
    posts: dict[int, tuple[int, tuple[int, ...]]] = field(default_factory=dict)
    post_ids: list[int] = field(default_factory=list)
    comments: dict[int, tuple[int, int]] = field(default_factory=dict)  # id -> (post, author)
    messages: dict[int, tuple[int, int]] = field(default_factory=dict)  # id -> (conv, sender)
    #: (user id, post id) -> liked, as the last acknowledged like or unlike left it
    likes: dict[tuple[int, int], bool] = field(default_factory=dict)
    #: likes whose last request got no answer (its process was killed): either state is right
    uncertain_likes: set[tuple[int, int]] = field(default_factory=set)
    server_errors: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    #: requests cut off by the killed process, by process name
    cut_off: Counter[str] = field(default_factory=Counter)
    uploads_in_flight: Counter[str] = field(default_factory=Counter)

    def summary(self) -> dict[str, Any]:
        return {
            "requests": dict(self.requests),
            "acknowledged": dict(self.acknowledged),
            "server_errors": len(self.server_errors),
            "cut_off": dict(self.cut_off),
            "unexpected": len(self.unexpected),
        }


class Skipped(Exception):
    """The chosen process went down before the request was sent; nothing was sent."""


class Client:
    """One person sending writes until ``deadline``."""

    def __init__(
        self,
        person: Person,
        endpoints: Sequence[Endpoint],
        ledger: Ledger,
        picture: bytes,
        deadline: float,
    ) -> None:
        self.person = person
        self.endpoints = endpoints
        self.ledger = ledger
        self.picture = picture
        self.deadline = deadline
        self.random = random.Random(person.user_id)
        self.connections: dict[str, tuple[int, Connection]] = {}
        self.turn = person.user_id

    def run(self) -> None:
        try:
            while time.monotonic() < self.deadline:
                self.step()
        except Exception as exc:  # recorded and failed by the test, never lost in a thread
            with self.ledger.lock:
                self.ledger.unexpected.append(f"{self.person.username}: {exc!r}")
        finally:
            for _generation, connection in self.connections.values():
                connection.close()

    def step(self) -> None:
        live = [endpoint for endpoint in self.endpoints if not endpoint.down]
        self.turn += 1
        endpoint = live[self.turn % len(live)]
        kind = self.random.choices(KINDS, WEIGHTS)[0]
        with contextlib.suppress(Skipped):
            getattr(self, f"_{kind}")(endpoint, kind)

    # ------------------------------------------------------------ the writes

    def _post(self, endpoint: Endpoint, kind: str) -> None:
        answer = self.send(
            endpoint, kind, "POST", "/posts", {"body": self.words(), "audience": "everyone"}
        )
        if answer is not None:
            self.acknowledge_post(answer)

    def _photo_post(self, endpoint: Endpoint, kind: str) -> None:
        boundary = secrets.token_hex(12)
        parts = [
            _form_field(boundary, "body", self.words()),
            _form_field(boundary, "audience", "everyone"),
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                'filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
            ).encode()
            + self.picture
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        with self.ledger.lock:
            self.ledger.uploads_in_flight[endpoint.name] += 1
        try:
            answer = self.send(endpoint, kind, "POST", "/posts", b"".join(parts), headers)
        finally:
            with self.ledger.lock:
                self.ledger.uploads_in_flight[endpoint.name] -= 1
        if answer is not None:
            assert len(answer["media"]) == 1, answer
            self.acknowledge_post(answer)

    def _like(self, endpoint: Endpoint, kind: str) -> None:
        post_id = self.some_post()
        key = (self.person.user_id, post_id)
        with self.ledger.lock:
            liked = self.ledger.likes.get(key, False)
        method = "DELETE" if liked else "POST"
        answer = self.send(endpoint, kind, method, f"/posts/{post_id}/like", None)
        with self.ledger.lock:
            if answer is None:
                self.ledger.uncertain_likes.add(key)
                return
            assert answer["liked"] is (method == "POST"), answer
            self.ledger.likes[key] = answer["liked"]
            self.ledger.uncertain_likes.discard(key)

    def _comment(self, endpoint: Endpoint, kind: str) -> None:
        post_id = self.some_post()
        answer = self.send(
            endpoint, kind, "POST", f"/posts/{post_id}/comments", {"body": self.words()}
        )
        if answer is not None:
            with self.ledger.lock:
                self.ledger.comments[answer["id"]] = (post_id, self.person.user_id)

    def _message(self, endpoint: Endpoint, kind: str) -> None:
        conversation = self.random.choice(self.person.conversations)
        path = f"/conversations/{conversation}/messages"
        answer = self.send(endpoint, kind, "POST", path, {"body": self.words()})
        if answer is not None:
            with self.ledger.lock:
                self.ledger.messages[answer["id"]] = (conversation, self.person.user_id)

    def _read(self, endpoint: Endpoint, kind: str) -> None:
        conversation = self.random.choice(self.person.conversations)
        self.send(endpoint, kind, "POST", f"/conversations/{conversation}/read", None)

    # ------------------------------------------------------------ plumbing

    def words(self) -> str:
        return " ".join(self.random.choice(WORDS) for _ in range(self.random.randint(3, 12)))

    def some_post(self) -> int:
        with self.ledger.lock:
            # newer posts are liked and commented on more, so rows are fought over
            recent = self.ledger.post_ids[-40:]
            return self.random.choice(
                recent if self.random.random() < 0.7 else self.ledger.post_ids
            )

    def acknowledge_post(self, answer: dict[str, Any]) -> None:
        with self.ledger.lock:
            media = tuple(item["id"] for item in answer["media"])
            self.ledger.posts[answer["id"]] = (self.person.user_id, media)
            self.ledger.post_ids.append(answer["id"])

    def connection(self, endpoint: Endpoint) -> Connection:
        known = self.connections.get(endpoint.name)
        if known is None or known[0] != endpoint.generation:
            if known is not None:
                known[1].close()
            server = endpoint.server
            known = (endpoint.generation, Connection(server.port, server.host, timeout=60))
            self.connections[endpoint.name] = known
        return known[1]

    def send(
        self,
        endpoint: Endpoint,
        kind: str,
        method: str,
        path: str,
        payload: dict[str, Any] | bytes | None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any] | None:
        """Send one write; its answer when acknowledged, ``None`` when the process was killed
        under it. Anything else is recorded as a failure."""
        generation = endpoint.generation
        if endpoint.down:
            raise Skipped
        connection = self.connection(endpoint)
        headers = {"Authorization": f"Bearer {self.person.token}", **(headers or {})}
        body = payload
        if isinstance(payload, dict):
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        with self.ledger.lock:
            self.ledger.requests[kind] += 1
        try:
            answer = connection.request(method, API + path, headers, body)  # type: ignore[arg-type]
        except (OSError, http.client.HTTPException) as exc:
            with self.ledger.lock:
                if endpoint.generation != generation:
                    self.ledger.cut_off[endpoint.name] += 1
                else:
                    self.ledger.unexpected.append(
                        f"{method} {path} on {endpoint.name}: connection failed: {exc!r}"
                    )
            return None
        if answer.status >= 500:
            with self.ledger.lock:
                self.ledger.server_errors.append(
                    f"{method} {path} on {endpoint.name}: {answer.status} {answer.text[:2000]}"
                )
            return None
        if answer.status not in (200, 201, 204):
            with self.ledger.lock:
                self.ledger.unexpected.append(
                    f"{method} {path} on {endpoint.name}: {answer.status} {answer.text[:500]}"
                )
            return None
        with self.ledger.lock:
            self.ledger.acknowledged[kind] += 1
        return json.loads(answer.body) if answer.body else {}


def _form_field(boundary: str, name: str, value: str) -> bytes:
    return (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
    ).encode()


WORDS = (
    "quarterly",
    "coffee",
    "release",
    "birthday",
    "team",
    "offsite",
    "lunch",
    "deadline",
    "welcome",
    "congrats",
    "server",
    "meeting",
    "photos",
    "canteen",
    "holiday",
    "ünïcode",
)
