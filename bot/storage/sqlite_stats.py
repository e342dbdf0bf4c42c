"""SQLite tables of the campaign figures: daily counters (see bot.stats.counters).

A mixin of `SqliteStorage`: it uses the connection `self._db` and the schema in `sqlite.py`.
The counters hold a day, a kind, a key and a number: no user id and no text.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter

from bot.storage.base import StorageBusy


class StatsTables:
    """The daily counters, and the counts of users and finished outbox rows."""

    @property
    def _db(self) -> sqlite3.Connection:
        raise NotImplementedError  # SqliteStorage: this thread's connection

    @property
    def _db_at_once(self) -> sqlite3.Connection:
        raise NotImplementedError  # SqliteStorage: the same, never waiting for a lock

    #: Counts that could not be written while the database was busy, by (day, kind, key);
    #: they are added with the next count that can be written (lost only if the process ends).
    _held: Counter[tuple[str, str, str]]
    _held_guard: threading.Lock

    def add_count(self, day: str, kind: str, key: str, n: int = 1) -> None:
        """Add `n` to the counter (day, kind, key), creating it at 0 first. While the
        database is busy the count is held in memory and written with a later one: a
        counter never holds up the answer to a senior."""
        with self._held_guard:
            self._held[(day, kind, key)] += n
            pending, self._held = self._held, Counter()
        db = self._db_at_once
        try:
            with db:
                db.execute("BEGIN")
                db.executemany(
                    "INSERT INTO daily_counts (day, kind, key, n) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (day, kind, key) DO UPDATE SET n = n + excluded.n",
                    [(*where, count) for where, count in pending.items()],
                )
        except StorageBusy:
            with self._held_guard:
                self._held.update(pending)

    def counts_since(self, day: str) -> dict[tuple[str, str], int]:
        """Every counter summed over the days from `day` (inclusive), by (kind, key)."""
        rows = self._db.execute(
            "SELECT kind, key, sum(n) FROM daily_counts WHERE day >= ? GROUP BY kind, key",
            (day,),
        ).fetchall()
        return {(kind, key): int(n) for kind, key, n in rows}

    def user_counts(self, since: int) -> tuple[int, int]:
        """(all users, users first seen at or after `since`)."""
        total, new = self._db.execute(
            "SELECT count(*), coalesce(sum(created >= ?), 0) FROM users", (since,)
        ).fetchone()
        return int(total), int(new)

    def outbox_done_since(self, since: float) -> dict[str, int]:
        """Outbox rows finished at or after `since`, by status (sent, failed, dropped)."""
        rows = self._db.execute(
            "SELECT status, count(*) FROM outbox WHERE status != 'pending' AND done >= ? "
            "GROUP BY status",
            (since,),
        ).fetchall()
        return {status: int(n) for status, n in rows}
