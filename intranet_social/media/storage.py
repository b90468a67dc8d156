"""Uploaded files on disk: stored under server-made names, tied to the transaction, served.

Layout: ``<media dir>/<first two characters of the key>/<key>-<variant>``, pictures with a
``.webp`` suffix. The key is random and made here; the client's file name is never used.
Every file is written to a temporary name in its final folder, synced and renamed, so no one
ever reads half a file; a journal (:mod:`intranet_social.media.pending`) names the keys of
the transaction until it ends, so the files of a killed process can be swept at start-up.

Files follow the database transaction that records them: a file stored while the transaction
is open is deleted again unless the transaction commits (a later field refused, the commit
failing or the request erroring leaves no file behind), and :func:`delete_when_committed`
removes files only once the change that forgets them has committed.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import send_file
from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from intranet_social.accounts.models import User
from intranet_social.core import events
from intranet_social.core.errors import Invalid, NotFound
from intranet_social.core.settings import current_config
from intranet_social.extensions import db
from intranet_social.media import images, pending, video
from intranet_social.site_settings.service import get_setting

log = logging.getLogger(__name__)

MEGABYTE = 1024 * 1024
CHUNK_BYTES = MEGABYTE
KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")
#: every variant a key may have, and the suffix of its file
VARIANT_SUFFIXES = {
    "full": ".webp",
    "thumb": ".webp",
    "160": ".webp",
    "48": ".webp",
    "cover": ".webp",
    "poster": ".webp",
    "video": "",
}
CACHE_CONTROL = "private, max-age=86400"
NEW_FILES = "media.new_keys"
DOOMED_FILES = "media.doomed_keys"
JOURNAL = "media.journal"

Upload = IO[bytes] | FileStorage


@dataclass(frozen=True)
class StoredImage:
    key: str
    width: int
    height: int
    mime: str
    size_bytes: int


@dataclass(frozen=True)
class StoredVideo:
    key: str
    mime: str
    size_bytes: int
    #: taken from the poster frame; ``None`` when ffmpeg is not installed
    width: int | None
    height: int | None


def media_file(key: str, variant: str) -> Path:
    """Where the ``variant`` of ``key`` lives; :class:`NotFound` for a malformed key or an
    unknown variant, so a path from a URL can never leave the media folder."""
    if not isinstance(key, str) or not KEY_PATTERN.match(key) or variant not in VARIANT_SUFFIXES:
        raise NotFound("There is no such file.")
    return current_config().media_path / key[:2] / f"{key}-{variant}{VARIANT_SUFFIXES[variant]}"


def send_media(key: str, variant: str, mime: str) -> Response:
    """The file as a response: the given type, ``nosniff``, HTTP Range and conditional
    requests (so a video player can seek), cached by the browser only."""
    path = media_file(key, variant)
    if not path.is_file():
        raise NotFound("There is no such file.")
    response = send_file(path, mimetype=mime, conditional=True, etag=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def store_image(
    upload: Upload,
    *,
    purpose: images.Purpose,
    max_bytes: int | None = None,
    field: str = "file",
) -> StoredImage:
    """Check, re-encode and store a picture in the sizes ``purpose`` needs.

    Raises :class:`Invalid` naming ``field`` when the file is empty, larger than
    ``max_bytes`` (default ``media.max_image_mb``), not a picture or has too many pixels.
    """
    limit = max_bytes or get_setting("max_image_mb") * MEGABYTE
    data = _read_at_most(upload, limit, field)
    rendered = images.render(images.decode(data, field), purpose)
    key = _new_key()
    sizes = []
    written: list[Path] = []
    try:
        for variant, image in rendered:
            payload = images.encode(image)
            written.append(_write_file(key, variant, payload))
            sizes.append(len(payload))
    except BaseException:
        _remove(written)
        raise
    main = rendered[0][1]
    return StoredImage(key, main.width, main.height, images.MIME, sizes[0])


def store_video(
    upload: Upload, *, max_bytes: int | None = None, field: str = "file"
) -> StoredVideo:
    """Stream a video to disk in chunks, never holding it in memory, and make its poster.

    The type is known by the file's first bytes (MP4, QuickTime or WebM); raises
    :class:`Invalid` naming ``field`` when it is empty, not such a video, or larger than
    ``max_bytes`` (default ``media.max_video_mb``), and then no file is left behind.
    """
    limit = max_bytes or get_setting("max_video_mb") * MEGABYTE
    key = _new_key()
    path = media_file(key, "video")
    descriptor, temporary = _create_temporary(path, key, "video")
    written = [temporary]
    try:
        with os.fdopen(descriptor, "wb") as out:
            mime, size = _copy_video(_binary(upload), out, limit, field)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
        written.append(path)
        frame = video.poster_frame(path, mime)
        if frame is None:
            poster, width, height = images.neutral_poster(), None, None
        else:
            width, height = frame.size
            poster = images.encode(images.render(frame, "poster")[0][1])
        written.append(_write_file(key, "poster", poster))
    except BaseException:
        _remove(written)
        raise
    return StoredVideo(key, mime, size, width, height)


def _copy_video(source: IO[bytes], out: IO[bytes], limit: int, field: str) -> tuple[str, int]:
    """Copy ``source`` to ``out`` chunk by chunk; refuse it as soon as its first bytes are not
    a video's or it grows past ``limit``."""
    head = b""
    mime: str | None = None
    size = 0
    while chunk := source.read(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            raise Invalid(_too_large("video", limit), field)
        if mime is None:
            head += chunk
            if len(head) >= video.SNIFF_BYTES:
                mime = _sniffed(head, field)
        out.write(chunk)
    if size == 0:
        raise Invalid("Choose a video to upload.", field)
    return mime or _sniffed(head, field), size


def _sniffed(head: bytes, field: str) -> str:
    mime = video.sniff(head[: video.SNIFF_BYTES])
    if mime is None:
        raise Invalid(video.NOT_A_VIDEO, field)
    return mime


def delete_media(key: str) -> None:
    """Delete every file of ``key`` now, half-written ones too (files already gone are fine)."""
    for variant in VARIANT_SUFFIXES:
        path = media_file(key, variant)
        path.unlink(missing_ok=True)
        (path.parent / pending.temporary_name(key, variant)).unlink(missing_ok=True)


def _new_key() -> str:
    """A new key whose files are deleted again unless the current transaction commits,
    recorded in the transaction's journal before any of its files is written."""
    key = secrets.token_hex(16)
    session = db.session()
    if not session.in_transaction():
        session.begin()
    journal = session.info.get(JOURNAL)
    if journal is None:
        journal = session.info[JOURNAL] = pending.Journal(current_config().media_path)
    journal.add(key)
    session.info.setdefault(NEW_FILES, []).append(key)
    return key


def delete_when_committed(keys: Iterable[str]) -> None:
    """Delete these files once the current transaction has committed; a rollback keeps them."""
    db.session().info.setdefault(DOOMED_FILES, []).extend(keys)


def _delete_all(keys: Iterable[str]) -> None:
    for key in keys:
        try:
            delete_media(key)
        except OSError:
            # The rows are settled either way; a file left behind is logged, not fatal.
            log.exception("could not delete the files of media %s", key)


def sweep_abandoned_uploads() -> pending.SweepReport:
    """Delete the files that app processes which died mid-upload left behind (see
    :mod:`intranet_social.media.pending`); safe while other processes serve uploads."""
    return pending.sweep_abandoned_uploads(
        current_config().media_path, _referenced_keys, _delete_abandoned
    )


def _delete_abandoned(key: str) -> None:
    if KEY_PATTERN.match(key):
        _delete_all([key])


def _referenced_keys(keys: set[str]) -> set[str]:
    """Those of ``keys`` that a committed row names: avatars and covers here, and whatever
    the features that keep media (posts, messages) answer to ``events.media_in_use``."""
    found: set[str] = set()
    for chunk in _chunks(sorted(keys), 500):
        found.update(events.answers(events.media_in_use.send(None, keys=chunk)))
        for avatar, cover in db.session.execute(
            select(User.avatar_key, User.cover_key).where(
                or_(User.avatar_key.in_(chunk), User.cover_key.in_(chunk))
            )
        ):
            found.update(key for key in (avatar, cover) if key in keys)
    return found


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _close_journal(session: Session) -> None:
    journal = session.info.pop(JOURNAL, None)
    if journal is not None:
        journal.close()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(NEW_FILES, None)
    _close_journal(session)
    _delete_all(session.info.pop(DOOMED_FILES, []))


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    # Still listed when the outermost transaction ends: it did not commit.
    session.info.pop(DOOMED_FILES, None)
    _delete_all(session.info.pop(NEW_FILES, []))
    _close_journal(session)


def _binary(upload: Upload) -> IO[bytes]:
    return upload.stream if isinstance(upload, FileStorage) else upload


def _read_at_most(upload: Upload, limit: int, field: str) -> bytes:
    data = _binary(upload).read(limit + 1)
    if not data:
        raise Invalid("Choose a picture to upload.", field)
    if len(data) > limit:
        raise Invalid(_too_large("picture", limit), field)
    return data


def _too_large(kind: str, limit: int) -> str:
    size = f"{limit / MEGABYTE:g} MB" if limit >= MEGABYTE else f"{max(limit // 1024, 1)} KB"
    return f"The {kind} is larger than the {size} this site accepts; choose a smaller one."


def _create_temporary(path: Path, key: str, variant: str) -> tuple[int, Path]:
    """A new file for ``path``'s content under its temporary name, open for writing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / pending.temporary_name(key, variant)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    return os.open(temporary, flags, 0o600), temporary


def _write_file(key: str, variant: str, payload: bytes) -> Path:
    """Write ``payload`` as ``variant`` of ``key`` under a temporary name, sync it, rename it."""
    path = media_file(key, variant)
    descriptor, temporary = _create_temporary(path, key, variant)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
