"""What a senior sees when they talk to the bot instead of pasting a message to check.

Every kind of input — a cry for help, a question, small talk, confusion, a wish, a menu word,
an answer typed during a quiz — goes through the real Application on the fake Bot API, in
Simplified and in Traditional (the sender writes in their script and reads replies in it).
Each test asserts the opening line and the buttons: what the senior reads first and can do.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.dialog.lang import to_traditional

Conv = Callable[[str], str]
VERDICT_MARKS = ("🟢", "🟡", "🟠", "🔴")
KEYBOARD_FIRST_ROW = ["🔍 查一查", "📖 学防骗"]


class TestCryForHelp:
    @pytest.mark.parametrize(
        ("said", "extra_step"),
        [
            ("钱被转走了怎么办", None),
            ("我被骗了，刚才转了两万块给对方", None),
            ("我爸好像上当了，把养老钱转出去了", None),
            ("我把验证码告诉那个客服了，现在怎么办", "银行"),
            ("刚才按他说的下载了一个会议软件，还开了屏幕共享", "删掉"),
        ],
    )
    async def test_the_steps_that_save_money_come_first_and_alone(
        self, senior, conv, said: str, extra_step: str | None
    ) -> None:
        """110, the bank's 止付 and the records lead; never a verdict; the 🆘 button."""
        [reply] = await senior.send(conv(said))
        lines = reply.text.split("\n")
        assert lines[0] == conv("不要着急，您马上来问是对的。请现在就做这几件事：")
        assert lines[1].startswith("1. ") and "110" in lines[1]
        assert conv("止付") in lines[2]
        assert not any(mark in reply.text for mark in VERDICT_MARKS)
        assert conv("没发现问题") not in reply.text and conv("风险较低") not in reply.text
        if extra_step:
            assert conv(extra_step) in lines[4]
        assert reply.labels[0] == conv("🆘 求助电话")
        assert len(reply.text) <= 400

    async def test_money_already_handed_to_a_named_scam_gets_the_steps(self, senior, conv) -> None:
        """The check flags it, but the money is gone: help first, then the scam's name."""
        said = "网上做任务的让我先垫钱，我已经转了八千，现在说要再充值才能提现，怎么办"
        [reply] = await senior.send(conv(said))
        assert reply.text.startswith(conv("不要着急，您马上来问是对的。"))
        assert conv("「刷单返利」") in reply.text

    async def test_a_scam_asking_for_money_not_yet_paid_is_a_warning(self, senior, conv) -> None:
        said = "有人打电话说我孙子打架被抓了，要交两万保释金，还不让告诉他爸妈，我该咋办"
        [reply] = await senior.send(conv(said))
        assert conv("🔴 高风险：像是「冒充亲友遇险」骗局") in reply.text.split("\n")[:2]
        assert not reply.text.startswith(conv("不要着急，您马上来问是对的。"))

    async def test_scam_evidence_names_the_scam_in_one_line(self, senior, conv) -> None:
        """Harm done with a scam's words: the steps first, then one line naming the scam."""
        said = "我已经把钱转到公安局说的安全账户了，他说我涉嫌洗钱"
        [reply] = await senior.send(conv(said))
        assert reply.text.startswith(conv("不要着急"))
        assert conv("您说的情况像是「冒充公检法及政府机关」骗局。") in reply.text.split("\n")

    @pytest.mark.parametrize(
        "said",
        ["我差点被骗了，幸好问了儿子", "怎么才能不被骗", "我已经转告我妈了", "消息我转给了你妈"],
    )
    async def test_near_misses_are_no_cry_for_help(self, senior, conv, said: str) -> None:
        """Nearly scammed, asking how not to be, passing news on: no emergency steps."""
        [reply] = await senior.send(conv(said))
        assert not reply.text.startswith(conv("不要着急，您马上来问"))


