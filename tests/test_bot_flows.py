"""Every flow through the real Application and a fake Bot API: exactly what the senior sees,
in Simplified and in Traditional."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.check.engine import Checker
from bot.content.loader import Content
from bot.dialog.lang import to_traditional
from bot.settings import PROJECT_ROOT
from bot.texts import verdict_text

KEYBOARD = [
    ["🔍 查一查", "📖 学防骗"],
    ["🛡️ 三不口诀", "🔔 订阅提醒"],
    ["👨‍👩‍👧 家人守护", "🆘 求助"],
    ["⚙️ 简体 / 繁體"],
]
KEYBOARD_HANT = [
    ["🔍 查一查", "📖 學防騙"],
    ["🛡️ 三不口訣", "🔔 訂閱提醒"],
    ["👨‍👩‍👧 家人守護", "🆘 求助"],
    ["⚙️ 簡體 / 繁體"],
]
POLICE_SCAM = "我是公安局的，您的银行卡涉嫌洗钱，请把钱转到安全账户配合调查，不要告诉家人"

Conv = Callable[[str], str]


class TestStartAndHelp:
    async def test_start_welcomes_with_the_big_keyboard(
        self, senior, content, conv, language
    ) -> None:
        """/start: the welcome lines and a persistent keyboard: six big buttons and 简体/繁體."""
        [message] = await senior.send("/start")
        assert message.text == conv("\n".join(content.guidance.welcome))
        assert message.keyboard == (KEYBOARD_HANT if language == "zh-Hant" else KEYBOARD)
        assert message.buttons == []

    async def test_start_keyboard_is_persistent_and_resized(self, senior) -> None:
        await senior.send("/start")
        markup = senior.telegram.calls[-1].params["reply_markup"]
        assert markup["is_persistent"] is True and markup["resize_keyboard"] is True

    async def test_help_says_what_the_bot_does_and_the_numbers(self, senior, conv) -> None:
        [message] = await senior.send("/help")
        assert message.text == conv(
            "我是三不卫士，能帮您：\n"
            "🔍 查一查：把可疑的短信、微信发给我，马上告诉您有没有风险\n"
            "📖 学防骗：做防骗小测验\n"
            "🛡️ 三不口诀：不听、不信、不转账，还有各种骗局的防骗卡片\n"
            "🔔 订阅提醒：定期收到防骗提醒\n"
            "👨‍👩‍👧 家人守护：遇到高风险骗局，马上告诉子女\n"
            "\n"
            "☎️ 拿不准就打 96110 问一问；遇到危险、钱已转出，马上打 110。"
        )
        assert message.labels == [conv("🆘 求助"), conv("⚙️ 换成繁體字 / 简体字")]

    async def test_check_button_asks_for_the_message(self, senior, conv) -> None:
        [message] = await senior.send("🔍 查一查")
        assert message.text == conv(
            "🔍 请把拿不准的短信、微信或电话内容发给我，我马上帮您看看。\n"
            "可以直接转发，也可以用自己的话说，比如：“有人打电话说是公安局的……”"
        )

    async def test_keyboard_words_work_in_traditional_too(self, senior, content, conv) -> None:
        """Pressing a 繁體 keyboard button sends 繁體 words; they open the same flow."""
        [message] = await senior.send("🆘 求助")
        [again] = await senior.send(to_traditional("🆘 求助"))
        assert message.text == again.text


class TestSos:
    async def test_sos_gives_the_hotlines_and_what_to_do_if_money_was_sent(
        self, senior, content, conv
    ) -> None:
        """The page opens with the first steps, lists every hotline, and is short (≤ 300)."""
        [message] = await senior.send("🆘 求助")
        guidance = content.guidance
        lines = message.text.split("\n")
        assert lines[0] == conv("🆘 钱已经转出去了？请马上：")
        assert lines[1] == conv(f"1. {guidance.money_already_sent[0]}") and "110" in lines[1]
        assert conv("止付") in lines[2]
        for hotline in guidance.hotlines:
            assert conv(f"{hotline.number} {hotline.name}") in lines
        assert len(message.text) <= 300

    async def test_sos_command_is_the_same(self, senior) -> None:
        [by_button] = await senior.send("🆘 求助")
        [by_command] = await senior.send("/sos")
        assert by_button.text == by_command.text


class TestCheck:
    async def test_a_police_scam_is_high_risk_with_rule_and_hotlines(
        self, senior, content, conv
    ) -> None:
        """The verdict: marker and level, the scam's name, why, what to do, the rule, hotlines."""
        [message] = await senior.send(POLICE_SCAM)
        verdict = Checker.from_content(content).check(POLICE_SCAM)
        assert verdict.risk == "high" and verdict.category == "impersonate_police"
        assert message.text == conv(verdict_text(verdict, content.guidance, POLICE_SCAM))
        lines = message.text.split("\n")
        assert lines[0] == conv("🔴 高风险：像是「冒充公检法及政府机关」骗局")
        assert lines[1].startswith(conv("为什么：提到了“涉嫌洗钱”“配合调查”"))
        assert lines[1].startswith(conv("为什么："))
        assert conv("【防骗三不口诀】不听 不信 不转账") in lines
        assert conv("☎️ 报警电话 110　全国反诈预警劝阻专线 96110") in lines
        assert message.labels == [conv("📖 了解这种骗局"), conv("🆘 钱已经转出去了怎么办")]
        assert len(message.text) < 600, "never a wall of text"

    async def test_an_ordinary_message_is_fine(self, senior, content, conv) -> None:
        [message] = await senior.send("妈，我今晚回家吃饭，帮我留碗汤。")
        assert message.text == conv(
            "🟢 没发现问题\n\n👉 没有发现常见的诈骗说法。凡是要您转账的，都先和家人商量。\n"
            "👉 还有拿不准的，随时再发给我；着急的事，打 96110 问一问。"
        )
        assert message.buttons == []

    async def test_traditional_input_is_checked(self, senior, content, conv) -> None:
        """A message written in Traditional characters is judged like the Simplified one."""
        [message] = await senior.send(to_traditional(POLICE_SCAM))
        assert message.text.startswith(conv("🔴 高风险：像是「冒充公检法及政府机关」骗局"))

    async def test_learn_more_opens_the_scam_card(self, senior, content, conv) -> None:
        await senior.send(POLICE_SCAM)
        [card] = await senior.press(conv("📖 了解这种骗局"))
        assert card.text.startswith(conv("🃏 冒充公检法及政府机关（第 5/19 张）"))
        assert senior.notice() == {"text": None, "show_alert": False}

    async def test_a_victim_is_told_what_to_do_now(self, senior, conv) -> None:
        """'I was scammed' gets the first steps at once and the 求助 button, never a verdict."""
        [message] = await senior.send("我上个月被骗了三千块，是用微信转的，现在还能追回来吗？")
        lines = message.text.split("\n")
        assert lines[0] == conv("不要着急，您马上来问是对的。请现在就做这几件事：")
        assert lines[1].startswith("1. ") and "110" in lines[1]
        assert conv("止付") in lines[2]
        assert not any(mark in message.text for mark in ("🟢", "🟡", "🟠", "🔴"))
        assert conv("🆘 求助电话") in message.labels

    async def test_no_urgent_steps_for_an_ordinary_worry(self, senior, conv) -> None:
        """A question about a scam that has not happened gets no 'money already sent' steps."""
        [message] = await senior.send("听说最近有冒充医保局的电话，我该注意什么？")
        assert conv("💸") not in message.text

    async def test_money_sent_button_opens_sos(self, senior, conv) -> None:
        await senior.send(POLICE_SCAM)
        [sos] = await senior.press(conv("🆘 钱已经转出去了怎么办"))
        assert sos.text.startswith(conv("🆘 钱已经转出去了？"))

    async def test_the_checked_text_is_never_stored(self, harness, senior, database_url) -> None:
        """Privacy: nothing of the checked message reaches the database files."""
        await senior.send(POLICE_SCAM)
        await senior.send("/quiz")  # and a write after it, so the WAL holds recent pages
        folder = Path(database_url.removeprefix("sqlite:///")).parent
        stored = b"".join(f.read_bytes() for f in folder.iterdir() if f.is_file())
        assert stored, "the database files exist"
        for piece in ("安全账户配合调查", "涉嫌洗钱"):
            assert piece.encode() not in stored
            assert piece.encode("utf-16-le") not in stored

    async def test_a_forwarded_message_is_checked(self, senior, conv) -> None:
        origin = {"type": "hidden_user", "date": 1_700_000_000, "sender_user_name": "陌生人"}
        [message] = await senior.send(POLICE_SCAM, forward_origin=origin)
        assert message.text.startswith(conv("🔴 高风险"))

    async def test_a_caption_is_checked_with_its_picture(self, senior, conv) -> None:
        """A harmless screenshot with a scam in its caption: the two are read together."""
        picture = (PROJECT_ROOT / "tests/fixtures/screens/sms_parcel_hant.png").read_bytes()
        [message] = await senior.send_picture(picture, caption=POLICE_SCAM, width=720, height=1600)
        assert message.text.startswith(conv("📷 我看了您发的图片。"))
        assert conv("🔴 高风险") in message.text


