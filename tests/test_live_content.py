"""Reloading content: a valid edit is served, a broken one never replaces good content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.served.live import LiveContent, problems_text
from bot.settings import PROJECT_ROOT


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT_ROOT / "content", tmp_path / "content")
    shutil.copytree(PROJECT_ROOT / "quizzes", tmp_path / "quizzes")
    return tmp_path


def test_valid_edit_is_served(root: Path) -> None:
    """After an edit and a reload, the new quiz title is what the bot serves."""
    live = LiveContent(root)
    quiz = root / "quizzes" / "sanbu_basics.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("title: ", "title: 新版", 1), "utf-8")
    assert live.changed_on_disk()
    result = live.reload()
    assert result.ok and result.changed
    assert live.content.quiz("sanbu_basics").title.startswith("新版")  # type: ignore[union-attr]
    assert not live.changed_on_disk()


def test_broken_edit_keeps_last_good_content(root: Path) -> None:
    """A broken file is reported with its line, and the old content and checker stay."""
    live = LiveContent(root)
    before = live.served
    quiz = root / "quizzes" / "sanbu_basics.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("answer:", "answr:", 1), "utf-8")
    result = live.reload()
    assert not result.ok and not result.changed
    assert live.served is before
    text = problems_text(result.problems)
    assert "sanbu_basics.yaml:" in text and "answr" in text
    # the broken state is remembered: the watcher does not report it again
    assert not live.changed_on_disk()


def test_problem_list_is_cut_for_a_chat_message() -> None:
    """Long problem lists end with a pointer to the validator."""
    from bot.content.loader import Problem

    problems = [Problem("a.yaml", i, "x") for i in range(1, 40)]
    text = problems_text(problems, limit=5)
    assert text.count("\n") == 5 and "python -m bot validate" in text
