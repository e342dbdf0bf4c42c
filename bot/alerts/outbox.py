"""The durable outbox: one row per (alert occurrence or broadcast, chat), unique.

Planning writes rows; the sender drains them. A row is `pending` until Telegram confirmed
the message (`sent`), the retries ran out or the message was refused (`failed`), or the
person unsubscribed or blocked the bot (`dropped`). Because (key, chat) is unique, planning
the same occurrence again — after a restart, or on every tick — adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

Audience = Literal["everyone", "seniors", "family"]
Status = Literal["pending", "sent", "failed", "dropped"]


@dataclass(frozen=True)
class Delivery:
    """One message waiting in the outbox."""

    id: int
    key: str
    """What it is: ``a:<alert id>:<occurrence unix time>`` or ``b:<broadcast id>``."""
    user_id: int
    """The private chat it goes to (a Telegram private chat's id is the user's id)."""
    text: str
    attempts: int = 0
    """Failed tries so far (timeouts, network and server errors; not flood control)."""
    language: str = "zh-Hans"


def alert_key(alert_id: str, occurrence: float) -> str:
    """The outbox key of one occurrence of one alert."""
    return f"a:{alert_id}:{int(occurrence)}"


def broadcast_key(broadcast_id: int) -> str:
    """The outbox key of one confirmed admin broadcast."""
    return f"b:{broadcast_id}"


class OutboxStore(Protocol):
    """What planning and sending need from storage. Every call is one short transaction."""

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
        ...

    def due(self, now: float, limit: int) -> list[Delivery]:
        """Pending rows whose time has come, oldest first."""
        ...

    def next_due(self) -> float | None:
        """The earliest time a pending row may be sent, or None when nothing is pending."""
        ...

    def mark_sent(self, delivery_id: int, now: float) -> None:
        """Telegram confirmed the message: it is never sent again."""
        ...

    def reschedule(
        self, delivery_id: int, not_before: float, reason: str, *, attempt: bool
    ) -> None:
        """Try again at `not_before`; `attempt` counts this try towards the retry limit."""
        ...

    def mark_failed(self, delivery_id: int, reason: str, now: float) -> None:
        """Give up on this row, keeping the reason."""
        ...

    def deactivate(self, user_id: int, reason: str, now: float) -> None:
        """The person blocked the bot: their subscription stops and their pending rows drop."""
        ...

    def outbox_counts(self, key: str | None = None) -> dict[str, int]:
        """Rows by status (for one key, or all)."""
        ...

    def prune_outbox(self, before: float) -> int:
        """Delete finished rows older than `before`; returns how many."""
        ...
