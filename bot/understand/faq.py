"""Finding the answer to a question among the FAQ's ways of asking.

Each entry is a bag of the characters and character pairs of its ways of asking and (at a
lower weight, through ANSWER_WEIGHT) of its answer, weighted by how few entries use them:
96110, 杀猪盘 or 养老 decide, while 怎么 or 是不是 barely count. A question is compared with
every bag (cosine), and with the closest way of asking (rapidfuzz's ratio) for wording.
The best entry answers; a runner-up close behind it is offered beside it.

Measured by leaving each way of asking out in turn (`tests/test_understand.py`): the right
entry comes first for about 7 in 10, and in the first two for more than 8 in 10.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.check.normalize import normalize
from bot.content.models import Faq

#: An entry scoring this much (0–1) answers the question.
ANSWER_SCORE = 0.2
#: An entry scoring this much answers a question even beside a told story (no scam in it).
SURE_SCORE = 0.35
#: A runner-up within this share of the best score is offered beside it.
TORN_SHARE = 0.9
#: How much the answer's words count, beside the ways of asking (which count 1).
ANSWER_WEIGHT = 1.0
#: Single characters count this much more than pairs (short questions have few pairs).
CHAR_WEIGHT = 1.5
#: Share of the score from the bag of words; the rest from the closest way of asking.
BAG_SHARE = 0.9
#: Questions remembered with their matches (one text is matched several times while read).
CACHE_SIZE = 512
#: Characters too common in questions to say what they are about.
_COMMON = frozenset("的了吗呢吧啊呀么是我你您他她它会能要不有在这那个就都也还和跟让被把给说人")
#: Words that ask without saying what about: taken out before comparing.
_ASKING = re.compile(
    r"请问|我想问一下|我想问下|我想问|想问一下|想问下|问一下|问下|我想知道|想知道|请教一下|请教|"
    r"你好|您好|老师|小助手|机器人|一下|"
    # pointing words: every answer says 点下面的按钮, so they say nothing about the topic
    r"这些|那些|这个|那个|这里|那里|按钮|上面|下面"
)


def prepared(text: str) -> str:
    """The normalised question without the words that only ask."""
    norm = normalize(text)
    return _ASKING.sub("", norm) or norm


def _features(text: str) -> Counter[str]:
    feats: Counter[str] = Counter()
    for char in text:
        if char not in _COMMON:
            feats["1" + char] += 1
    for i in range(len(text) - 1):
        feats["2" + text[i : i + 2]] += 1
    return feats


@dataclass(frozen=True)
class FaqMatch:
    """An entry and how well it fits the question (0–1)."""

    faq: Faq
    score: float


class FaqIndex:
    """Every entry's words, weighted, ready to compare a question with."""

    def __init__(self, faqs: Sequence[Faq]) -> None:
        self.faqs = tuple(faqs)
        self._asks = [tuple(prepared(a) for a in f.asks) for f in self.faqs]
        bags: list[Counter[str]] = []
        for faq, asks in zip(self.faqs, self._asks, strict=True):
            bag: Counter[str] = Counter()
            for ask in asks:
                bag.update(_features(ask))
            for key, n in _features(prepared(faq.answer)).items():
                bag[key] += ANSWER_WEIGHT * n  # type: ignore[assignment]
            bags.append(bag)
        count = len(bags) or 1
        frequency: Counter[str] = Counter(key for bag in bags for key in bag)
        self._idf = {key: math.log(1 + count / n) for key, n in frequency.items()}
        self._unknown = math.log(1 + count)
        self._vectors = [self._vector(bag) for bag in bags]
        # feature -> [(entry, weight / norm)]: a question meets only the entries it shares a
        # feature with, so a match costs what the question holds, not the size of the FAQ.
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for i, (vec, norm) in enumerate(self._vectors):
            for key, weight in vec.items():
                self._postings.setdefault(key, []).append((i, weight / norm))
        self._cache: dict[str, list[FaqMatch]] = {}

    def _vector(self, bag: Counter[str]) -> tuple[dict[str, float], float]:
        vec = {
            key: (1 + math.log(n)) * self._idf.get(key, self._unknown) * _kind_weight(key)
            for key, n in bag.items()
            if n > 0
        }
        return vec, math.sqrt(sum(v * v for v in vec.values())) or 1.0

    def match(self, question: str) -> list[FaqMatch]:
        """The entries that share a word with `question`, with their fit, best first."""
        query = prepared(question)
        if not query:
            return []
        cached = self._cache.get(query)
        if cached is not None:
            return cached
        qvec, qnorm = self._vector(_features(query))
        dots: dict[int, float] = {}
        for key, weight in qvec.items():
            for entry, share in self._postings.get(key, ()):
                dots[entry] = dots.get(entry, 0.0) + weight * share
        scored = []
        for entry, dot in dots.items():
            closest = max((fuzz.ratio(query, a) for a in self._asks[entry]), default=0.0) / 100
            score = BAG_SHARE * dot / qnorm + (1 - BAG_SHARE) * closest
            scored.append(FaqMatch(self.faqs[entry], score))
        scored.sort(key=lambda m: m.score, reverse=True)
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        self._cache[query] = scored
        return scored

    def answers(self, question: str) -> tuple[Faq, ...]:
        """The entry that answers `question`, two when they are close, or none."""
        ranked = self.match(question)
        if not ranked or ranked[0].score < ANSWER_SCORE:
            return ()
        best = ranked[0]
        if len(ranked) > 1 and ranked[1].score >= max(ANSWER_SCORE, TORN_SHARE * best.score):
            return (best.faq, ranked[1].faq)
        return (best.faq,)

    def sure(self, question: str) -> bool:
        """Whether the best entry fits `question` beyond doubt (see SURE_SCORE)."""
        ranked = self.match(question)
        return bool(ranked) and ranked[0].score >= SURE_SCORE


def _kind_weight(key: str) -> float:
    return CHAR_WEIGHT if key.startswith("1") else 1.0
