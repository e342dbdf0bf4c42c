"""Benchmark: an alert broadcast to 10,000 subscribers through a fake Bot API.

(a) Rate limit lifted: deliveries per second the sender sustains — its own overhead
    (outbox query, pacing, PTB request building, the commit per message). In-process fake
    that yields to the event loop on every call, as a real request would; SQLite on disk.
(b) Default limit (ALERT_RATE 25/s): the achieved rate as a share of the limit, and every
    subscriber checked for exactly one message. Two runs: real time for `--seconds` (a slice
    of the 10,000), and all 10,000 on a clock running `--scale` times faster (the pacer,
    the sender and the fake all read that clock; Telegram's work is not scaled).
(c) 20 people chatting (checks, 求助, guide, /start; 1–3 s between inputs) through the real
    Application with its AIORateLimiter, while the broadcast runs at 25/s on its own Bot:
    p50 / p99 time from an update entering `process_update` to all its replies sent,
    against the same people with no broadcast.
(d) The duplicate window: time from the fake Bot API accepting a message to the outbox
    row committed as sent, over real HTTP on 127.0.0.1 (FakeBotHTTPServer), rate lifted.

    .venv/bin/python scripts/bench_broadcast.py            # all parts, ~2 minutes
    .venv/bin/python scripts/bench_broadcast.py --parts a,d
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fake_bot_api import (  # noqa: E402
    TOKEN,
    FakeBotAPI,
    FakeBotHTTPServer,
    FakeTelegram,
    Person,
)
from telegram import Bot  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bot.alerts.quiet import QuietHours  # noqa: E402
from bot.alerts.sender import Sender  # noqa: E402
from bot.content.loader import load_content  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage.sqlite import SqliteStorage  # noqa: E402
from bot.telegram_app import build_application  # noqa: E402
from bot.tg.transport import TelegramTransport  # noqa: E402

SUBSCRIBERS = 10_000
SHANGHAI = ZoneInfo("Asia/Shanghai")
TEXT = "🛡️ 每周防骗提醒\n不听、不信、不转账：凡是要您转钱、说验证码的，先挂断，打 96110 问一问。"
CHATS = (
    "我是公安局的，您的银行卡涉嫌洗钱，请把钱转到安全账户配合调查，不要告诉家人",
    "妈，我今晚回家吃饭，帮我留碗汤。",
    "恭喜您中了二等奖，领奖前请先交个人所得税3000元",
    "【社区通知】本周六上午在活动中心有免费量血压，欢迎参加。",
    "🆘 求助",
    "🛡️ 三不口诀",
    "/start",
)


class TimedStorage(SqliteStorage):
    """SQLite storage that notes when each row was committed as sent."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.committed: dict[int, float] = {}

    def mark_sent(self, delivery_id: int, now: float) -> None:
        super().mark_sent(delivery_id, now)
        self.committed[delivery_id] = time.perf_counter()


