"""A picture's bytes in, the conversation on it out: open, read, clean (synchronous: the
bot runs it in its picture worker, the command line directly)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.pictures.errors import PictureError
from bot.pictures.screen import Line, Screen, read_screen

#: Lines read with less confidence than this are dropped (blur, a pattern, a face).
MIN_SCORE = 0.6
#: Pixels beyond this are refused unless the settings say otherwise (`picture_max_pixels`).
MAX_PIXELS = 40_000_000

#: A picture whose brightness varies less than this is a plain background.
PLAIN_STDDEV = 10.0
#: Fewer readable characters than this: there is no message in the picture.
MIN_CHARS = 4


@dataclass(frozen=True)
class PictureText:
    """What was read in a picture."""

    screen: Screen
    text: str
    """The conversation as the check reads it (see `Screen.text`)."""


def read_picture(data: bytes, *, max_pixels: int = MAX_PIXELS) -> PictureText:
    """Read the messages in a picture, or raise `PictureError` saying why not.

    Pillow, numpy and the models are imported here, on the first picture: the bot starts
    as fast as before and a bot that is never sent a picture never loads them."""
    from bot.pictures.image import open_picture
    from bot.pictures.ocr import OCR

    opened = open_picture(data, max_pixels=max_pixels)
    lines = OCR.read(opened.image)
    if not lines and busy(opened.image):
        raise PictureError("unreadable")  # something is there, but no letter in focus
    return from_lines(lines, opened.image.width, opened.image.height)


def busy(image: Any) -> bool:
    """Whether a picture in which no text was found still shows something (a blurred screen,
    a photo), not an empty background."""
    from PIL import ImageStat

    return float(ImageStat.Stat(image.convert("L")).stddev[0]) > PLAIN_STDDEV


def from_lines(lines: list[Line], width: float, height: float) -> PictureText:
    """The conversation in the lines read (split out for tests of the cleaning)."""
    sure = [line for line in lines if line.score >= MIN_SCORE]
    if not sure:
        # Something was seen but nothing could be read with confidence: a blurred picture.
        raise PictureError("unreadable" if len(lines) >= 3 else "no_text")
    screen = read_screen(sure, width, height)
    text = screen.text()
    if sum(ch.isalnum() for ch in text) < MIN_CHARS:
        raise PictureError("no_text")
    return PictureText(screen, text)
