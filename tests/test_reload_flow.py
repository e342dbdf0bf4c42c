"""Reloading content while the bot runs, as admins and users see it on Telegram (through the
real Application and the fake Bot API), from a temporary copy of the content files."""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest import Harness, make_settings, running_bot

from bot.dialog.router import Dialog
from bot.served.live import LiveContent
from bot.settings import PROJECT_ROOT
from bot.storage import Storage
from bot.telegram_app import alerts_of, watcher_of
from bot.tg.content_watch import CONTENT_WATCH_SECONDS

ADMIN = 900
OTHER_ADMIN = 901
QUIZ = "quizzes/sanbu_basics.yaml"
OLD_TITLE = "防骗三不口诀"
NEW_TITLE = "三不口诀新版"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A content folder of our own, to edit and break."""
    shutil.copytree(PROJECT_ROOT / "content", tmp_path / "content")
    shutil.copytree(PROJECT_ROOT / "quizzes", tmp_path / "quizzes")
    return tmp_path


@pytest.fixture
async def bot(root: Path, storage: Storage, database_url: str) -> AsyncIterator[Harness]:
    """The bot serving the files under `root`, with two admins."""
    settings = make_settings(
        database_url, admin_ids=frozenset({ADMIN, OTHER_ADMIN}), quiet_hours="off"
    )
    async with running_bot(settings, LiveContent(root), storage) as h:
        yield h


def edit(root: Path, old: str, new: str) -> None:
    """Replace the first `old` in the quiz file by `new`, as staff would in an editor."""
    path = root / QUIZ
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, needle: str) -> int:
    lines = (root / QUIZ).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


async def watch(bot: Harness) -> str | None:
    """One tick of the file-watch job."""
    watcher = watcher_of(bot.application)
    assert watcher is not None
    return await watcher.check(bot.application.bot)


class TestReloadCommand:
    async def test_a_broken_file_keeps_the_old_content_and_the_admin_sees_why(
        self, bot: Harness, root: Path
    ) -> None:
        """The admin gets file:line problems; users keep getting the last good quiz."""
        senior = bot.person(1001)
        await senior.send("/quiz")
        assert OLD_TITLE in senior.last.labels
        edit(root, "answer: B", "answr: B")
        [report] = await bot.person(ADMIN).send("/reload")
        assert report.text.startswith("⚠️ 内容文件有错误，这次没有更新，机器人继续用原来的内容。")
        broken = line_of(root, "answr: B")
        assert f"{QUIZ}:{broken}:" in report.text
        assert "answr" in report.text and "answer" in report.text
        assert "/reload" in report.text
        # users still get the old quiz, and can play it
        [question] = await senior.press(OLD_TITLE)
        assert question.text.startswith(f"📝 {OLD_TITLE} · 第 1/")
        await senior.press("B. 不听、不信、不转账")
        assert "✅ 答对了！" in senior.screen[-2].text
        # the watcher does not report the same broken state again
        assert await watch(bot) is None

    async def test_a_valid_edit_is_served_after_reload(self, bot: Harness, root: Path) -> None:
        """After /reload the next reply uses the edited file."""
        senior = bot.person(1001)
        await senior.send("/quiz")
        edit(root, f"title: {OLD_TITLE}", f"title: {NEW_TITLE}")
        [report] = await bot.person(ADMIN).send("/reload")
        assert re.fullmatch(
            r"✅ 内容已重新加载：\d+ 个测验（\d+ 道题）、\d+ 张防骗卡片、\d+ 条防骗规则、\d+ 条提醒。",
            report.text,
        )
        [menu] = await senior.send("/quiz")
        assert NEW_TITLE in menu.labels and OLD_TITLE not in menu.labels
        # the alert planner reads the same content on its next tick
        assert alerts_of(bot.application).dialog.content.quiz("sanbu_basics").title == NEW_TITLE  # type: ignore[union-attr]
        # a button from before the reload still works: the quiz id did not change
        [question] = await senior.press(OLD_TITLE)
        assert question.text.startswith(f"📝 {NEW_TITLE} · 第 1/")

    async def test_for_others_reload_answers_like_an_unknown_command(
        self, bot: Harness, root: Path
    ) -> None:
        """A non-admin's /reload looks unknown and reloads nothing."""
        someone = bot.person(1001)
        [unknown] = await someone.send("/nosuchcommand")
        edit(root, f"title: {OLD_TITLE}", f"title: {NEW_TITLE}")
        [reload] = await someone.send("/reload")
        assert reload.text == unknown.text and reload.buttons == unknown.buttons
        assert "reload" not in [c["command"] for c in bot.telegram.commands]
        [menu] = await someone.send("/quiz")
        assert OLD_TITLE in menu.labels

    async def test_in_a_group_the_admin_is_sent_to_the_private_chat(self, bot: Harness) -> None:
        [reply] = await bot.person(ADMIN, group=-100123).send("/reload@sanbu_guard_bot")
        assert reply.text == "请在和我的私聊里用 /reload。"