class TestGuide:
    async def test_the_rule_first_then_cards_with_arrows(self, senior, content, conv) -> None:
        """/guide: the 三不 rule; › shows the next card in place; ‹ goes back; it wraps."""
        [rule] = await senior.send("🛡️ 三不口诀")
        guidance = content.guidance
        expected = [f"🛡️ {guidance.rule_title}", ""]
        expected += [f"{n} {line}" for n, line in zip(("1️⃣", "2️⃣", "3️⃣"), guidance.rule, strict=True)]
        expected += [
            "",
            f"👨‍👩‍👧 {guidance.talk_to_family}",
            "",
            "点「下一张 ›」，看看常见的骗局。",
        ]
        assert rule.text == conv("\n".join(expected))
        assert rule.labels == [conv("‹ 上一张"), conv("下一张 ›")]

        assert await senior.press(conv("下一张 ›")) == []  # edited in place, nothing new
        card = guidance.cards[0]
        page = senior.last
        assert page.message_id == rule.message_id and page.edits == 1
        expected_card = [f"🃏 {card.title}（第 1/{len(guidance.cards)} 张）", "", card.how_it_goes]
        expected_card += ["", "⚠️ 小心这些：", *(f"· {s}" for s in card.signs)]
        expected_card += ["", "✅ 您可以这样做：", *(f"· {s}" for s in card.what_to_do)]
        assert page.text == conv("\n".join(expected_card))

        await senior.press(conv("‹ 上一张"))
        assert senior.last.text == rule.text
        await senior.press(conv("‹ 上一张"))  # from the rule back to the last card
        assert senior.last.text.startswith(conv(f"🃏 {guidance.cards[-1].title}"))

    async def test_guide_command_is_the_same(self, senior) -> None:
        [by_button] = await senior.send("🛡️ 三不口诀")
        [by_command] = await senior.send("/guide")
        assert by_button.text == by_command.text


