"""Reading untrusted pictures safely and drawing the sizes the pages show.

Every picture is decoded by Pillow and drawn again from its pixels, so nothing of the upload
survives but the picture itself: EXIF (camera, GPS), XMP, comments and text chunks are gone,
the EXIF orientation is applied, colours are converted to sRGB, and an animated GIF, PNG or
WebP keeps its first frame. Everything is re-encoded as WebP, which keeps transparency, so
every stored picture has one type whatever was uploaded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from typing import Literal

from PIL import Image, ImageCms, ImageDraw, ImageOps

from intranet_social.core.errors import Invalid

#: the most pixels a picture may have (a 50-megapixel photo is 8,000 x 6,000 and refused)
MAX_PIXELS = 40_000_000
# Pillow refuses pictures over twice this outright (DecompressionBombError) and warns over it.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
MIME = "image/webp"
WEBP_QUALITY = 82
NOT_A_PICTURE = "The file is not a picture this site can read; upload a JPEG, PNG, GIF or WebP."
TOO_MANY_PIXELS = (
    f"The picture has too many pixels; use one of at most {MAX_PIXELS // 1_000_000} megapixels."
)
POSTER_SIZE = (1280, 720)

#: what a picture is for; each purpose is stored in the sizes its pages show
Purpose = Literal["avatar", "cover", "post"]


@dataclass(frozen=True)
class Variant:
    """One stored size: fitted inside ``width`` x ``height``, or cropped to exactly that."""

    name: str
    width: int
    height: int
    crop: bool


VARIANTS: dict[str, tuple[Variant, ...]] = {
    "post": (Variant("full", 1600, 1600, crop=False), Variant("thumb", 480, 480, crop=False)),
    "avatar": (Variant("160", 160, 160, crop=True), Variant("48", 48, 48, crop=True)),
    "cover": (Variant("cover", 1200, 400, crop=True),),
    "poster": (Variant("poster", 1600, 1600, crop=False),),
}
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def decode(data: bytes, field: str = "file") -> Image.Image:
    """The picture in ``data`` as a fresh RGB or RGBA image, upright and in sRGB.

    Raises :class:`Invalid` naming ``field`` when it is not a picture of an accepted type
    (whatever its name says) or has too many pixels.
    """
    try:
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as source:
            if source.width * source.height > MAX_PIXELS:
                raise Invalid(TOO_MANY_PIXELS, field)
            source.seek(0)
            source.load()
            icc_profile = source.info.get("icc_profile")
            upright = ImageOps.exif_transpose(source)
            picture = _to_srgb(upright, icc_profile)
            return _normalise_mode(picture)
    except Invalid:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Invalid(TOO_MANY_PIXELS, field) from None
    except Exception:
        # Pillow's parsers fail in many ways on damaged or hostile files (OSError,
        # SyntaxError, ValueError, struct errors...); each means "not a picture we can read".
        raise Invalid(NOT_A_PICTURE, field) from None


def _to_srgb(picture: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert from an embedded colour profile, so wide-gamut photos keep their colours once
    the profile itself is dropped. A profile that cannot be used is ignored."""
    if not icc_profile or picture.mode not in ("RGB", "RGBA", "CMYK"):
        return picture
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        output = "RGBA" if picture.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(picture, profile, SRGB, outputMode=output)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return picture
    return converted if converted is not None else picture


def _normalise_mode(picture: Image.Image) -> Image.Image:
    """RGBA when the picture has visible transparency, RGB otherwise."""
    mode = picture.mode
    if mode in ("I;16", "I;16B", "I;16L", "I"):
        picture = picture.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif mode == "F":
        picture = picture.convert("L")
    has_alpha = picture.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        picture.mode == "P" and "transparency" in picture.info
    )
    if not has_alpha:
        return picture.convert("RGB") if picture.mode != "RGB" else picture
    picture = picture.convert("RGBA")
    lowest_alpha, _ = picture.getchannel("A").getextrema()
    return picture.convert("RGB") if lowest_alpha == 255 else picture


def render(
    picture: Image.Image, purpose: Purpose | Literal["poster"]
) -> list[tuple[str, Image.Image]]:
    """``(variant name, image)`` for every size of ``purpose``, largest first."""
    rendered: list[tuple[str, Image.Image]] = []
    source = picture
    for variant in VARIANTS[purpose]:
        image = _crop(source, variant) if variant.crop else _fit(source, variant)
        rendered.append((variant.name, image))
        source = image  # each smaller size is drawn from the one before: much faster
    return rendered


def _fit(picture: Image.Image, variant: Variant) -> Image.Image:
    """Shrunk to fit inside the variant's box, never enlarged."""
    image = picture.copy()
    image.thumbnail((variant.width, variant.height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return image


def _crop(picture: Image.Image, variant: Variant) -> Image.Image:
    """The centre of the picture with the variant's shape, scaled to exactly its size."""
    width, height = picture.size
    target = variant.width / variant.height
    box: tuple[float, float, float, float]
    if width / height > target:
        crop_width = height * target
        box = ((width - crop_width) / 2, 0, (width + crop_width) / 2, height)
    else:
        crop_height = width / target
        box = (0, (height - crop_height) / 2, width, (height + crop_height) / 2)
    return picture.resize(
        (variant.width, variant.height), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0
    )


def encode(image: Image.Image) -> bytes:
    """WebP bytes of ``image`` with no metadata at all."""
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    return buffer.getvalue()


@cache
def neutral_poster() -> bytes:
    """The poster of a video whose first frame cannot be taken: a play sign on grey."""
    width, height = POSTER_SIZE
    image = Image.new("RGB", POSTER_SIZE, (58, 59, 60))
    draw = ImageDraw.Draw(image)
    radius = height // 6
    centre_x, centre_y = width // 2, height // 2
    draw.ellipse(
        (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius),
        fill=(228, 230, 235),
    )
    side = radius * 0.9
    draw.polygon(
        [
            (centre_x - side * 0.4, centre_y - side * 0.55),
            (centre_x - side * 0.4, centre_y + side * 0.55),
            (centre_x + side * 0.6, centre_y),
        ],
        fill=(58, 59, 60),
    )
    return encode(image)
