"""Subscriptions, the family link and admin broadcasts, as people see them on Telegram
(through the real Application and the fake Bot API) and in the dialog core (fake clock)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator

import pytest
from alert_helpers import FakeClock, at
from conftest import Harness, make_settings, running_bot
from fake_bot_api import Person

from bot import family as rules
from bot.content.loader import Content
from bot.content.models import Alert
from bot.dialog.router import Dialog
from bot.storage import Storage
from bot.telegram_app import alerts_of

POLICE_SCAM = "我是公安局的，您的银行卡涉嫌洗钱，请把钱转到安全账户配合调查，不要告诉家人"
ADMIN = 900


@pytest.fixture
async def bot(content: Content, storage: Storage, database_url: str) -> AsyncIterator[Harness]:
    """The bot with one admin and no quiet hours (so texts do not depend on the hour)."""
    settings = make_settings(database_url, admin_ids=frozenset({ADMIN}), quiet_hours="off")
    async with running_bot(settings, content, storage) as h:
        yield h


def code_in(text: str) -> str:
    match = re.search(r"邀请码：(\d{4} \d{4})", text)
    assert match, text
    return match.group(1)


async def linked(bot: Harness) -> tuple[Person, Person]:
    senior = bot.person(1001, first_name="张阿姨")
    child = bot.person(2002, first_name="小明")
    [card] = await senior.send("👨‍👩‍👧 家人守护")
    await child.send(f"/link {code_in(card.text)}")
    return senior, child


class TestSubscribe:
    async def test_subscribe_as_senior_then_status_then_unsubscribe(self, bot) -> None:
        senior = bot.person(1001)
        [ask] = await senior.send("🔔 订阅提醒")
        assert ask.text.startswith("🔔 订阅防骗提醒")
        assert ask.labels == ["👵 我是老人本人", "👨‍👩‍👧 我是家属（子女、亲友）"]
        await senior.press("👵 我是老人本人")
        assert senior.last.text.startswith("✅ 订阅好了！身份：老人本人；地区：全国。")
        assert "退订" in senior.last.text and "/" not in senior.last.text
        subscription = bot.storage.get_subscription(1001)
        assert subscription is not None and subscription.role == "senior"

        [status] = await senior.send("/subscribe")
        assert status.text.startswith("🔔 您已经订阅了防骗提醒（身份：老人本人；地区：全国）。")
        await senior.press("改成「家属」")
        assert bot.storage.get_subscription(1001).role == "family"

        [bye] = await senior.send("/unsubscribe")
        assert bye.text.startswith("🔕 好的，已经退订")
        assert bot.storage.get_subscription(1001) is None
        [again] = await senior.send("/unsubscribe")
        assert again.text.startswith("您现在没有订阅提醒")

    async def test_unsubscribing_drops_what_was_queued(self, bot) -> None:
        senior = bot.person(1001)
        await senior.send("/subscribe")
        await senior.press("👵 我是老人本人")
        bot.storage.enqueue_audience("b:1", "x", not_before=0, subscribed_by=2e9, now=0)
        await senior.send("/subscribe")
        await senior.press("🔕 退订")
        assert bot.storage.outbox_counts() == {"dropped": 1}

    async def test_groups_are_sent_to_the_private_chat(self, bot) -> None:
        member = bot.person(1001, group=-100123)
        [reply] = await member.send("/subscribe@sanbu_guard_bot")
        assert "私聊" in reply.text
        assert bot.storage.get_subscription(1001) is None

    def test_regions_are_offered_when_the_calendar_has_regional_alerts(
        self, content: Content, storage: Storage
    ) -> None:
        regional = Alert(id="cy", text="朝阳区提醒", schedule="0 9 * * mon", region="朝阳区")
        dialog = Dialog(dataclasses.replace(content, alerts=(*content.alerts, regional)), storage)
        ask = dialog.press(1, "1:sb:senior")
        labels = [b.label for row in ask.replies[0].buttons for b in row]
        assert labels == ["朝阳区", "不选，只收全国的提醒"]
        done = dialog.press(1, ask.replies[0].buttons[0][0].data)
        assert "地区：朝阳区" in done.replies[0].text
        assert storage.get_subscription(1).region == "朝阳区"
        assert dialog.press(1, "1:sr:7").stale  # a region the calendar no longer has


class TestFamilyLink:
    async def test_link_with_the_code_and_both_are_told(self, bot) -> None:
        senior = bot.person(1001, first_name="张阿姨")
        child = bot.person(2002, first_name="小明")
        [card] = await senior.send("/family")
        assert card.text.startswith("👨‍👩‍👧 家人守护")
        assert "10 分钟内有效，只能用一次" in card.text
        code = code_in(card.text)
        [ok] = await child.send(f"/link {code[:4]}-{code[5:]}")
        assert ok.text.startswith("✅ 连上了！您现在守护着 张阿姨。")
        assert senior.last.text.startswith("✅ 小明 已经成为您的守护家人。")
        # single use
        [reuse] = await bot.person(3003).send(f"/link {code}")
        assert reuse.text.startswith("邀请码不对")

    async def test_a_high_risk_check_tells_the_family_the_type_and_time_not_the_text(
        self, bot
    ) -> None:
        senior, child = await linked(bot)
        [verdict] = await senior.send(POLICE_SCAM)
        assert "我已经告诉了您的家人" in verdict.text
        assert "📨 把这条消息发给家人" in verdict.labels
        notice = child.last.text
        assert notice.startswith("⚠️ 家人守护提醒\n张阿姨 在 ")
        assert "「冒充公检法及政府机关」骗局" in notice
        assert "安全账户" not in notice and "洗钱" not in notice
        # only when the senior taps, the text goes to the family
        await senior.press("📨 把这条消息发给家人")
        assert child.last.text.startswith("📨 张阿姨 把一条拿不准的消息发给您看看：")
        assert POLICE_SCAM in child.last.text
        assert senior.last.text.startswith("✅ 已经发给 小明")
        # a second tap: the text is gone from memory
        await senior.press("📨 把这条消息发给家人", on=verdict)
        assert senior.notice()["text"] == "这个按钮已过期，请重新开始"

    async def test_the_checked_text_is_not_stored(self, bot, database_url) -> None:
        import sqlite3

        from bot.storage.sqlite import sqlite_path

        senior, _ = await linked(bot)
        await senior.send(POLICE_SCAM)
        db = sqlite3.connect(sqlite_path(database_url))
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            for row in db.execute(f"SELECT * FROM {table}"):
                assert "安全账户" not in repr(row), table

    async def test_low_risk_checks_tell_nobody(self, bot) -> None:
        senior, child = await linked(bot)
        before = len(child.bot_messages())
        await senior.send("妈，我今晚回家吃饭，帮我留碗汤。")
        assert len(child.bot_messages()) == before

    async def test_sos_offers_call_back_which_notifies_the_family(self, bot) -> None:
        senior, child = await linked(bot)
        [sos] = await senior.send("🆘 求助")
        assert sos.labels == ["📞 请家人给我回电话"]
        await senior.press("📞 请家人给我回电话")
        assert child.last.text.startswith("📞 张阿姨 请您尽快回个电话")
        assert senior.last.text.startswith("✅ 已经告诉 小明，请留意来电。")
        await senior.press("📞 请家人给我回电话", on=sos)
        assert senior.last.text.startswith("刚刚已经通知过家人了")

    async def test_sos_without_family_offers_to_connect(self, bot) -> None:
        senior = bot.person(1001)
        [sos] = await senior.send("/sos")
        assert sos.labels == ["👨‍👩‍👧 连上家人"]
        [card] = await senior.press("👨‍👩‍👧 连上家人")
        assert "邀请码" in card.text and "/" not in card.text

    async def test_either_side_can_unlink_and_the_other_is_told(self, bot) -> None:
        senior, child = await linked(bot)
        [view] = await child.send("/family")
        assert view.text == "👨‍👩‍👧 家人守护\n您守护的老人：张阿姨"
        unlink = view.buttons[0][0][1]
        await child.press("解除和「张阿姨」的守护")
        assert child.last.text.startswith("已经解除和「张阿姨」的守护。")
        assert senior.last.text.startswith("小明 解除了家人守护")
        assert bot.storage.links_of(1001) == []
        await child.press(data=unlink, on=child.last)  # stale now
        assert child.notice()["text"] == "这个按钮已过期，请重新开始"

    async def test_forget_removes_links_subscriptions_and_codes(self, bot) -> None:
        senior, _ = await linked(bot)
        await senior.send("/subscribe")
        await senior.press("👵 我是老人本人")
        await senior.send("/family")  # a fresh code
        await senior.send("/forget")
        await senior.press("确认删除")
        assert bot.storage.links_of(2002) == []
        assert bot.storage.get_subscription(1001) is None
        db = bot.storage._db
        assert db.execute("SELECT count(*) FROM link_codes").fetchone()[0] == 0

    async def test_a_forged_unlink_button_does_nothing(self, bot) -> None:
        await linked(bot)
        stranger = bot.person(4004)
        await stranger.send("/start")
        await stranger.press(data="1:fu:1001", on=stranger.last)
        assert stranger.notice()["text"] == "这个按钮已过期，请重新开始"
        assert len(bot.storage.links_of(1001)) == 1


class TestCodeRules:
    """The code's expiry, single use and try limit, on the dialog core with a fake clock."""

    @staticmethod
    def dialog(content: Content, storage: Storage, clock: FakeClock) -> Dialog:
        return Dialog(content, storage, clock=clock)

    @staticmethod
    def new_code(dialog: Dialog) -> str:
        return code_in(dialog.command(1, "family", display_name="张阿姨").replies[0].text)

    def test_a_code_expires_after_ten_minutes(self, content, storage) -> None:
        clock = FakeClock(at("2026-12-01 10:00"))
        dialog = self.dialog(content, storage, clock)
        code = self.new_code(dialog)
        clock.now += rules.CODE_TTL + 1
        reply = dialog.command(2, "link", args=code).replies[0].text
        assert reply.startswith("这个邀请码已经过期了")
        assert storage.links_of(1) == []
        still = dialog.command(2, "link", args=code).replies[0].text
        assert still.startswith("邀请码不对")  # an expired code is deleted

    def test_a_code_works_until_it_expires(self, content, storage) -> None:
        clock = FakeClock(at("2026-12-01 10:00"))
        dialog = self.dialog(content, storage, clock)
        code = self.new_code(dialog)
        clock.now += rules.CODE_TTL - 1
        assert dialog.command(2, "link", args=code).replies[0].text.startswith("✅ 连上了")

    def test_a_new_code_replaces_the_old_one(self, content, storage) -> None:
        clock = FakeClock(at("2026-12-01 10:00"))
        dialog = self.dialog(content, storage, clock)
        old = self.new_code(dialog)
        new = self.new_code(dialog)
        assert dialog.command(2, "link", args=old).replies[0].text.startswith("邀请码不对")
        assert dialog.command(2, "link", args=new).replies[0].text.startswith("✅ 连上了")

    def test_five_wrong_tries_an_hour_then_even_the_right_code_waits(
        self, content, storage
    ) -> None:
        clock = FakeClock(at("2026-12-01 10:00"))
        dialog = self.dialog(content, storage, clock)
        code = self.new_code(dialog)
        wrong = "1111 1111" if code != "1111 1111" else "2222 2222"
        answers = [dialog.command(2, "link", args=wrong).replies[0].text for _ in range(5)]
        assert answers[0].endswith("还能再试 4 次。") and answers[4].endswith("请一小时后再试。")
        blocked = dialog.command(2, "link", args=code).replies[0].text
        assert blocked.startswith("邀请码错的次数太多了")
        assert storage.links_of(1) == []
        clock.now += rules.TRY_WINDOW + 1
        # an hour later the code itself has expired; a fresh one works
        fresh = self.new_code(dialog)
        assert dialog.command(2, "link", args=fresh).replies[0].text.startswith("✅ 连上了")

    def test_malformed_input_does_not_use_up_tries(self, content, storage) -> None:
        clock = FakeClock(at("2026-12-01 10:00"))
        dialog = self.dialog(content, storage, clock)
        for _ in range(8):
            assert dialog.command(2, "link", args="12").replies[0].text.startswith("这不像邀请码")
        assert storage.link_failures_since(2, 0) == 0

    def test_ones_own_code_and_a_second_link(self, content, storage) -> None:
        clock = FakeClock(at("2026-12-01 10:00"))
        dialog = self.dialog(content, storage, clock)
        code = self.new_code(dialog)
        assert dialog.command(1, "link", args=code).replies[0].text.startswith("这是您自己的邀请码")
        dialog.command(2, "link", args=code)
        again = dialog.command(2, "link", args=self.new_code(dialog)).replies[0].text
        assert again.startswith("您和张阿姨已经连上了")


