"""Everything else a user can send, groups, forged buttons, errors, concurrency — and the
fake Bot API itself rejecting what Telegram rejects."""

from __future__ import annotations

import asyncio
import logging

import pytest
from conftest import make_settings
from fake_bot_api import BOT_ID, BOT_USERNAME, FakeBotAPI, FakeTelegram, utf16_len
from telegram.error import BadRequest, EndPointNotFound

from bot.dialog.lang import to_traditional
from bot.dialog.router import COMMANDS
from bot.telegram_app import build_application, file_url
from bot.texts import EMPTY_PROMPT, EXPIRED, SOMETHING_WRONG

POLICE_SCAM = "我是公安局的，您的银行卡涉嫌洗钱，请把钱转到安全账户配合调查，不要告诉家人"
MEDIA = {
    "sticker": (
        {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "s",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        },
        "收到您的表情啦 😊\n有拿不准的消息，直接转发或粘贴给我，我帮您看看。",
    ),
    "voice": (
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
        "我还听不了语音。\n请把对方说的话用文字发给我，比如：“有人打电话说我涉嫌洗钱”。",
    ),
    "video": (
        {"video": {"file_id": "v", "file_unique_id": "v", "width": 1, "height": 1, "duration": 3}},
        "我还看不了视频。\n请用文字告诉我视频里对方说了什么，我帮您看看。",
    ),
    "video_note": (
        {"video_note": {"file_id": "v", "file_unique_id": "v", "length": 1, "duration": 3}},
        "我还看不了视频。\n请用文字告诉我视频里对方说了什么，我帮您看看。",
    ),
    "document": (
        {"document": {"file_id": "d", "file_unique_id": "d", "file_name": "领奖.apk"}},
        "我打不开文件。\n陌生人发来的文件、安装包（.apk）千万别打开。有可疑的话，请用文字发给我。",
    ),
    "location": (
        {"location": {"latitude": 31.2, "longitude": 121.5}},
        "谢谢，不过我用不上位置。\n有拿不准的消息，用文字发给我就行。",
    ),
    "contact": (
        {"contact": {"phone_number": "13800138000", "first_name": "王"}},
        "谢谢，不过我用不上名片。\n如果是陌生人要您转账，请把他说的话用文字发给我。",
    ),
    "dice": (
        {"dice": {"emoji": "🎲", "value": 3}},
        "这个我还看不懂。\n请把拿不准的消息用文字发给我，或者直接转发给我。",
    ),
}


class TestOtherMessages:
    @pytest.mark.parametrize("kind", sorted(MEDIA))
    @pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant"])
    async def test_media_gets_a_short_friendly_answer(
        self, harness, kind: str, language: str
    ) -> None:
        """Stickers, voice, video, files, places, contacts, dice (pictures are read)."""
        harness.storage.set_language(1001, language)
        senior = harness.person(1001)
        fields, expected = MEDIA[kind]
        [message] = await senior.send_fields(**fields)
        assert message.text == (to_traditional(expected) if language == "zh-Hant" else expected)

    @pytest.mark.parametrize("blank", ["   ", "\n\t", "\u3000"])
    async def test_a_blank_message_gets_a_prompt(self, harness, blank: str) -> None:
        [message] = await harness.person().send(blank)
        assert message.text == EMPTY_PROMPT

    async def test_a_10000_character_text_is_checked_and_says_so(self, harness) -> None:
        """A huge paste: the start is checked, the senior is told, and the reply stays short."""
        huge = POLICE_SCAM + "。" + "今天天气很好，" * 1500
        assert len(huge) > 10_000
        [message] = await harness.person().send(huge)
        assert message.text.startswith("🔴 高风险")
        assert message.text.endswith(
            "（消息很长，我只看了前面一部分。如果要紧的话在后面，请把那一段单独发给我。）"
        )
        assert utf16_len(message.text) < 1000

    async def test_a_service_message_gets_no_answer(self, harness) -> None:
        senior = harness.person()
        assert await senior.send_fields(new_chat_title="新名字") == []

    async def test_an_unknown_command_says_what_to_do(self, harness) -> None:
        [message] = await harness.person().send("/weather")
        assert message.text == (
            "我不认识这个命令。把拿不准的消息直接发给我就行，或者点下面的按钮看看我能做什么。"
        )


class TestEditedMessages:
    async def test_an_edited_message_is_checked_again(self, harness) -> None:
        """Decision: the corrected text is checked again, and the reply says so."""
        senior = harness.person()
        await senior.send("今天天气不错")
        user_message = [m for m in senior.screen if not m.from_bot][-1]
        [message] = await senior.edit(user_message.message_id, POLICE_SCAM)
        assert message.text.startswith("您改过的消息，我重新看了一遍：\n🔴 高风险")

    async def test_an_edited_button_word_is_checked_not_run(self, harness) -> None:
        senior = harness.person()
        [message] = await senior.edit(1, "🆘 求助")
        assert message.text.startswith("您改过的消息，我重新看了一遍：")


