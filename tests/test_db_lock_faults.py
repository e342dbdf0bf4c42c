"""Another process holds the SQLite write lock: no one's reply freezes, no check is lost.

The lock is held by a real second process (as an operator's backup script or a second
tool would), for as long as the test says, so every assertion about "while it is held" is
about order, not about timing.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from alert_helpers import SHANGHAI, subscribe_many
from fake_bot_api import TOKEN, FakeBotAPI
from telegram import Bot

from bot.alerts.quiet import QuietHours
from bot.alerts.sender import Sender
from bot.storage import sqlite_conn
from bot.storage.sqlite import sqlite_path
from bot.texts import BUSY_NOTICE
from bot.tg.transport import TelegramTransport

HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")  # the write lock, until told to let go
print("held", flush=True)
sys.stdin.readline()
db.execute("COMMIT")
print("released", flush=True)
"""

SCAM = "您好，我是市公安局的，您的银行卡涉嫌洗钱，请把钱转到安全账户配合调查，不要告诉家人。"


@contextmanager
def write_lock_held(database_url: str) -> Iterator[subprocess.Popen[str]]:
    """Another process holds the database's write lock inside the block."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, sqlite_path(database_url)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)


async def test_replies_keep_coming_while_another_process_holds_the_lock(
    harness, database_url, monkeypatch
) -> None:
    """While the lock is held: a senior's check gets its verdict, /help is answered, a new
    user is answered — none of them waits for the lock, and nothing is answered with an
    error. (The wait for a lock is raised to 60 s here: a turn that waited would not be
    answered until long after the bound below.)"""
    monkeypatch.setattr(sqlite_conn, "BUSY_TIMEOUT_MS", 60_000)
    senior, helper = harness.person(1001), harness.person(1002)
    await senior.send("/start")
    await helper.send("/start")
    before = checks_counted(harness.storage)
    with write_lock_held(database_url) as holder:
        newcomer = harness.person(1003)
        verdict, help_page, first = await asyncio.wait_for(
            asyncio.gather(
                senior.send(SCAM),
                helper.send("/help"),
                # A first-time user needs a write (their row): it is skipped, the answer comes.
                newcomer.send("你好"),
            ),
            timeout=20,
        )
        assert holder.poll() is None, "the lock was let go before the replies came"
    assert len(verdict) == 1 and "🔴" in verdict[0].text and "冒充公检法" in verdict[0].text
    assert len(help_page) == 1 and "96110" in help_page[0].text
    assert len(first) == 1 and "抱歉" not in first[0].text
    # The count of the check was held in memory, and is written with the next one.
    assert checks_counted(harness.storage) == before
    await senior.send(SCAM)
    assert checks_counted(harness.storage) == before + 2


def checks_counted(storage) -> int:
    return sum(n for (kind, _), n in storage.counts_since("2000-01-01").items() if kind == "check")


async def test_a_press_that_must_write_says_busy_and_changes_nothing(
    harness, database_url, content
) -> None:
    """Starting a quiz while the lock is held: the button gets a short "busy, try again"
    notice, no progress is half-written, and the same press works once the lock is gone."""
    senior = harness.person(1001)
    await senior.send("/quiz")
    quiz = content.quiz("sanbu_basics")
    with write_lock_held(database_url):
        shown = await senior.press(quiz.title)
        assert shown == []
        assert senior.notice() == {"text": BUSY_NOTICE, "show_alert": True}
    assert harness.storage.get_progress(1001, "sanbu_basics") is None
    [question] = await senior.press(quiz.title)
    assert question.text.startswith(f"📝 {quiz.title} · 第 1/")


async def test_alerts_pause_while_the_lock_is_held_and_each_goes_out_once(
    harness, database_url, monkeypatch
) -> None:
    """The sender (on the event loop) meets the lock another process takes after the fifth
    alert: it keeps what Telegram confirmed in memory, pauses, never sends a row twice, and
    finishes once the lock is gone; meanwhile a senior's /help is answered. (With a 60 s
    lock wait, a loop that waited for the lock could not answer within the bound.)"""
    monkeypatch.setattr(sqlite_conn, "BUSY_TIMEOUT_MS", 60_000)
    storage, telegram = harness.storage, harness.telegram
    subscribe_many(storage, range(1, 21))
    now = time.time()
    storage.enqueue_audience(
        "a:x:1", "🛡️ 提醒：不听、不信、不转账。", not_before=now, subscribed_by=now, now=now
    )
    bot = Bot(TOKEN, request=FakeBotAPI(telegram))
    await bot.initialize()
    sender = Sender(
        storage, TelegramTransport(bot), quiet=QuietHours.from_setting("off", SHANGHAI), rate=None
    )
    holders: list[subprocess.Popen[str]] = []

    def lock_after_fifth(number: int, chat: int) -> None:
        if number == 6 and not holders:  # the fifth is confirmed; its record will fail
            holder = subprocess.Popen(
                [sys.executable, "-c", HOLDER, sqlite_path(database_url)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            holders.append(holder)
        return None

    telegram.before_send = lock_after_fifth
    stop = asyncio.Event()
    running = asyncio.ensure_future(sender.run(stop))
    try:
        await wait_until(lambda: bool(holders) and sender.store_down)
        senior = harness.person(1001)
        [reply] = await asyncio.wait_for(senior.send("/help"), timeout=20)
        assert "96110" in reply.text and holders[0].poll() is None
    finally:
        for holder in holders:
            assert holder.stdin is not None
            holder.stdin.write("\n")
            holder.stdin.flush()
            holder.wait(timeout=30)
    await wait_until(lambda: storage.outbox_counts() == {"sent": 20})
    stop.set()
    await running
    await bot.shutdown()
    assert {chat: len(telegram.texts_to(chat)) for chat in range(1, 21)} == dict.fromkeys(
        range(1, 21), 1
    )


async def wait_until(condition, timeout: float = 30.0) -> None:
    """Wait for `condition()` (a generous bound: the test waits for events, not speed)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)