class TestQuestions:
    @pytest.mark.parametrize(
        ("asked", "opening", "button"),
        [
            ("96110打来的电话能接吗", "💬 96110打来的电话是真的提醒", None),
            ("安全账户是什么", "💬", "📝 做小测验：识破假警察和“安全账户”"),
            ("公安局会打电话让人把钱转到安全账户吗", "💬", None),
            ("什么是杀猪盘", "💬", "📖 了解「网络婚恋交友（杀猪盘）」"),
            ("怎么让我儿子也能收到提醒", "💬", None),
        ],
    )
    async def test_a_question_gets_an_answer_and_a_next_step(
        self, senior, conv, asked: str, opening: str, button: str | None
    ) -> None:
        """A question is answered (at most 200 characters), never judged, with one button."""
        [reply] = await senior.send(conv(asked))
        assert reply.text.startswith(conv(opening))
        assert not reply.text.startswith(VERDICT_MARKS)
        assert len(reply.text) <= 210
        assert len(reply.labels) >= 1
        if button:
            assert reply.labels == [conv(button)]

    async def test_torn_between_two_answers_both_are_offered(self, senior, conv) -> None:
        [reply] = await senior.send("96110？")
        assert reply.text == conv("您想问的是哪一个？点一下就能看到回答。")
        assert len(reply.labels) == 2
        [answer] = await senior.press(reply.labels[0])
        assert answer.text.startswith("💬 ")

    async def test_an_answer_button_leads_where_it_says(self, senior, conv) -> None:
        [reply] = await senior.send(conv("什么是杀猪盘"))
        [card] = await senior.press(reply.labels[0])
        assert card.text.startswith(conv("🃏 网络婚恋交友（杀猪盘）"))

    async def test_a_question_it_does_not_know_offers_96110_and_the_check(
        self, senior, conv
    ) -> None:
        [reply] = await senior.send(conv("今天天气怎么样"))
        assert reply.text.startswith(conv("这个问题我还答不好"))
        assert "96110" in reply.text
        assert reply.labels == [conv("🔍 查一查")]

    async def test_a_retold_scam_that_asks_if_it_is_true_is_checked(self, senior, conv) -> None:
        """…是真的吗？ after a story is a message to check, and the answer says so plainly."""
        said = "有人打电话说我涉嫌洗钱，要我把钱转到安全账户，是真的吗？"
        [reply] = await senior.send(conv(said))
        lines = reply.text.split("\n")
        assert lines[0] == conv("您问是不是真的：很可能是骗局，请别信，也别转账。")
        assert lines[1].startswith(conv("🔴 高风险"))


class TestSmallTalk:
    @pytest.mark.parametrize(
        ("said", "opening", "keyboard"),
        [
            ("你好", "您好！我是三不卫士。", True),
            ("谢谢你啊", "不客气", False),
            ("再见", "再见，祝您平平安安", False),
            ("你真棒", "谢谢您的夸奖", False),
            ("这东西没啥用", "对不起，让您不方便了", True),
            ("好的", "好的", False),
            ("今天下雨了，腿又疼了", "听您说说真好", False),
        ],
    )
    async def test_a_short_warm_answer_and_the_next_step(
        self, senior, conv, said: str, opening: str, keyboard: bool
    ) -> None:
        """Small talk gets a warm line that says what to do next; no verdict."""
        [reply] = await senior.send(conv(said))
        assert reply.text.startswith(conv(opening))
        assert not reply.text.startswith(VERDICT_MARKS)
        assert any(conv(w) in reply.text for w in ("发给我", "96110", "随时"))
        assert (reply.keyboard is not None) is keyboard
        if keyboard:
            assert reply.keyboard[0] == [conv(label) for label in KEYBOARD_FIRST_ROW]

    async def test_a_greeting_with_a_scam_is_a_scam(self, senior, conv) -> None:
        [reply] = await senior.send(conv("你好，我是公安局的，你涉嫌洗钱，把钱转到安全账户"))
        assert reply.text.startswith(conv("🔴 高风险"))


class TestConfusion:
    @pytest.mark.parametrize("said", ["看不懂", "这个咋用", "我不会弄", "点哪里", "？？"])
    async def test_the_bot_says_what_it_does_and_the_big_buttons_come_back(
        self, senior, conv, said: str
    ) -> None:
        [reply] = await senior.send(conv(said))
        assert reply.text.startswith(conv("不要着急，我来说说：我是防骗小助手。"))
        assert reply.keyboard is not None
        assert reply.keyboard[0] == [conv(label) for label in KEYBOARD_FIRST_ROW]


