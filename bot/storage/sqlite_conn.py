"""SQLite connections: one per thread, and a busy database reported as `StorageBusy`.

Dialog turns run in worker threads (so that one slow check or one locked write stalls no
one else). Each thread gets its own connection: in WAL mode readers never wait for a
writer, so while another process holds the write lock a senior's check — which only reads —
is still answered at once. A write waits at most `BUSY_TIMEOUT_MS` (none at all on the
event loop's thread), then raises `StorageBusy`, which the dialog answers with a short
"busy, try again" instead of an error.

`:memory:` becomes a private temporary file, removed when the storage is closed (or
collected): an in-memory database cannot be shared between connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from bot.storage.base import StorageBusy

#: How long a write waits for another connection's write lock before `StorageBusy`.
BUSY_TIMEOUT_MS = 2000

#: SQLite's words for "another connection holds the lock".
_BUSY_WORDS = ("database is locked", "database table is locked", "database is busy")


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def is_busy(exc: BaseException) -> bool:
    """True when the error means another connection holds the lock (not a broken database)."""
    return isinstance(exc, sqlite3.OperationalError) and any(
        word in str(exc).lower() for word in _BUSY_WORDS
    )


class BusyAwareConnection(sqlite3.Connection):
    """A connection whose "database is locked" errors are `StorageBusy`."""

    def execute(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        with _busy_as_storage_busy():
            return super().execute(*args, **kwargs)

    def executemany(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        with _busy_as_storage_busy():
            return super().executemany(*args, **kwargs)

    def commit(self) -> None:
        with _busy_as_storage_busy():
            super().commit()

    def __exit__(self, *exc_info: Any) -> Literal[False]:
        with _busy_as_storage_busy():
            return super().__exit__(*exc_info)


@contextlib.contextmanager
def _busy_as_storage_busy() -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise StorageBusy(str(exc)) from exc
        raise


class Connections:
    """Opens one connection per thread on one database file, and closes them all."""

    def __init__(self, path: str) -> None:
        self._scratch: str | None = None
        if path == ":memory:":
            self._scratch = tempfile.mkdtemp(prefix="sanbu-db-")
            path = str(Path(self._scratch) / "memory.db")
            # Removed with the storage even when nobody calls close() (tests, the console).
            weakref.finalize(self, shutil.rmtree, self._scratch, True)
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._closed = False

    def get(self, *, wait: bool = True) -> sqlite3.Connection:
        """This thread's connection, opened on first use.

        With `wait=False` — and always on a thread that runs an event loop — a locked write
        fails at once instead of waiting (busy_timeout 0): for writes that can be skipped or
        kept for later (last seen, counters), and for the loop, which serves everyone and so
        must never wait for a lock (the alert sender and planner keep what they could not
        write and retry).
        """
        local = self._local
        db: sqlite3.Connection | None = getattr(local, "db", None)
        if db is None:
            db = self._open()
            local.db, local.wait = db, BUSY_TIMEOUT_MS
        timeout = BUSY_TIMEOUT_MS if wait and not _on_event_loop() else 0
        if local.wait != timeout:
            db.execute(f"PRAGMA busy_timeout = {timeout}")
            local.wait = timeout
        return db

    def _open(self) -> sqlite3.Connection:
        if self._closed:
            raise sqlite3.ProgrammingError("the storage is closed")
        db = sqlite3.connect(
            self.path,
            isolation_level=None,
            check_same_thread=False,
            factory=BusyAwareConnection,
        )
        db.execute("PRAGMA journal_mode = WAL")
        # WAL + NORMAL: a commit survives a process crash; only an OS crash may lose the last one.
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Deleted rows are overwritten with zeros, so /forget leaves no names in free pages.
        db.execute("PRAGMA secure_delete = ON")
        with self._guard:
            self._all.append(db)
        return db

    def close(self) -> None:
        """Close every thread's connection (and remove the scratch file of `:memory:`)."""
        with self._guard:
            self._closed = True
            connections, self._all = self._all, []
        for db in connections:
            db.close()
        self._local = threading.local()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
