"""Read a text as one kind of input, in a fixed order of what matters most.

1. an answer typed during a quiz (only while a question is on screen);
2. a cry for help: money, a code, a password, a card number already given, an app
   installed or the screen shared — it comes first, whatever else the text says;
3. a menu word typed instead of pressed;
4. scam evidence: a text the check flags is checked, whatever else it says (你好，我是公安局的…
   is a scam, not a greeting); a general question that merely names a scam (公安局会打电话让人
   转账吗) is answered, unless it tells what happened;
5. for short texts that tell no story: a wish about the bot, confusion, small talk;
6. a question (from the FAQ, or an honest "I don't know that one");
7. anything else is a message to check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz

from bot.check.engine import Verdict
from bot.content.models import ConversationFile, Faq, Intent
from bot.lines import scrub
from bot.staff_regex import StaffRegex
from bot.understand.faq import FaqIndex
from bot.understand.kinds import KindModel, shipped_model
from bot.understand.quiz_answer import typed_option
from bot.understand.text import Forms, PhraseList, forms, strip_fillers

Kind = Literal["check", "help", "question", "smalltalk", "confusion", "wish", "menu", "quiz_answer"]
KINDS: tuple[Kind, ...] = (
    "check",
    "help",
    "question",
    "smalltalk",
    "confusion",
    "wish",
    "menu",
    "quiz_answer",
)

#: Wishes, confusion and small talk are short: longer texts are questions or messages.
SHORT_CHARS = 30
#: A remark this short that matches nothing and tells no story is the senior chatting.
REMARK_CHARS = 30
#: A thank-you may open a text after a word or two (非常感谢您…).
OPENING_CHARS = 3
#: A thank-you or greeting may run this long (normalised) and still be only that.
LONG_TALK_CHARS = 80
#: The fitted model overrules the phrase lists only when it gives its kind this chance.
MODEL_SURE = 0.4
#: A calm check the model gives this chance of being a cry for help is answered as one.
HELP_CHANCE = 0.35
#: `_closest`: the least share of a text an intent's phrases must cover to name it.
CLOSEST_COVER = 0.6
#: A whole-message intent (a greeting, a menu word) must account for this share of the text.
WHOLE_SHARE = 0.6
#: Confusion (看不懂, 怎么用) may sit in a slightly longer text than a greeting may.
CONFUSION_CHARS = 20
#: Texts this long (normalised) are pasted messages or stories, never a bare question.
QUESTION_CHARS = 45
#: How many characters before a phrase an `unless` regex looks at (and the phrase itself).
UNLESS_BEFORE = 5
#: Beside a confusion phrase, this many characters may name what the question is about.
REST_CHARS = 2
#: Confusion words covering less than 1/LOST_SHARE of a text the FAQ answers: a question.
LOST_SHARE = 3
#: Texts this short that match nothing (A, 2, 嗯) are not messages to check: the senior is
#: probably lost.
TINY_CHARS = 3
#: A question mark, or a question word at the end (…吗, …么, …呢).
_QUESTION_MARK = re.compile(r"[?？]|(?:[吗么咩]|(?<!着)呢)[\s。.!！~～]*$")
#: A-not-A, the question form with no question word: 靠不靠谱, 能不能, 有没有.
_A_NOT_A = re.compile(r"(\w{1,2})[不没唔冇]\1")
#: Polite words that hold 您 in the senior's own words too (谢谢您, 祝您工作顺利).
_POLITE = re.compile(r"您好|请问您|麻烦您|谢谢您|感谢您|多谢您|辛苦您|祝您")
#: What a notice or a scam asks its reader to do or give: such a text is a message, never
#: small talk, however it opens (你好，我们是扶贫办……请回复身份证号).
_NOTICE = re.compile(
    r"请(回复|提供|点击|登录|联系|添加|拨打|于|在)|回复|点击|链接|身份证|银行卡|验证码|账户|"
    r"补贴|中奖|冻结|领取|退款|办理"
)
#: What a cry for help is about, what says it has happened, and what says "help me now".
_AT_STAKE = re.compile(
    r"钱|款|万|块|元|蚊|验证码|密码|卡号|账户|银行卡|存折|积蓄|养老金|短信(里|上)的(数字|号码)"
)
_DONE = re.compile(r"了|咗|过")
#: The harm did not happen, or not yet: a near miss or a "what if".
_NOT_YET = re.compile(
    r"差点|差一点|险些|还没|还未|没有转|没转|没给|没点|没报|没说|没告诉|没下载|没装|"
    r"如果|要是|万一|假如|幸好|好在|幸亏|挂了|挂断"
)
#: A message the senior wrote to someone else about money sent: news, not a cry.
_TO_SOMEONE = re.compile(r"给你转|转给你|你查收|请查收|你收一下|收到没|收到了吗")
#: Money sent to the senior (孙子给我转了五百, 女儿转了两千给我) by someone no scam word names.
_TO_ME = re.compile(r"给我(转|汇|打|发)|(转|汇|打|发)(了|咗)?[^，。,！!？?]{0,8}给我")
_SCAM_SIDE = re.compile(r"骗|对方|陌生|客服|警察|公安|民警|法院|平台|老师|导师|网友")
#: Money moved (转账 carries no 钱): with the fitted model, enough to take a cry for help.
_MONEY_MOVED = re.compile(r"转账|汇款|转了|汇了|付了|交了|扫码|转过去|转出去")
_WHAT_NOW = re.compile(
    r"怎么办|咋办|咋整|怎么整|点算|怎么弄|害怕|完了|急死|慌了|心慌|救救|报案|报警|来得及|不敢了"
)
#: The senior did what was asked (转了, 垫了, 报给了, 装了): beside a scam, harm done.
_HANDED = re.compile(
    r"(转|汇|付|交|垫|充|投|报|告诉|念|给|装|下载|共享)(给|出|过去|出去)?(了|过|咗)"
)
#: A bare sound with a question mark (啊？ 嗯？): the senior did not follow.
_INTERJECTIONS = frozenset({"啊", "嗯", "哦", "呃", "额", "诶", "欸", "咦", "哈", "蛤", "吓"})
#: Particles that add nothing to what a short text says.
_PARTICLES = frozenset("啊呀呢吧哦噢喔嘛啦哈呗哇了的嘞咧囉啰喇")
#: A message that opens with who wrote it (儿子：妈 我周六…): passed on, not the senior's own.
_QUOTED_SPEAKER = re.compile(r"\s*[^\s：:，,。]{1,6}[：:].{4,}")
#: A text that opens by saying it was passed on (闺女给我发的…, 儿子发来的：…); 对方传来的APP
#: further on is the scammer's, not a passed-on message.
_FORWARDED = re.compile(r"^[^对骗]{0,4}(给我发|发来|传来|发给我|转发|转来)的")
#: Words around a menu word that only ask for it.
_MENU_VERBS = re.compile(
    r"^(我要|我想|想|要|打开|进入|进去|去|点|看看|看一下|给我|帮我|开|回到|回|返回)+|(一下|吧)$"
)
#: "Would", "may": what follows is asked about, not told.
_WOULD = re.compile(r"会|能|可能|可以|是不是|是否|如果|要是|万一|假如")
#: A yes-no question ending in 不 (能去不, 收费不, 行不).
_ENDS_IN_NOT = re.compile(r"(能|会|可以|要|收|行|对|好|是|有|用)[^，,。！？\s]{0,5}不[呀啊呢嘛]?$")
#: "How many" (几道题, 几点); not "those few" (那几个).
_HOW_MANY = re.compile(
    r"(?<![那这好前后头])几(道|个|条|次|天|点|号|岁|块|张|位|种|年|月|分钟|小时)"
)
#: "Nothing" words, which hold a question word without asking.
_NOTHING = re.compile(r"没(?:有)?(?:啥|什么|怎么)|(?:啥|什么)(?:也|都)")
#: Links and phone numbers mark a pasted message, not a question.
_PASTED = re.compile(r"https?://|www\.|\.(?:com|cn|net|top|xyz)\b|\d{7,}|【")
#: A line that opens with a speaker's name: a pasted chat (two such lines make one).
_SPEAKER = re.compile(r"(?:^|\n)\s*[^\n：:]{1,8}[：:]")
#: What was given away, for the help steps: the first matching word names it.
GIVEN_WORDS: dict[str, tuple[str, ...]] = {
    "code": ("验证码", "校验码", "动态码"),
    "password": ("密码", "口令"),
    "card": ("卡号", "身份证", "银行卡号", "cvv", "安全码", "有效期"),
    "app": ("下载", "安装", "装了", "app", "软件", "程序", "会议"),
    "screen": ("屏幕", "投屏", "共享"),
}


@dataclass(frozen=True)
class Reading:
    """What a text is, and what was found to answer it with."""

    kind: Kind
    intent: Intent | None = None
    """The matched phrase list (small talk, confusion, wish, menu word, cry for help)."""
    faqs: tuple[Faq, ...] = ()
    """For a question: the answer, or two when torn; empty when the bot does not know."""
    option: int | None = None
    """For an answer typed during a quiz: the 0-based option."""
    verdict: Verdict | None = None
    """The check's verdict, when it was asked (every kind but menu words and quiz answers)."""
    asks_if_true: bool = False
    """A message to check that ends by asking whether it is true (…是真的吗？)."""
    given: frozenset[str] = field(default=frozenset())
    """For a cry for help: what was given away besides money (code, password, card, app, screen)."""


