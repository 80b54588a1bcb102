"""Uploaded photos: checked to be real images, re-encoded (no EXIF, upright), and thumbnailed.

Re-encoding drops whatever else a file carried (scripts in a polyglot, GPS in EXIF) and bounds the size.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from anjian.core.exceptions import InvalidInput

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo; larger is refused before decoding (decompression bombs)
LONG_EDGE = 1920
THUMB_EDGE = 320
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "MPO", "HEIF"})


@dataclass(frozen=True)
class ProcessedPhoto:
    image: ContentFile[bytes]
    thumbnail: ContentFile[bytes]
    width: int
    height: int


def _jpeg(image: Image.Image, edge: int, quality: int) -> ContentFile[bytes]:
    copy = image.copy()
    copy.thumbnail((edge, edge))
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=quality, optimize=True)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def process_photo(upload: Any, *, field: str = "photo") -> ProcessedPhoto:
    """Check an uploaded photo and return it re-encoded as JPEG with a thumbnail, or raise ``InvalidInput``."""

    def refuse(message: str) -> InvalidInput:
        return InvalidInput(message, field_errors={field: [message]})

    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise refuse(_("The photo is larger than 15 MB."))
    try:
        stream: Any = upload.open("rb") if hasattr(upload, "open") else upload
        stream.seek(0)
        with Image.open(stream) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise refuse(_("Upload a JPEG, PNG or WebP photo."))
            if probe.width * probe.height > MAX_PIXELS:
                raise refuse(_("The photo has too many pixels."))
            probe.verify()
        stream.seek(0)
        with Image.open(stream) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise refuse(_("This file is not a photo that can be read.")) from None
    return ProcessedPhoto(
        image=_jpeg(image, LONG_EDGE, 85),
        thumbnail=_jpeg(image, THUMB_EDGE, 75),
        width=image.width,
        height=image.height,
    )
