"""The understanding core: what a text is read as, typed quiz answers, FAQ answers, quotes."""

from __future__ import annotations

import pytest

from bot.check.evidence import quotes
from bot.content.loader import Content
from bot.served.live import Served
from bot.understand.faq import FaqIndex
from bot.understand.kinds import CLASSES, KindModel, shipped_model
from bot.understand.quiz_answer import typed_option
from bot.understand.reader import Reader
from bot.understand.text import PhraseList

OPTIONS = ("不看、不问、不出门", "不听、不信、不转账", "不接、不回、不上网")


@pytest.fixture(scope="module")
def served(content: Content) -> Served:
    return Served.of(content)


class TestReading:
    @pytest.mark.parametrize(
        ("text", "kind"),
        [
            ("钱被转走了怎么办", "help"),
            ("我妈刚才把验证码告诉人家了", "help"),
            ("對方把我拉黑了，錢也提不出來", "help"),
            ("我爸按对方说的装了一个app", "help"),
            ("96110打来的电话能接吗", "question"),
            ("安全账户是什么", "question"),
            ("杀猪盘是什么意思", "question"),
            ("你好", "smalltalk"),
            ("謝謝你們，辛苦了", "smalltalk"),
            ("看不懂", "confusion"),
            ("？", "confusion"),
            ("字太小了", "wish"),
            ("换成繁体字", "wish"),
            ("学防骗", "menu"),
            ("三不口诀呢", "menu"),
            ("今天下大雪了，外头白茫茫的", "smalltalk"),
            ("谢谢您，真是帮了大忙", "smalltalk"),
            ("不知道你在说啥，头都大了", "confusion"),
            ("儿子：妈 我周六带小宝回去吃饭，已经付过了", "check"),
            ("您好，您的快递已到驿站，请凭取件码领取", "check"),
            ("有人打电话说我涉嫌洗钱，让我把钱转到安全账户", "check"),
            ("你好，我是公安局的，你涉嫌洗钱", "check"),
            ("【工商银行】您尾号1234的账户工资收入5000元", "check"),
        ],
    )
    def test_each_kind(self, served: Served, text: str, kind: str) -> None:
        """Each kind of input is read as that kind."""
        assert served.reader.read(text, served.checker.check).kind == kind

    @pytest.mark.parametrize(
        "text",
        [
            "我差点被骗了，幸好问了儿子",
            "怎么才能不被骗",
            "我已经转告你爸了",
            "消息我转给了你妈",
            "我已经转发到家族群了",
            "儿子手机联系不上了",
            "我已经给你转过去了，你查收一下",
            "验证码千万不要告诉别人",
            "他让我下载一个软件，能下吗",
        ],
    )
    def test_near_misses_are_no_cry_for_help(self, served: Served, text: str) -> None:
        """Nearly scammed, passing news on, money sent *to* the senior, a warning: no help."""
        assert served.reader.read(text, served.checker.check).kind != "help"

    def test_a_question_that_names_a_scam_is_answered_not_judged(self, served: Served) -> None:
        """A general question with a scam's words: answered, though the check flags it."""
        reading = served.reader.read("公安局会打电话让人把钱转到安全账户吗", served.checker.check)
        assert reading.kind == "question" and reading.faqs
        assert reading.verdict is not None and reading.verdict.flagged

    def test_a_retold_scam_asking_if_true_is_checked(self, served: Served) -> None:
        reading = served.reader.read(
            "有人打电话说我孙子出车祸了，要我马上转五万块手术费，是真的吗", served.checker.check
        )
        assert reading.kind == "check" and reading.asks_if_true

    def test_what_was_given_away_is_noticed(self, served: Served) -> None:
        reading = served.reader.read("我把验证码告诉他了，还下载了他发的软件", served.checker.check)
        assert reading.kind == "help" and {"code", "app"} <= reading.given

    def test_a_payment_told_in_a_passed_on_message_is_no_cry_for_help(self, served: Served) -> None:
        """A child's message that says "already paid" (for a gift) is checked, not rescued."""
        text = "闺女给我发的 妈 我给你网购了个按摩仪 明天送到 别给快递员钱 已经付过了"
        assert served.reader.read(text, served.checker.check).kind == "check"

    def test_during_a_quiz_a_text_that_is_nothing_else_is_an_answer_not_understood(
        self, served: Served
    ) -> None:
        reading = served.reader.read("选挂电话那个", served.checker.check, options=OPTIONS)
        assert reading.kind == "quiz_answer" and reading.option is None

    def test_a_menu_word_is_not_a_menu_word_in_an_edit(self, served: Served) -> None:
        reading = served.reader.read("学防骗", served.checker.check, menu=False)
        assert reading.kind != "menu"


class TestTypedQuizAnswers:
    @pytest.mark.parametrize(
        ("typed", "option"),
        [
            ("B", 1),
            ("b", 1),
            ("Ｂ", 1),
            ("选B", 1),
            ("我觉得选C", 2),
            ("答案應該是A", 0),
            ("B吧", 1),
            ("B. 不转账，先给子女打电话", 1),
            ("C 不相信", 2),
            ("第二个", 1),
            ("2", 1),
            ("我选第三个", 2),
            ("不听、不信、不转账", 1),
            ("D", 3),
            ("最后一个", 2),
            ("我看是第二个", 1),
            ("肯定是A 😄", 0),
            ("B吧我猜的", 1),
        ],
    )
    def test_typed_answers(self, typed: str, option: int) -> None:
        """Letters, numbers, ordinals and the option's words choose that option."""
        assert typed_option(typed, OPTIONS) == option

    @pytest.mark.parametrize("typed", ["谢谢", "A股今天涨了", "我是公安局的", "Bye", "25"])
    def test_other_texts_are_no_answer(self, typed: str) -> None:
        assert typed_option(typed, OPTIONS) is None


