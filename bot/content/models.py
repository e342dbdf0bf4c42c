"""Strict, immutable models for every content file type.

Unknown keys are errors (`extra="forbid"`), and every model is frozen: content is checked
once, at load, and nothing downstream re-checks it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from bot.alerts.cron import cron_trigger
from bot.staff_regex import compile_error, nested_repeat, too_slow
from bot.taxonomy import CategoryId

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
ANSWER_LETTERS = "ABCD"


class Strict(BaseModel):
    # The docstring under each field becomes its description in the JSON Schema, which
    # editors show while staff type.
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


def _check_regexes(values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"正则表达式写错了 (bad regex) {value!r}: {exc}") from None
        if nested_repeat(value):
            raise ValueError(
                f"正则表达式 {value!r} 里有套在一起的重复（例如 (.*)* 或 (a+)+），"
                "遇到某些消息会卡住整个机器人：请改成有上限的写法，例如 .{0,10}"
            )
        problem = compile_error(value)
        if problem is not None:
            raise ValueError(f"正则表达式写错了 (bad regex) {value!r}: {problem}")
        if too_slow(value):
            raise ValueError(
                f"正则表达式 {value!r} 遇到很长的消息太慢（超过 0.1 秒），"
                "会拖慢机器人：请少用 .* 连着 .*，改成有上限的写法，例如 .{0,10}"
            )
    return values


# --- fraud patterns -----------------------------------------------------------------------


class PhraseSet(Strict):
    """Phrases for one pattern, by how much each says about the scam on its own."""

    strong: tuple[Text, ...] = ()
    """强短语：单独出现就可疑，例如 安全账户 (one alone makes a message suspicious)."""
    normal: tuple[Text, ...] = ()
    """一般短语：要和别的迹象一起才算数 (counts with other evidence)."""
    weak: tuple[Text, ...] = ()
    """弱短语：只在有其他证据时加分，例如 客服、快递 (only adds to other evidence)."""


class Pattern(Strict):
    """One fraud pattern file: a canonical category, or a finer pattern within one."""

    id: Slug
    """编号：小写字母、数字、- 和 _，例如 loan_fee (unique id)."""
    category: CategoryId
    """属于哪一类骗局 (the canonical scam category)."""
    name: Text
    """骗局的中文名，会告诉老人 (the scam's name, shown to users)."""
    phrases: PhraseSet
    """要找的短语，按分量分三档 (phrases to match, by strength)."""
    regexes: tuple[str, ...] = ()
    """正则表达式，可不写 (optional regular expressions)."""
    advice: tuple[Text, ...] = Field(min_length=1, max_length=6)
    """1–6 条建议，识别出来时告诉老人怎么办 (what to do, 1–6 lines)."""
    examples: tuple[Text, ...] = Field(min_length=1)
    """一定要被认出来的例句，检查时会实际跑一遍 (must be caught as this category)."""
    counter_examples: tuple[Text, ...] = ()
    """不能被误报的正常消息 (ordinary messages that must not be flagged)."""

    _regexes = field_validator("regexes")(_check_regexes)

    @model_validator(mode="after")
    def _has_phrases(self) -> Pattern:
        p = self.phrases
        if not (p.strong or p.normal or p.weak or self.regexes):
            raise ValueError("至少要写一个短语 (phrases) 或正则 (regexes)")
        return self


class Signal(Strict):
    """A cross-category warning sign (pay first, keep it secret, share a code, ...)."""

    id: Slug
    """编号 (unique id)."""
    label: Text
    """向老人解释的说法，例如 要您先转账付款 (how the evidence is explained)."""
    weight: int = Field(ge=1, le=60)
    """分量 1–60 (weight)."""
    phrases: tuple[Text, ...] = ()
    """要找的短语 (phrases)."""
    regexes: tuple[str, ...] = ()
    """正则表达式 (regular expressions)."""
    category: CategoryId | None = None
    """只有这个信号时，说成哪一类骗局 (the category to name when this is the only evidence)."""

    _regexes = field_validator("regexes")(_check_regexes)


class SafeMarker(Strict):
    """A sign that a message is advice, news or an ordinary notice, not a scam."""

    id: Slug
    """编号 (unique id)."""
    label: Text
    """说明 (what the marker means)."""
    weight: int = Field(ge=1, le=100)
    """分量 1–100 (weight)."""
    phrases: tuple[Text, ...] = ()
    """要找的短语 (phrases)."""
    regexes: tuple[str, ...] = ()
    """正则表达式 (regular expressions)."""
    retells: bool = False
    """转述：有这个标记时，这段话是在讲别人的骗局（提醒、新闻），引号里的话不算对老人说的
    (the text retells a scam, as advice or news do: quoted words are not addressed to the reader)."""

    _regexes = field_validator("regexes")(_check_regexes)


class SignalFile(Strict):
    """`content/signals.yaml`: danger signals and safe markers shared by all categories."""

    danger_signals: tuple[Signal, ...] = Field(min_length=1)
    """危险信号 (warning signs shared by all categories)."""
    safe_markers: tuple[SafeMarker, ...] = ()
    """安全标记：说明这是提醒、新闻或正常通知 (signs that a message is safe)."""


class Blocklist(Strict):
    """Known bad domains and phone numbers, maintained by police staff."""

    domains: tuple[Text, ...] = ()
    """诈骗网址（域名），也包括它的子域名 (bad domains; sub-domains included)."""
    phones: tuple[Annotated[str, StringConstraints(pattern=r"^\+?[0-9-]{5,20}$")], ...] = ()
    """诈骗电话号码：只写数字，可带 + 和 - (bad phone numbers)."""


# --- guidance -------------------------------------------------------------------------------


class Hotline(Strict):
    """一个求助电话 (a hotline)."""

    number: Annotated[str, StringConstraints(pattern=r"^[0-9]{3,11}$")]
    """号码，要加引号，例如 "96110" (the number, quoted)."""
    name: Text
    """名称 (name)."""
    when: Text
    """什么时候打 (when to call)."""


class Card(Strict):
    """One plain card about one scam type."""

    category: CategoryId
    """哪一类骗局 (the scam category)."""
    title: Text
    """卡片标题：要和骗局类别的名称一样（见 bot/taxonomy.py），让判断结果、卡片和统计用同一个名字 (the category's name)."""
    how_it_goes: Text
    """骗局怎么进行的，几句话 (how the scam goes)."""
    signs: tuple[Text, ...] = Field(min_length=1, max_length=5)
    """1–5 个危险迹象 (warning signs)."""
    what_to_do: tuple[Text, ...] = Field(min_length=1, max_length=5)
    """1–5 条该怎么做 (what to do)."""


class Guidance(Strict):
    """`content/guidance.yaml`: the 三不 rule, the hotlines, and the scam-type cards."""

    welcome: tuple[Text, ...] = Field(min_length=1, max_length=3)
    """欢迎语，1–3 段 (welcome lines)."""
    rule_title: Text
    """口诀标题 (the rule's title)."""
    rule: tuple[Text, ...] = Field(min_length=3, max_length=3)
    """三不口诀，正好 3 条 (the three rules)."""
    talk_to_family: Text
    """提醒和家人商量 (talk to your family)."""
    hotlines: tuple[Hotline, ...] = Field(min_length=1)
    """求助电话 (hotlines)."""
    money_already_sent: tuple[Text, ...] = Field(min_length=1)
    """钱已经转出去了怎么办，前 3 条最要紧（报警、银行止付、保存记录），求助时先说 (what to do when money is gone; the first three lead a cry for help)."""
    if_secret_given: Text | None = None
    """验证码、密码或卡号已经告诉对方时，多说的一步 (the extra step when a code, password or card number was given)."""
    if_app_installed: Text | None = None
    """已经装了对方的软件或开了屏幕共享时，多说的一步 (the extra step when an app was installed or the screen shared)."""
    cards: tuple[Card, ...] = Field(min_length=1)
    """每类骗局一张卡片 (one card per scam type)."""


# --- quizzes --------------------------------------------------------------------------------


class Question(Strict):
    """一道题 (one question)."""

    question: Text
    """题目 (the question)."""
    options: tuple[Text, ...] = Field(min_length=2, max_length=4)
    """2–4 个选项，依次是 A、B、C、D；每个最多 40 个字 (2–4 options, A–D)."""
    answer: Literal["A", "B", "C", "D"]
    """正确答案的字母 A–D (the letter of the right option)."""
    explanation: Text
    """答完后显示的解析 (shown after each answer)."""
    tags: tuple[Text, ...] = ()
    """标签，可不写 (optional tags)."""

    @property
    def answer_index(self) -> int:
        """The 0-based index of the correct option."""
        return ANSWER_LETTERS.index(self.answer)


class Quiz(Strict):
    """One quiz file under `quizzes/`."""

    id: Slug
    """测验编号：小写字母、数字、- 和 _，例如 safe_account (unique id)."""
    title: Text
    """标题，写在按钮上，最多 40 个字 (title, shown on a button)."""
    description: Text
    """一句话介绍 (one-line description)."""
    difficulty: Literal["easy", "medium", "hard"] | None = None
    """难度：easy 简单 / medium 中等 / hard 难 (difficulty)."""
    tags: tuple[Text, ...] = ()
    """标签，可不写 (optional tags)."""
    questions: tuple[Question, ...] = Field(min_length=1)
    """题目列表 (the questions)."""


# --- alerts ---------------------------------------------------------------------------------


class Alert(Strict):
    """One scheduled scam alert: a cron schedule or a single date, for an audience."""

    id: Slug
    """提醒编号 (unique id)."""
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=3500)]
    """提醒的内容，最多 3500 个字 (the message text)."""
    schedule: Text | None = None
    """定期发送：5 段 cron「分 时 日 月 星期」，例如 "0 9 * * 1" 是每周一 9 点 (five-field cron in the configured time zone)."""
    at: datetime | date | None = None
    """只发一次：日期（9 点发）或日期和时间，例如 2025-06-30 (a single date or date and time, instead of a schedule)."""
    audience: Literal["everyone", "seniors", "family"] = "everyone"
    """发给谁：everyone 所有人 / seniors 老人 / family 家属 (audience)."""
    region: Text | None = None
    """只发给这个地区（如某个县）的订阅者 (only subscribers in this region)."""
    until: date | None = None
    """这天以后不再发送 (no runs after this day)."""

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is None:
            return value
        # The planner's own parser, so validation and sending read weekdays the same
        # (crontab: 1 = Monday, 0 or 7 = Sunday).
        if len(value.split()) != 5:
            raise ValueError(f"schedule 要写 5 段：分 时 日 月 星期（现在是 {value!r}）")
        try:
            cron_trigger(value, ZoneInfo("UTC"))
        except ValueError as exc:
            raise ValueError(f"schedule 写得不对 {value!r}：{exc}") from None
        return value

    @model_validator(mode="after")
    def _one_timing(self) -> Alert:
        if (self.schedule is None) == (self.at is None):
            raise ValueError("每条提醒要写 schedule（定期）或 at（某一天），二选一")
        return self


