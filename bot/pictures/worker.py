"""Where pictures are read: one worker thread behind a short queue, off the event loop.

Reading a phone screenshot takes about a second of one core. The worker reads one picture
at a time with one onnxruntime thread, so the other core stays free for everyone else's
replies; a picture waits at most `seconds` (queue included) before the senior is told, and
when `queue` pictures already wait the next one is turned away at once, not piled up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from bot.pictures.errors import PictureError
from bot.pictures.read import MAX_PIXELS, PictureText, read_picture

log = logging.getLogger(__name__)

#: What a reading gives: the text, or why there is none ("busy" and "timeout" included).
Outcome = PictureText | str


class PictureWorker:
    """Reads pictures for the bot, one at a time, with a bounded queue and a deadline."""

    def __init__(
        self,
        *,
        queue: int = 8,
        seconds: float = 30.0,
        max_pixels: int = MAX_PIXELS,
        read: Callable[[bytes], PictureText] | None = None,
    ) -> None:
        self._queue = queue
        self._seconds = seconds
        self._read = read or (lambda data: read_picture(data, max_pixels=max_pixels))
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="picture")
        self._waiting = 0

    @property
    def waiting(self) -> int:
        """Pictures being read or waiting to be."""
        return self._waiting

    def _run(self, data: bytes) -> Outcome:
        try:
            return self._read(data)
        except PictureError as error:
            return error.problem
        except Exception as exc:  # a picture that breaks the reader must not break the bot
            log.warning("a picture could not be read: %s", type(exc).__name__)
            return "unreadable"

    def _done(self, _future: object) -> None:
        self._waiting -= 1

    async def read(self, data: bytes) -> Outcome:
        """The text read in `data`, or the problem: "busy" when the queue is full, "timeout"
        when it took too long (the reading then finishes in the background, unseen)."""
        if self._waiting >= self._queue:
            return "busy"
        loop = asyncio.get_running_loop()
        self._waiting += 1
        future = loop.run_in_executor(self._pool, self._run, data)
        future.add_done_callback(self._done)
        try:
            return await asyncio.wait_for(asyncio.shield(future), self._seconds)
        except TimeoutError:
            return "timeout"

    def close(self) -> None:
        """Stop the worker (a reading in progress finishes first)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
