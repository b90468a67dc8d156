"""Reading backup archives and making altered copies of them, for the restore tests."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"


def members(archive: Path) -> dict[str, bytes]:
    """Every member's bytes, in archive order."""
    with tarfile.open(archive) as tar:
        return {
            member.name: tar.extractfile(member).read()  # type: ignore[union-attr]
            for member in tar.getmembers()
        }


def manifest_of(archive: Path) -> dict[str, Any]:
    return json.loads(members(archive)[MANIFEST])


def write_members(path: Path, contents: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def with_manifest(
    contents: dict[str, bytes], change: Callable[[dict[str, Any]], None], *, rehash: bool = True
) -> dict[str, bytes]:
    """``contents`` with its manifest changed by ``change`` (checksums recomputed first)."""
    manifest = json.loads(contents[MANIFEST])
    if rehash:
        manifest["checksums"]["members"] = {
            name: hashlib.sha256(data).hexdigest()
            for name, data in contents.items()
            if name != MANIFEST
        }
    change(manifest)
    changed = {name: data for name, data in contents.items() if name != MANIFEST}
    changed[MANIFEST] = json.dumps(manifest).encode()
    return changed


def first_media(contents: dict[str, bytes]) -> str:
    return next(name for name in contents if name.startswith("media/"))
