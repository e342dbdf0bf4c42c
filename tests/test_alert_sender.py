"""The sender against the fake Bot API (through a real `telegram.Bot` and the Telegram
transport), on a fake clock: nothing lost, nothing sent twice, Telegram's limits kept."""

from __future__ import annotations

import itertools

from alert_helpers import FakeClock, at, make_sender, subscribe_many
from fake_bot_api import FakeTelegram, Timeout, blocked, flood, server_error

from bot.alerts.outbox import broadcast_key
from bot.alerts.sender import FOOTER, MAX_ATTEMPTS, Pacer
from bot.storage import Storage

TEXT = "🛡️ 测试提醒：不听、不信、不转账。"


def queue(storage: Storage, key: str, now: float, text: str = TEXT) -> int:
    return storage.enqueue_audience(key, text, not_before=now, subscribed_by=now, now=now)


def counts_per_chat(telegram: FakeTelegram, chats: range) -> dict[int, int]:
    return {chat: len(telegram.texts_to(chat)) for chat in chats}


class TestDelivery:
    async def test_every_subscriber_gets_it_once_and_rows_are_sent(self, storage) -> None:
        """200 subscribers: one message each, with the unsubscribe line; all rows sent."""
        clock = FakeClock(at("2026-12-01 10:00"))
        telegram = FakeTelegram()
        subscribe_many(storage, range(1, 201))
        assert queue(storage, "a:weekly:1", clock()) == 200
        sender, bot = await make_sender(storage, telegram, clock)
        await sender.drain()
        await bot.shutdown()
        assert set(counts_per_chat(telegram, range(1, 201)).values()) == {1}
        assert telegram.texts_to(7) == [f"{TEXT}\n\n{FOOTER}"]
        assert storage.outbox_counts() == {"sent": 200}
        assert telegram.errors == []

    async def test_a_second_drain_and_a_second_plan_send_nothing_more(self, storage) -> None:
        """Re-queueing the same key adds no rows; draining again sends nothing."""
        clock = FakeClock(at("2026-12-01 10:00"))
        telegram = FakeTelegram()
        subscribe_many(storage, range(1, 11))
        queue(storage, "a:weekly:1", clock())
        sender, bot = await make_sender(storage, telegram, clock)
        await sender.drain()
        assert queue(storage, "a:weekly:1", clock()) == 0
        await sender.drain()
        await bot.shutdown()
        assert set(counts_per_chat(telegram, range(1, 11)).values()) == {1}

    async def test_traditional_readers_get_traditional(self, storage) -> None:
        clock = FakeClock(at("2026-12-01 10:00"))
        telegram = FakeTelegram()
        subscribe_many(storage, [5])
        storage.set_language(5, "zh-Hant")
        queue(storage, "b:1", clock(), "不听、不信、不转账")
        sender, bot = await make_sender(storage, telegram, clock)
        await sender.drain()
        await bot.shutdown()
        assert telegram.texts_to(5)[0].startswith("不聽、不信、不轉賬")


class TestTelegramLimits:
    async def test_overall_rate_and_one_per_second_per_chat(self, storage) -> None:
        """No 1-second window holds more than 25 sends; a chat with two alerts waits ≥ 1 s."""
        clock = FakeClock(at("2026-12-01 10:00"))
        telegram = FakeTelegram()
        subscribe_many(storage, range(1, 101))
        queue(storage, "a:one:1", clock())
        queue(storage, "a:two:1", clock())
        sender, bot = await make_sender(storage, telegram, clock, rate=25)
        await sender.drain()
        await bot.shutdown()
        times = sorted(t for chat in telegram.send_times().values() for t in chat)
        assert len(times) == 200
        assert all(times[i + 25] - times[i] >= 1.0 - 1e-6 for i in range(len(times) - 25))
        for chat_times in telegram.send_times().values():
            assert all(b - a >= 1.0 - 1e-6 for a, b in itertools.pairwise(chat_times))
        assert set(counts_per_chat(telegram, range(1, 101)).values()) == {2}

    async def test_the_pacer_keeps_the_rate_when_wake_ups_are_late(self) -> None:
        """Oversleeping by a third of an interval each time still gives the full rate."""
        clock = FakeClock(0.0)

        async def late_sleep(seconds: float) -> None:
            await clock.sleep(seconds + 0.013)

        pacer = Pacer(25, clock, late_sleep)
        for _ in range(250):
            await pacer.wait_turn()
        assert 250 / clock.now >= 0.95 * 25