class TestAdmin:
    async def test_for_others_broadcast_answers_like_an_unknown_command(self, bot) -> None:
        someone = bot.person(1001)
        [unknown] = await someone.send("/nosuchcommand")
        [broadcast] = await someone.send("/broadcast 大家好")
        [outbox] = await someone.send("/outbox")
        assert broadcast.text == unknown.text == outbox.text
        assert broadcast.buttons == unknown.buttons
        assert "broadcast" not in [c["command"] for c in bot.telegram.commands]

    async def test_preview_then_confirm_queues_once(self, bot) -> None:
        for user in (1, 2, 3):
            bot.storage.subscribe(user, "senior", 0)
        admin = bot.person(ADMIN)
        [preview] = await admin.send("/broadcast 【紧急提醒】有人冒充社保局打电话，请挂断。")
        assert preview.text == (
            "📣 群发预览（确认后发给 3 位订阅者）：\n\n【紧急提醒】有人冒充社保局打电话，请挂断。"
        )
        assert preview.labels == ["✅ 确认群发", "✖️ 取消"]
        confirm = preview.buttons[0][0][1]
        await admin.press("✅ 确认群发")
        assert admin.last.text.startswith("✅ 已放进发送队列：3 位订阅者。")
        assert bot.storage.outbox_counts() == {"pending": 3}
        await admin.press(data=confirm, on=admin.last)  # a double tap (or a replayed press)
        assert admin.notice()["text"] == "这条群发已经发出了"
        assert bot.storage.outbox_counts() == {"pending": 3}

        await alerts_of(bot.application).sender.drain()
        for user in (1, 2, 3):
            assert bot.telegram.texts_to(user)[0].startswith("【紧急提醒】有人冒充社保局")

    async def test_cancel_sends_nothing(self, bot) -> None:
        bot.storage.subscribe(1, "senior", 0)
        admin = bot.person(ADMIN)
        await admin.send("/broadcast 测试")
        await admin.press("✖️ 取消")
        assert admin.last.text == "已取消，什么都没发。"
        assert bot.storage.outbox_counts() == {}

    async def test_a_forged_confirm_from_a_non_admin_does_nothing(self, bot) -> None:
        bot.storage.subscribe(1, "senior", 0)
        admin = bot.person(ADMIN)
        await admin.send("/broadcast 测试")
        intruder = bot.person(1001)
        await intruder.send("/start")
        await intruder.press(data="1:bc:1:yes", on=intruder.last)
        assert intruder.notice()["text"] == "这个按钮已过期，请重新开始"
        assert bot.storage.outbox_counts() == {}

    async def test_usage_and_outbox_figures(self, bot) -> None:
        admin = bot.person(ADMIN)
        [usage] = await admin.send("/broadcast")
        assert usage.text.startswith("用法：/broadcast 提醒的内容")
        [figures] = await admin.send("/outbox")
        assert figures.text.startswith("📊 提醒发送情况\n等待发送：0")


class TestConsole:
    def test_subscribe_and_family_work_in_the_terminal(self, database_url: str) -> None:
        """The terminal drives the same flows: buttons become numbers, notices are printed."""
        import io

        from bot.console import run_console

        out = io.StringIO()
        lines = "/subscribe\n1\n/family\n/unsubscribe\n"
        settings = make_settings(database_url, telegram_bot_token="")
        assert run_console(settings, stdin=io.StringIO(lines), stdout=out) == 0
        text = out.getvalue()
        assert "  [1] 👵 我是老人本人" in text
        assert "✅ 订阅好了！身份：老人本人；地区：全国。" in text
        assert "🔑 您的邀请码：" in text and "/link " in text
        assert "🔕 好的，已经退订" in text
