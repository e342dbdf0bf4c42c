"""Crash safety: the real `python -m bot run` is SIGKILLed in the middle of an alert
broadcast and started again; every subscriber ends with the alert exactly once.

The fake Bot API kills the process itself, from inside the 61st sendMessage call, once
every message Telegram had already accepted is committed as sent — i.e. outside the short
window between Telegram's OK and the commit (that window is measured by
scripts/bench_broadcast.py; a kill inside it is the one way to get a duplicate). Requests
still in flight at the kill are refused, as a dead process would never see their answers.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from alert_helpers import SHANGHAI
from fake_bot_api import TOKEN, Failure, FakeBotHTTPServer, FakeTelegram, bot_env, server_error

from bot.settings import PROJECT_ROOT
from bot.storage import open_storage

SUBSCRIBERS = range(5001, 5151)
KILL_AT = 61
#: Generous bounds: the test waits for events, it never asserts on how long they took.
DEADLINE = 60.0


def _content_with_an_alert_due(root: Path) -> None:
    """A copy of the shipped content whose calendar has one alert that fell due 2 min ago."""
    shutil.copytree(PROJECT_ROOT / "content", root / "content")
    shutil.copytree(PROJECT_ROOT / "quizzes", root / "quizzes")
    due = (datetime.now(SHANGHAI) - timedelta(minutes=2)).replace(tzinfo=None, microsecond=0)
    (root / "content" / "alerts.yaml").write_text(
        "alerts:\n"
        "  - id: crash_test\n"
        "    text: 🛡️ 崩溃测试提醒：不听、不信、不转账。\n"
        f"    at: {due.isoformat()}\n"
        "    audience: everyone\n",
        encoding="utf-8",
    )


def _counts(db_path: Path) -> dict[str, int]:
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        return dict(db.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall())
    finally:
        db.close()


def _start(tmp_path: Path, base_url: str, db_path: Path) -> subprocess.Popen[str]:
    env = bot_env(
        base_url,
        tmp_path,
        DATABASE_URL=f"sqlite:///{db_path}",
        CONTENT_DIR=str(tmp_path / "root"),
        QUIET_HOURS="off",
        ALERT_RATE="50",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_sigkill_mid_broadcast_then_restart_delivers_each_alert_exactly_once(
    tmp_path: Path,
) -> None:
    _content_with_an_alert_due(tmp_path / "root")
    db_path = tmp_path / "db" / "bot.db"
    storage = open_storage(f"sqlite:///{db_path}")
    for user in SUBSCRIBERS:
        storage.subscribe(user, "senior", 0)
    storage.close()

    telegram = FakeTelegram()
    state: dict[str, object] = {"killed": False, "pending_at_kill": 0}
    accepted = [0]

    def kill_mid_broadcast(call: int, chat_id: int) -> Failure | None:
        if state["killed"]:
            return server_error(502)  # the process is gone: nobody would read the answer
        if call < KILL_AT:
            accepted[0] += 1
            return None
        # Wait until everything Telegram accepted is committed, then kill -9.
        deadline = time.monotonic() + DEADLINE
        while _counts(db_path).get("sent", 0) < accepted[0] and time.monotonic() < deadline:
            time.sleep(0.01)
        state["pending_at_kill"] = _counts(db_path).get("pending", 0)
        process = state["process"]
        assert isinstance(process, subprocess.Popen)
        os.kill(process.pid, signal.SIGKILL)
        state["killed"] = True
        return server_error(502)

    telegram.before_send = kill_mid_broadcast
    with FakeBotHTTPServer(telegram) as server:
        first = _start(tmp_path, server.base_url, db_path)
        state["process"] = first
        try:
            first.wait(timeout=DEADLINE)
        finally:
            if first.poll() is None:
                first.kill()
        assert first.returncode == -signal.SIGKILL
        assert state["killed"]
        at_kill = _counts(db_path)
        assert at_kill.get("sent") == KILL_AT - 1
        assert int(state["pending_at_kill"]) == len(SUBSCRIBERS) - (KILL_AT - 1)  # mid-way

        telegram.before_send = None
        second = _start(tmp_path, server.base_url, db_path)
        try:
            _wait(lambda: _counts(db_path) == {"sent": len(SUBSCRIBERS)}, "every row sent")
            time.sleep(0.3)  # room for any stray duplicate to show up before we look
            second.send_signal(signal.SIGINT)
            second.wait(timeout=15)
        finally:
            if second.poll() is None:
                second.kill()
                second.wait(timeout=15)
            _, stderr = second.communicate()
        assert second.returncode == 0, stderr[-2000:]

    per_chat = {user: telegram.texts_to(user) for user in SUBSCRIBERS}
    assert {user: len(texts) for user, texts in per_chat.items() if len(texts) != 1} == {}
    assert all(texts[0].startswith("🛡️ 崩溃测试提醒") for texts in per_chat.values())
    assert TOKEN.split(":")[1] not in stderr, "the token must never be logged"