class TestFailures:
    async def test_flood_control_waits_what_telegram_says_then_retries(self, storage) -> None:
        """429 retry_after=7: everything pauses 7 s, then the message goes; none lost."""
        clock = FakeClock(at("2026-12-01 10:00"))
        telegram = FakeTelegram()
        subscribe_many(storage, range(1, 21))
        telegram.fail_calls[5] = flood(7)
        queue(storage, "b:1", clock())
        sender, bot = await make_sender(storage, telegram, clock)
        await sender.drain()
        await bot.shutdown()
        assert set(counts_per_chat(telegram, range(1, 21)).values()) == {1}
        assert sender.stats.retry_after == 1
        calls = [c for c in telegram.calls if c.method == "sendMessage"]
        # the call after the 429 waits at least the 7 s Telegram asked for
        assert calls[5].at - calls[4].at >= 7.0 - 1e-6
        assert storage.outbox_counts() == {"sent": 20}

    async def test_a_blocked_chat_is_deactivated_and_never_tried_again(self, storage) -> None:
        """403: the subscription stops, its queued rows drop, later alerts skip it."""
        clock = FakeClock(at("2026-12-01 10:00"))
        telegram = FakeTelegram()
        subscribe_many(storage, range(1, 11))
        telegram.blocked.add(4)
        queue(storage, "b:1", clock())
        queue(storage, "b:2", clock())
        sender, bot = await make_sender(storage, telegram, clock)
        await sender.drain()
        subscription = storage.get_subscription(4)
        assert subscription is not None and not subscription.active
        tries_to_4 = len(telegram.send_times()[4])
        assert tries_to_4 == 1
        assert queue(storage, "b:3", clock()) == 9  # the blocked chat is not queued
        await sender.drain()
        await bot.shutdown()
        assert len(telegram.send_times()[4]) == 1
        assert telegram.texts_to(4) == []
        assert set(counts_per_chat(telegram, range(5, 11)).values()) == {3}
        assert storage.outbox_counts(broadcast_key(2)) == {"sent": 9, "dropped": 1}

    async def test_timeouts_and_5xx_are_retried_with_backoff(self, storage) -> None:
        """A timeout and two 5xx for one chat, a 500 for another: all delivered once."""
        clock = FakeClock(at("2026-12-01 10:00"))
        telegram = FakeTelegram()
        subscribe_many(storage, range(1, 31))
        telegram.fail_chat[3] = [Timeout(delivered=False), server_error(502), server_error(500)]
        telegram.fail_chat[9] = [server_error(500)]
        queue(storage, "b:1", clock())
        sender, bot = await make_sender(storage, telegram, clock)
        await sender.drain()
        await bot.shutdown()
        assert set(counts_per_chat(telegram, range(1, 31)).values()) == {1}
        assert sender.stats.retried == 4
        times = telegram.send_times()[3]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert gaps == sorted(gaps) and gaps[0] >= 10.0  # 10, 20, 40 s: growing backoff
        assert storage.outbox_counts() == {"sent": 30}

    async def test_retries_are_bounded_then_failed_with_the_reason(self, storage) -> None:
        """A chat that always meets 502 fails after MAX_ATTEMPTS tries, with the reason."""
        clock = FakeClock(at("2026-12-01 10:00"))
        telegram = FakeTelegram()
        subscribe_many(storage, range(1, 4))
        telegram.fail_chat[2] = [server_error(502)] * 50
        queue(storage, "b:1", clock())
        sender, bot = await make_sender(storage, telegram, clock)
        await sender.drain()
        await bot.shutdown()
        assert len(telegram.send_times()[2]) == MAX_ATTEMPTS
        assert storage.outbox_counts() == {"sent": 2, "failed": 1}
        db = storage._db  # type: ignore[attr-defined]
        reason = db.execute("SELECT reason FROM outbox WHERE status = 'failed'").fetchone()[0]
        assert "Bad Gateway" in reason and f"after {MAX_ATTEMPTS} tries" in reason

    async def test_a_refused_message_fails_at_once(self, storage) -> None:
        """400 (not 'chat not found'): retrying would not help, so it is not retried."""
        from fake_bot_api import ApiError

        clock = FakeClock(at("2026-12-01 10:00"))
        telegram = FakeTelegram()
        subscribe_many(storage, range(1, 3))
        telegram.fail_chat[1] = [ApiError(400, "Bad Request: can't parse entities")]
        queue(storage, "b:1", clock())
        sender, bot = await make_sender(storage, telegram, clock)
        await sender.drain()
        await bot.shutdown()
        assert len(telegram.send_times()[1]) == 1
        assert storage.outbox_counts() == {"sent": 1, "failed": 1}

    async def test_chat_not_found_counts_as_gone(self, storage) -> None:
        from fake_bot_api import ApiError

        clock = FakeClock(at("2026-12-01 10:00"))
        telegram = FakeTelegram()
        subscribe_many(storage, [1])
        telegram.fail_chat[1] = [ApiError(400, "Bad Request: chat not found")]
        queue(storage, "b:1", clock())
        sender, bot = await make_sender(storage, telegram, clock)
        await sender.drain()
        await bot.shutdown()
        subscription = storage.get_subscription(1)
        assert subscription is not None and not subscription.active

    async def test_everything_at_once_loses_nothing_and_doubles_nothing(self, storage) -> None:
        """500 subscribers; floods, blocks, timeouts and 5xx sprinkled: each active
        subscriber ends with exactly one message, each blocked one with none."""
        clock = FakeClock(at("2026-12-01 10:00"))
        telegram = FakeTelegram()
        chats = range(1, 501)
        subscribe_many(storage, chats)
        blocked_chats = set(range(7, 501, 50))
        telegram.blocked |= blocked_chats
        for n in range(10, 2000, 97):
            telegram.fail_calls[n] = flood(3)
        for chat in range(3, 501, 11):
            telegram.fail_chat[chat] = [Timeout(), server_error(503)]
        telegram.fail_chat[100] = [blocked()]  # blocked on the first try only
        queue(storage, "b:1", clock())
        sender, bot = await make_sender(storage, telegram, clock)
        await sender.drain()
        await bot.shutdown()
        got = counts_per_chat(telegram, chats)
        assert {c for c, n in got.items() if n == 0} == blocked_chats | {100}
        assert all(n == 1 for c, n in got.items() if c not in blocked_chats | {100})
        counts = storage.outbox_counts()
        assert counts == {"sent": 500 - len(blocked_chats) - 1, "dropped": len(blocked_chats) + 1}

    async def test_a_timeout_after_telegram_accepted_is_the_one_duplicate(self, storage) -> None:
        """Telegram has no idempotency key: when the answer to an accepted message is lost,
        the retry shows it twice. This is the documented limit of "exactly once"."""
        clock = FakeClock(at("2026-12-01 10:00"))
        telegram = FakeTelegram()
        subscribe_many(storage, [1, 2])
        telegram.fail_chat[1] = [Timeout(delivered=True)]
        queue(storage, "b:1", clock())
        sender, bot = await make_sender(storage, telegram, clock)
        await sender.drain()
        await bot.shutdown()
        assert len(telegram.texts_to(1)) == 2
        assert len(telegram.texts_to(2)) == 1