@dataclass(frozen=True)
class _Compiled:
    intent: Intent
    phrases: PhraseList
    unless: tuple[StaffRegex, ...]
    unless_anywhere: tuple[StaffRegex, ...]


class Reader:
    """Reads texts against the conversation phrases and the FAQ; see the module docstring."""

    def __init__(
        self,
        conversation: ConversationFile | None,
        faqs: Sequence[Faq],
        model: KindModel | Literal["shipped"] | None = "shipped",
    ) -> None:
        # The fitted kind model (bot.understand.kinds); None reads by the rules alone.
        self._model = shipped_model() if model == "shipped" else model
        intents = conversation.intents if conversation else ()
        self._example_norms = {i.id: [forms(e).norm for e in i.examples] for i in intents}
        self._intents = [
            _Compiled(
                i,
                PhraseList(i.phrases, i.regexes),
                tuple(StaffRegex(u) for u in i.unless),
                tuple(StaffRegex(u) for u in i.unless_anywhere),
            )
            for i in intents
        ]
        # Question and story words are short and exact: one character off is another word.
        self._questions = PhraseList(
            conversation.question_words if conversation else (), fuzzy=False
        )
        self._story = PhraseList(
            conversation.story_words if conversation else (),
            conversation.story_regexes if conversation else (),
            fuzzy=False,
        )
        self.faq = FaqIndex(faqs)

    def read(
        self,
        text: str,
        check: Callable[[str], Verdict],
        *,
        options: Sequence[str] | None = None,
        menu: bool = True,
    ) -> Reading:
        """What `text` is. `check` is the fraud check; `options` the quiz question's on
        screen; `menu` False when a menu word must not open anything (an edited message)."""
        if not text.strip():
            return Reading("check")
        text = scrub(text)  # a lone surrogate cannot be converted to Simplified
        f = forms(text)
        if options is not None:
            option = typed_option(text, options)
            if option is not None:
                return Reading("quiz_answer", option=option)
        if not f.norm or (f.norm in _INTERJECTIONS and _QUESTION_MARK.search(f.cleaned)):
            # Only emoji, marks or spaces; or a bare 啊？ 嗯？: lost, unless nothing is asked.
            kind: Kind = "confusion" if re.search(r"[?？]", f.cleaned) else "smalltalk"
            return Reading(kind, intent=self._first_of(kind))
        help_intent = self._found(f, "help")
        if help_intent is not None and _money_to_me(f.norm):
            help_intent = None  # 儿子转了1000给我过节: money that came, not money gone
        question = self._is_question(f)
        # A button's words asked about (怎么订阅提醒？) are a question about that feature.
        if help_intent is None and menu and (not question or _asks_for(f.cleaned)):
            word = self._whole(f, "menu")
            if word is not None:
                return Reading("menu", intent=word)
        verdict = check(text)
        passed_on = self._passed_on(f)
        if (
            help_intent is not None
            and not passed_on
            and not (verdict.flagged and _to_the_reader(f.norm))
        ):
            return Reading("help", intent=help_intent, verdict=verdict, given=_given(f.norm))
        story = self._tells_story(f)
        if (
            verdict.flagged
            and _distress(f.norm)
            and _HANDED.search(f.norm)
            and not (passed_on or _to_the_reader(f.norm) or self._held_back(f))
        ):
            # A scam the check names, money or a code already gone to it, and "what now" (我给
            # 刷单的垫了一万二…怎么办): the help steps, not a warning that comes too late.
            return Reading("help", verdict=verdict, given=_given(f.norm))
        if verdict.flagged:
            if question and not story and len(f.norm) <= QUESTION_CHARS:
                answers = self.faq.answers(text)
                if answers:
                    return Reading("question", faqs=answers, verdict=verdict)
            return Reading("check", verdict=verdict, asks_if_true=question)
        ruled = self._by_rules(f, text, verdict, options, help_intent, question, story, passed_on)
        return self._second_opinion(ruled, f, text, verdict, question, passed_on, menu)

    def _by_rules(
        self,
        f: Forms,
        text: str,
        verdict: Verdict,
        options: Sequence[str] | None,
        help_intent: Intent | None,
        question: bool,
        story: bool,
        passed_on: bool,
    ) -> Reading:
        """What the phrase lists and the FAQ make of a text the check did not flag."""
        # A story word in a very short text (刚才说的没看懂, 收到了谢谢) tells no story.
        if len(f.norm) <= SHORT_CHARS and (not story or len(f.core) <= CONFUSION_CHARS):
            wish = self._found(f, "wish")
            if wish is not None:
                return Reading("wish", intent=wish, verdict=verdict)
            if len(f.core) <= CONFUSION_CHARS:
                confusion = self._lost(f)
                if confusion is not None:
                    return Reading("confusion", intent=confusion, verdict=verdict)
            small = (
                self._found(f, "smalltalk", whole_only=question)
                or self._pieces(f, "smalltalk")
                or (None if question else self._mentions(f, "smalltalk"))
            )
            if small is not None:
                return Reading("smalltalk", intent=small, verdict=verdict)
        if not story and len(f.norm) <= LONG_TALK_CHARS and not self.faq.sure(text):
            wish = self._found(f, "wish")
            if wish is not None:
                return Reading("wish", intent=wish, verdict=verdict)
            # A longer question the FAQ can answer (如果钱已经转出去了，第一时间应该做什么) is
            # that question, though it holds a confusion word (做什么).
            asked = question and len(f.core) > CONFUSION_CHARS and self.faq.answers(text)
            lost = None if asked else self._lost(f)
            if lost is not None:
                return Reading("confusion", intent=lost, verdict=verdict)
        if not question and not story and len(f.norm) <= LONG_TALK_CHARS:
            # A long thank-you or greeting (谢谢你们，真的很实用，我已经推荐给…) opens with it.
            opening = self._opens_with(f, "smalltalk")
            if opening is not None:
                return Reading("smalltalk", intent=opening, verdict=verdict)
        if len(f.norm) <= QUESTION_CHARS and (not story or question):
            answers = self.faq.answers(text)
            sure = bool(answers) and self.faq.sure(text)
            # A question that tells no story is a question, answered or not. Beside a story
            # (96110给我打电话干嘛), or without a question form, only an answer beyond doubt
            # makes it one: an ordinary short message may share a word with some entry.
            if (question and not story) or sure:
                return Reading("question", faqs=answers, verdict=verdict)
        if len(f.core) <= TINY_CHARS and not story:
            return Reading("confusion", intent=self._first_of("confusion"), verdict=verdict)
        if options is not None and len(f.norm) <= REMARK_CHARS and not (story or question):
            # During a quiz a short text that is nothing else is an answer not understood.
            return Reading("quiz_answer", verdict=verdict)
        chat = self._intent("chat")
        if (
            chat is not None
            and len(f.norm) <= REMARK_CHARS
            and not (story or question or _to_the_reader(f.norm) or _NOTICE.search(f.norm))
        ):
            # A short remark of the senior's own (今天下大雪了, 闺女带我去赶集了) that names no
            # scam, tells of nobody's message and asks nothing: a chat, answered warmly.
            return Reading("smalltalk", intent=chat, verdict=verdict)
        if not verdict.flagged and not passed_on and _distress(f.norm):
            # The last net: money or a code, something done, and fear or "what now" — a cry
            # for help the phrase lists missed must not be told "no problem found".
            return Reading("help", intent=help_intent, verdict=verdict, given=_given(f.norm))
        return Reading("check", verdict=verdict, asks_if_true=question and story)

    def _second_opinion(
        self,
        ruled: Reading,
        f: Forms,
        text: str,
        verdict: Verdict,
        question: bool,
        passed_on: bool,
        menu: bool,
    ) -> Reading:
        """The fitted model's reading where it is sure and the rules read otherwise.

        It never talks the reader out of a cry for help, never reads a passed-on message
        as the senior's own cry, and never calls a long text small talk, confusion, a wish
        or a menu word (a long text is a message or a question). It has not seen the quiz on
        screen, so a reply to it (an answer not understood) stays one.
        """
        model = self._model
        if model is None or ruled.kind in ("help", "quiz_answer"):
            return ruled
        chances = model.probabilities(text, cleaned=f.cleaned)  # cleaned once, in forms()
        best = max(chances, key=lambda k: chances[k])
        # A "no problem found" to a cry for help costs most: a fair chance of help is enough
        # to answer a calm check as one, when the text asks what now (能不能撤回, 怎么办).
        asks_what_now = question or _WHAT_NOW.search(f.norm)
        if ruled.kind == "check" and chances["help"] >= HELP_CHANCE and asks_what_now:
            best = "help"
        elif chances[best] < MODEL_SURE:
            return ruled
        if best == ruled.kind:
            return ruled
        if ruled.kind in ("wish", "menu") and ruled.intent is not None and best != "help":
            return ruled  # a wish the phrase lists named (能不能念给我听) is that wish
        if best in ("smalltalk", "confusion", "wish", "menu") and len(f.norm) > LONG_TALK_CHARS:
            return ruled
        if best == "smalltalk" and question:  # 今天天气怎么样 asks: the question reply says so
            return ruled
        if ruled.kind == "question" and ruled.faqs and best in ("confusion", "smalltalk"):
            return ruled  # 三不口诀是什么意思: the FAQ answers what it names
        if best == "smalltalk" and ruled.kind == "confusion" and ruled.intent is not None:
            return ruled  # 我又不会了: the how-to and the big buttons help more than a chat
        if best == "help":
            # Not when the message was passed on or written to someone (给你转过去了，你查收),
            # says "not yet" (差点, 还没, 如果), or has neither a thing at stake nor a "what now" (我已经转告我妈了).
            at_stake = (
                _AT_STAKE.search(f.norm)
                or _MONEY_MOVED.search(f.norm)
                or _given(f.norm)
                or _WHAT_NOW.search(f.norm)
            )
            if (
                passed_on
                or self._held_back(f)
                or _TO_SOMEONE.search(f.norm)
                or _money_to_me(f.norm)
                or not at_stake
            ):
                return ruled
            return Reading("help", verdict=verdict, given=_given(f.norm))
        if best == "check":
            return Reading("check", verdict=verdict, asks_if_true=question)
        if best == "question":
            return Reading("question", faqs=self.faq.answers(text), verdict=verdict)
        # A wish and a menu word both ask the bot to do something: the closest of either
        # names what (每天提醒我 is the 订阅 button, 删掉我的号码 the forget wish).
        kinds = ("wish", "menu") if best in ("wish", "menu") else (best,)
        intent = self._found(f, best) or self._closest(f, kinds)
        if intent is None and best == "smalltalk":
            intent = self._intent("chat")
        if intent is None and best == "confusion":
            intent = self._first_of("confusion")
        if intent is None or (intent.kind == "menu" and not menu):
            return ruled  # nothing the reply could act on, or an edit (never a button)
        return Reading(intent.kind, intent=intent, verdict=verdict)

    def _held_back(self, f: Forms) -> bool:
        """Whether the text says the harm did not (yet) happen (差点, 还没, 如果, 幸好)."""
        return bool(_NOT_YET.search(f.norm))

    def _closest(self, f: Forms, kinds: Sequence[str]) -> Intent | None:
        """The intent of these kinds nearest the text: by the share its phrases cover, or by
        how alike the text is to one of its examples (at least `CLOSEST_COVER`)."""
        best: tuple[float, Intent] | None = None
        for kind in kinds:
            for c in self._candidates(kind):
                near = max(
                    [c.phrases.best_cover(f.core)]
                    + [fuzz.ratio(f.norm, e) / 100 for e in self._example_norms[c.intent.id]]
                )
                if near >= CLOSEST_COVER and (best is None or near > best[0]):
                    best = (near, c.intent)
        return best[1] if best else None

    # --- the pieces -------------------------------------------------------------------------

    def _candidates(self, kind: str) -> list[_Compiled]:
        return [c for c in self._intents if c.intent.kind == kind]

    def _intent(self, ident: str) -> Intent | None:
        """The intent with this id (None when the file has none)."""
        return next((c.intent for c in self._intents if c.intent.id == ident), None)

    def _first_of(self, kind: str) -> Intent | None:
        found = self._candidates(kind)
        return found[0].intent if found else None

    def _lost(self, f: Forms) -> Intent | None:
        """Confusion (看不懂, 怎么用), unless the rest of the text names something the FAQ
        answers: 杀猪盘是什么意思 and 家人守护怎么用 are questions about that thing."""
        # The intent whose phrases cover most of the text answers it: 框框是干嘛的 is about
        # the screen (lost_screen), though 干嘛的 alone would be any confusion (lost).
        best: tuple[int, Intent, set[int]] | None = None
        for c in self._candidates("confusion"):
            covered = {i for h in c.phrases.hits(f.norm) for i in range(h.start, h.end)}
            if covered and (best is None or len(covered) > best[0]):
                best = (len(covered), c.intent, covered)
        if best is None:
            return None
        _, intent, covered = best
        rest = strip_fillers("".join(ch for i, ch in enumerate(f.norm) if i not in covered))
        if len(rest) >= REST_CHARS and self.faq.answers(rest):
            return None
        if len(covered) * LOST_SHARE < len(f.norm) and self.faq.answers(f.norm):
            return None  # 如果钱已经转出去了，第一时间应该做什么: a question with a 做什么 in it
        return intent

    def _found(self, f: Forms, kind: str, *, whole_only: bool = False) -> Intent | None:
        """The first intent of `kind` with a phrase anywhere in the text (and no `unless`
        near it). `whole_only`: only intents that must be the whole text (a question is never
        praise or a complaint, even when it says 靠谱 or 没用)."""
        for c in self._candidates(kind):
            if whole_only and not c.intent.whole:
                continue
            if any(u.search(f.norm) for u in c.unless_anywhere):
                continue
            if c.intent.whole:
                if c.phrases.best_cover(f.core) >= WHOLE_SHARE:
                    return c.intent
                continue
            for hit in c.phrases.hits(f.norm):
                # Negation and "what if" come just before the words (差点被骗, 还没转, 如果已经转了).
                window = f.norm[max(0, hit.start - UNLESS_BEFORE) : hit.end]
                if not any(u.search(window) for u in c.unless):
                    return c.intent
        return None

    def _opens_with(self, f: Forms, kind: str) -> Intent | None:
        """The whole-message intent of `kind` (a thanks, a greeting) the text opens with,
        when the text is the senior's own words (see `_mentions`)."""
        if _to_the_reader(f.norm) or _NOTICE.search(f.norm):
            return None
        for c in self._candidates(kind):
            if not c.intent.whole:
                continue
            for hit in c.phrases.hits(f.norm):
                if hit.start <= OPENING_CHARS and hit.end - hit.start >= 2:
                    return c.intent
        return None

    def _mentions(self, f: Forms, kind: str) -> Intent | None:
        """The intent of `kind` whose phrase a short text holds, when the text is the
        senior's own words (替我妈谢谢你们…, 你好 我是帮我爸来试试的), not a notice addressed to
        them (您好，您的快递到了: 您 outside the phrase marks a message written to the reader)."""
        if _NOTICE.search(f.norm):
            return None
        for c in self._candidates(kind):
            for hit in c.phrases.hits(f.norm):
                # One character (好, 行) is part of too many other words (银行, 好像).
                if hit.end - hit.start < 2:
                    continue
                if "您" not in f.norm[: hit.start] + f.norm[hit.end :]:
                    return c.intent
        return None

    def _pieces(self, f: Forms, kind: str) -> Intent | None:
        """The intent of `kind` when the text is made of its phrases (谢谢小卫士 我明白了,
        再见啦 下次再聊): named by the one that accounts for most of it."""
        # Particles (啦, 嘞, 了) count as covered: they say nothing of their own.
        covered = {i for i, ch in enumerate(f.norm) if ch in _PARTICLES}
        share: dict[str, int] = {}
        by_id: dict[str, Intent] = {}
        for c in self._candidates(kind):
            for hit in c.phrases.hits(f.norm):
                covered.update(range(hit.start, hit.end))
                share[c.intent.id] = share.get(c.intent.id, 0) + hit.end - hit.start
                by_id[c.intent.id] = c.intent
        if not share or len(covered) < WHOLE_SHARE * len(f.norm):
            return None
        return by_id[max(share, key=lambda k: share[k])]

    def _whole(self, f: Forms, kind: str) -> Intent | None:
        """The intent of `kind` that the whole text is (a greeting, a menu word)."""
        if len(f.core) > SHORT_CHARS:
            return None
        best: tuple[float, Intent] | None = None
        # 打开菜单, 我要学防骗: the verb only asks for the button.
        core = _MENU_VERBS.sub("", f.core) or f.core
        for c in self._candidates(kind):
            cover = c.phrases.best_cover(core)
            if any(u.search(f.norm) for u in c.unless):
                continue
            if cover >= WHOLE_SHARE and (best is None or cover > best[0]):
                best = (cover, c.intent)
        return best[1] if best else None

    def _is_question(self, f: Forms) -> bool:
        # 没啥用, 没什么事 say "nothing": no question in them.
        asked = _NOTHING.sub("", f.norm)
        return bool(
            _QUESTION_MARK.search(f.cleaned.strip())
            or _A_NOT_A.search(asked)
            or _ENDS_IN_NOT.search(asked)
            or _HOW_MANY.search(asked)
            or self._questions.hits(asked)
        )

    def _passed_on(self, f: Forms) -> bool:
        """A message passed on as it came (a pasted chat, 儿子：…, 闺女给我发的…, a notice
        with a link): what it says happened, happened to its writer, not to the senior."""
        speakers = _SPEAKER.findall(f.raw)
        return bool(
            _PASTED.search(f.cleaned)
            or len(speakers) >= 2
            or _QUOTED_SPEAKER.match(f.raw)
            or _FORWARDED.search(f.norm)
        )

    def _tells_story(self, f: Forms) -> bool:
        """A retelling (有人说…, 收到…) or a pasted message (a link, a long number, 【…】).

        Story words after a "would" (银行会打电话说…吗) tell no story: they ask what may happen.
        """
        speakers = _SPEAKER.findall(f.raw)
        if _PASTED.search(f.cleaned) or len(speakers) >= 2 or _QUOTED_SPEAKER.match(f.raw):
            return True
        return any(
            not _WOULD.search(f.norm[max(0, hit.start - 4) : hit.start])
            for hit in self._story.hits(f.norm)
        )


def _asks_for(cleaned: str) -> bool:
    """ "X呢？" asks for X, the way one asks where a thing is."""
    return bool(re.search(r"呢[?？\s]*$", cleaned)) and len(cleaned) <= 10


def _distress(norm: str) -> bool:
    """Money or a secret, something already done, and fear or "what do I do now"."""
    return bool(_AT_STAKE.search(norm) and _DONE.search(norm) and _WHAT_NOW.search(norm))


def _to_the_reader(norm: str) -> bool:
    """A text that addresses its reader as 您 past its greeting: a message written to the
    senior (a scam's 您的老邻居已经交了两个床位), not the senior's own words."""
    return "您" in _POLITE.sub("", norm)


def _money_to_me(norm: str) -> bool:
    """Whether the text tells of money sent to the senior, with no scam side named."""
    return bool(_TO_ME.search(norm)) and not _SCAM_SIDE.search(norm)


def _given(norm: str) -> frozenset[str]:
    return frozenset(what for what, words in GIVEN_WORDS.items() if any(w in norm for w in words))
