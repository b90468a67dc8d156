"""Small pictures and video headers made in memory for the media tests."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image
from PIL.PngImagePlugin import PngInfo

ORIENTATION = 0x0112
MAKE = 0x010F


def jpeg(
    size: tuple[int, int] = (40, 20), *, orientation: int | None = None, make: str = ""
) -> bytes:
    """A JPEG, red on its left half and blue on its right, with optional EXIF."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if make:
        exif[MAKE] = make
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, exif=exif.tobytes())
    return buffer.getvalue()


def png(
    size: tuple[int, int] = (30, 30),
    *,
    colour: tuple[int, ...] = (0, 128, 0),
    text: dict[str, str] | None = None,
) -> bytes:
    image = Image.new("RGBA" if len(colour) == 4 else "RGB", size, colour)
    info = PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def animated_gif() -> bytes:
    """Two frames: red, then blue."""
    frames = [Image.new("RGB", (20, 20), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes that claim to be a ``width`` x ``height`` PNG: a decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def mp4_header(major: bytes = b"mp42", compatible: bytes = b"mp42isom") -> bytes:
    box = b"ftyp" + major + b"\x00\x00\x00\x00" + compatible
    return struct.pack(">I", len(box) + 4) + box + b"\x00\x00\x00\x08free" + b"\x00" * 100


def _ebml(element: bytes, data: bytes) -> bytes:
    return element + bytes([0x80 | len(data)]) + data


def webm_header(doctype: bytes = b"webm") -> bytes:
    body = b"".join(
        [
            _ebml(b"\x42\x86", b"\x01"),
            _ebml(b"\x42\xf7", b"\x01"),
            _ebml(b"\x42\xf2", b"\x04"),
            _ebml(b"\x42\xf3", b"\x08"),
            _ebml(b"\x42\x82", doctype),
            _ebml(b"\x42\x87", b"\x02"),
            _ebml(b"\x42\x85", b"\x02"),
        ]
    )
    segment = b"\x18\x53\x80\x67" + b"\x00" * 80
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(body)]) + body + segment
