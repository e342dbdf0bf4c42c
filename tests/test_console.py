"""The terminal chat drives the same flows: numbered choices, typed menu words, commands."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from conftest import make_settings

from bot.console import run_console
from bot.content.loader import Content

POLICE_SCAM = "我是公安局的，您的银行卡涉嫌洗钱，请把钱转到安全账户配合调查，不要告诉家人"


def _chat(database_url: str, *lines: str) -> str:
    out = io.StringIO()
    settings = make_settings(database_url, telegram_bot_token="")
    status = run_console(
        settings, stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out
    )
    assert status == 0
    return out.getvalue()


class TestConsole:
    def test_start_shows_the_welcome_and_the_menu(
        self, database_url: str, content: Content
    ) -> None:
        out = _chat(database_url)
        assert out.startswith("\n" + "\n".join(content.guidance.welcome))
        assert (
            "〔≡〕🔍 查一查 · 📖 学防骗 · 🛡️ 三不口诀 · 🔔 订阅提醒 · 👨‍👩‍👧 家人守护 · 🆘 求助 · ⚙️ 简体 / 繁體（输入按钮上的字就行）"
            in out
        )

    def test_a_check_and_a_numbered_choice(self, database_url: str) -> None:
        """The verdict's buttons become [1] [2]; typing 1 opens the scam card."""
        out = _chat(database_url, POLICE_SCAM, "1")
        assert "🔴 高风险：像是「冒充公检法及政府机关」骗局" in out
        assert "  [1] 📖 了解这种骗局\n  [2] 🆘 钱已经转出去了怎么办" in out
        assert "🃏 冒充公检法及政府机关（第 5/19 张）" in out

    def test_a_quiz_question_answered_by_number(self, database_url: str, content: Content) -> None:
        quiz = content.quiz("sanbu_basics")
        index = [q.id for q in content.quizzes].index("sanbu_basics") + 1
        right = quiz.questions[0].answer_index + 1
        out = _chat(database_url, "学防骗", str(index), str(right))
        assert "» ✅ 答对了" in out
        assert f"📝 {quiz.title} · 第 2/{len(quiz.questions)} 题" in out

    def test_settings_switch_to_traditional(self, database_url: str) -> None:
        out = _chat(database_url, "/settings", "2", "/help")
        assert "✅ 好的，以後我用繁體字和您說話。" in out
        assert (
            "〔≡〕🔍 查一查 · 📖 學防騙 · 🛡️ 三不口訣 · 🔔 訂閱提醒 · 👨‍👩‍👧 家人守護 · 🆘 求助 · ⚙️ 簡體 / 繁體（輸入按鈕上的字就行）"
            in out
        )
        assert "我是三不衛士，能幫您：" in out

    def test_blank_lines_unknown_numbers_and_exit(self, database_url: str) -> None:
        out = _chat(database_url, "", "9", "exit", "/help")
        assert "请把收到的可疑短信、微信或电话内容发给我，我帮您看看有没有风险。" in out
        assert "我是三不卫士" not in out, "nothing is read after exit"

    def test_run_without_a_token_is_the_console(self, tmp_path: Path) -> None:
        """`python -m bot run` with no token chats in the terminal (stdin scripted)."""
        env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
        env.update(TELEGRAM_BOT_TOKEN="", DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
        result = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            input="求助\n",
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=60,
        )
        assert result.returncode == 0
        assert "没有设置 TELEGRAM_BOT_TOKEN" in result.stderr
        assert "🆘 钱已经转出去了？请马上：" in result.stdout

    def test_a_line_in_another_encoding_is_read_not_a_crash(self, tmp_path: Path) -> None:
        """A GBK line (an old Windows tool) is read and checked; bad bytes are no crash."""
        env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
        env.update(TELEGRAM_BOT_TOKEN="", DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
        scam = "我是公安局的，你涉嫌洗钱，把钱转到安全账户".encode("gbk")
        result = subprocess.run(
            [sys.executable, "-m", "bot", "console"],
            input=scam + b"\n\xff\xfe\n" + "求助\n".encode(),
            capture_output=True,
            cwd=tmp_path,
            env=env,
            timeout=60,
        )
        out = result.stdout.decode("utf-8")
        assert result.returncode == 0, result.stderr.decode(errors="replace")
        assert "🔴 高风险" in out
        assert "🆘 钱已经转出去了？请马上：" in out
        assert b"Traceback" not in result.stderr


class TestConsoleAdmin:
    def test_an_admin_can_reload_and_see_the_figures(self, database_url: str) -> None:
        """In the terminal (user 0 as admin) /reload works and /stats saves the chart."""
        out = io.StringIO()
        settings = make_settings(database_url, telegram_bot_token="", admin_ids=frozenset({0}))
        stdin = io.StringIO("/reload\n/stats\n")
        assert run_console(settings, stdin=stdin, stdout=out) == 0
        text = out.getvalue()
        assert "✅ 内容已重新加载：" in text
        assert "📊 防骗数据" in text
        saved = text.split("〔图片已保存：", 1)[1].split("〕", 1)[0]
        try:
            assert Path(saved).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        finally:
            os.unlink(saved)


def test_a_database_folder_that_cannot_be_made_gets_one_clear_line(tmp_path: Path) -> None:
    """DATABASE_URL under a file (no folder can be made there): exit 2, no traceback."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update(TELEGRAM_BOT_TOKEN="", DATABASE_URL=f"sqlite:///{blocker / 'db' / 'bot.db'}")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert "建不了" in result.stderr and "Traceback" not in result.stderr