class TestQuiz:
    async def test_a_whole_quiz_right_and_wrong_then_review_and_again(
        self, senior, content: Content, conv
    ) -> None:
        """学防骗 → choose → one question at a time → marked at once → score → review → again."""
        quiz = content.quiz("sanbu_basics")
        assert quiz is not None and len(quiz.questions) >= 10
        [menu_message] = await senior.send("📖 学防骗")
        assert menu_message.text.startswith(
            conv("📖 学防骗：选一个小测验，每次一道题，点按钮作答。")
        )
        assert conv(quiz.title) in menu_message.labels

        [first] = await senior.press(conv(quiz.title))
        q0 = quiz.questions[0]
        assert first.text == conv(
            f"📝 {quiz.title} · 第 1/{len(quiz.questions)} 题\n\n{q0.question}"
        )
        assert first.labels == [conv(f"{'ABCD'[i]}. {o}") for i, o in enumerate(q0.options)]
        first_text = first.text  # the message is edited once answered

        total = len(quiz.questions)
        for index, question in enumerate(quiz.questions):
            wrong = index in (1, 4)
            option = (
                (question.answer_index + 1) % len(question.options)
                if wrong
                else question.answer_index
            )
            label = conv(f"{'ABCD'[option]}. {question.options[option]}")
            asked = senior.last
            new = await senior.press(label, on=asked)
            marked = next(m for m in senior.screen if m.message_id == asked.message_id)
            right = f"{'ABCD'[question.answer_index]}. {question.options[question.answer_index]}"
            verdict = f"❌ 不对。正确答案是 {right}" if wrong else "✅ 答对了！"
            assert marked.text == conv(
                f"📝 {quiz.title} · 第 {index + 1}/{total} 题\n\n{question.question}\n\n"
                f"您选了：{'ABCD'[option]}. {question.options[option]}\n"
                f"{verdict}\n\n💡 {question.explanation}"
            )
            assert marked.buttons == [], "an answered question has no buttons left"
            assert senior.notice()["text"] == conv("❌ 答错了" if wrong else "✅ 答对了")
            assert len(new) == 1

        result = senior.last
        assert result.text == conv(
            f"🎉 做完了！「{quiz.title}」您答对了 {total - 2}/{total} 题。\n"
            "很不错！看看答错的题，下次就能全对。"
        )
        assert result.labels == [conv("📋 看看错题"), conv("🔁 再做一次"), conv("📚 换一个测验")]

        [review] = await senior.press(conv("📋 看看错题"))
        q1 = quiz.questions[1]
        assert review.text.startswith(
            conv(f"📋 「{quiz.title}」的错题\n\n❌ 第 2 题：{q1.question}")
        )
        assert conv(f"💡 {q1.explanation}") in review.text
        assert conv("❌ 第 5 题") in review.text and conv("❌ 第 3 题") not in review.text

        [again] = await senior.press(conv("🔁 再做一次"), on=review)
        assert again.text == first_text

    async def test_progress_is_kept_and_the_list_shows_it(self, senior, content, conv) -> None:
        """Leave after two answers: the list marks where you are, and the quiz resumes there."""
        quiz = content.quiz("sanbu_basics")
        await senior.send("/quiz")
        await senior.press(conv(quiz.title))
        for question in quiz.questions[:2]:
            right = question.answer_index
            await senior.press(conv(f"{'ABCD'[right]}. {question.options[right]}"))
        [listing] = await senior.send("/quiz")
        assert conv(f"▶️ {quiz.title}（第 3 题）") in listing.labels
        [resumed] = await senior.press(conv(f"▶️ {quiz.title}（第 3 题）"))
        assert resumed.text.startswith(conv(f"📝 {quiz.title} · 第 3/"))

    async def test_an_old_question_cannot_be_answered_twice(
        self, harness, senior, content, conv
    ) -> None:
        """Pressing the buttons of an answered question changes nothing and says why."""
        quiz = content.quiz("sanbu_basics")
        await senior.send("/quiz")
        [question] = await senior.press(conv(quiz.title))
        q0 = quiz.questions[0]
        label = conv(f"{'ABCD'[q0.answer_index]}. {q0.options[q0.answer_index]}")
        stale = senior.button_update(label, on=question)
        await senior.deliver(senior.button_update(label, on=question))
        assert await senior.deliver(stale) == []
        assert senior.notice() == {
            "text": conv("这道题您已经答过了，请看下面的下一题"),
            "show_alert": True,
        }
        progress = harness.storage.get_progress(1001, "sanbu_basics")
        assert (progress.position, progress.score) == (1, 1), "the answer counted once"


