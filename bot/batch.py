"""`check --jsonl` on several cores: lines checked in worker processes, answered in order.

The check is pure Python, so one process uses one core. A batch forks worker processes
after the checker is built (they share its memory until they write), sends them chunks of
lines and writes their answers in input order. Lines are read as they come: a chunk is
whatever has arrived (at most `CHUNK` lines), so a slow producer (a pipe written line by
line) still gets each answer as soon as its line is checked. A worker that dies costs
nothing: its chunk is checked again in the main process, and the rest of the batch too.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TextIO

#: Lines sent to a worker at once (enough to make the hand-over cheap).
CHUNK = 64
#: Chunks in flight per worker (keeps the workers busy while the answers are written).
AHEAD = 2
#: Workers when not told: every core, at most this many.
MAX_WORKERS = 4

Answer = Callable[[int, str | bytes], str]

#: What the workers run, set in the main process before they fork.
_answer: Answer | None = None


def default_workers() -> int:
    """Cores this process may use, at most `MAX_WORKERS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cores))


def _run_chunk(chunk: list[tuple[int, str | bytes]]) -> list[str]:
    assert _answer is not None
    return [_answer(lineno, raw) for lineno, raw in chunk]


def run(lines: Iterable[str | bytes], answer: Answer, out: TextIO, workers: int) -> None:
    """Write `answer(lineno, line)` for every line, in order, using `workers` processes.

    `answer` must never raise (the batch contract: a bad line gets an error object). With
    one worker, or where processes cannot be forked, the lines are answered here.
    """
    numbered = enumerate(lines, start=1)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for lineno, raw in numbered:
            out.write(answer(lineno, raw) + "\n")
        return
    global _answer
    _answer = answer
    arrived: queue.Queue[tuple[int, str | bytes] | None] = queue.Queue(maxsize=CHUNK * 64)

    def read() -> None:
        try:
            for item in numbered:
                arrived.put(item)
        finally:
            arrived.put(None)

    context = multiprocessing.get_context("fork")
    pending: deque[tuple[list[tuple[int, str | bytes]], Future[list[str]]]] = deque()
    started = ProcessPoolExecutor(workers, mp_context=context)
    # The workers are forked (all at once, on the first task) before the reader thread
    # starts: a fork while that thread holds stdin's lock would leave the child stuck on it.
    started.submit(_run_chunk, []).result()
    pool: ProcessPoolExecutor | None = started
    threading.Thread(target=read, name="batch-reader", daemon=True).start()
    ended = False

    def write_oldest() -> None:
        nonlocal pool
        chunk, future = pending.popleft()
        try:
            answers = future.result()
        except (BrokenProcessPool, OSError, EOFError):
            answers = [answer(lineno, raw) for lineno, raw in chunk]
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None  # a dead worker: the rest of the batch is answered here
        for line in answers:
            out.write(line + "\n")
        out.flush()

    try:
        while not ended or pending:
            chunk: list[tuple[int, str | bytes]] = []
            if not ended:
                # Wait for a line only when nothing is being checked; then take what is there.
                item = arrived.get() if not pending else _take(arrived)
                while item is not None and item is not _NOTHING:
                    chunk.append(item)  # type: ignore[arg-type]
                    if len(chunk) >= CHUNK:
                        break
                    item = _take(arrived)
                if item is None:
                    ended = True
            if chunk:
                if pool is None:
                    for lineno, raw in chunk:
                        out.write(answer(lineno, raw) + "\n")
                    out.flush()
                else:
                    try:
                        pending.append((chunk, pool.submit(_run_chunk, chunk)))
                    except (BrokenProcessPool, RuntimeError):
                        pool = None
                        for lineno, raw in chunk:
                            out.write(answer(lineno, raw) + "\n")
                        out.flush()
            # Write what is done; block on the oldest only when enough is in flight, or
            # when no new line came (nothing else to do).
            while pending and (
                pending[0][1].done() or len(pending) >= workers * AHEAD or not chunk
            ):
                write_oldest()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        _answer = None


_NOTHING = object()


def _take(arrived: queue.Queue[tuple[int, str | bytes] | None]) -> object:
    """The next line if one has arrived, else `_NOTHING`."""
    try:
        return arrived.get_nowait()
    except queue.Empty:
        return _NOTHING