class TestTheScreenPuzzles:
    @pytest.mark.parametrize("said", ["下面那几个框框是干嘛的", "那个蓝色的字点了没反应"])
    async def test_how_to_use_the_screen_and_the_buttons(self, senior, conv, said: str) -> None:
        [reply] = await senior.send(conv(said))
        assert reply.text.startswith(conv("不要着急，我来说说怎么用："))
        assert conv("粘贴") in reply.text
        assert reply.keyboard is not None

    async def test_a_bare_huh_is_confusion(self, senior, conv) -> None:
        [reply] = await senior.send("啊？")
        assert reply.text.startswith(conv("不要着急，我来说说"))


class TestWishes:
    async def test_traditional_is_offered_with_the_two_buttons(self, senior, conv) -> None:
        [reply] = await senior.send("我要看繁體字")
        assert reply.text.startswith(conv("可以！点下面的「繁體字」"))
        assert [label.removeprefix("✓ ") for label in reply.labels] == [conv("简体字"), "繁體字"]
        await senior.press(next(x for x in reply.labels if "繁體字" in x), on=reply)
        edited = next(m for m in senior.screen if m.message_id == reply.message_id)
        assert edited.text.startswith(to_traditional("✅ 好的，以后我用繁體字和您说话。"))

    async def test_bigger_letters_says_how_to_make_telegram_bigger(self, senior, conv) -> None:
        [reply] = await senior.send(conv("字太小了，看不清"))
        assert reply.text.startswith(conv("我这边没法把字变大"))
        assert conv("文字大小") in reply.text

    async def test_stop_the_alerts_unsubscribes(self, senior, conv, harness) -> None:
        await senior.send("/subscribe")
        await senior.press(conv("👵 我是老人本人"))
        [reply] = await senior.send(conv("别再给我发提醒了"))
        assert reply.text.startswith(conv("🔕 好的，已经退订"))
        sub = harness.storage.get_subscription(1001)
        assert sub is None or not sub.active

    @pytest.mark.parametrize("said", ["你回得太长了，简短点", "每次只说结论就行", "说慢点我跟不上"])
    async def test_how_it_talks_gets_an_honest_answer(self, senior, conv, said: str) -> None:
        """Replies are written in advance: it says so, and where the conclusion is."""
        [reply] = await senior.send(conv(said))
        assert reply.text.startswith(conv("谢谢您告诉我！我的话是先写好的"))
        assert conv("只看第一行") in reply.text

    async def test_a_wish_for_daily_tips_subscribes(self, senior, conv) -> None:
        [reply] = await senior.send(conv("以后有新的骗局能每天提醒我一下吗"))
        assert reply.text.startswith(conv("🔔"))

    async def test_delete_my_data_asks_first(self, senior, conv) -> None:
        [reply] = await senior.send(conv("把我的资料都删掉"))
        assert reply.text.startswith(conv("🗑️ 要删掉我保存的您的全部资料吗？"))
        assert reply.labels == [conv("确认删除"), conv("不删了")]


class TestMenuWords:
    @pytest.mark.parametrize(
        ("typed", "opening"),
        [
            ("查一查", "🔍 请把拿不准的"),
            ("我想学防骗", "📖 学防骗：选一个小测验"),
            ("看看三不口诀", "🛡️ 防骗三不口诀"),
            ("求助", "🆘 钱已经转出去了？"),
            ("进入家人守护", "👨‍👩‍👧 家人守护"),
            ("家人绑定", "👨‍👩‍👧 家人守护"),
            ("打开设定", "⚙️ 您想看简体字，还是繁體字？"),
            ("返回主画面", "您好！我是“三不卫士”"),
        ],
    )
    async def test_typed_menu_words_open_their_page(
        self, senior, conv, typed: str, opening: str
    ) -> None:
        [reply] = await senior.send(conv(typed))
        assert reply.text.startswith(conv(opening))