class TestGroups:
    async def test_plain_group_chatter_is_ignored(self, harness) -> None:
        member = harness.person(2001, group=-100500)
        assert await member.send(POLICE_SCAM) == []
        assert await member.send_fields(sticker=MEDIA["sticker"][0]["sticker"]) == []

    async def test_a_mention_is_checked_without_the_mention(self, harness) -> None:
        member = harness.person(2001, group=-100500)
        mention = f"@{BOT_USERNAME}"
        text = f"{mention} {POLICE_SCAM}"
        entities = [{"type": "mention", "offset": 0, "length": utf16_len(mention)}]
        [message] = await member.send(text, entities=entities)
        assert message.text.startswith("🔴 高风险")
        assert message.reply_to == [m for m in member.screen if not m.from_bot][-1].message_id

    async def test_a_reply_to_the_bot_is_answered(self, harness) -> None:
        member = harness.person(2001, group=-100500)
        [welcome] = await member.send(f"/start@{BOT_USERNAME}")
        assert welcome.keyboard is None, "no big keyboard over everyone's screen in a group"
        assert welcome.text.endswith("在群里，请 @我 或回复我的消息，我就帮您看看。")
        [message] = await member.send(POLICE_SCAM, reply_to_message=welcome.raw)
        assert message.text.startswith("🔴 高风险")

    async def test_commands_for_other_bots_are_ignored(self, harness) -> None:
        member = harness.person(2001, group=-100500)
        assert await member.send("/start@some_other_bot") == []
        assert await member.send("/weather@some_other_bot") == []
        [message] = await member.send(f"/weather@{BOT_USERNAME}")
        assert message.text.startswith("我不认识这个命令")


class TestButtons:
    @pytest.mark.parametrize(
        "data",
        [
            "1:qa:sanbu_basics:5:0",
            "1:qa:no_such_quiz:0:0",
            "1:g:999",
            "0:g:1",
            "hack;drop",
            "1:qr:sanbu_basics",
        ],
    )
    async def test_stale_or_forged_presses_are_answered_and_change_nothing(
        self, harness, data: str
    ) -> None:
        senior = harness.person()
        await senior.send("/guide")
        before = [(m.text, m.buttons) for m in senior.screen]
        assert await senior.press(data=data, on=senior.last) == []
        assert senior.notice() == {"text": EXPIRED, "show_alert": True}
        assert [(m.text, m.buttons) for m in senior.screen] == before

    async def test_the_expired_notice_is_in_traditional_for_traditional_users(
        self, harness
    ) -> None:
        harness.storage.set_language(1001, "zh-Hant")
        senior = harness.person()
        await senior.send("/guide")
        await senior.press(data="1:g:999", on=senior.last)
        assert senior.notice()["text"] == "這個按鈕已過期，請重新開始"

    async def test_a_press_on_a_message_too_old_to_edit_sends_a_new_one(self, harness) -> None:
        """When Telegram refuses the edit, the page comes as a new message instead."""
        senior = harness.person()
        [rule] = await senior.send("/guide")
        harness.telegram.chats[senior.chat_id].remove(rule)  # deleted, so it cannot be edited
        [page] = await senior.press("下一张 ›", on=rule)
        assert page.text.startswith("🃏 ")
        assert harness.telegram.take_errors() == [
            ("editMessageText", "Bad Request: message to edit not found")
        ]

    async def test_a_concurrent_double_tap_counts_once(self, harness, content) -> None:
        """Two presses of the same answer processed concurrently: one answer, one next question."""
        senior = harness.person()
        await senior.send("/quiz")
        quiz = content.quiz("sanbu_basics")
        [question] = await senior.press(quiz.title)
        q0 = quiz.questions[0]
        label = f"{'ABCD'[q0.answer_index]}. {q0.options[q0.answer_index]}"
        taps = [senior.button_update(label, on=question) for _ in range(2)]
        await asyncio.gather(*(senior.deliver(t) for t in taps))
        progress = harness.storage.get_progress(1001, "sanbu_basics")
        assert (progress.position, progress.score) == (1, 1)
        asked_second = [m for m in senior.bot_messages() if "第 2/" in m.text]
        assert len(asked_second) == 1
        notices = [a["text"] for a in harness.telegram.answers.values()][-2:]
        assert sorted(notices, key=str) == sorted(
            ["✅ 答对了", "这道题您已经答过了，请看下面的下一题"]
        )

    async def test_many_users_at_once_each_get_their_own_answers(self, harness, content) -> None:
        quiz = content.quiz("sanbu_basics")
        people = [harness.person(3000 + i) for i in range(20)]
        await asyncio.gather(*(p.send("/quiz") for p in people))
        await asyncio.gather(*(p.press(quiz.title) for p in people))
        for p in people:
            assert p.last.text.startswith(f"📝 {quiz.title} · 第 1/")
            assert len(p.bot_messages()) == 2


