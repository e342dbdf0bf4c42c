"""SQLite tables of the family link (links, one-time code hashes, wrong tries) and of admin
broadcasts. A mixin of `SqliteStorage`, on its connection `self._db`."""

from __future__ import annotations

import sqlite3

from bot.alerts.outbox import broadcast_key
from bot.storage.base import Broadcast, BroadcastStatus, FamilyLink, LinkCode


class FamilyTables:
    """Family links, link codes, and broadcasts."""

    @property
    def _db(self) -> sqlite3.Connection:
        raise NotImplementedError  # SqliteStorage: this thread's connection

    # --- one-time codes -----------------------------------------------------------------------

    def replace_link_code(
        self, senior_id: int, code_hash: str, senior_name: str | None, expires: int
    ) -> None:
        """Store a new one-time code for the senior; their older codes stop working."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM link_codes WHERE user_id = ?", (senior_id,))
            self._db.execute(
                "INSERT OR REPLACE INTO link_codes (code_hash, user_id, name, expires) "
                "VALUES (?, ?, ?, ?)",
                (code_hash, senior_id, senior_name, expires),
            )

    def find_link_code(self, code_hash: str) -> LinkCode | None:
        """The code with this hash (valid or expired), or None."""
        row = self._db.execute(
            "SELECT user_id, name, expires FROM link_codes WHERE code_hash = ?", (code_hash,)
        ).fetchone()
        return LinkCode(row[0], row[1], row[2]) if row else None

    def delete_link_code(self, code_hash: str) -> bool:
        """Use up a code; False when it was already used (two people racing)."""
        deleted = self._db.execute(
            "DELETE FROM link_codes WHERE code_hash = ?", (code_hash,)
        ).rowcount
        return deleted > 0

    def record_link_failure(self, user_id: int, now: int) -> None:
        """Count one wrong /link try (tries older than a day are cleared on the way)."""
        self._db.execute("DELETE FROM link_failures WHERE at < ?", (now - 86_400,))
        self._db.execute("INSERT INTO link_failures (user_id, at) VALUES (?, ?)", (user_id, now))

    def link_failures_since(self, user_id: int, since: int) -> int:
        """Wrong /link tries of the user since `since`."""
        row = self._db.execute(
            "SELECT count(*) FROM link_failures WHERE user_id = ? AND at >= ?", (user_id, since)
        ).fetchone()
        return int(row[0])

    # --- links --------------------------------------------------------------------------------

    def add_link(self, link: FamilyLink) -> bool:
        """Link a family member to a senior; False when they were linked already."""
        added = self._db.execute(
            "INSERT OR IGNORE INTO family_links "
            "(user_id, family_id, senior_name, family_name, created) VALUES (?, ?, ?, ?, ?)",
            (link.senior_id, link.family_id, link.senior_name, link.family_name, link.created),
        ).rowcount
        return added > 0

    def remove_link(self, senior_id: int, family_id: int) -> bool:
        """Unlink; False when there was no such link."""
        removed = self._db.execute(
            "DELETE FROM family_links WHERE user_id = ? AND family_id = ?", (senior_id, family_id)
        ).rowcount
        return removed > 0

    def links_of(self, user_id: int) -> list[FamilyLink]:
        """Every link the user is in, as senior or as family member, oldest first."""
        rows = self._db.execute(
            "SELECT user_id, family_id, senior_name, family_name, created FROM family_links "
            "WHERE user_id = ?1 OR family_id = ?1 ORDER BY created, user_id, family_id",
            (user_id,),
        ).fetchall()
        return [FamilyLink(*row) for row in rows]

    # --- broadcasts ---------------------------------------------------------------------------

    def create_broadcast(self, admin_id: int, text: str, now: int) -> int:
        """Save a broadcast draft; returns its id."""
        cursor = self._db.execute(
            "INSERT INTO broadcasts (user_id, text, created) VALUES (?, ?, ?)",
            (admin_id, text, now),
        )
        return int(cursor.lastrowid or 0)

    def get_broadcast(self, broadcast_id: int) -> Broadcast | None:
        """The broadcast, or None."""
        row = self._db.execute(
            "SELECT id, user_id, text, status FROM broadcasts WHERE id = ?", (broadcast_id,)
        ).fetchone()
        if row is None:
            return None
        status: BroadcastStatus = row[3]
        return Broadcast(row[0], row[1], row[2], status)

    def queue_broadcast(self, broadcast_id: int, not_before: float, now: float) -> int | None:
        """Turn a draft into outbox rows for every active subscriber, in one transaction.

        Returns the rows added, or None when it was not a draft (already queued or cancelled):
        a double tap on 确认 sends nothing twice.
        """
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            row = self._db.execute(
                "SELECT text FROM broadcasts WHERE id = ? AND status = 'draft'", (broadcast_id,)
            ).fetchone()
            if row is None:
                return None
            self._db.execute(
                "UPDATE broadcasts SET status = 'queued' WHERE id = ?", (broadcast_id,)
            )
            before = self._db.total_changes
            self._db.execute(
                "INSERT OR IGNORE INTO outbox (key, user_id, text, not_before, created) "
                "SELECT ?, user_id, ?, ?, ? FROM subscriptions WHERE active = 1",
                (broadcast_key(broadcast_id), row[0], not_before, now),
            )
            return self._db.total_changes - before

    def cancel_broadcast(self, broadcast_id: int) -> bool:
        """Cancel a draft; False when it was not a draft."""
        changed = self._db.execute(
            "UPDATE broadcasts SET status = 'cancelled' WHERE id = ? AND status = 'draft'",
            (broadcast_id,),
        ).rowcount
        return changed > 0
