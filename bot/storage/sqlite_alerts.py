"""SQLite tables of the alerts: subscriptions and the delivery outbox (see bot.alerts.outbox).

A mixin of `SqliteStorage`: it uses the connection `self._db` (autocommit; every statement
is its own transaction unless a `BEGIN` is issued) and the schema in `sqlite.py`.
"""

from __future__ import annotations

import sqlite3

from bot.alerts.outbox import Audience, Delivery
from bot.storage.base import Role, Subscription

_ROLE_OF_AUDIENCE = {"seniors": "senior", "family": "family"}


class AlertTables:
    """Subscriptions and the outbox."""

    @property
    def _db(self) -> sqlite3.Connection:
        raise NotImplementedError  # SqliteStorage: this thread's connection

    # --- subscriptions ------------------------------------------------------------------------

    def get_subscription(self, user_id: int) -> Subscription | None:
        """The user's subscription (active or not), or None."""
        row = self._db.execute(
            "SELECT user_id, role, region, active, created FROM subscriptions WHERE user_id = ?",
            (user_id,),
        ).fetchone()
        if row is None:
            return None
        role: Role = "family" if row[1] == "family" else "senior"
        return Subscription(row[0], role, row[2], bool(row[3]), row[4])

    def subscribe(self, user_id: int, role: Role, now: int) -> Subscription:
        """Subscribe (or change the role); a subscription stopped by a block becomes active.

        `created` is when alerts start: kept for a role change, renewed on reactivation so
        that alerts from while the bot was blocked are not caught up.
        """
        if role not in ("senior", "family"):
            raise ValueError(f"unknown role {role!r}")
        self._db.execute(
            "INSERT INTO subscriptions (user_id, role, region, active, created, updated) "
            "VALUES (?, ?, NULL, 1, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET role = excluded.role, "
            "created = CASE WHEN active THEN created ELSE excluded.created END, "
            "active = 1, updated = excluded.updated",
            (user_id, role, now, now),
        )
        subscription = self.get_subscription(user_id)
        assert subscription is not None
        return subscription

    def set_region(self, user_id: int, region: str | None) -> None:
        """Set or clear the region of an existing subscription."""
        self._db.execute("UPDATE subscriptions SET region = ? WHERE user_id = ?", (region, user_id))

    def unsubscribe(self, user_id: int, now: int) -> bool:
        """Stop the alerts and drop what is still queued; False when not subscribed."""
        current = self.get_subscription(user_id)
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM subscriptions WHERE user_id = ?", (user_id,))
            self._drop_pending(user_id, "unsubscribed", now)
        return current is not None and current.active

    def count_subscribers(self) -> int:
        """Active subscribers (what a broadcast would reach)."""
        return int(
            self._db.execute("SELECT count(*) FROM subscriptions WHERE active = 1").fetchone()[0]
        )

    # --- the outbox ---------------------------------------------------------------------------

    def enqueue_audience(
        self,
        key: str,
        text: str,
        *,
        not_before: float,
        audience: Audience = "everyone",
        region: str | None = None,
        subscribed_by: float,
        now: float,
    ) -> int:
        """Add a row for every active subscriber in the audience who subscribed no later than
        `subscribed_by`; rows that already exist for `key` are left alone. Returns rows added."""
        role = _ROLE_OF_AUDIENCE.get(audience)
        before = self._db.total_changes
        self._db.execute(
            "INSERT OR IGNORE INTO outbox (key, user_id, text, not_before, created) "
            "SELECT ?, user_id, ?, ?, ? FROM subscriptions "
            "WHERE active = 1 AND created <= ? "
            "AND (? IS NULL OR role = ?) AND (? IS NULL OR region = ?)",
            (key, text, not_before, now, subscribed_by, role, role, region, region),
        )
        return self._db.total_changes - before

    def due(self, now: float, limit: int) -> list[Delivery]:
        """Pending rows whose time has come, oldest first."""
        rows = self._db.execute(
            "SELECT o.id, o.key, o.user_id, o.text, o.attempts, coalesce(u.language, 'zh-Hans') "
            "FROM outbox o LEFT JOIN users u ON u.id = o.user_id "
            "WHERE o.status = 'pending' AND o.not_before <= ? "
            "ORDER BY o.not_before, o.id LIMIT ?",
            (now, limit),
        ).fetchall()
        return [Delivery(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    def next_due(self) -> float | None:
        """The earliest time a pending row may be sent, or None when nothing is pending."""
        row = self._db.execute(
            "SELECT min(not_before) FROM outbox WHERE status = 'pending'"
        ).fetchone()
        return None if row[0] is None else float(row[0])

    def mark_sent(self, delivery_id: int, now: float) -> None:
        """Telegram confirmed the message: it is never sent again."""
        self._db.execute(
            "UPDATE outbox SET status = 'sent', done = ?, reason = NULL "
            "WHERE id = ? AND status = 'pending'",
            (now, delivery_id),
        )

    def reschedule(
        self, delivery_id: int, not_before: float, reason: str, *, attempt: bool
    ) -> None:
        """Try again at `not_before`; `attempt` counts this try towards the retry limit."""
        self._db.execute(
            "UPDATE outbox SET not_before = ?, reason = ?, attempts = attempts + ? "
            "WHERE id = ? AND status = 'pending'",
            (not_before, reason, int(attempt), delivery_id),
        )

    def mark_failed(self, delivery_id: int, reason: str, now: float) -> None:
        """Give up on this row, keeping the reason."""
        self._db.execute(
            "UPDATE outbox SET status = 'failed', reason = ?, done = ?, attempts = attempts + 1 "
            "WHERE id = ? AND status = 'pending'",
            (reason, now, delivery_id),
        )

    def deactivate(self, user_id: int, reason: str, now: float) -> None:
        """The person blocked the bot: their subscription stops and their pending rows drop."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute(
                "UPDATE subscriptions SET active = 0, updated = ? WHERE user_id = ?",
                (int(now), user_id),
            )
            self._drop_pending(user_id, reason, now)

    def _drop_pending(self, user_id: int, reason: str, now: float) -> None:
        self._db.execute(
            "UPDATE outbox SET status = 'dropped', reason = ?, done = ? "
            "WHERE user_id = ? AND status = 'pending'",
            (reason, now, user_id),
        )

    def outbox_counts(self, key: str | None = None) -> dict[str, int]:
        """Rows by status (for one key, or all)."""
        rows = self._db.execute(
            "SELECT status, count(*) FROM outbox WHERE ?1 IS NULL OR key = ?1 GROUP BY status",
            (key,),
        ).fetchall()
        return {status: count for status, count in rows}

    def prune_outbox(self, before: float) -> int:
        """Delete finished rows older than `before`; returns how many."""
        return self._db.execute(
            "DELETE FROM outbox WHERE status != 'pending' AND done < ?", (before,)
        ).rowcount
