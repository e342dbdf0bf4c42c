"""Why a picture could not be read, and the largest one the bot takes."""

from __future__ import annotations

from typing import Literal

#: Telegram lets a bot download files up to 20 MB; a larger one is never fetched.
MAX_BYTES = 20 * 1024 * 1024

Problem = Literal["not_image", "too_large", "too_small", "no_text", "unreadable"]
"""Why a picture could not be read (each gets its own short answer)."""


class PictureError(Exception):
    """A picture the bot cannot read, and why (see `Problem`)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem)
        self.problem: Problem = problem
