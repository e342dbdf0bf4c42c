"""The bot's own words: guidance, alerts, quizzes and advice, as the check should know them.

Everything the bot sends retells scams on purpose (“对方自称公安，说您涉嫌洗钱……”). Seniors
forward alerts to friends, family paste them back, and a quiz question may come back as a
"is this a scam?" question. The check recognises these sentences and reads them as advice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from bot.check.normalize import normalize
from bot.content.bundle import Content

#: Sentences shorter than this (normalised) are too common to recognise a text by.
MIN_SENTENCE_CHARS = 8

_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")


def sentences(texts: Iterable[str]) -> frozenset[str]:
    """The normalised sentences of `texts` that are long enough to recognise."""
    out: set[str] = set()
    for text in texts:
        for part in _SENTENCE_END.split(text):
            norm = normalize(part)
            if len(norm) >= MIN_SENTENCE_CHARS:
                out.add(norm)
    return frozenset(out)


def content_texts(content: Content) -> Iterator[str]:
    """Every text the bot sends from its content files (never a pattern's scam examples)."""
    g = content.guidance
    yield from (*g.welcome, g.rule_title, *g.rule, g.talk_to_family, *g.money_already_sent)
    for card in g.cards:
        yield from (card.title, card.how_it_goes, *card.signs, *card.what_to_do)
    for alert in content.alerts:
        yield alert.text
    for quiz in content.quizzes:
        yield from (quiz.title, quiz.description)
        for q in quiz.questions:
            yield from (q.question, q.explanation, *q.options)
    for pattern in content.patterns:
        yield from pattern.advice
    for faq in content.faqs:
        yield faq.answer
    if content.conversation is not None:
        yield from (i.reply for i in content.conversation.intents if i.reply)
