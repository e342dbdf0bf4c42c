"""Campaign figures: the daily counters the dialog keeps (counts only, never text), the
report built from them, `/stats` on Telegram and `python -m bot stats` on the command line."""

from __future__ import annotations

import csv
import io
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alert_helpers import SHANGHAI, FakeClock, at
from conftest import Harness, make_settings, running_bot
from fake_bot_api import TOKEN, FakeBotAPI, FakeTelegram

from bot.content.loader import Content
from bot.dialog.router import Dialog
from bot.settings import PROJECT_ROOT
from bot.stats import chart
from bot.stats.counters import collect, record_check, record_quiz_finish, record_quiz_start
from bot.stats.figures import figures_csv, figures_text
from bot.storage import Storage, open_storage
from bot.storage.sqlite import sqlite_path
from bot.views import callbacks
from bot.views.replies import MAX_CAPTION, Reply

PNG = b"\x89PNG\r\n\x1a\n"
ADMIN = 900
QUIZ = "sanbu_basics"
POLICE_SCAM = "我是公安局的，您的银行卡涉嫌洗钱，请把钱转到安全账户配合调查，不要告诉家人"
NOW = at("2026-12-01 10:00")


def counters(storage: Storage) -> dict[tuple[str, str, str], int]:
    """Every counter row: (day, kind, key) -> n."""
    rows = storage._db.execute("SELECT day, kind, key, n FROM daily_counts")  # type: ignore[attr-defined]
    return {(d, k, key): n for d, k, key, n in rows}


@pytest.fixture
def dialog(content: Content, storage: Storage) -> Dialog:
    return Dialog(content, storage, clock=FakeClock(NOW))


def play(dialog: Dialog, content: Content, user: int, right: int) -> None:
    """Start the quiz and answer it to the end, the first `right` questions correctly."""
    quiz = content.quiz(QUIZ)
    assert quiz is not None
    dialog.press(user, callbacks.encode("qs", QUIZ))
    for i, question in enumerate(quiz.questions):
        option = question.answer_index if i < right else (question.answer_index + 1) % 2
        dialog.press(user, callbacks.encode("qa", QUIZ, i, option))


