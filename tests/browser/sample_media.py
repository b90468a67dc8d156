"""Tiny photos and a tiny real video for the browser tests, made on the spot.

Photos are JPEGs drawn by Pillow. The video needs no ffmpeg: Chromium's own VP8 encoder
(WebCodecs, run in a page of the site) turns a few canvas drawings into frames, and
:func:`webm` wraps them in a WebM file with a duration and a cue per cluster, so a player can
seek in it.
"""

from __future__ import annotations

import base64
import io
import struct
from dataclasses import dataclass

from PIL import Image, ImageDraw
from playwright.sync_api import Page

VIDEO_WIDTH = 64
VIDEO_HEIGHT = 48
FRAME_MICROSECONDS = 100_000
#: 20 frames of 0.1 s: a two-second video with a key frame every second
VIDEO_FRAMES = 20
KEY_FRAME_EVERY = 10

#: encodes VIDEO_FRAMES canvas drawings as VP8 and returns each frame's bytes (base64),
#: time stamp (microseconds) and whether it is a key frame
ENCODE_FRAMES = """
async ({width, height, frames, frameMicroseconds, keyEvery}) => {
  const canvas = new OffscreenCanvas(width, height);
  const drawing = canvas.getContext("2d");
  const chunks = [];
  let failure = null;
  const encoder = new VideoEncoder({
    output: (chunk) => {
      const bytes = new Uint8Array(chunk.byteLength);
      chunk.copyTo(bytes);
      chunks.push({
        data: btoa(String.fromCharCode(...bytes)),
        timestamp: chunk.timestamp,
        key: chunk.type === "key",
      });
    },
    error: (error) => { failure = String(error); },
  });
  encoder.configure({codec: "vp8", width, height, bitrate: 200000, framerate: 10});
  for (let i = 0; i < frames; i++) {
    drawing.fillStyle = `hsl(${i * 18}, 80%, 50%)`;
    drawing.fillRect(0, 0, width, height);
    const frame = new VideoFrame(canvas, {
      timestamp: i * frameMicroseconds, duration: frameMicroseconds,
    });
    encoder.encode(frame, {keyFrame: i % keyEvery === 0});
    frame.close();
  }
  await encoder.flush();
  encoder.close();
  return {failure, chunks};
}
"""


def jpeg(colour: str, size: tuple[int, int] = (320, 240)) -> bytes:
    """A small JPEG of one colour with a darker band, so it is not a blank picture."""
    picture = Image.new("RGB", size, colour)
    ImageDraw.Draw(picture).rectangle((0, size[1] // 3, size[0], size[1] // 2), fill="#202020")
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


@dataclass(frozen=True)
class Frame:
    data: bytes
    #: milliseconds from the start
    at: int
    key: bool


def encode_frames(page: Page) -> list[Frame]:
    """VP8 frames of a two-second animation, encoded by the browser showing ``page``."""
    answer = page.evaluate(
        ENCODE_FRAMES,
        {
            "width": VIDEO_WIDTH,
            "height": VIDEO_HEIGHT,
            "frames": VIDEO_FRAMES,
            "frameMicroseconds": FRAME_MICROSECONDS,
            "keyEvery": KEY_FRAME_EVERY,
        },
    )
    assert answer["failure"] is None, f"the browser could not encode VP8: {answer['failure']}"
    assert len(answer["chunks"]) == VIDEO_FRAMES
    return [
        Frame(base64.b64decode(c["data"]), c["timestamp"] // 1000, c["key"])
        for c in answer["chunks"]
    ]


def webm_video(page: Page) -> bytes:
    """A two-second 64x48 WebM video made by the browser showing ``page`` (a page of the
    site: encoding needs a secure context, which a local address is)."""
    return webm(encode_frames(page), VIDEO_WIDTH, VIDEO_HEIGHT, FRAME_MICROSECONDS // 1000)


# ---------------------------------------------------------------- a minimal WebM writer


def _size(length: int) -> bytes:
    """An EBML element size in the fewest bytes (all ones is reserved for "unknown")."""
    width = 1
    while length >= (1 << (7 * width)) - 1:
        width += 1
    return ((1 << (7 * width)) | length).to_bytes(width, "big")


def _element(ident: int, payload: bytes) -> bytes:
    return ident.to_bytes((ident.bit_length() + 7) // 8, "big") + _size(len(payload)) + payload


def _uint(ident: int, value: int, width: int = 0) -> bytes:
    return _element(ident, value.to_bytes(width or max(1, (value.bit_length() + 7) // 8), "big"))


def webm(frames: list[Frame], width: int, height: int, frame_ms: int) -> bytes:
    """Frames of one VP8 track as a WebM file: header, info with the duration, the track,
    cues, then one cluster per key frame (Matroska element ids from its specification)."""
    header = _element(
        0x1A45DFA3,
        _uint(0x4286, 1)  # EBMLVersion
        + _uint(0x42F7, 1)  # EBMLReadVersion
        + _uint(0x42F2, 4)  # EBMLMaxIDLength
        + _uint(0x42F3, 8)  # EBMLMaxSizeLength
        + _element(0x4282, b"webm")  # DocType
        + _uint(0x4287, 2)  # DocTypeVersion
        + _uint(0x4285, 2),  # DocTypeReadVersion
    )
    info = _element(
        0x1549A966,
        _uint(0x2AD7B1, 1_000_000)  # TimestampScale: milliseconds
        + _element(0x4489, struct.pack(">d", frames[-1].at + frame_ms))  # Duration
        + _element(0x4D80, b"tests")  # MuxingApp
        + _element(0x5741, b"tests"),  # WritingApp
    )
    video = _element(0xE0, _uint(0xB0, width) + _uint(0xBA, height))  # PixelWidth/Height
    track = _uint(0xD7, 1) + _uint(0x73C5, 1) + _uint(0x83, 1) + _element(0x86, b"V_VP8")
    tracks = _element(0x1654AE6B, _element(0xAE, track + video))

    groups: list[list[Frame]] = []
    for frame in frames:
        if frame.key or not groups:
            groups.append([])
        groups[-1].append(frame)
    clusters = [(group[0].at, _cluster(group)) for group in groups]

    def cues(first_cluster_at: int) -> bytes:
        points, at = b"", first_cluster_at
        for start, cluster in clusters:
            # fixed-width numbers, so the cues' own size does not depend on the positions
            position = _uint(0xF7, 1) + _uint(0xF1, at, 8)  # CueTrack, CueClusterPosition
            points += _element(0xBB, _uint(0xB3, start, 8) + _element(0xB7, position))
            at += len(cluster)
        return _element(0x1C53BB6B, points)

    before_clusters = len(info) + len(tracks) + len(cues(0))
    segment = info + tracks + cues(before_clusters) + b"".join(c for _, c in clusters)
    return header + _element(0x18538067, segment)


def _cluster(frames: list[Frame]) -> bytes:
    start = frames[0].at
    blocks = b"".join(
        _element(
            0xA3,  # SimpleBlock: track 1, time from the cluster's start, key-frame flag
            b"\x81"
            + struct.pack(">h", frame.at - start)
            + (b"\x80" if frame.key else b"\x00")
            + frame.data,
        )
        for frame in frames
    )
    return _element(0x1F43B675, _uint(0xE7, start, 8) + blocks)
