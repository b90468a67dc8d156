"""A minimal SMTP responder for the tests: listens on a local port in a thread, accepts
messages and keeps them, so a test can check what the site sent to its relay."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import IO


class LocalRelay:
    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port: int = self.listener.getsockname()[1]
        self.messages: list[EmailMessage] = []
        self.received = threading.Event()
        self._running = True
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening: from now on connections are refused."""
        self._running = False
        self._thread.join()
        self.listener.close()

    def _serve(self) -> None:
        while self._running:
            try:
                connection, _address = self.listener.accept()
            except TimeoutError:
                continue
            connection.settimeout(5)
            with connection, connection.makefile("rwb") as stream:
                self._converse(stream)

    def _converse(self, stream: IO[bytes]) -> None:
        def say(line: str) -> None:
            stream.write(line.encode() + b"\r\n")
            stream.flush()

        say("220 relay.test ready")
        while True:
            line = stream.readline()
            if not line:
                return
            command = line.decode("ascii", "replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                say("250 relay.test")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                say("250 OK")
            elif command == "DATA":
                say("354 go ahead")
                self._read_message(stream)
                say("250 queued")
            elif command == "QUIT":
                say("221 bye")
                return
            else:
                say("502 not implemented")

    def _read_message(self, stream: IO[bytes]) -> None:
        lines = []
        while True:
            line = stream.readline()
            if line in (b".\r\n", b""):
                break
            lines.append(line[1:] if line.startswith(b"..") else line)
        message = message_from_bytes(b"".join(lines), policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        self.received.set()
