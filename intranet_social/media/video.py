"""Recognising videos by their bytes, and taking a poster frame with ffmpeg when it is there."""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from intranet_social.core.errors import Invalid
from intranet_social.media import images

log = logging.getLogger(__name__)

#: how many bytes of the start of a file :func:`sniff` needs
SNIFF_BYTES = 64
POSTER_TIMEOUT_SECONDS = 30
NOT_A_VIDEO = "The file is not a video this site can play; upload an MP4, WebM or QuickTime video."
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
EBML_DOCTYPE = 0x4282
QUICKTIME_BRANDS = frozenset({b"qt  "})
MP4_BRANDS = frozenset(
    {
        b"isom",
        b"iso2",
        b"iso3",
        b"iso4",
        b"iso5",
        b"iso6",
        b"mp41",
        b"mp42",
        b"avc1",
        b"M4V ",
        b"M4VH",
        b"M4VP",
        b"dash",
        b"mmp4",
        b"MSNV",
        b"f4v ",
        b"XAVC",
    }
)
#: ffmpeg's demuxer for each type, so a file is never read as a playlist or other format
DEMUXERS = {"video/mp4": "mov", "video/quicktime": "mov", "video/webm": "matroska"}


def sniff(head: bytes) -> str | None:
    """The video type (``video/mp4``, ``video/quicktime`` or ``video/webm``) that the first
    bytes of a file announce, or ``None``."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _mp4_type(head)
    if head.startswith(EBML_MAGIC) and _ebml_doctype(head) == b"webm":
        return "video/webm"
    return None


def _mp4_type(head: bytes) -> str | None:
    """The ISO base media ``ftyp`` box: a major brand, a minor version, compatible brands."""
    major = head[8:12]
    if major in QUICKTIME_BRANDS:
        return "video/quicktime"
    box_end = min(int.from_bytes(head[0:4], "big"), len(head))
    brands = {major} | {head[at : at + 4] for at in range(16, box_end - 3, 4)}
    if brands & MP4_BRANDS:
        return "video/mp4"
    if brands & QUICKTIME_BRANDS:
        return "video/quicktime"
    return None


def _read_vint(data: bytes, at: int, *, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at ``at``: (value, position after it)."""
    first = data[at]
    if first == 0:
        raise ValueError("invalid EBML length")
    length = 9 - first.bit_length()
    if at + length > len(data):
        raise ValueError("truncated EBML number")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[at + 1 : at + length]:
        value = (value << 8) | byte
    return value, at + length


def _ebml_doctype(head: bytes) -> bytes | None:
    """The DocType of a Matroska/WebM file's EBML header (``webm`` or ``matroska``)."""
    try:
        size, at = _read_vint(head, len(EBML_MAGIC), keep_marker=False)
        end = min(at + size, len(head))
        while at < end:
            element, at = _read_vint(head, at, keep_marker=True)
            size, at = _read_vint(head, at, keep_marker=False)
            if element == EBML_DOCTYPE:
                return head[at : at + size]
            at += size
    except (ValueError, IndexError):
        return None
    return None


def poster_frame(video_path: Path, mime: str) -> Image.Image | None:
    """A frame of the video, drawn by ffmpeg when it is installed; ``None`` without ffmpeg or
    when it cannot read the file (the caller then uses a neutral poster)."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    with tempfile.TemporaryDirectory(prefix="poster-") as folder:
        frame = Path(folder) / "frame.png"
        command = [
            ffmpeg,
            "-nostdin",
            "-v",
            "error",
            "-protocol_whitelist",
            "file",
            "-f",
            DEMUXERS[mime],
            "-i",
            f"file:{video_path}",
            "-vf",
            "thumbnail=30",
            "-frames:v",
            "1",
            "-an",
            "-sn",
            "-y",
            str(frame),
        ]
        try:
            subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=POSTER_TIMEOUT_SECONDS,
                check=True,
            )
            return images.decode(frame.read_bytes())
        except subprocess.CalledProcessError as error:
            log.warning("ffmpeg could not take a poster frame: %s", error.stderr[-500:])
        except (subprocess.TimeoutExpired, OSError, Invalid) as error:
            log.warning("no poster frame from ffmpeg: %s", error)
    return None
