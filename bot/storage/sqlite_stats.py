"""SQLite tables of the campaign figures: daily counters (see bot.stats.counters).

A mixin of `SqliteStorage`: it uses the connection `self._db` and the schema in `sqlite.py`.
The counters hold a day, a kind, a key and a number: no user id and no text.
"""

from __future__ import annotations

import sqlite3


class StatsTables:
    """The daily counters, and the counts of users and finished outbox rows."""

    @property
    def _db(self) -> sqlite3.Connection:
        raise NotImplementedError  # SqliteStorage: this thread's connection

    def add_count(self, day: str, kind: str, key: str, n: int = 1) -> None:
        """Add `n` to the counter (day, kind, key), creating it at 0 first."""
        self._db.execute(
            "INSERT INTO daily_counts (day, kind, key, n) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (day, kind, key) DO UPDATE SET n = n + excluded.n",
            (day, kind, key, n),
        )

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