class AlertFile(Strict):
    """`content/alerts.yaml`: the alert calendar."""

    alerts: tuple[Alert, ...] = Field(min_length=1)
    """提醒列表 (the alerts)."""


# --- conversation: what a senior may say besides a message to check ------------------------

IntentKind = Literal["help", "smalltalk", "confusion", "wish", "menu"]
#: What a wish or a typed menu word asks the bot to do.
IntentAction = Literal[
    "traditional",
    "simplified",
    "bigger_text",
    "voice",
    "plainer",
    "stop_alerts",
    "start_alerts",
    "forget",
    "check",
    "quiz",
    "guide",
    "subscribe",
    "sos",
    "family",
    "help",
    "start",
    "settings",
]


class Intent(Strict):
    """One thing a senior may say: a greeting, a wish, a cry for help, a menu word, ..."""

    id: Slug
    """编号 (unique id)."""
    kind: IntentKind
    """哪一类：help 求助（钱或验证码已经给出去了）/ smalltalk 寒暄 / confusion 看不懂 / wish 想改设置 / menu 菜单词 (the kind)."""
    action: IntentAction | None = None
    """wish 和 menu 要做的事，例如 traditional 换繁体、bigger_text 字大一点、quiz 做测验 (what a wish or menu word does)."""
    whole: bool = False
    """true：整条消息差不多就是这句话才算（寒暄、菜单词）；false：消息里有这句话就算 (must the phrase be the whole message?)."""
    phrases: tuple[Text, ...] = ()
    """要找的说法，会模糊匹配，差一个字也能认出来 (phrases, matched fuzzily)."""
    regexes: tuple[str, ...] = ()
    """正则表达式，可不写 (optional regular expressions)."""
    unless: tuple[str, ...] = ()
    """有这些说法（正则）紧挨在前面时不算，例如 差点被骗 不是求助 (regexes that cancel a match just before it)."""
    unless_anywhere: tuple[str, ...] = ()
    """整条消息里哪里有这些说法（正则）都不算，例如 说清楚点 我没懂 是看不懂，不是愿望 (regexes that cancel a match anywhere in the text)."""
    reply: Text | None = None
    """回答的话（寒暄、看不懂、部分愿望要写）(what the bot answers)."""
    examples: tuple[Text, ...] = Field(min_length=1)
    """一定要被认成这一条的例句，检查时会实际跑一遍 (must be read as this intent)."""
    counter_examples: tuple[Text, ...] = ()
    """不能被认成这一条的句子 (must not be read as this intent)."""

    _regexes = field_validator("regexes", "unless", "unless_anywhere")(_check_regexes)

    @model_validator(mode="after")
    def _complete(self) -> Intent:
        if not (self.phrases or self.regexes):
            raise ValueError("至少要写一个说法 (phrases) 或正则 (regexes)")
        if self.kind in ("wish", "menu") and self.action is None:
            raise ValueError(f"{self.kind} 类要写 action：它要做什么")
        if self.kind in ("smalltalk", "confusion") and self.reply is None:
            raise ValueError(f"{self.kind} 类要写 reply：回答的话")
        return self