class TestQuietHours:
    async def test_nothing_is_sent_in_quiet_hours_and_the_rest_waits_for_morning(
        self, storage
    ) -> None:
        """A broadcast starting at 20:59:50 sends until 21:00, then resumes at 08:00."""
        clock = FakeClock(at("2026-12-01 20:59:50"))
        telegram = FakeTelegram()
        subscribe_many(storage, range(1, 501))
        queue(storage, "b:1", clock())
        sender, bot = await make_sender(storage, telegram, clock, quiet="21:00-08:00")
        await sender.drain()
        await bot.shutdown()
        times = sorted(t for chat in telegram.send_times().values() for t in chat)
        assert len(times) == 500
        evening = [t for t in times if t < at("2026-12-01 21:00")]
        morning = [t for t in times if t >= at("2026-12-02 08:00")]
        assert 0 < len(evening) <= 10 * 25 + 1
        assert len(evening) + len(morning) == 500

    async def test_a_row_due_at_night_waits_for_the_end_of_quiet_hours(self, storage) -> None:
        clock = FakeClock(at("2026-12-01 23:30"))
        telegram = FakeTelegram()
        subscribe_many(storage, range(1, 4))
        queue(storage, "b:1", clock())
        sender, bot = await make_sender(storage, telegram, clock, quiet="21:00-08:00")
        await sender.drain()
        await bot.shutdown()
        times = [t for chat in telegram.send_times().values() for t in chat]
        assert min(times) >= at("2026-12-02 08:00")
