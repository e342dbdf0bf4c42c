"""Strict, immutable models for every content file type.

Unknown keys are errors (`extra="forbid"`), and every model is frozen: content is checked
once, at load, and nothing downstream re-checks it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from bot.taxonomy import CategoryId

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
ANSWER_LETTERS = "ABCD"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_regexes(values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"正则表达式写错了 (bad regex) {value!r}: {exc}") from None
    return values


# --- fraud patterns -----------------------------------------------------------------------


class PhraseSet(Strict):
    """Phrases for one pattern, by how much each says about the scam on its own."""

    strong: tuple[Text, ...] = ()
    """One of these alone makes a message suspicious (e.g. 安全账户)."""
    normal: tuple[Text, ...] = ()
    weak: tuple[Text, ...] = ()
    """Only counts together with other evidence (e.g. 客服, 快递)."""


class Pattern(Strict):
    """One fraud pattern file: a canonical category, or a finer pattern within one."""

    id: Slug
    category: CategoryId
    name: Text
    phrases: PhraseSet
    regexes: tuple[str, ...] = ()
    advice: tuple[Text, ...] = Field(min_length=1, max_length=6)
    examples: tuple[Text, ...] = Field(min_length=1)
    counter_examples: tuple[Text, ...] = ()

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
    label: Text
    """How the evidence is explained to a senior, e.g. 要您先转账付款."""
    weight: int = Field(ge=1, le=60)
    phrases: tuple[Text, ...] = ()
    regexes: tuple[str, ...] = ()
    category: CategoryId | None = None
    """The category to name when this signal is the only evidence."""

    _regexes = field_validator("regexes")(_check_regexes)


class SafeMarker(Strict):
    """A sign that a message is advice, news or an ordinary notice, not a scam."""

    id: Slug
    label: Text
    weight: int = Field(ge=1, le=100)
    phrases: tuple[Text, ...] = ()
    regexes: tuple[str, ...] = ()

    _regexes = field_validator("regexes")(_check_regexes)


class SignalFile(Strict):
    """`content/signals.yaml`: danger signals and safe markers shared by all categories."""

    danger_signals: tuple[Signal, ...] = Field(min_length=1)
    safe_markers: tuple[SafeMarker, ...] = ()


class Blocklist(Strict):
    """Known bad domains and phone numbers, maintained by police staff."""

    domains: tuple[Text, ...] = ()
    phones: tuple[Annotated[str, StringConstraints(pattern=r"^\+?[0-9-]{5,20}$")], ...] = ()


# --- guidance -------------------------------------------------------------------------------


class Hotline(Strict):
    number: Annotated[str, StringConstraints(pattern=r"^[0-9]{3,11}$")]
    name: Text
    when: Text


class Card(Strict):
    """One plain card about one scam type."""

    category: CategoryId
    title: Text
    how_it_goes: Text
    signs: tuple[Text, ...] = Field(min_length=1, max_length=5)
    what_to_do: tuple[Text, ...] = Field(min_length=1, max_length=5)


class Guidance(Strict):
    """`content/guidance.yaml`: the 三不 rule, the hotlines, and the scam-type cards."""

    welcome: tuple[Text, ...] = Field(min_length=1, max_length=3)
    rule_title: Text
    rule: tuple[Text, ...] = Field(min_length=3, max_length=3)
    talk_to_family: Text
    hotlines: tuple[Hotline, ...] = Field(min_length=1)
    money_already_sent: tuple[Text, ...] = Field(min_length=1)
    cards: tuple[Card, ...] = Field(min_length=1)


# --- quizzes --------------------------------------------------------------------------------


class Question(Strict):
    question: Text
    options: tuple[Text, ...] = Field(min_length=2, max_length=4)
    answer: Literal["A", "B", "C", "D"]
    explanation: Text
    tags: tuple[Text, ...] = ()

    @property
    def answer_index(self) -> int:
        """The 0-based index of the correct option."""
        return ANSWER_LETTERS.index(self.answer)


class Quiz(Strict):
    """One quiz file under `quizzes/`."""

    id: Slug
    title: Text
    description: Text
    difficulty: Literal["easy", "medium", "hard"] | None = None
    tags: tuple[Text, ...] = ()
    questions: tuple[Question, ...] = Field(min_length=1)


# --- alerts ---------------------------------------------------------------------------------


class Alert(Strict):
    """One scheduled scam alert: a cron schedule or a single date, for an audience."""

    id: Slug
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=3500)]
    schedule: Text | None = None
    """Five-field cron (minute hour day month weekday) in the configured time zone."""
    at: datetime | date | None = None
    """A single date (sent at 09:00) or date and time, instead of a schedule."""
    audience: Literal["everyone", "seniors", "family"] = "everyone"
    region: Text | None = None
    """Only subscribers who gave this region (e.g. a county)."""
    until: date | None = None
    """No runs after this day."""

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is None:
            return value
        from apscheduler.triggers.cron import CronTrigger

        if len(value.split()) != 5:
            raise ValueError(f"schedule 要写 5 段：分 时 日 月 星期（现在是 {value!r}）")
        try:
            CronTrigger.from_crontab(value)
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