class TestLeavingAQuiz:
    @pytest.mark.parametrize("typed", ["不玩了", "退出答题", "唔玩喇"])
    async def test_leaving_words_bring_back_the_big_buttons(self, senior, conv, typed: str) -> None:
        await senior.send("/quiz")
        await senior.press(conv("防骗三不口诀"))
        [reply] = await senior.send(conv(typed))
        assert reply.text.startswith(conv("您好！我是“三不卫士”"))
        assert reply.keyboard is not None


class TestTypedQuizAnswers:
    @pytest.mark.parametrize("typed", ["B", "b", "选B", "我选B", "答案是B", "第二个", "2", "B吧"])
    async def test_a_typed_answer_counts_like_the_button(self, senior, conv, typed: str) -> None:
        """sanbu_basics question 1's answer is B: a typed B is marked right, then question 2."""
        await senior.send("/quiz")
        await senior.press(conv("防骗三不口诀"))
        marked, following = await senior.send(conv(typed))
        assert conv("✅ 答对了！") in marked.text
        assert following.text.startswith(conv("📝 防骗三不口诀 · 第 2/"))

    async def test_a_wrong_letter_is_marked_wrong(self, senior, conv) -> None:
        await senior.send("/quiz")
        await senior.press(conv("防骗三不口诀"))
        marked, _ = await senior.send("A")
        assert conv("❌ 不对。正确答案是 B.") in marked.text

    async def test_a_letter_with_no_option_shows_the_letters(self, senior, conv) -> None:
        await senior.send("/quiz")
        await senior.press(conv("防骗三不口诀"))
        hint, question = await senior.send("D")
        assert hint.text.startswith(conv("这道题只有 A、B、C 3 个选项"))
        assert question.text.startswith(conv("📝 防骗三不口诀 · 第 1/"))

    async def test_an_answer_not_understood_gets_how_to_answer(self, senior, conv) -> None:
        await senior.send("/quiz")
        await senior.press(conv("防骗三不口诀"))
        hint, question = await senior.send(conv("选那个挂电话的"))
        assert hint.text.startswith(conv("我没看明白您选的是哪个。"))
        assert question.text.startswith(conv("📝 防骗三不口诀 · 第 1/"))

    async def test_outside_a_quiz_a_letter_is_not_an_answer(self, senior, conv) -> None:
        [reply] = await senior.send("B")
        assert reply.text.startswith(conv("不要着急，我来说说"))

    async def test_a_scam_pasted_during_a_quiz_is_still_checked(self, senior, conv) -> None:
        await senior.send("/quiz")
        await senior.press(conv("防骗三不口诀"))
        [reply] = await senior.send(conv("我是公安局的，你涉嫌洗钱，把钱转到安全账户"))
        assert reply.text.startswith(conv("🔴 高风险"))


class TestNoDeadEnds:
    async def test_nothing_found_says_what_to_do_next(self, senior, conv) -> None:
        [reply] = await senior.send(conv("妈，我今晚回家吃饭，帮我留碗汤。"))
        assert reply.text.startswith(conv("🟢 没发现问题"))
        assert reply.text.endswith(
            conv("👉 还有拿不准的，随时再发给我；着急的事，打 96110 问一问。")
        )

    async def test_evidence_quotes_what_the_sender_wrote(self, senior, conv) -> None:
        """The 提到了 line quotes the sender's own spelling, never a pattern phrase."""
        said = "我是公 安 局的，你涉嫌洗qian，要把钱转到安全帐户配合调查"
        [reply] = await senior.send(said)
        why = reply.text.split("\n")[1]
        assert why.startswith(conv("为什么：提到了"))
        quoted = re.findall(r"“([^”]+)”", why)
        assert quoted == ["涉嫌洗qian", conv("配合调查")]
        assert all(q in conv(said) for q in quoted)

    async def test_the_family_code_can_be_read_aloud_and_sent_as_a_message(
        self, harness, conv, language
    ) -> None:
        senior = harness.person(1001)
        child = harness.person(2002, first_name="小明")
        [card] = await senior.send("👨‍👩‍👧 家人守护")
        code = next(line for line in card.text.split("\n") if "邀请码：" in line).split("：")[1]
        assert len(code) == 9 and code[4] == " " and code.replace(" ", "").isdigit()
        assert "/" not in card.text
        [linked] = await child.send(code)
        assert linked.text.startswith("✅ 连上了！")
