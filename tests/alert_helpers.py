"""Helpers for the alert tests: a fake clock, subscribers, and a sender on the fake Bot API."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from fake_bot_api import TOKEN, FakeBotAPI, FakeTelegram
from telegram import Bot

from bot.alerts.quiet import QuietHours
from bot.alerts.sender import Sender
from bot.storage import Storage
from bot.tg.transport import TelegramTransport

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> float:
    """Unix time of a Shanghai wall-clock time, e.g. at("2026-12-01 10:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp()


class FakeClock:
    """Time that moves only when someone sleeps: deterministic, and as fast as the CPU."""

    def __init__(self, start: float) -> None:
        self.now = start
        self.slept = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.now += seconds
            self.slept += seconds
        await asyncio.sleep(0)


def subscribe_many(storage: Storage, ids: range | list[int], *, created: int = 0) -> None:
    """Subscribe these users (as seniors), as if long ago."""
    for user_id in ids:
        storage.subscribe(user_id, "senior", created)


async def make_sender(
    storage: Storage,
    telegram: FakeTelegram,
    clock: FakeClock,
    *,
    rate: float | None = 25.0,
    quiet: str = "off",
    **kwargs: object,
) -> tuple[Sender, Bot]:
    """A sender on a real `telegram.Bot` whose network is the fake (rejections included)."""
    telegram.clock = clock
    bot = Bot(TOKEN, request=FakeBotAPI(telegram))
    await bot.initialize()
    sender = Sender(
        storage,
        TelegramTransport(bot),
        quiet=QuietHours.from_setting(quiet, SHANGHAI),
        rate=rate,
        clock=clock,
        sleep=clock.sleep,
        **kwargs,  # type: ignore[arg-type]
    )
    return sender, bot
