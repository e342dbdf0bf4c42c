"""The forms the understanding works on, and fuzzy phrase matching with the spans found."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.check.normalize import clean, compact, normalize
from bot.staff_regex import StaffRegex

#: Phrases this long or longer also match about one character off (shorter ones meet too
#: many near-misses: 这是什么 is one character from 账户是什么).
FUZZY_MIN_LEN = 5
#: Particles and fillers that say nothing about what is meant, taken off the ends.
#: Characters a near match may not add or drop: they turn a statement around (不想收 is not
#: 想收; 能告诉 asks, 告诉了 tells; 了 says it has happened).
PROTECTED = frozenset("不没别勿能会可要该吗了过")
_EDGE_FILLERS = re.compile(
    r"^(请问|请|那个|嗯+|额+|哦+|噢+|喂+)+|(啊|呀|呢|吧|哦|噢|喔|嘛|啦|哈+|呗|哇|了|的|嘞|咧)+$"
)


@dataclass(frozen=True)
class Forms:
    """One message in the forms matching needs.

    `cleaned` keeps punctuation (a question mark is evidence); `norm` is the compact form
    every phrase list is written against; `core` is `norm` without fillers at its ends.
    """

    raw: str
    cleaned: str
    norm: str
    core: str


def forms(text: str) -> Forms:
    """The forms of `text` (Traditional, full-width and spacing all read the same)."""
    cleaned = clean(text)
    norm = compact(cleaned)
    return Forms(text, cleaned, norm, strip_fillers(norm))


def strip_fillers(norm: str) -> str:
    """`norm` without particles at its ends (好的呀 → 好的; 请问96110 → 96110)."""
    core = _EDGE_FILLERS.sub("", norm)
    return core or norm


@dataclass(frozen=True)
class PhraseHit:
    """Where a phrase (or regex) was found in the normalised text."""

    start: int
    end: int
    source: str


class PhraseList:
    """Phrases (fuzzy, about one character off when long) and regexes over normalised text."""

    def __init__(
        self, phrases: Iterable[str], regexes: Iterable[str] = (), *, fuzzy: bool = True
    ) -> None:
        self.phrases = tuple(sorted({p for p in (normalize(x) for x in phrases) if p}, key=len))
        self.regexes = tuple(StaffRegex(r) for r in regexes)
        self.fuzzy = fuzzy

    def hits(self, norm: str) -> list[PhraseHit]:
        """Every phrase and regex found in `norm`, with its span."""
        found: list[PhraseHit] = []
        for phrase in self.phrases:
            at = norm.find(phrase)
            if at >= 0:
                found.append(PhraseHit(at, at + len(phrase), phrase))
            elif self.fuzzy and len(phrase) >= FUZZY_MIN_LEN and len(norm) >= len(phrase):
                cutoff = 100.0 * (1 - 1 / len(phrase)) - 0.5
                aligned = fuzz.partial_ratio_alignment(phrase, norm, score_cutoff=cutoff)
                # The stretch found must be about as long as the phrase, not a piece of it, and
                # differ from it in no character that turns its meaning.
                if aligned is None or aligned.dest_end - aligned.dest_start < len(phrase) - 1:
                    continue
                span = norm[aligned.dest_start : aligned.dest_end]
                if PROTECTED & (set(span) ^ set(phrase)):
                    continue
                found.append(PhraseHit(aligned.dest_start, aligned.dest_end, phrase))
        for regex in self.regexes:
            match = regex.search(norm)
            if match:
                found.append(PhraseHit(match.start(), match.end(), regex.pattern))
        return found

    def best_cover(self, core: str) -> float:
        """How much of `core` the best phrase accounts for, 0–1 (1: it is the phrase)."""
        best = 0.0
        for phrase in self.phrases:
            if phrase == core:
                return 1.0
            if phrase in core:
                best = max(best, len(phrase) / len(core))
            elif len(phrase) >= 3 or len(core) >= 3:
                best = max(best, fuzz.ratio(phrase, core) / 100.0 * 0.95)
        for regex in self.regexes:
            match = regex.search(core)
            if match:
                best = max(best, (match.end() - match.start()) / len(core))
        return best