class TestFileWatch:
    async def test_a_saved_edit_is_served_and_every_admin_is_told_once(
        self, bot: Harness, root: Path
    ) -> None:
        """The job reloads a changed file by itself and tells each admin; no change, no news."""
        senior = bot.person(1001)
        assert await watch(bot) is None
        edit(root, f"title: {OLD_TITLE}", f"title: {NEW_TITLE}")
        report = await watch(bot)
        assert report is not None and report.startswith("✅ 内容文件有改动，已更新：")
        for admin in (ADMIN, OTHER_ADMIN):
            assert bot.telegram.texts_to(admin) == [report]
        [menu] = await senior.send("/quiz")
        assert NEW_TITLE in menu.labels
        assert await watch(bot) is None

    async def test_a_broken_save_is_reported_once_and_a_fix_is_served(
        self, bot: Harness, root: Path
    ) -> None:
        """Broken: the admins get the problems once and users keep the old quiz; fixed: served."""
        senior = bot.person(1001)
        edit(root, f"title: {OLD_TITLE}", f"title: {NEW_TITLE}")
        edit(root, "answer: B", "answer: Z")
        report = await watch(bot)
        assert report is not None and report.startswith("⚠️ 内容文件有错误")
        assert f"{QUIZ}:{line_of(root, 'answer: Z')}:" in report
        assert await watch(bot) is None
        assert len(bot.telegram.texts_to(ADMIN)) == 1
        [menu] = await senior.send("/quiz")
        assert OLD_TITLE in menu.labels
        edit(root, "answer: Z", "answer: B")
        fixed = await watch(bot)
        assert fixed is not None and fixed.startswith("✅")
        [menu] = await senior.send("/quiz")
        assert NEW_TITLE in menu.labels

    async def test_the_job_is_scheduled_at_the_named_interval(self, bot: Harness) -> None:
        watcher = watcher_of(bot.application)
        assert watcher is not None
        watcher.start(bot.application)
        assert bot.application.job_queue is not None
        [job] = bot.application.job_queue.get_jobs_by_name("content-watch")
        assert job.job.trigger.interval.total_seconds() == CONTENT_WATCH_SECONDS


def test_a_reply_keeps_the_content_it_started_with(root: Path, storage: Storage) -> None:
    """A reload during a reply swaps content and checker for the next reply, not this one."""
    live = LiveContent(root)
    dialog = Dialog(live, storage)
    turn = dialog._turn(1, private=True)
    before = live.served
    edit(root, f"title: {OLD_TITLE}", f"title: {NEW_TITLE}")
    assert live.reload().changed
    assert turn.served is before and turn.checker is before.checker
    assert turn.content.quiz("sanbu_basics").title == OLD_TITLE  # type: ignore[union-attr]
    assert dialog.content.quiz("sanbu_basics").title == NEW_TITLE  # type: ignore[union-attr]


async def test_fixed_content_has_no_watcher(harness: Harness) -> None:
    """Built from plain Content (tests, benchmarks), there is nothing to watch or reload."""
    assert watcher_of(harness.application) is None
