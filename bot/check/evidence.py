"""The sender's own words behind each matched phrase, for the "提到了…" line of a reply.

Phrases are matched on the normalised text (Simplified, no spaces or marks, homophones
replaced), so the phrase a pattern file holds may not be what the sender wrote: 安全帐戶 with
a space, or 洗qian. The reply must quote the sender, never put words in their mouth: each
phrase is found again in the normalised text, and its stretch is mapped back to the
original characters. A phrase that cannot be placed is not quoted.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import regex
from rapidfuzz import fuzz

from bot.check.normalize import NOISE, SUB_PATTERN, SUBSTITUTIONS, ZERO_WIDTH, clean, normalize
from bot.staff_regex import staff_regex

#: A phrase found about one character off must score this much (rapidfuzz) to be quoted.
NEAR_SCORE = 80.0
#: Quotes longer than this are cut (a phrase spread over a whole line is no quote).
MAX_QUOTE = 24
_REGEX_CHARS = set("()[]{}|\\?*+^$")


@dataclass(frozen=True)
class _Mapped:
    """The normalised text, and for each of its characters the stretch of the original."""

    norm: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def _mapped(original: str) -> _Mapped:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, char in enumerate(original):
        for piece in unicodedata.normalize("NFKC", char).translate(ZERO_WIDTH):
            chars.append(piece)
            starts.append(i)
            ends.append(i + 1)
    nfkc = "".join(chars)
    simplified = clean(nfkc)
    # A phrase-level conversion may change the length: then convert character by character.
    same = len(simplified) == len(nfkc)
    chars = list(simplified) if same else [clean(c)[:1] or c for c in chars]
    kept = [
        (c, s, e) for c, s, e in zip(chars, starts, ends, strict=True) if not NOISE.fullmatch(c)
    ]
    squeezed = "".join(c for c, _, _ in kept)
    out_chars: list[str] = []
    out_starts: list[int] = []
    out_ends: list[int] = []
    at = 0
    for match in SUB_PATTERN.finditer(squeezed):
        for c, s, e in kept[at : match.start()]:
            out_chars.append(c)
            out_starts.append(s)
            out_ends.append(e)
        replaced = SUBSTITUTIONS[match.group(0)]
        first, last = kept[match.start()][1], kept[match.end() - 1][2]
        for c in replaced:
            out_chars.append(c)
            out_starts.append(first)
            out_ends.append(last)
        at = match.end()
    for c, s, e in kept[at:]:
        out_chars.append(c)
        out_starts.append(s)
        out_ends.append(e)
    return _Mapped("".join(out_chars), tuple(out_starts), tuple(out_ends))


def _span(mapped: _Mapped, phrase: str) -> tuple[int, int] | None:
    """Where `phrase` (a pattern phrase or a regex) lies in the normalised text."""
    if _REGEX_CHARS & set(phrase):
        try:
            match = staff_regex(phrase).search(mapped.norm)
        except regex.error:
            return None
        return (match.start(), match.end()) if match and match.end() > match.start() else None
    norm = normalize(phrase)
    if not norm:
        return None
    at = mapped.norm.find(norm)
    if at >= 0:
        return at, at + len(norm)
    aligned = fuzz.partial_ratio_alignment(norm, mapped.norm, score_cutoff=NEAR_SCORE)
    if aligned is None or aligned.dest_end <= aligned.dest_start:
        return None
    return aligned.dest_start, aligned.dest_end


def quotes(original: str, phrases: Iterable[str], limit: int = 2) -> tuple[str, ...]:
    """Up to `limit` stretches of `original` that the phrases matched, as the sender wrote
    them, in the order they are written; a stretch inside another quoted one is left out."""
    mapped = _mapped(original)
    spans: list[tuple[int, int]] = []
    # Plain phrases first, strongest first as the engine lists them; a regex's stretch only
    # when too few phrases could be placed (it is wider, so it says less).
    ordered = sorted(phrases, key=lambda p: bool(_REGEX_CHARS & set(p)))
    for phrase in ordered:
        if len(spans) >= limit:
            break
        found = _span(mapped, phrase)
        if found is None:
            continue
        start, end = mapped.starts[found[0]], mapped.ends[found[1] - 1]
        if end - start > MAX_QUOTE or any(s <= start and end <= e for s, e in spans):
            continue
        spans = [(s, e) for s, e in spans if not (start <= s and e <= end)] + [(start, end)]
    shown = [original[s:e].strip() for s, e in sorted(spans)]
    return tuple(q for q in shown if q)[:limit]