class TestFaq:
    def test_leaving_each_way_of_asking_out_the_answer_is_still_found(
        self, content: Content
    ) -> None:
        """Each ask, left out of the index, still finds its entry first for most (≥ 60%)
        and among the first two for most (≥ 75%): the matcher generalises beyond the list."""
        first = top_two = total = 0
        for faq in content.faqs:
            for ask in faq.asks[::3]:  # every third ask: the figure, at a third of the time
                others = [
                    f
                    if f.id != faq.id
                    else f.model_copy(update={"asks": tuple(a for a in f.asks if a != ask)})
                    for f in content.faqs
                ]
                ranked = FaqIndex(others).match(ask)
                total += 1
                first += ranked[0].faq.id == faq.id
                top_two += faq.id in (ranked[0].faq.id, ranked[1].faq.id)
        assert first >= 0.6 * total and top_two >= 0.75 * total, (first, top_two, total)

    def test_two_close_answers_are_both_offered(self, content: Content) -> None:
        """'96110' alone fits what the line is for and whether to answer its calls equally."""
        index = FaqIndex(content.faqs)
        assert {f.id for f in index.answers("96110")} == {"hotline_96110", "call_from_96110"}
        assert [f.id for f in index.answers("安全账户")] == ["safe_account"]

    def test_an_unrelated_question_finds_nothing(self, content: Content) -> None:
        assert FaqIndex(content.faqs).answers("今天天气怎么样") == ()


class TestFuzzyPhrases:
    def test_a_near_match_never_drops_a_negation(self) -> None:
        """不想收提醒 is one character from 我想收提醒, but that character turns it around."""
        assert PhraseList(["不想收提醒"]).hits("我想收提醒") == []
        assert PhraseList(["验证码告诉了"]).hits("验证码能告诉别人吗") == []

    def test_a_near_match_allows_a_typo(self) -> None:
        assert PhraseList(["钱被转走了"]).hits("钱被赚走了")


class TestQuotes:
    @pytest.mark.parametrize(
        ("message", "phrases", "expected"),
        [
            ("你涉嫌洗 钱，转到安全帐户", ["涉嫌洗钱", "安全账户"], ("涉嫌洗 钱", "安全帐户")),
            ("您的醫保卡已被凍結", ["医保卡", "冻结"], ("醫保卡", "凍結")),
            ("涉嫌洗qian", ["涉嫌洗钱"], ("涉嫌洗qian",)),
            ("这条短信没什么", ["安全账户"], ()),
        ],
    )
    def test_the_senders_own_words(
        self, message: str, phrases: list[str], expected: tuple[str, ...]
    ) -> None:
        """Each quote is a stretch of what the sender wrote; an absent phrase is not quoted."""
        assert quotes(message, phrases) == expected


class TestKindModel:
    """The fitted model: its reading, and where the reader lets it overrule the rules."""

    def test_a_missing_or_broken_weights_file_means_rules_alone(self, tmp_path) -> None:
        assert KindModel.from_file(tmp_path / "missing.json") is None
        (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
        assert KindModel.from_file(tmp_path / "broken.json") is None

    def test_probabilities_cover_every_kind(self) -> None:
        model = shipped_model()
        assert model is not None
        chances = model.probabilities("能不能把字弄大一点，我眼神不好")
        assert set(chances) == set(CLASSES) and abs(sum(chances.values()) - 1) < 1e-9
        assert max(chances, key=lambda k: chances[k]) == "wish"

    @staticmethod
    def always(kind: str) -> KindModel:
        """A model sure that every text is `kind`."""
        return KindModel(list(CLASSES), [10.0 if k == kind else 0.0 for k in CLASSES], {})

    def test_a_sure_model_overrules_the_rules_on_a_short_text(self, content) -> None:
        reader = Reader(content.conversation, content.faqs, model=self.always("check"))
        checker = Served.of(content).checker
        assert reader.read("嗯嗯这样啊", checker.check).kind == "check"
        plain = Reader(content.conversation, content.faqs, model=None)
        assert plain.read("嗯嗯这样啊", checker.check).kind == "smalltalk"

    def test_it_never_talks_the_reader_out_of_a_cry_for_help_or_a_scam(self, content) -> None:
        checker = Served.of(content).checker
        for kind in ("smalltalk", "question", "check", "wish"):
            reader = Reader(content.conversation, content.faqs, model=self.always(kind))
            assert (
                reader.read("我把银行卡密码告诉骗子了，钱被转走了怎么办", checker.check).kind
                == "help"
            )
            scam = "您好我是公安局的，您涉嫌洗钱，请把存款转到安全账户配合调查，不要告诉家人"
            assert reader.read(scam, checker.check).kind == "check"

    def test_a_long_text_is_never_small_talk_or_a_wish(self, content) -> None:
        checker = Served.of(content).checker
        long_text = "今天社区开会讲了垃圾分类，" * 8
        for kind in ("smalltalk", "wish", "confusion", "menu"):
            reader = Reader(content.conversation, content.faqs, model=self.always(kind))
            assert reader.read(long_text, checker.check).kind not in (
                "smalltalk",
                "wish",
                "confusion",
                "menu",
            )