class TestSettings:
    async def test_choose_traditional_then_back(self, harness) -> None:
        """/settings: pick 繁體; the answer and the keyboard come in 繁體 from then on."""
        senior = harness.person(1002)
        [ask] = await senior.send("/settings")
        assert ask.text == "⚙️ 您想看简体字，还是繁體字？"
        assert ask.labels == ["✓ 简体字", "繁體字"]

        [keyboard] = await senior.press("繁體字")
        assert senior.screen[-2].text == "✅ 好的，以後我用繁體字和您說話。"
        assert senior.screen[-2].buttons == []
        assert keyboard.text == "下面的按鈕也換好了。"
        assert keyboard.keyboard == KEYBOARD_HANT
        [helped] = await senior.send("/help")
        assert helped.text.startswith("我是三不衛士，能幫您：")

        [ask_again] = await senior.send("/settings")
        assert ask_again.text == "⚙️ 您想看簡體字，還是繁體字？"
        assert ask_again.labels == ["簡體字", "✓ 繁體字"]
        await senior.press("簡體字")
        assert senior.screen[-2].text == "✅ 好的，以后我用简体字和您说话。"
        assert senior.last.keyboard == KEYBOARD


class TestForget:
    async def test_forget_asks_first_and_cancel_keeps_everything(self, senior, conv) -> None:
        [ask] = await senior.send("/forget")
        assert ask.text == conv(
            "🗑️ 要删掉我保存的您的全部资料吗？\n"
            "包括文字设置、测验进度、订阅和家人守护，删掉后不能恢复。\n"
            "（您发给我检查的消息，我本来就不保存。）"
        )
        assert ask.labels == [conv("确认删除"), conv("不删了")]
        await senior.press(conv("不删了"))
        assert senior.last.text == conv("好的，什么都没删。")
        assert senior.last.buttons == []

    async def test_forget_deletes_everything(
        self, harness, senior, content, conv, language
    ) -> None:
        quiz = content.quiz("sanbu_basics")
        await senior.send("/quiz")
        await senior.press(conv(quiz.title))
        q0 = quiz.questions[0]
        await senior.press(conv(f"{'ABCD'[q0.answer_index]}. {q0.options[q0.answer_index]}"))
        assert harness.storage.get_progress(1001, "sanbu_basics") is not None

        await senior.send("/forget")
        await senior.press(conv("确认删除"))
        assert senior.last.text == conv("✅ 已经全部删掉了。以后想用，随时给我发消息就行。")
        assert harness.storage.get_user(1001) is None
        assert harness.storage.all_progress(1001) == {}