class ScaledClock:
    """Wall time running `scale` times faster: for the pacer, the sender and the fake."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self.start_real = time.perf_counter()
        self.start = time.time()

    def __call__(self) -> float:
        return self.start + (time.perf_counter() - self.start_real) * self.scale

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self.scale)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def fill(storage: SqliteStorage, count: int, now: float) -> None:
    """`count` subscribers and one broadcast row for each."""
    db = storage._db
    with db:
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO subscriptions (user_id, role, created, updated) VALUES (?, 'senior', 0, 0)",
            [(100_000 + i,) for i in range(count)],
        )
    storage.enqueue_audience("b:bench", TEXT, not_before=now, subscribed_by=now, now=now)


def check_exactly_once(telegram: FakeTelegram, count: int, *, only_sent: bool = False) -> str:
    got = [len(telegram.texts_to(100_000 + i)) for i in range(count)]
    lost = sum(1 for n in got if n == 0)
    doubled = sum(n - 1 for n in got if n > 1)
    if only_sent:
        return f"duplicated {doubled}"
    return f"lost {lost}, duplicated {doubled}"


async def sender_on(
    storage: SqliteStorage, telegram: FakeTelegram, rate: float | None, **kwargs: Any
) -> tuple[Sender, Bot]:
    bot = Bot(TOKEN, request=FakeBotAPI(telegram, network_pause=True))
    await bot.initialize()
    quiet = QuietHours.from_setting("off", SHANGHAI)
    return Sender(storage, TelegramTransport(bot), quiet=quiet, rate=rate, **kwargs), bot


async def part_a(folder: str) -> None:
    storage = TimedStorage(f"{folder}/a.db")
    telegram = FakeTelegram()
    fill(storage, SUBSCRIBERS, time.time())
    sender, bot = await sender_on(storage, telegram, None)
    started = time.perf_counter()
    await sender.drain()
    elapsed = time.perf_counter() - started
    await bot.shutdown()
    window = list(sender.stats.commit_window)
    print(f"(a) rate limit lifted: {SUBSCRIBERS} deliveries in {elapsed:.2f} s")
    print(f"    sustained          {SUBSCRIBERS / elapsed:8.0f} deliveries/s")
    print(f"    {check_exactly_once(telegram, SUBSCRIBERS)}; rows {storage.outbox_counts()}")
    print(
        "    transport OK -> commit (in process): "
        f"p50 {statistics.median(window) * 1e6:.0f} µs, p99 {percentile(window, 0.99) * 1e6:.0f} µs, "
        f"max {max(window) * 1e6:.0f} µs"
    )
    storage.close()


async def part_b_real(folder: str, seconds: float, rate: float) -> None:
    storage = TimedStorage(f"{folder}/b1.db")
    telegram = FakeTelegram()
    fill(storage, SUBSCRIBERS, time.time())
    sender, bot = await sender_on(storage, telegram, rate)
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    await asyncio.sleep(seconds)
    stop.set()
    await task
    await bot.shutdown()
    times = sorted(c.at for c in telegram.calls if c.method == "sendMessage")
    span = times[-1] - times[0]
    achieved = (len(times) - 1) / span
    print(f"(b) default limit {rate:g}/s, real time, {seconds:g} s slice of {SUBSCRIBERS}:")
    print(
        f"    {len(times)} sent; achieved {achieved:.2f}/s = {achieved / rate:.1%} of the limit; "
        f"{check_exactly_once(telegram, SUBSCRIBERS, only_sent=True)}"
    )
    busiest = max(sum(1 for t in times[i:] if t - times[i] < 1.0) for i in range(0, len(times), 7))
    print(f"    most sends in any 1 s window (sampled): {busiest}")
    storage.close()


async def part_b_scaled(folder: str, scale: float, rate: float) -> None:
    storage = TimedStorage(f"{folder}/b2.db")
    telegram = FakeTelegram()
    clock = ScaledClock(scale)
    telegram.clock = clock
    fill(storage, SUBSCRIBERS, clock())
    sender, bot = await sender_on(storage, telegram, rate, clock=clock, sleep=clock.sleep)
    started_real = time.perf_counter()
    await sender.drain()
    real = time.perf_counter() - started_real
    await bot.shutdown()
    times = sorted(c.at for c in telegram.calls if c.method == "sendMessage")
    span = times[-1] - times[0]
    achieved = (len(times) - 1) / span
    print(
        f"(b) default limit {rate:g}/s, all {SUBSCRIBERS} on a clock x{scale:g} "
        f"({span:.0f} clock-s in {real:.1f} real s):"
    )
    print(
        f"    achieved {achieved:.2f}/s = {achieved / rate:.1%} of the limit; "
        f"{check_exactly_once(telegram, SUBSCRIBERS)}; rows {storage.outbox_counts()}"
    )
    storage.close()


async def chat_session(
    person: Person, rng: random.Random, until: float, timings: list[float]
) -> None:
    while time.perf_counter() < until:
        await asyncio.sleep(rng.uniform(1.0, 3.0))
        update = person.text_update(rng.choice(CHATS))
        started = time.perf_counter()
        await person.deliver(update)
        timings.append(time.perf_counter() - started)


async def part_c(folder: str, seconds: float, rate: float, users: int) -> None:
    content = load_content(ROOT)
    results: dict[str, list[float]] = {}
    sent_during = 0
    broadcast_seconds = 1.0
    for label, with_broadcast in (("no broadcast", False), ("during broadcast", True)):
        storage = TimedStorage(f"{folder}/c{int(with_broadcast)}.db")
        telegram = FakeTelegram()
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            telegram_bot_token=TOKEN,
            database_url=f"sqlite:///{folder}/c.db",
            quiet_hours="off",
        )
        api = FakeBotAPI(telegram, network_pause=True)
        application = build_application(
            settings, content, storage, request=api, get_updates_request=api
        )  # the production AIORateLimiter stays on for replies
        await application.initialize()
        stop = asyncio.Event()
        task = None
        if with_broadcast:
            fill(storage, SUBSCRIBERS, time.time())
            sender, bot = await sender_on(storage, telegram, rate)
            broadcast_started = time.perf_counter()
            task = asyncio.create_task(sender.run(stop))
        people = [Person(telegram, application, 10 + i) for i in range(users)]
        timings: list[float] = []
        until = time.perf_counter() + seconds
        await asyncio.gather(
            *(chat_session(p, random.Random(i), until, timings) for i, p in enumerate(people))
        )
        if task is not None:
            stop.set()
            await task
            broadcast_seconds = time.perf_counter() - broadcast_started
            await bot.shutdown()
            sent_during = storage.outbox_counts().get("sent", 0)
        await application.shutdown()
        storage.close()
        results[label] = timings
    print(f"(c) {users} people chatting for {seconds:g} s (replies through AIORateLimiter):")
    for label, timings in results.items():
        print(
            f"    {label:17} {len(timings):4d} updates: p50 {statistics.median(timings) * 1000:6.2f} ms, "
            f"p99 {percentile(timings, 0.99) * 1000:6.2f} ms, max {max(timings) * 1000:6.2f} ms"
        )
    print(
        f"    broadcast meanwhile: {sent_during} sent in {broadcast_seconds:.1f} s "
        f"= {sent_during / broadcast_seconds:.2f}/s"
    )


async def part_d(folder: str, count: int, rate: float | None) -> None:
    storage = TimedStorage(f"{folder}/d{int(rate or 0)}.db")
    telegram = FakeTelegram()
    fill(storage, count, time.time())
    with FakeBotHTTPServer(telegram) as server:
        request = HTTPXRequest(connection_pool_size=40)
        bot = Bot(TOKEN, base_url=server.base_url, request=request)
        await bot.initialize()
        quiet = QuietHours.from_setting("off", SHANGHAI)
        sender = Sender(storage, TelegramTransport(bot), quiet=quiet, rate=rate)
        await sender.drain()
        await bot.shutdown()
    accepted = {int(c.params["chat_id"]): c.at for c in telegram.calls if c.method == "sendMessage"}
    users = dict(storage._db.execute("SELECT id, user_id FROM outbox").fetchall())
    window = [storage.committed[i] - accepted[users[i]] for i in storage.committed]
    pace = f"at {rate:g}/s" if rate else "rate lifted"
    print(f"(d) duplicate window over HTTP on 127.0.0.1, {count} messages, {pace}:")
    print(
        "    fake Bot API accepted -> row committed as sent: "
        f"p50 {statistics.median(window) * 1000:.2f} ms, p99 {percentile(window, 0.99) * 1000:.2f} ms, "
        f"max {max(window) * 1000:.2f} ms"
    )
    print(f"    {check_exactly_once(telegram, count)}")
    storage.close()


async def main(args: argparse.Namespace) -> None:
    parts = set(args.parts.split(","))
    with tempfile.TemporaryDirectory() as folder:
        if "a" in parts:
            await part_a(folder)
        if "b" in parts:
            await part_b_real(folder, args.seconds, args.rate)
            await part_b_scaled(folder, args.scale, args.rate)
        if "c" in parts:
            await part_c(folder, args.chat_seconds, args.rate, args.users)
        if "d" in parts:
            await part_d(folder, args.http_count, None)
            await part_d(folder, int(args.rate * 10), args.rate)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", default="a,b,c,d")
    parser.add_argument("--rate", type=float, default=25.0, help="the alert rate limit")
    parser.add_argument("--seconds", type=float, default=30.0, help="(b) real-time slice")
    parser.add_argument("--scale", type=float, default=20.0, help="(b) clock speed-up")
    parser.add_argument("--chat-seconds", type=float, default=30.0, help="(c) per run")
    parser.add_argument("--users", type=int, default=20, help="(c) people chatting")
    parser.add_argument("--http-count", type=int, default=2000, help="(d) messages")
    asyncio.run(main(parser.parse_args()))