class TestErrors:
    async def test_an_error_is_logged_masked_and_the_user_told(
        self, harness, monkeypatch, caplog
    ) -> None:
        """A crash in the core: the log has no long numbers, the senior hears something went wrong."""
        handlers = harness.application.handlers[0][0].callback.__self__

        def broken(*args: object, **kwargs: object) -> object:
            raise RuntimeError("card 6222021234567890123 phone 13800138000 id 110101199003071234")

        monkeypatch.setattr(handlers.dialog.services.checker, "check", broken)
        caplog.set_level(logging.ERROR)
        [message] = await harness.person().send("我的卡号 6222021234567890123")
        assert message.text == SOMETHING_WRONG
        from bot.tg.logsafe import MaskingFormatter

        formatted = "\n".join(MaskingFormatter().format(r) for r in caplog.records)
        assert "RuntimeError" in formatted
        for secret in ("6222021234567890123", "13800138000", "110101199003071234", "0212345"):
            assert secret not in formatted

    async def test_a_button_press_that_crashes_is_still_answered_once(
        self, harness, monkeypatch
    ) -> None:
        handlers = harness.application.handlers[0][0].callback.__self__

        def broken(*args: object, **kwargs: object) -> object:
            raise RuntimeError("boom")

        senior = harness.person()
        await senior.send("/guide")
        monkeypatch.setattr(handlers.dialog, "press", broken)
        [message] = await senior.press("下一张 ›")
        assert senior.notice() == {"text": "抱歉，出了点问题，请再点一次", "show_alert": True}
        assert message.text == SOMETHING_WRONG


class TestStartUp:
    async def test_the_command_menu_is_registered(self, harness) -> None:
        await harness.application.post_init(harness.application)
        assert harness.telegram.commands == [
            {"command": name, "description": about} for name, about in COMMANDS
        ]

    def test_base_url_and_file_url(self, content, storage, database_url) -> None:
        """TELEGRAM_API_BASE_URL points the bot (and file downloads) at another server."""
        settings = make_settings(database_url, telegram_api_base_url="http://127.0.0.1:8081/bot")
        application = build_application(settings, content, storage, request=FakeBotAPI())
        assert application.bot.base_url.startswith("http://127.0.0.1:8081/bot")
        assert application.bot.base_file_url.startswith("http://127.0.0.1:8081/file/bot")
        assert file_url("http://h:1/bot") == "http://h:1/file/bot"

    def test_the_rate_limiter_is_on_by_default(self, content, storage, database_url) -> None:
        from telegram.ext import AIORateLimiter

        application = build_application(
            make_settings(database_url), content, storage, request=FakeBotAPI()
        )
        assert isinstance(application.bot.rate_limiter, AIORateLimiter)
        assert application.update_processor.max_concurrent_updates > 1


class TestFakeBotApi:
    """The fake must reject what Telegram rejects, or the other tests prove nothing."""

    @pytest.fixture
    async def bot(self):
        from telegram import Bot

        telegram = FakeTelegram()
        bot = Bot(f"{BOT_ID}:x", request=FakeBotAPI(telegram))
        await bot.initialize()
        yield bot, telegram
        await bot.shutdown()

    async def test_rejects_too_long_and_empty_texts(self, bot) -> None:
        bot, _telegram = bot
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(1, "字" * 4097)
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(1, "😀" * 2049)  # 4098 UTF-16 units
        with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
            await bot.send_message(1, "  ")
        await bot.send_message(1, "字" * 4096)

    async def test_rejects_callback_data_over_64_bytes(self, bot) -> None:
        from telegram import InlineKeyboardButton, InlineKeyboardMarkup

        bot, _telegram = bot
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("按", callback_data="字" * 22)]])
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(1, "hi", reply_markup=markup)

    async def test_rejects_unknown_methods_and_double_answers(self, bot) -> None:
        bot, telegram = bot
        with pytest.raises(EndPointNotFound):  # Telegram's 404 for an unknown method
            await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})
        query_id = telegram.new_query()
        await bot.answer_callback_query(query_id)
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query(query_id)
        telegram.take_errors()