class ConversationFile(Strict):
    """`content/conversation.yaml`: greetings, thanks, confusion, wishes, cries for help."""

    intents: tuple[Intent, ...] = Field(min_length=1)
    """各种说法 (the intents)."""
    question_words: tuple[Text, ...] = Field(min_length=1)
    """说明这是在提问的词，例如 吗、怎么、能不能 (words that make a question)."""
    story_words: tuple[Text, ...] = Field(min_length=1)
    """说明是在讲发生过的事或转发的消息，例如 有人打电话、他说、收到一条 (words of a retelling or a pasted message)."""
    story_regexes: tuple[str, ...] = ()
    """同上，用正则表达式写 (the same, as regular expressions)."""

    _regexes = field_validator("story_regexes")(_check_regexes)


# --- questions and answers --------------------------------------------------------------------

#: Where an answer's button leads: a page of the bot, a quiz, or a scam card.
NEXT_STEP = re.compile(
    r"^(sos|check|guide|family|subscribe|quiz:[a-z0-9][a-z0-9_-]{0,39}|card:[a-z_]+)$"
)
#: The longest answer, in characters: seniors read it on a phone.
MAX_FAQ_ANSWER = 200


class Faq(Strict):
    """One question seniors or families ask, its ways of asking, and the answer."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,23}$")]
    """编号：小写字母、数字、- 和 _，最长 24 个字符 (unique id, at most 24 characters)."""
    asks: tuple[Text, ...] = Field(min_length=2)
    """几种问法，检查时每一种都要被认成这个问题 (ways of asking; each must find this answer)."""
    answer: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_FAQ_ANSWER)
    ]
    """回答，最多 200 个字 (the answer, at most 200 characters)."""
    next: Annotated[str, StringConstraints(pattern=NEXT_STEP.pattern)]
    """下一步按钮：sos 求助、check 查一查、guide 三不口诀、family 家人守护、subscribe 订阅提醒、quiz:测验编号、card:骗局类别 (the next-step button)."""


class FaqFile(Strict):
    """`content/faq.yaml`: what seniors and their families ask."""

    faqs: tuple[Faq, ...] = Field(min_length=1)
    """问题列表 (the questions)."""
