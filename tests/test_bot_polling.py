"""The real `python -m bot run` process, polling a local fake Bot API over HTTP."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from fake_bot_api import TOKEN, FakeBotHTTPServer, FakeTelegram, bot_env

from bot.content.loader import Content
from bot.dialog.router import COMMANDS

#: Generous bounds: the test waits for events, it never asserts on how long they took.
START_DEADLINE = 60.0
STOP_DEADLINE = 15.0


def _start(env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    """`python -m bot run` with this environment, its output captured."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=cwd,  # no developer .env
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_reply(telegram: FakeTelegram, process: subprocess.Popen[str], chat: int) -> bool:
    """Wait until the bot wrote to `chat` (True), or the process ended or the deadline
    passed (False)."""
    deadline = time.monotonic() + START_DEADLINE
    while time.monotonic() < deadline and process.poll() is None:
        if [m for m in telegram.screen(chat) if m.from_bot]:
            return True
        time.sleep(0.05)
    return bool([m for m in telegram.screen(chat) if m.from_bot])


def _start_update(user_id: int) -> dict[str, object]:
    return {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "张阿姨"},
            "from": {"id": user_id, "is_bot": False, "first_name": "张阿姨"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


def test_the_real_process_answers_start_through_polling(tmp_path: Path, content: Content) -> None:
    """TELEGRAM_API_BASE_URL points `python -m bot run` at the fake; /start is answered."""
    telegram = FakeTelegram()
    telegram.push_update(_start_update(4242))
    with FakeBotHTTPServer(telegram) as server:
        process = _start(bot_env(server.base_url, tmp_path), tmp_path)
        try:
            assert _wait_for_reply(telegram, process, 4242), f"no reply; exit={process.poll()}"
            replies = [m for m in telegram.screen(4242) if m.from_bot]
            assert replies[0].text == "\n".join(content.guidance.welcome)
            assert replies[0].keyboard is not None and replies[0].keyboard[0][0] == "🔍 查一查"
            assert [c["command"] for c in telegram.commands] == [name for name, _ in COMMANDS]
            methods = {call.method for call in telegram.calls}
            assert {"getMe", "getUpdates", "setMyCommands", "sendMessage"} <= methods
            process.send_signal(signal.SIGINT)
            process.wait(timeout=STOP_DEADLINE)
            assert process.returncode == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=STOP_DEADLINE)
            _, stderr = process.communicate()
        assert TOKEN.split(":")[1] not in stderr, "the token must never be logged"
        assert telegram.errors == []


def test_a_second_bot_on_the_same_database_refuses_to_start(
    tmp_path: Path, content: Content
) -> None:
    """Two bots on one SQLite file would send every alert twice: the second one stops at
    once and says why, naming the process that holds the database; the first goes on."""
    telegram = FakeTelegram()
    telegram.push_update(_start_update(4242))
    with FakeBotHTTPServer(telegram) as server:
        env = bot_env(server.base_url, tmp_path)

        first = _start(env, tmp_path)
        second = None
        try:
            assert _wait_for_reply(telegram, first, 4242), "the first bot never answered"
            second = _start(env, tmp_path)
            _, err = second.communicate(timeout=START_DEADLINE)
            assert second.returncode == 2
            assert "已经有一个三不卫士在用了" in err and str(first.pid) in err
            assert "Traceback" not in err
            assert first.poll() is None, "the first bot goes on"
            first.send_signal(signal.SIGINT)
            first.wait(timeout=STOP_DEADLINE)
        finally:
            for process in (first, second):
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait(timeout=STOP_DEADLINE)


def test_start_up_waits_for_a_bot_api_that_is_down_and_says_so(
    tmp_path: Path, content: Content
) -> None:
    """getMe answered with garbage, a truncated body and a 502 before a good answer: the
    bot says each time what it waits for, tries again with backoff, then serves."""
    telegram = FakeTelegram()
    telegram.push_update(_start_update(4242))
    telegram.raw_next["getMe"] = [b"<html>502 Bad Gateway</html>", b'{"ok": true, "resu']
    with FakeBotHTTPServer(telegram) as server:
        process = _start(bot_env(server.base_url, tmp_path), tmp_path)
        try:
            assert _wait_for_reply(telegram, process, 4242), f"exit={process.poll()}"
            process.send_signal(signal.SIGINT)
            process.wait(timeout=STOP_DEADLINE)
        finally:
            if process.poll() is None:
                process.kill()
            _, stderr = process.communicate()
    waits = [line for line in stderr.splitlines() if "还连不上 Telegram" in line]
    assert len(waits) == 2, stderr
    assert "1 秒后再试（第 1 次）" in waits[0] and "2 秒后再试（第 2 次）" in waits[1]
    assert "Telegram 连上了" in stderr and "Traceback" not in stderr
    assert process.returncode == 0


def test_a_refused_token_stops_start_up_with_one_clear_line(tmp_path: Path) -> None:
    with FakeBotHTTPServer(FakeTelegram()) as server:
        env = bot_env(server.base_url, tmp_path)
        env["TELEGRAM_BOT_TOKEN"] = "123456:not-the-token-telegram-knows"
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=START_DEADLINE,
        )
    assert done.returncode == 2
    assert "Telegram 不认这个令牌" in done.stderr and "Traceback" not in done.stderr
    assert "not-the-token" not in done.stderr


def test_the_real_process_reads_a_screenshot(tmp_path: Path) -> None:
    """A photo through polling: getFile, the download over HTTP, the reading, the reply."""
    from bot.settings import PROJECT_ROOT

    telegram = FakeTelegram()
    picture = PROJECT_ROOT / "tests" / "fixtures" / "screens" / "sms_prize_hans.png"
    telegram.files["f1"] = picture.read_bytes()
    user = {"id": 4343, "is_bot": False, "first_name": "张阿姨"}
    telegram.push_update(
        {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": 4343, "type": "private", "first_name": "张阿姨"},
                "from": user,
                "photo": [{"file_id": "f1", "file_unique_id": "u1", "width": 720, "height": 1600}],
            },
        }
    )
    with FakeBotHTTPServer(telegram) as server:
        process = _start(bot_env(server.base_url, tmp_path), tmp_path)
        try:
            assert _wait_for_reply(telegram, process, 4343), f"no reply; exit={process.poll()}"
            [reply] = [m for m in telegram.screen(4343) if m.from_bot]
            assert reply.text.startswith("📷 我看了您发的图片。")
            assert "🔴 高风险" in reply.text and "中奖" in reply.text
            assert {"getFile", "download", "sendChatAction"} <= {c.method for c in telegram.calls}
            process.send_signal(signal.SIGINT)
            process.wait(timeout=STOP_DEADLINE)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=STOP_DEADLINE)
            _, stderr = process.communicate()
        assert "领奖前需按规定" not in stderr, "what a picture says is never logged"
        assert telegram.errors == []
