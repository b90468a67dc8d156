"""The backup archive: a gzip-compressed tar of checksummed members and a manifest.

Layout::

    database/<file>       the SQLite snapshot, or the pg_dump in custom format
    config/config.toml    the site's configuration file as it was
    media/<path>          every file of the media folder
    manifest.json         versions, the database kind and the SHA-256 of every other member

The manifest comes last, so an archive is written in a single pass. Reading checks every
member against the manifest; a damaged, truncated or tampered archive is refused.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

FORMAT_VERSION = 1
PRODUCT = "intranet-social"
MANIFEST_NAME = "manifest.json"
CONFIG_MEMBER = "config/config.toml"
MEDIA_PREFIX = "media/"
DATABASE_PREFIX = "database/"
CHUNK_BYTES = 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
COMPRESS_LEVEL = 6

#: where a member's bytes go while reading an archive (``None``: only check them)
Destination = Callable[[str], Path | None]


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why in one sentence."""


@dataclass(frozen=True)
class Manifest:
    product_version: str
    schema_revision: str
    created_at: str
    database_kind: str
    database_member: str
    #: member name -> SHA-256 (hex) of its bytes, for every member but the manifest
    checksums: Mapping[str, str] = field(default_factory=dict)

    @property
    def media_count(self) -> int:
        return sum(1 for name in self.checksums if name.startswith(MEDIA_PREFIX))

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT_VERSION,
            "product": PRODUCT,
            "product_version": self.product_version,
            "schema_revision": self.schema_revision,
            "created_at": self.created_at,
            "database": {"kind": self.database_kind, "member": self.database_member},
            "checksums": {"algorithm": "sha256", "members": dict(sorted(self.checksums.items()))},
        }
        return json.dumps(document, indent=2).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes, archive: Path) -> Manifest:
        try:
            document = json.loads(data.decode("utf-8"))
            if document["product"] != PRODUCT or document["format"] != FORMAT_VERSION:
                raise BackupError(
                    f"{archive} is not an Intranet Social backup of format {FORMAT_VERSION}"
                )
            if document["checksums"]["algorithm"] != "sha256":
                raise ValueError("unknown checksum algorithm")
            manifest = cls(
                product_version=document["product_version"],
                schema_revision=document["schema_revision"],
                created_at=document["created_at"],
                database_kind=document["database"]["kind"],
                database_member=document["database"]["member"],
                checksums=document["checksums"]["members"],
            )
        except (UnicodeDecodeError, ValueError, KeyError, TypeError):
            raise BackupError(f"{archive} has a malformed {MANIFEST_NAME}") from None
        texts = [manifest.product_version, manifest.schema_revision, manifest.created_at]
        texts += [manifest.database_kind, manifest.database_member]
        if not all(isinstance(text, str) for text in texts) or not isinstance(
            manifest.checksums, dict
        ):
            raise BackupError(f"{archive} has a malformed {MANIFEST_NAME}")
        return manifest


class _HashingReader:
    """A file read through once, its SHA-256 computed on the way."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self._digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self._digest.update(data)
        return data

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


class ArchiveWriter:
    """Adds members to an archive being written and remembers their checksums."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self._tar = tar
        self.checksums: dict[str, str] = {}

    def add_file(self, name: str, path: Path) -> bool:
        """Add the file at ``path``; ``False`` when it vanished before it could be read.

        Stored files are only ever replaced by renaming, so an open file does not change.
        """
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            return False
        with handle:
            stat = os.fstat(handle.fileno())
            info = tarfile.TarInfo(name)
            info.size = stat.st_size
            info.mtime = int(stat.st_mtime)
            info.mode = 0o600
            reader = _HashingReader(handle)
            self._tar.addfile(info, reader)
        self.checksums[name] = reader.hexdigest()
        return True

    def finish(self, manifest: Manifest) -> None:
        """Add the manifest, the last member."""
        data = manifest.to_json()
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size = len(data)
        info.mtime = int(time.time())
        info.mode = 0o600
        self._tar.addfile(info, io.BytesIO(data))


