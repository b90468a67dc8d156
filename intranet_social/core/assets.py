"""Static files under content-hashed URLs (``?v=<hash>``), cached for a year by browsers."""

from __future__ import annotations

import hashlib
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, request
from werkzeug.wrappers import Response

ONE_YEAR = 365 * 24 * 3600
#: more names than the package has files: links to missing ones are not kept without end
MAX_KNOWN_FILES = 512


@lru_cache(maxsize=512)
def _file_hash(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


@lru_cache(maxsize=512)
def _static_path(static_folder: str, filename: str) -> Path | None:
    """Where ``filename`` is, if inside the folder; kept, as resolving it takes a system
    call per path component and every page links several static files."""
    path = (Path(static_folder) / filename).resolve()
    return path if path.is_relative_to(Path(static_folder).resolve()) else None


def content_hash(static_folder: str, filename: str) -> str | None:
    path = _static_path(static_folder, filename)
    if path is None:
        return None
    try:
        status = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return _file_hash(path, status.st_mtime_ns)


def init_app(app: Flask) -> None:
    #: each file's hash, found once: the files ship with the package and change only with
    #: an upgrade, which restarts the server; a debug server looks again every time, as
    #: someone is editing them (and a system call per link let other threads in each time)
    known: dict[str, str | None] = {}

    @app.url_defaults
    def _hash_static_urls(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or "v" in values or not app.static_folder:
            return
        filename = values.get("filename", "")
        if filename in known and not app.debug:
            digest = known[filename]
        else:
            digest = content_hash(app.static_folder, filename)
            if len(known) < MAX_KNOWN_FILES:
                known[filename] = digest
        if digest:
            values["v"] = digest

    @app.after_request
    def _cache_static(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code in (200, 304):
            if request.args.get("v"):
                response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
            else:
                response.headers["Cache-Control"] = "public, max-age=300"
        return response