class TestLogging:
    def test_mask_hides_long_numbers_and_tokens(self) -> None:
        from bot.tg.logsafe import mask

        masked = mask(
            "card 6222021234567890123, tel 13800138000, bot 7000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
        )
        assert "6222021234567890123" not in masked and "13800138000" not in masked
        assert "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in masked
        assert mask("第 12345 号") == "第 12345 号", "short numbers stay readable"

    def test_debug_never_reaches_telegram_internals(self) -> None:
        """PTB's debug records hold the texts seniors check; they stay off even at DEBUG."""
        from bot.tg.logsafe import configure_logging

        root = logging.getLogger()
        saved = (list(root.handlers), root.level)
        try:
            configure_logging("DEBUG")
            assert not logging.getLogger("telegram.ext.Application").isEnabledFor(logging.DEBUG)
            assert logging.getLogger("bot.tg.handlers").isEnabledFor(logging.DEBUG)
        finally:
            root.handlers[:] = saved[0]
            root.setLevel(saved[1])
            logging.getLogger("telegram").setLevel(logging.NOTSET)


class TestSmallFaults:
    """Issue 10's smaller ones: no refused edits, admin commands in private, /forget wipes."""

    async def test_pressing_the_same_page_again_sends_no_edit_telegram_would_refuse(
        self, harness
    ) -> None:
        """A double tap on › : the second press finds the page already shown and sends no
        edit (Telegram would refuse it as 'not modified'; the harness fails on refusals)."""
        senior = harness.person()
        [rule] = await senior.send("/guide")
        forward = next(d for row in rule.buttons for label, d in row if label == "下一张 ›")
        await senior.press(data=forward, on=rule)
        edits = sum(1 for c in harness.telegram.calls if c.method == "editMessageText")
        card = next(m for m in senior.screen if m.message_id == rule.message_id)
        await senior.press(data=forward, on=card)
        assert sum(1 for c in harness.telegram.calls if c.method == "editMessageText") == edits

    async def test_outbox_in_a_group_answers_only_in_private(
        self, content, storage, database_url
    ) -> None:
        from conftest import make_settings, running_bot

        settings = make_settings(database_url, admin_ids=frozenset({1001}))
        async with running_bot(settings, content, storage) as bot:
            admin = bot.person(1001, group=-100500)
            [reply] = await admin.send(f"/outbox@{BOT_USERNAME}")
            assert reply.text == "请在和我的私聊里用 /outbox。"

    def test_forget_leaves_no_name_in_the_database_files(self, storage, database_url) -> None:
        """secure_delete and a checkpoint: the deleted name is in no file afterwards."""
        from pathlib import Path

        from bot.storage import FamilyLink

        storage.touch_user(5, "zh-Hans", 0)
        storage.touch_user(6, "zh-Hans", 0)
        storage.add_link(FamilyLink(5, 6, "独一无二的名字", "另一个名字", 0))
        storage.forget_user(5)
        folder = Path(database_url.removeprefix("sqlite:///")).parent
        for file in folder.iterdir():
            assert "独一无二的名字".encode() not in file.read_bytes(), file.name


class TestBotApiFaults:
    """One bad answer from the Bot API must not lose a verdict or leave a button spinning."""

    async def test_a_502_on_the_reply_is_retried_and_the_verdict_arrives(self, harness) -> None:
        from fake_bot_api import server_error

        senior = harness.person()
        harness.telegram.fail_next["sendMessage"] = server_error(502)
        [verdict] = await senior.send(POLICE_SCAM)
        assert verdict.text.startswith("🔴 高风险")
        assert harness.telegram.take_errors() == [("sendMessage", "Bad Gateway")]

    async def test_a_502_on_the_button_answer_still_stops_the_spinner(self, harness) -> None:
        from fake_bot_api import server_error

        senior = harness.person()
        [rule] = await senior.send("/guide")
        harness.telegram.fail_next["answerCallbackQuery"] = server_error(502)
        await senior.press("下一张 ›", on=rule)
        answered = [c for c in harness.telegram.calls if c.method == "answerCallbackQuery"]
        assert len(answered) == 2  # the failed answer, then the one that stopped the spinner
        assert harness.telegram.take_errors() == [("answerCallbackQuery", "Bad Gateway")]


class TestWithRetries:
    async def test_a_garbled_answer_is_tried_again_and_a_refusal_is_not(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """One 'Invalid server response' (a garbled or truncated answer) is retried; a 400
        is raised at once."""
        from telegram.error import BadRequest, TelegramError

        from bot.tg import render

        monkeypatch.setattr(render, "RETRY_PAUSES", (0.0, 0.0))
        calls: list[int] = []

        async def garbled_once() -> str:
            calls.append(1)
            if len(calls) == 1:
                raise TelegramError("Invalid server response")
            return "sent"

        assert await render.with_retries(garbled_once) == "sent" and len(calls) == 2

        async def refused() -> str:
            calls.append(2)
            raise BadRequest("Bad Request: chat not found")

        with pytest.raises(BadRequest):
            await render.with_retries(refused)
        assert calls.count(2) == 1
