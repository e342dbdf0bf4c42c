"""The alert sender when the database cannot record what was sent: at most once per
subscriber, whatever fails (a disk that is full, another process holding the lock)."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import pytest
from alert_helpers import FakeClock, at, make_sender, subscribe_many
from fake_bot_api import FakeTelegram

from bot.storage import Storage

TEXT = "🛡️ 测试提醒：不听、不信、不转账。"
WRITES = ("mark_sent", "reschedule", "mark_failed", "deactivate")


class FailingWrites:
    """The real storage, except that its outbox writes fail while `down` is set."""

    def __init__(self, storage: Storage, error: str) -> None:
        self._storage = storage
        self._error = error
        self.down = False
        self.refused = 0

    def __getattr__(self, name: str) -> Any:
        real = getattr(self._storage, name)
        if name not in WRITES:
            return real

        def write(*args: Any, **kwargs: Any) -> Any:
            if self.down:
                self.refused += 1
                raise sqlite3.OperationalError(self._error)
            return real(*args, **kwargs)

        return write


@pytest.mark.parametrize("error", ["database or disk is full", "database is locked"])
async def test_no_resend_storm_while_outcomes_cannot_be_written(storage, error: str) -> None:
    """30 subscribers; the database refuses every write for 15 s after the fifth send.
    Each subscriber gets the alert exactly once, every row ends sent, and the admins are
    told twice: when it broke and when it recovered."""
    clock = FakeClock(at("2026-12-01 10:00"))
    telegram = FakeTelegram()
    subscribe_many(storage, range(1, 31))
    storage.enqueue_audience("a:x:1", TEXT, not_before=clock(), subscribed_by=clock(), now=clock())
    store = FailingWrites(storage, error)
    told: list[str] = []
    sender, bot = await make_sender(store, telegram, clock, rate=25, on_trouble=told.append)
    broke_at: list[float] = []

    async def watch() -> None:
        # Break the database after the fifth delivery, mend it 15 s later.
        while not broke_at:
            if sum(len(telegram.texts_to(c)) for c in range(1, 31)) >= 5:
                store.down = True
                broke_at.append(clock())
            await clock.sleep(0.01)
        while clock() < broke_at[0] + 15:
            await clock.sleep(0.5)
        store.down = False

    watcher = asyncio.ensure_future(watch())
    await sender.drain()
    await watcher
    await sender.drain()
    await bot.shutdown()
    per_chat = {chat: len(telegram.texts_to(chat)) for chat in range(1, 31)}
    assert set(per_chat.values()) == {1}, per_chat
    assert storage.outbox_counts() == {"sent": 30}
    assert store.refused >= 1 and sender.stats.unrecorded >= 1
    assert len(told) == 2 and told[0].startswith("⚠️") and told[1].startswith("✅")
    assert not sender.store_down