class TestCounters:
    def test_a_check_counts_its_risk_and_type_and_never_its_text(
        self, dialog: Dialog, storage: Storage, database_url: str
    ) -> None:
        """One check adds one to (today, check, risk:category) and to its source (text or
        picture); the text is nowhere."""
        dialog.text(1, POLICE_SCAM)
        dialog.text(1, "妈，我晚上回家吃饭，帮我留点汤。")
        dialog.text(2, POLICE_SCAM)
        assert counters(storage) == {
            ("2026-12-01", "check", "high:impersonate_police"): 2,
            ("2026-12-01", "check", "none:-"): 1,
            ("2026-12-01", "check_source", "text"): 3,
        }
        db = sqlite3.connect(sqlite_path(database_url))
        for row in db.execute("SELECT * FROM daily_counts"):
            assert "安全账户" not in repr(row) and "回家吃饭" not in repr(row)

    def test_menu_buttons_and_empty_texts_are_not_checks(
        self, dialog: Dialog, storage: Storage
    ) -> None:
        dialog.text(1, "🔍 查一查")
        dialog.text(1, "   ")
        assert counters(storage) == {}

    def test_a_quiz_start_counts_once_however_often_it_is_opened(
        self, dialog: Dialog, storage: Storage
    ) -> None:
        """Opening, double-tapping and resuming a quiz is one start."""
        for _ in range(3):
            dialog.press(1, callbacks.encode("qs", QUIZ))
        dialog.press(1, callbacks.encode("qa", QUIZ, 0, 1))
        dialog.press(1, callbacks.encode("qs", QUIZ))  # resume at question 2
        assert counters(storage) == {("2026-12-01", "quiz_start", QUIZ): 1}

    def test_a_finished_quiz_counts_with_its_score_in_percent(
        self, dialog: Dialog, content: Content, storage: Storage
    ) -> None:
        """Finishing adds one finish and the score in percent; 再做一次 is a new start."""
        quiz = content.quiz(QUIZ)
        assert quiz is not None
        total = len(quiz.questions)
        play(dialog, content, 1, right=total)
        play(dialog, content, 2, right=total // 2)
        dialog.press(1, callbacks.encode("qg", QUIZ))
        dialog.press(1, callbacks.encode("qg", QUIZ))  # a double tap: still one new round
        day = "2026-12-01"
        assert counters(storage) == {
            (day, "quiz_start", QUIZ): 3,
            (day, "quiz_finish", QUIZ): 2,
            (day, "quiz_score", QUIZ): 100 + round(100 * (total // 2) / total),
        }

    def test_forget_leaves_the_counts(self, dialog: Dialog, storage: Storage) -> None:
        """Counters name nobody, so /forget has nothing to remove there and keeps the totals."""
        dialog.text(1, POLICE_SCAM)
        storage.forget_user(1)
        assert counters(storage) == {
            ("2026-12-01", "check", "high:impersonate_police"): 1,
            ("2026-12-01", "check_source", "text"): 1,
        }


class TestFigures:
    def test_windows_count_their_own_days(self, storage: Storage) -> None:
        """The 7-day window holds today and the 6 days before; the 30-day one holds more."""
        record_check(storage, "2026-12-01", "high", "investment")
        record_check(storage, "2026-11-25", "medium", "investment")  # 7th day back: in
        record_check(storage, "2026-11-24", "high", "loan")  # 8th day back: only in 30
        record_check(storage, "2026-11-24", "low", "loan")  # low: no scam type counted
        record_check(storage, "2026-11-01", "high", "loan")  # 31st day back: in neither
        record_quiz_start(storage, "2026-11-30", QUIZ)
        record_quiz_finish(storage, "2026-11-30", QUIZ, 3, 4)
        record_quiz_finish(storage, "2026-11-20", QUIZ, 1, 2)
        storage.touch_user(1, "zh-Hans", int(at("2026-12-01 00:00")))
        storage.touch_user(2, "zh-Hans", int(at("2026-11-24 23:59")))
        storage.subscribe(1, "senior", 0)
        storage.enqueue_audience("b:1", "提醒", not_before=0, subscribed_by=1, now=0)
        [row] = storage.due(NOW, 10)
        storage.mark_sent(row.id, at("2026-11-26 09:00"))
        week, month = collect(storage, NOW, SHANGHAI).windows
        assert (week.days, month.days) == (7, 30)
        assert week.checks_by_risk == {"high": 1, "medium": 1, "low": 0, "none": 0}
        assert week.checks_by_category == {"investment": 2}
        assert month.checks == 4
        assert month.checks_by_category == {"investment": 2, "loan": 1}
        assert (week.quizzes_started, week.quizzes_finished, week.average_score) == (1, 1, 75)
        assert (month.quizzes_finished, month.average_score) == (2, 62.5)
        assert (week.users_total, week.users_new, month.users_new) == (2, 1, 2)
        assert week.subscribers == month.subscribers == 1
        assert (week.alerts_sent, week.alerts_failed) == (1, 0)

    def test_text_and_csv_carry_the_same_rows(self, storage: Storage) -> None:
        record_check(storage, "2026-12-01", "high", "impersonate_police")
        figures = collect(storage, NOW, SHANGHAI)
        text = figures_text(figures)
        assert text.startswith("📊 防骗数据（截至 2026-12-01 10:00）\n每项的数：近7天 / 近30天")
        assert "冒充公检法及政府机关：1 / 1" in text
        assert "平均得分（%）：- / -" in text
        rows = list(csv.reader(io.StringIO(figures_csv(figures))))
        assert rows[0] == ["metric", "label", "last_7_days", "last_30_days"]
        metrics = [r[0] for r in rows[1:]]
        assert metrics[:4] == ["users_total", "users_new", "subscribers", "checks"]
        assert "type_impersonate_police" in metrics and "alerts_failed" in metrics
        # one line per metric, plus the title, the head, a blank line and the scam-type heading
        assert len(text.splitlines()) == len(rows) - 1 + 4

    def test_the_chart_is_a_png_with_or_without_a_chinese_font(
        self, storage: Storage, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without a CJK font the labels fall back to ids; the PNG is made either way."""
        record_check(storage, "2026-12-01", "high", "impersonate_police")
        figures = collect(storage, NOW, SHANGHAI)
        assert chart.figures_png(figures).startswith(PNG)
        monkeypatch.setattr(chart, "cjk_font", lambda: None)
        assert chart.figures_png(collect(storage, NOW, SHANGHAI)).startswith(PNG)


@pytest.fixture
async def bot(content: Content, storage: Storage, database_url: str) -> AsyncIterator[Harness]:
    """The bot with one admin."""
    settings = make_settings(database_url, admin_ids=frozenset({ADMIN}), quiet_hours="off")
    async with running_bot(settings, content, storage) as h:
        yield h


class TestStatsCommand:
    async def test_an_admin_gets_the_figures_as_text_and_a_chart(self, bot: Harness) -> None:
        """/stats answers with the table, then the chart sent with sendPhoto."""
        senior = bot.person(1001)
        await senior.send(POLICE_SCAM)
        await senior.send("/quiz")
        await senior.press("防骗三不口诀")
        [table, picture] = await bot.person(ADMIN).send("/stats")
        assert table.text.startswith("📊 防骗数据（截至 ")
        assert re.search(r"^查一查次数：1 / 1$", table.text, re.M)
        assert re.search(r"^开始测验：1 / 1$", table.text, re.M)
        assert "冒充公检法及政府机关：1 / 1" in table.text
        assert "POLICE" not in table.text and "安全账户" not in table.text
        assert picture.photo is not None and picture.photo.startswith(PNG)
        assert picture.text.startswith("📈") and len(picture.text) <= MAX_CAPTION
        [call] = [c for c in bot.telegram.calls if c.method == "sendPhoto"]
        assert int(call.params["chat_id"]) == ADMIN
        assert bot.telegram.photos_to(ADMIN) == [picture]

    async def test_others_are_answered_while_the_chart_is_drawn(
        self, bot: Harness, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The chart is drawn off the event loop: while it is being drawn (held here until
        another user's /help is answered), that /help is answered."""
        import asyncio
        import threading

        from bot.stats import chart as chart_module

        drawing, answered = threading.Event(), threading.Event()
        real = chart_module.figures_png
        waited: list[bool] = []

        def slow_chart(figures: object) -> bytes:
            drawing.set()
            waited.append(answered.wait(timeout=20))
            return real(figures)  # type: ignore[arg-type]

        monkeypatch.setattr(chart_module, "figures_png", slow_chart)
        stats = asyncio.ensure_future(bot.person(ADMIN).send("/stats"))
        for _ in range(2000):  # until the chart is being drawn (a bound, not a timing)
            if drawing.is_set():
                break
            await asyncio.sleep(0.005)
        if not waited:  # drawing in a thread: the loop is free to answer someone else
            [help_reply] = await bot.person(1001).send("/help")
            assert help_reply.text.startswith("我是三不卫士")
            answered.set()
        await stats
        assert waited == [True], "the chart held the event loop until its timeout"

    async def test_for_others_stats_answers_like_an_unknown_command(self, bot: Harness) -> None:
        someone = bot.person(1001)
        [unknown] = await someone.send("/nosuchcommand")
        [stats] = await someone.send("/stats")
        assert stats.text == unknown.text and stats.buttons == unknown.buttons
        assert not [c for c in bot.telegram.calls if c.method == "sendPhoto"]
        assert "stats" not in [c["command"] for c in bot.telegram.commands]

    async def test_in_a_group_the_admin_is_sent_to_the_private_chat(self, bot: Harness) -> None:
        [reply] = await bot.person(ADMIN, group=-100123).send("/stats@sanbu_guard_bot")
        assert reply.text == "请在和我的私聊里用 /stats。"


async def test_a_long_caption_is_cut_to_telegrams_limit() -> None:
    """A picture's caption never goes over 1024 characters (the fake rejects longer ones)."""
    from telegram import Bot

    from bot.tg.render import deliver

    telegram = FakeTelegram()
    bot = Bot(TOKEN, request=FakeBotAPI(telegram))
    await bot.initialize()
    await deliver(bot, 5, (Reply("长" * 3000, photo=PNG + b"0"),), private=True)
    [shown] = telegram.photos_to(5)
    assert telegram.errors == [] and 0 < len(shown.text) <= MAX_CAPTION
    await bot.shutdown()
    # and the fake rejects what Telegram rejects
    too_long = {"chat_id": 5, "photo": PNG, "caption": "x" * (MAX_CAPTION + 1)}
    assert telegram.handle("sendPhoto", too_long)[0] == 400
    assert telegram.handle("sendPhoto", {"chat_id": 5, "photo": b"GIF89a"})[0] == 400


class TestCommandLine:
    def test_stats_csv_and_png(self, tmp_path: Path) -> None:
        """`stats --csv` writes the header and the metrics; `--png` saves the chart."""
        url = f"sqlite:///{tmp_path / 'stats.db'}"
        storage = open_storage(url)
        storage.touch_user(1, "zh-Hans", 0)
        record_check(storage, "2000-01-01", "high", "loan")  # outside both windows
        storage.close()
        env = {**os.environ, "DATABASE_URL": url, "TIMEZONE": "Asia/Shanghai"}
        png = tmp_path / "chart.png"

        proc = subprocess.run(
            [sys.executable, "-m", "bot", "stats", "--csv", "--png", str(png)],
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
            env=env,
            timeout=120,
        )
        assert "Traceback" not in proc.stderr
        assert proc.returncode == 0, proc.stderr
        rows = list(csv.reader(io.StringIO(proc.stdout)))
        assert rows[0] == ["metric", "label", "last_7_days", "last_30_days"]
        values = {r[0]: r[2:] for r in rows[1:]}
        assert values["users_total"] == ["1", "1"]
        assert values["checks"] == ["0", "0"]
        for metric in (
            "users_new",
            "subscribers",
            "checks",
            "checks_high",
            "quizzes_started",
            "quizzes_finished",
            "quiz_average_percent",
            "alerts_sent",
            "alerts_failed",
        ):
            assert metric in values
        assert png.read_bytes().startswith(PNG)

    def test_stats_prints_the_text(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without --csv the same figures are printed as the text /stats sends."""
        from bot.cli import main

        url = f"sqlite:///{tmp_path / 'stats.db'}"
        storage = open_storage(url)
        storage.touch_user(1, "zh-Hans", 0)
        storage.close()
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.chdir(tmp_path)  # no developer .env
        assert main(["stats"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("📊 防骗数据") and "用户总数：1 / 1" in out
