"""One bot process per SQLite database: a lock held for the life of the process.

Two bots on one SQLite file each plan and send every alert, so nearly every subscriber
gets it twice. The first `run` takes an exclusive lock on `<database>.lock` (released by
the operating system when the process ends, however it ends); a second one is refused
with a plain message naming the file and the process that holds it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # not on this platform: the lock is skipped, as before
    fcntl = None  # type: ignore[assignment]


class DatabaseInUse(Exception):
    """Another process holds the database's lock."""


class ProcessLock:
    """An exclusive, non-blocking lock on a file next to the database."""

    def __init__(self, database_path: str) -> None:
        self.path = Path(f"{database_path}.lock")
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock, or raise DatabaseInUse saying who holds it."""
        if fcntl is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise DatabaseInUse(
                f"这个数据库已经有一个三不卫士在用了（{self.path.with_suffix('')}，进程 {holder}）。"
                "同一个 SQLite 数据库只能运行一个机器人，不然每条提醒都会发两遍。"
                "请先停掉那个，或者换一个 DATABASE_URL。"
                f" (another bot process, pid {holder}, uses this database)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        """Let the lock go (the operating system does it too when the process ends)."""
        if self._file is not None and fcntl is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
