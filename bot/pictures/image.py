"""Opening a picture safely: a real image, not too large, not too small, downscaled to the
size the reader needs. Nothing here is stored or logged; the bytes live only in memory.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from bot.pictures.errors import MAX_BYTES, PictureError

#: A picture narrower or lower than this holds no readable line of text.
MIN_SIDE = 64
#: Read at most this wide: a phone screenshot (1080 wide) keeps its size, a photo of a screen
#: from a 12-megapixel camera is brought down to it. Text on a phone stays legible at this
#: width, and the reader's time grows with the pixels.
READ_WIDTH = 1080
#: ... and at most this tall (a long scrolled screenshot is cut into what fits).
READ_HEIGHT = 4000


@dataclass(frozen=True)
class Opened:
    """A decoded picture, in RGB, downscaled for reading."""

    image: Image.Image
    original_size: tuple[int, int]


def open_picture(data: bytes, *, max_pixels: int) -> Opened:
    """Decode `data` as an image (PNG, JPEG, WebP, ...), or raise `PictureError`.

    The header is read first, so a picture with too many pixels is refused before it is
    decoded (Pillow's own bomb guard would only warn).
    """
    if len(data) > MAX_BYTES:
        raise PictureError("too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise PictureError("too_large")
            if min(width, height) < MIN_SIDE:
                raise PictureError("too_small")
            image.load()
            # A phone photo may carry its rotation in EXIF only.
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
    except PictureError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureError("too_large") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise PictureError("not_image") from None
    return Opened(downscale(image), (width, height))


def downscale(image: Image.Image) -> Image.Image:
    """The picture at most `READ_WIDTH` wide, then cut to `READ_HEIGHT` tall (its top: where
    a screenshot shows who wrote and what they asked first)."""
    width, height = image.size
    if width > READ_WIDTH:
        height = max(1, round(height * READ_WIDTH / width))
        image = image.resize((READ_WIDTH, height), Image.Resampling.LANCZOS)
    if image.height > READ_HEIGHT:
        image = image.crop((0, 0, image.width, READ_HEIGHT))
    return image
