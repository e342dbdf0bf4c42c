"""Simplified or Traditional output: every outgoing text goes through `localize`."""

from __future__ import annotations

from functools import lru_cache

import opencc

from bot.storage import Language
from bot.views.replies import Response


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    """s2tw: the glyphs Traditional readers expect (為, 裡), without rewriting vocabulary.
    Made when first needed: it costs about 40 MiB and 130 ms, which a process that never
    writes Traditional (a batch check) should not pay."""
    return opencc.OpenCC("s2tw")


@lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    """`text` in Traditional characters (OpenCC s2tw); cached, as the bot repeats itself."""
    return str(_s2t().convert(text))


def convert(text: str, language: Language) -> str:
    """`text` in the user's script (content and code are written in Simplified)."""
    return to_traditional(text) if language == "zh-Hant" else text


def localize(response: Response, language: Language) -> Response:
    """The response in the user's script: texts, button labels and the button notice."""
    if language != "zh-Hant":
        return response
    return response.map_text(to_traditional)