@contextlib.contextmanager
def writing_archive(path: Path) -> Iterator[ArchiveWriter]:
    """Write an archive to a temporary name beside ``path`` (mode 0600), then rename it.

    A failure leaves no partial archive: the temporary file is removed.
    """
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as raw:
            with tarfile.open(
                fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT, compresslevel=COMPRESS_LEVEL
            ) as tar:
                yield ArchiveWriter(tar)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _is_safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        bool(name)
        and "\\" not in name
        and not path.is_absolute()
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


def _copy_member(source: IO[bytes], destination: Path | None) -> str:
    """Hash a member's bytes, writing them to ``destination`` (a new file) when given."""
    digest = hashlib.sha256()
    with _new_file(destination) as out:
        while chunk := source.read(CHUNK_BYTES):
            digest.update(chunk)
            if out is not None:
                _write(out, chunk, destination)
        if out is not None:
            _write(out, None, destination)
    return digest.hexdigest()


@contextlib.contextmanager
def _new_file(destination: Path | None) -> Iterator[IO[bytes] | None]:
    if destination is None:
        yield None
        return
    try:
        destination.parent.mkdir(mode=0o750, parents=True, exist_ok=True)
        descriptor = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise BackupError(f"cannot write {destination}: {exc.strerror or exc}") from None
    with os.fdopen(descriptor, "wb") as out:
        yield out


def _write(out: IO[bytes], chunk: bytes | None, destination: Path | None) -> None:
    """Write ``chunk``; ``None`` makes everything written so far durable."""
    try:
        if chunk is not None:
            out.write(chunk)
        else:
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        raise BackupError(f"cannot write {destination}: {exc.strerror or exc}") from None


def _scan(path: Path, destination: Destination | None) -> tuple[dict[str, str], bytes | None]:
    """Read every member once: their checksums and the manifest's bytes."""
    checksums: dict[str, str] = {}
    manifest: bytes | None = None
    try:
        with gzip.open(path, "rb") as stream, tarfile.open(fileobj=stream, mode="r|") as tar:
            for member in tar:
                name = member.name
                if not member.isfile() or not _is_safe_name(name):
                    raise BackupError(f"{path} holds an unexpected entry {name!r}")
                if name in checksums or (name == MANIFEST_NAME and manifest is not None):
                    raise BackupError(f"{path} holds {name!r} twice")
                source = tar.extractfile(member)
                assert source is not None
                if name == MANIFEST_NAME:
                    manifest = source.read(MAX_MANIFEST_BYTES + 1)
                    if len(manifest) > MAX_MANIFEST_BYTES:
                        raise BackupError(f"{path} has a malformed {MANIFEST_NAME}")
                else:
                    checksums[name] = _copy_member(
                        source, destination(name) if destination else None
                    )
            # To the very end, so that gzip checks its checksum over the whole file.
            while stream.read(CHUNK_BYTES):
                pass
    except FileNotFoundError:
        raise BackupError(f"backup file {path} does not exist") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder, not a backup file") from None
    except PermissionError:
        raise BackupError(f"backup file {path} cannot be read: permission denied") from None
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise BackupError(
            f"{path} is not a readable backup archive; it is damaged or incomplete ({reason})"
        ) from None
    return checksums, manifest


def _check(path: Path, checksums: dict[str, str], manifest_bytes: bytes | None) -> Manifest:
    if manifest_bytes is None:
        raise BackupError(f"{path} has no {MANIFEST_NAME}; it is not an Intranet Social backup")
    manifest = Manifest.from_json(manifest_bytes, path)
    for name in sorted(manifest.checksums):
        if name not in checksums:
            raise BackupError(f"{path} is incomplete: {name} is missing")
        if checksums[name] != manifest.checksums[name]:
            raise BackupError(f"{path} is damaged: {name} does not match its checksum")
    for name in sorted(checksums):
        if name not in manifest.checksums:
            raise BackupError(f"{path} holds {name}, which its manifest does not list")
    if manifest.database_member not in checksums:
        raise BackupError(f"{path} is incomplete: it holds no database")
    return manifest


def read_manifest(path: Path) -> Manifest:
    """Check the whole archive against its manifest, writing nothing; return the manifest."""
    return _check(path, *_scan(path, None))


def extract(path: Path, expected: Manifest, destination: Destination) -> None:
    """Write the members ``destination`` names, checking every one against ``expected``."""
    manifest = _check(path, *_scan(path, destination))
    if manifest != expected:
        raise BackupError(f"{path} changed while it was being restored")
