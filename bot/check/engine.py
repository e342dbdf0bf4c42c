"""The check: how risky a message is, which scam it looks like, and why.

The whole reasoning lives here, in one readable pass:

1. normalise the text (``normalize.py``) and pull out links and numbers (``extract.py``);
   each link reads as the word 网址, so content can speak of "登录网址";
2. find each pattern's phrases — exact for short phrases, fuzzy (rapidfuzz, about one
   character off) for longer ones — with their staff strengths;
3. find the cross-category danger signals (pay first, secrecy, urgency, a claimed
   authority, links / apps / screen sharing, verification codes), the blocklist, the safe
   markers (anti-fraud advice, news about a scam, ordinary notices) and how the message
   speaks (``speech.py``: reported speech, negation, who is asked to act, a chat);
4. turn that evidence into the probability of a scam with the fitted logistic regression
   (``fitted.py``, weights fitted by ``scripts/fit_check.py``); its thresholds give the
   risk level;
5. name the scam by the pattern with the most evidence, counting the opening more (the
   story) and the means (links, apps, codes) less.

Advice and news that retell a scam are read for what the writer says in their own words:
the scammer's words they quote do not count (see ``Checker.check``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from operator import add, itemgetter
from typing import Any

import ahocorasick
from rapidfuzz import fuzz

from bot.check.extract import BlocklistIndex, extract
from bot.check.fitted import FittedScore, Risk, shipped_score
from bot.check.normalize import clean, compact, normalize, unquote
from bot.check.own import content_texts, sentences
from bot.check.speech import speech_features
from bot.content.bundle import Content
from bot.content.models import Blocklist, Pattern, SignalFile
from bot.lines import scrub
from bot.staff_regex import StaffRegex, required_literals
from bot.taxonomy import CATEGORY_NAMES

#: A regex gate's ids and the ids it lets through for one text (see `_RegexGate`).
_Gated = tuple[dict[int, int], set[int]]

# --- how staff strengths are read (the fitted score weighs the evidence, see fitted.py) ------
#: How much one matched phrase adds to its pattern's evidence, by the strength staff gave it.
PHRASE_WEIGHTS = {"strong": 35, "normal": 18, "weak": 7}
REGEX_WEIGHT = 18
#: A pattern's evidence is read up to this much; more phrases only confirm the type.
PATTERN_CAP = 60
#: This many of one pattern's normal (or stronger) phrases or regexes together are telling
#: even without a strong phrase: topic words pile up in adverts, story phrases do not.
ENOUGH_PHRASES = 3
#: Danger signals' weights are read up to this much.
SIGNAL_CAP = 50
#: Signals adding up to this much amount to a request (pay, a code, an app, a secret, or
#: several lesser signs together), not mere context such as one urgent word.
REQUEST_WEIGHT = 12
#: Safe markers' weights are read up to this much.
SAFE_CAP = 80
#: Phrases this long or longer also match fuzzily (shorter ones meet too many near-misses).
FUZZY_MIN_LEN = 6
#: In a text longer than this, a fuzzy phrase is compared only with the stretches around
#: its bigrams, not with the whole text: the cost of a check then grows with the length of
#: the text, not with its square (more candidates, each compared along more text).
LOCAL_FUZZY_CHARS = 200
#: Categories that name the *means* (a link, an app, a code) rather than the story. Most
#: scams use these means, so when a story category also matches, the story names the scam.
MEANS_CATEGORIES = frozenset({"phishing_link_app"})
MEANS_SHARE = 0.5
#: How much a signal's category hint counts when naming the scam, as a share of its weight.
VOTE_SHARE = 1.0
#: Why a message whose scam words are all quoted, in advice or news, is not a warning.
QUOTED_LABEL = "骗子的话放在引号里，是在转述，不是对您说的"
#: The opening of a message sets its story (我是京东客服…, 我是你领导…, 恭喜您…); later lines
#: drift to the means every scam shares (转账, 冻结, 验证码). When naming the scam, phrases
#: in the first HEAD_CHARS normalised characters count HEAD_BONUS times more again.
HEAD_CHARS = 40
HEAD_BONUS = 1.0
#: The bot's own words (an alert, a guidance card, a quiz question) pasted back: when its
#: sentences make up this share of a message, the message is the bot's advice.
OWN_TEXT_SHARE = 0.7
OWN_TEXT_LABEL = "这是三不卫士自己发的防骗内容"
#: Longer texts are cut: the start of a message carries the scam, and checks must stay fast.
MAX_CHECK_CHARS = 4000

GENERAL_ADVICE: dict[str, tuple[str, ...]] = {
    "high": (
        "请马上停下：不要转账，不要点链接，不要说出验证码。",
        "挂断电话，拨打 96110 或 110 问一问，并告诉家人。",
    ),
    "medium": (
        "先别急着回复或付钱，和家人商量一下。",
        "拿不准时，拨打 96110 反诈专线问一问。",
    ),
    "low": ("看起来问题不大，但凡是要钱、要验证码的，都先问问家人。",),
    "none": ("没有发现常见的诈骗说法。凡是要您转账的，都先和家人商量。",),
}


#: What to do with advice or news that retells a scam: take the lesson, nothing to fear.
RETELLING_ADVICE = ("这是防骗提醒或新闻，不是骗局。里面说的骗法要记牢：不听、不信、不转账。",)


@dataclass(frozen=True)
class Verdict:
    """The answer to one check."""

    risk: Risk
    category: str | None
    category_name: str | None
    score: int
    matched: tuple[str, ...]
    """Phrases of the pattern that matched (the evidence)."""
    reasons: tuple[str, ...]
    """Danger signals found, in plain words (e.g. 要您先转账付款)."""
    advice: tuple[str, ...]
    urls: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    blocklisted: tuple[str, ...] = ()
    safe: tuple[str, ...] = field(default=())
    """Why the message looks safe (anti-fraud advice, a news report, a notice)."""

    @property
    def flagged(self) -> bool:
        """High or medium risk: the senior should stop."""
        return self.risk in ("high", "medium")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used by `check --json` and `--jsonl`."""
        return {
            "risk": self.risk,
            "category": self.category,
            "category_name": self.category_name,
            "score": self.score,
            "matched": list(self.matched),
            "reasons": list(self.reasons),
            "advice": list(self.advice),
            "urls": list(self.urls),
            "phones": list(self.phones),
            "blocklisted": list(self.blocklisted),
            "safe": list(self.safe),
        }


@dataclass(frozen=True)
class _Phrase:
    shown: str
    norm: str
    weight: int
    cutoff: float
    bigrams: tuple[str, ...]
    need: int


def _phrase(shown: str, weight: int) -> _Phrase | None:
    norm = normalize(shown)
    if not norm:
        return None
    bigrams = tuple({norm[i : i + 2] for i in range(len(norm) - 1)})
    if len(norm) >= FUZZY_MIN_LEN:
        # About one substituted character: rapidfuzz's indel ratio for one substitution
        # in a phrase of n characters is 100 * (1 - 1/n).
        cutoff = 100.0 * (1 - 1 / len(norm)) - 0.5
        need = max(1, len(bigrams) - 2)
    else:
        cutoff, need = 101.0, len(bigrams)
    return _Phrase(shown, norm, weight, cutoff, bigrams, need)


class _PhraseIndex:
    """Finds every phrase in a text without trying each phrase in turn.

    Exact occurrences come from one Aho-Corasick pass (pyahocorasick) over the text, whatever
    the number of phrases. A phrase can only occur fuzzily (about one character off) where
    most of its bigrams occur, so fuzzy candidates are counted by bigram and only those are
    compared with rapidfuzz.
    """

    def __init__(
        self, phrases: Iterable[_Phrase], *, scanned: bool = False, local: bool = True
    ) -> None:
        # `local` False compares fuzzy phrases with the whole of every text (the reference
        # path: slower on long texts, the same phrases found).
        self._local = local
        # Matching depends only on a phrase's normalised text, so index distinct texts.
        by_norm = {p.norm: p for p in phrases}
        self._norms = frozenset(by_norm)
        # With `scanned`, the caller's own scan finds the exact phrases (`search(present=…)`).
        self._exact = None if scanned else _automaton(by_norm)
        self._fuzzy: dict[str, list[int]] = {}
        self._fuzzy_phrases: list[_Phrase] = []
        for norm, p in sorted(by_norm.items()):
            if len(norm) > 1 and p.cutoff <= 100:
                ident = len(self._fuzzy_phrases)
                self._fuzzy_phrases.append(p)
                for gram in p.bigrams:
                    self._fuzzy.setdefault(gram, []).append(ident)
        self._fuzzy_grams = frozenset(self._fuzzy)

    def search(self, text: str, present: set[str] | None = None) -> frozenset[str]:
        """The normalised forms of all phrases found in `text`. `present`: the strings of a
        scan of the text that covered at least every phrase (see `Checker._scan`)."""
        if present is None:
            assert self._exact is not None, "a scanned index needs the scan's strings"
            found = _occurring(self._exact, text)
        else:
            found = present & self._norms
        if not self._fuzzy:
            return frozenset(found)
        fuzzy = self._fuzzy
        # Only the text's bigrams that some fuzzy phrase has (a set operation, in C).
        shared = _bigrams(text) & self._fuzzy_grams
        counts = Counter(chain.from_iterable(map(fuzzy.__getitem__, shared)))
        phrases = self._fuzzy_phrases
        local = self._local and len(text) > LOCAL_FUZZY_CHARS
        positions: dict[str, list[int]] | None = None
        for ident, count in counts.items():
            p = phrases[ident]
            if count < p.need or p.norm in found:
                continue
            if not local:
                if fuzz.partial_ratio(p.norm, text, score_cutoff=p.cutoff):
                    found.add(p.norm)
                continue
            if positions is None:
                positions = _bigram_positions(text, shared)
            for start, end in _stretches(p, positions, len(text)):
                if fuzz.partial_ratio(p.norm, text[start:end], score_cutoff=p.cutoff):
                    found.add(p.norm)
                    break
        return frozenset(found)


def _bigram_positions(text: str, wanted: set[str]) -> dict[str, list[int]]:
    """Where in `text` each of the `wanted` bigrams starts."""
    out: dict[str, list[int]] = {}
    for i, gram in enumerate(map(add, text, text[1:])):
        if gram in wanted:
            out.setdefault(gram, []).append(i)
    return out


def _stretches(p: _Phrase, positions: dict[str, list[int]], length: int) -> list[tuple[int, int]]:
    """The stretches of a text (start, end) that hold every place where `p` may occur
    fuzzily. A near match (about one character off) shares bigrams with the phrase, so it
    lies within one phrase length of one of them; the stretches around them, merged, cover
    it with a margin that keeps the comparison's ends off the match."""
    reach = len(p.norm) + 2
    starts = sorted(q for gram in p.bigrams for q in positions.get(gram, ()))
    out: list[tuple[int, int]] = []
    for q in starts:
        start, end = max(0, q - reach), min(length, q + reach + 2)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


class _RegexGate:
    """Which regexes may match a text: a regex runs only when the text holds one string of
    each set its matches need (`required_literals`). The strings are looked up in the one
    Aho-Corasick pass that finds the phrases. Regexes that need nothing always run."""

    def __init__(self, regexes: Iterable[StaffRegex]) -> None:
        self.ident: dict[int, int] = {}
        self._always: set[int] = set()
        # Each regex is indexed under its most telling requirement; the others are checked
        # when that one is met.
        self._by_literal: dict[str, list[int]] = {}
        self._rest: dict[int, tuple[frozenset[str], ...]] = {}
        for regex in regexes:
            if id(regex) in self.ident:
                continue
            ident = self.ident[id(regex)] = len(self.ident)
            needs = sorted(
                required_literals(regex.pattern), key=lambda s: (-min(map(len, s)), len(s))
            )
            if not needs:
                self._always.add(ident)
                continue
            for literal in needs[0]:
                self._by_literal.setdefault(literal, []).append(ident)
            self._rest[ident] = tuple(needs[1:])
        self._literal_keys = frozenset(self._by_literal)

    @property
    def literals(self) -> frozenset[str]:
        """Every string a requirement names (for the scan)."""
        return frozenset(
            {*self._by_literal, *(x for rest in self._rest.values() for s in rest for x in s)}
        )

    def open_for(self, present: set[str]) -> set[int]:
        """The ids of the regexes that may match a text holding the strings `present`."""
        allowed = set(self._always)
        rest = self._rest
        for literal in present & self._literal_keys:
            for ident in self._by_literal[literal]:
                if ident not in allowed and all(not present.isdisjoint(s) for s in rest[ident]):
                    allowed.add(ident)
        return allowed


class _RuleSet:
    """Rules in their order, indexed by phrase and by regex, so that a check visits only
    the rules a text can match (a few of the hundreds)."""

    def __init__(self, rules: Sequence[_Rule], gate: _RegexGate | None) -> None:
        self.rules = tuple(rules)
        self._gate = gate
        self._by_norm: dict[str, list[int]] = {}
        self._by_regex: dict[int, list[int]] = {}
        for index, rule in enumerate(self.rules):
            for norm in rule.norms:
                self._by_norm.setdefault(norm, []).append(index)
            if gate is not None:
                for regex in rule.regexes:
                    self._by_regex.setdefault(gate.ident[id(regex)], []).append(index)
        self._norm_keys = frozenset(self._by_norm)
        self._regex_keys = frozenset(self._by_regex)

    def matches(
        self, text: str, found: frozenset[str], gate: _Gated | None
    ) -> list[tuple[_Rule, list[_Phrase | StaffRegex]]]:
        """Each rule (in order) that matches `text`, with its hits (see `_Rule.hits`). With
        a gate, only the rules with a phrase in `found` or a regex it lets through are
        tried; without one, every rule."""
        if gate is None or self._gate is None:
            tried: Iterable[_Rule] = self.rules
        else:
            indices: set[int] = set()
            by_norm, by_regex = self._by_norm, self._by_regex
            # Set against set: CPython walks the smaller one (a dict would be walked whole).
            for norm in found & self._norm_keys:
                indices.update(by_norm[norm])
            for ident in gate[1] & self._regex_keys:
                indices.update(by_regex[ident])
            rules = self.rules
            tried = [rules[i] for i in sorted(indices)]
        out = []
        for rule in tried:
            hits = rule.hits(text, found, gate)
            if hits:
                out.append((rule, hits))
        return out


def _automaton(keys: Iterable[str]) -> Any:
    """An Aho-Corasick automaton whose value for each key is the key (None when empty)."""
    machine = ahocorasick.Automaton()
    for key in keys:
        machine.add_word(key, key)
    if len(machine) == 0:
        return None
    machine.make_automaton()
    return machine


def _occurring(machine: Any, text: str) -> set[str]:
    """The keys of `machine` that occur in `text`."""
    if machine is None:
        return set()
    return set(map(itemgetter(1), machine.iter(text)))


@dataclass(frozen=True)
class _Rule:
    """One compiled pattern, signal or safe marker."""

    key: str
    label: str
    phrases: tuple[_Phrase, ...]
    regexes: tuple[StaffRegex, ...]
    weight: int  # for signals and markers: counted once; for patterns: per phrase
    category: str | None
    norms: frozenset[str] = frozenset()
    by_norm: dict[str, _Phrase] = field(default_factory=dict, compare=False, hash=False)

    def hits(
        self, text: str, found: frozenset[str], gate: _Gated | None = None
    ) -> list[_Phrase | StaffRegex]:
        """The phrases (among those `found` in the text) and regexes of this rule that match;
        with `gate`, only the regexes it lets through are tried (the others cannot match).

        Phrases come strongest first (then by text), so evidence reads the same every run.
        """
        mine = self.norms & found
        phrases = sorted((self.by_norm[n] for n in mine), key=_strength_order) if mine else []
        if gate is None:
            regexes = [r for r in self.regexes if r.search(text)]
        else:
            ident, allowed = gate
            regexes = [r for r in self.regexes if ident[id(r)] in allowed and r.search(text)]
        return [*phrases, *regexes]


def _strength_order(p: _Phrase) -> tuple[int, str]:
    return (-p.weight, p.norm)


def _strongest_by_norm(phrases: Iterable[_Phrase]) -> dict[str, _Phrase]:
    """One phrase per normalised text; staff may list a phrase twice at two strengths."""
    out: dict[str, _Phrase] = {}
    for p in phrases:
        if p.norm not in out or p.weight > out[p.norm].weight:
            out[p.norm] = p
    return out


def _longest_only(hits: list[_Phrase | StaffRegex]) -> list[_Phrase | StaffRegex]:
    """Drop phrases contained in a longer matched phrase: one stretch of text counts once."""
    phrases = sorted((h for h in hits if isinstance(h, _Phrase)), key=lambda p: -len(p.norm))
    kept: list[_Phrase] = []
    for p in phrases:
        if not any(p.norm in k.norm for k in kept):
            kept.append(p)
    return [*kept, *(h for h in hits if not isinstance(h, _Phrase))]


def _compile(regexes: Iterable[str]) -> tuple[StaffRegex, ...]:
    return tuple(StaffRegex(r) for r in regexes)


def _simple_rule(
    key: str,
    label: str,
    phrases: Iterable[str],
    regexes: Iterable[str],
    weight: int,
    category: str | None,
) -> _Rule:
    compiled = tuple(p for p in (_phrase(s, weight) for s in phrases) if p is not None)
    by_norm = _strongest_by_norm(compiled)
    return _Rule(
        key, label, compiled, _compile(regexes), weight, category, frozenset(by_norm), by_norm
    )


def _pattern_rule(pattern: Pattern) -> _Rule:
    phrases: list[_Phrase] = []
    for strength, weight in PHRASE_WEIGHTS.items():
        for shown in getattr(pattern.phrases, strength):
            compiled = _phrase(shown, weight)
            if compiled is not None:
                phrases.append(compiled)
    return _Rule(
        pattern.id,
        pattern.name,
        tuple(phrases),
        _compile(pattern.regexes),
        REGEX_WEIGHT,
        pattern.category,
        frozenset(p.norm for p in phrases),
        _strongest_by_norm(phrases),
    )


def _bigrams(text: str) -> set[str]:
    return set(map(add, text, text[1:]))


class Checker:
    """Checks messages against the loaded patterns, signals, safe markers and blocklist."""

    def __init__(
        self,
        patterns: Iterable[Pattern],
        signals: SignalFile,
        blocklist: Blocklist,
        own_texts: Iterable[str] = (),
        *,
        prefilter: bool = True,
        score: FittedScore | None = None,
    ) -> None:
        """`own_texts` are what the bot itself sends; pasted back, they read as advice.
        `prefilter` False tries every regex on every text and compares fuzzy phrases with
        the whole text (the same verdicts, slower: for tests that show the shortcuts change
        nothing)."""
        patterns = tuple(patterns)
        # The fitted score (`score`: another one, for `scripts/fit_check.py` and tests).
        self._score = score or shipped_score()
        self._patterns = [_pattern_rule(p) for p in patterns]
        self._advice = {p.id: p.advice for p in patterns}
        self._signals = [
            _simple_rule(s.id, s.label, s.phrases, s.regexes, s.weight, s.category)
            for s in signals.danger_signals
        ]
        self._safe = [
            _simple_rule(m.id, m.label, m.phrases, m.regexes, m.weight, None)
            for m in signals.safe_markers
        ]
        self._retelling_labels = frozenset(m.label for m in signals.safe_markers if m.retells)
        self._blocklist = BlocklistIndex(blocklist.domains, blocklist.phones)
        rules = (*self._patterns, *self._signals, *self._safe)
        self._index = _PhraseIndex(
            (p for rule in rules for p in rule.phrases), scanned=True, local=prefilter
        )
        self._gate = _RegexGate(r for rule in rules for r in rule.regexes) if prefilter else None
        # One Aho-Corasick pass per text finds both the phrases and the regexes' literals.
        self._scan = _automaton(
            {p.norm for rule in rules for p in rule.phrases}
            | (self._gate.literals if self._gate else frozenset())
        )
        self._pattern_set = _RuleSet(self._patterns, self._gate)
        self._pattern_norms = frozenset(n for rule in self._patterns for n in rule.norms)
        self._signal_set = _RuleSet(self._signals, self._gate)
        self._safe_set = _RuleSet(self._safe, self._gate)
        # The bot's own sentences match exactly (cutoff above 100): they are recognised, not
        # guessed. Only a message that would warn is looked up (see `_is_own_text`).
        advice_lines = (*(x for lines in GENERAL_ADVICE.values() for x in lines), *RETELLING_ADVICE)
        self._own = _PhraseIndex(
            _Phrase(s, s, 0, 101.0, (), 0) for s in sentences((*own_texts, *advice_lines))
        )
        self._own_rule = _simple_rule("own_text", OWN_TEXT_LABEL, (), (), SAFE_CAP, None)
        self._retelling_labels |= {OWN_TEXT_LABEL}

    @classmethod
    def from_content(cls, content: Content) -> Checker:
        """A checker for everything the bot serves."""
        return cls(content.patterns, content.signals, content.blocklist, content_texts(content))

    def check(self, text: str) -> Verdict:
        """Judge one message. Never raises for any string input (a lone surrogate, which
        JSON can carry, becomes U+FFFD)."""
        cleaned = clean(scrub(text[:MAX_CHECK_CHARS]))
        verdict = self._judge(cleaned)
        if verdict.flagged and not verdict.blocklisted and self._retells(verdict):
            # Reported speech: advice and news put the scammer's words in quotes (收到“您的
            # 医保卡被冻结”的短信不要点). When the text also reads as advice or news, judge
            # what the writer says in their own words, outside the quotes.
            outside = unquote(cleaned)
            if outside != cleaned:
                own = self._judge(outside)
                if own.score < verdict.score:
                    verdict = replace(own, safe=(*verdict.safe, QUOTED_LABEL))
        if not verdict.flagged and self._retells(verdict):
            verdict = replace(verdict, advice=RETELLING_ADVICE)
        return verdict

    def _retells(self, verdict: Verdict) -> bool:
        return any(label in self._retelling_labels for label in verdict.safe)

    def features(self, text: str) -> dict[str, float]:
        """The evidence the fitted score reads, for `text` as `check` would clean it (for
        `scripts/fit_check.py`)."""
        return self._evidence(clean(scrub(text[:MAX_CHECK_CHARS]))).features

    def _judge(self, cleaned: str) -> Verdict:
        ev = self._evidence(cleaned)
        probability = self._score.probability(ev.features)
        risk = self._score.risk(probability)
        best = ev.best
        category: str | None = None
        name: str | None = None
        advice: tuple[str, ...] = ()
        if risk != "none":
            if best is not None:
                # One name per scam type everywhere (verdict, card, figures): the taxonomy's.
                category = best.rule.category
                name = CATEGORY_NAMES.get(category or "")
                advice = self._advice.get(best.rule.key, ())
            else:
                hinted = max(
                    (r for r in ev.signals if r.category), key=lambda r: r.weight, default=None
                )
                if hinted is not None and hinted.category:
                    category = hinted.category
                    name = CATEGORY_NAMES.get(category)
        if risk in ("low", "none"):
            advice = ()
        reasons = [r.label for r in ev.signals]
        if ev.blocked:
            reasons.append("里面的链接或号码在警方公布的诈骗名单上")
        return Verdict(
            risk=risk,
            category=category,
            category_name=name,
            score=round(100 * probability),
            matched=tuple(best.shown) if best and risk != "none" else (),
            reasons=tuple(reasons),
            advice=advice + GENERAL_ADVICE[risk],
            urls=ev.urls,
            phones=ev.phones,
            blocklisted=ev.blocked,
            safe=tuple(r.label for r in ev.safe),
        )

    def _find(self, norm: str) -> tuple[frozenset[str], _Gated | None]:
        """The phrases in `norm` and the regexes that may match it, from one scan."""
        present = _occurring(self._scan, norm)
        gate = (self._gate.ident, self._gate.open_for(present)) if self._gate else None
        return self._index.search(norm, present), gate

    def _evidence(self, cleaned: str) -> _Evidence:
        found = extract(cleaned)
        norm = compact(found.masked)
        found_phrases, gate = self._find(norm)

        # danger signals and the blocklist
        signals = [rule for rule, _ in self._signal_set.matches(norm, found_phrases, gate)]
        signal_weight = min(sum(r.weight for r in signals), SIGNAL_CAP)
        blocked = self._blocklist.hits(found)

        # patterns: the one with most evidence names the scam
        head = norm[:HEAD_CHARS]
        scored: list[_Scored] = []
        for rule, hits in self._pattern_set.matches(norm, found_phrases, gate):
            hits = _longest_only(hits)
            phrases = [h for h in hits if isinstance(h, _Phrase)]
            score = sum(h.weight for h in phrases) + REGEX_WEIGHT * (len(hits) - len(phrases))
            early = sum(h.weight for h in phrases if h.norm in head)
            shown = [h.shown if isinstance(h, _Phrase) else h.pattern for h in hits]
            scored.append(_Scored(rule, hits, shown, score, score + HEAD_BONUS * early, early))
        # Naming: a signal with a category hint (a claimed authority → 冒充公检法) votes for
        # its category, and the means categories give way to a story category.
        votes: dict[str, int] = {}
        for r in signals:
            if r.category and r.category not in MEANS_CATEGORIES:
                votes[r.category] = votes.get(r.category, 0) + r.weight

        def naming_score(item: _Scored) -> float:
            share = MEANS_SHARE if item.rule.category in MEANS_CATEGORIES else 1.0
            return item.naming * share + VOTE_SHARE * votes.get(item.rule.category or "", 0)

        scored.sort(key=naming_score, reverse=True)
        best = scored[0] if scored else None
        runner_up = next(
            (x for x in scored[1:] if x.rule.category != scored[0].rule.category), None
        )

        # safe markers; the bot's own sentences pasted in are the bot's words, not the
        # sender's: most of the message → it is our advice; a line or two inside a scam →
        # they make it no safer (a scam that borrows 刷单本身就是骗局 is still a scam)
        own = self._own.search(norm)
        own_share = sum(map(len, own)) / max(1, len(norm))
        if own and own_share < OWN_TEXT_SHARE:
            theirs = norm
            for sentence in sorted(own, key=len, reverse=True):
                theirs = theirs.replace(sentence, "")
            their_found, their_gate = self._find(theirs)
            safe_hits = self._safe_set.matches(theirs, their_found, their_gate)
        else:
            safe_hits = self._safe_set.matches(norm, found_phrases, gate)
        safe = [rule for rule, _ in safe_hits]
        repeated = any(
            len(hits) > 1 and rule.label in self._retelling_labels for rule, hits in safe_hits
        )
        if own_share >= OWN_TEXT_SHARE:
            safe.append(self._own_rule)

        features = _features(
            best, runner_up, signals, signal_weight, safe, repeated, blocked, norm, cleaned
        )
        # Each scam phrase found is evidence of its own: the fit learns which phrases are
        # telling and which also turn up in harmless messages.
        for phrase in found_phrases & self._pattern_norms:
            features[f"ph:{phrase}"] = 1.0
        return _Evidence(features, signals, tuple(safe), best, blocked, found.urls, found.phones)


@dataclass(frozen=True)
class _Scored:
    """One pattern's evidence in a message."""

    rule: _Rule
    hits: list[_Phrase | StaffRegex]
    shown: list[str]
    score: int
    """The staff strengths of its phrases and regexes, added up."""
    naming: float
    """The score with the opening's phrases counted again (the story is told first)."""
    early: int


@dataclass(frozen=True)
class _Evidence:
    """Everything a check found in one message, and the features the fitted score reads."""

    features: dict[str, float]
    signals: list[_Rule]
    safe: tuple[_Rule, ...]
    best: _Scored | None
    blocked: tuple[str, ...]
    urls: tuple[str, ...]
    phones: tuple[str, ...]


#: Message lengths (normalised characters) by which the score's base rate differs.
LENGTHS = (20, 60, 200)


def _features(
    best: _Scored | None,
    runner_up: _Scored | None,
    signals: list[_Rule],
    signal_weight: int,
    safe: list[_Rule],
    repeated: bool,
    blocked: tuple[str, ...],
    norm: str,
    cleaned: str,
) -> dict[str, float]:
    """The evidence as named numbers (0–1 mostly), the fitted score's input.

    Staff strengths still count: the best pattern's score and the signals' weight added up
    are features too, so a phrase or signal added after the last fit weighs at once.
    """
    f: dict[str, float] = {}
    request = signal_weight >= REQUEST_WEIGHT
    if best is not None:
        phrases = [h for h in best.hits if isinstance(h, _Phrase)]
        strong = sum(1 for h in phrases if h.weight >= PHRASE_WEIGHTS["strong"])
        normal = sum(
            1 for h in phrases if PHRASE_WEIGHTS["normal"] <= h.weight < PHRASE_WEIGHTS["strong"]
        )
        weak = len(phrases) - strong - normal
        regexes = len(best.hits) - len(phrases)
        f["p_strong"] = min(strong, 3) / 3
        f["p_normal"] = min(normal, 4) / 4
        f["p_weak"] = min(weak, 4) / 4
        f["p_regex"] = min(regexes, 3) / 3
        f["p_score"] = min(best.score, PATTERN_CAP) / PATTERN_CAP
        f["p_early"] = float(best.early > 0)
        f["has_strong"] = float(strong > 0)
        f["enough"] = float(normal + strong + regexes >= ENOUGH_PHRASES)
        f[f"cat:{best.rule.category}"] = 1.0
        if request:
            f["combo"] = f["p_score"]
    if runner_up is not None:
        f["p_runner_up"] = min(runner_up.score, PATTERN_CAP) / PATTERN_CAP
    f["s_weight"] = signal_weight / SIGNAL_CAP
    f["s_count"] = min(len(signals), 6) / 6  # many kinds of demand at once: pay, hurry, hush
    f["request"] = float(request)
    for rule in signals:
        f[f"s:{rule.key}"] = 1.0
    if blocked:
        f["blocked"] = 1.0
    safe_weight = min(sum(r.weight for r in safe), SAFE_CAP)
    f["safe_weight"] = safe_weight / SAFE_CAP
    for rule in safe:
        f[f"safe:{rule.key}"] = 1.0
    if repeated:
        f["safe_repeated"] = 1.0
    if f.get("p_score") and safe_weight:
        f["safe_x_pattern"] = f["safe_weight"] * f["p_score"]
    # Safe markers scale the danger down rather than veto it: the evidence left after them.
    f["unsafe_pattern"] = f.get("p_score", 0.0) * (1 - f["safe_weight"])
    f["unsafe_signals"] = f["s_weight"] * (1 - f["safe_weight"])
    if not (f.get("has_strong") or f.get("enough") or request):
        f["weak_only"] = 1.0  # a topic word or two (奖品, 养生, 客服): no warning on its own
    # How it speaks weighs only beside scam evidence: a chat, or someone asking, is no sign of
    # a scam by itself (most chats are harmless), but it tells whose demand a request is.
    speech = speech_features(cleaned)
    for cue in ("reported", "negated"):
        if speech[cue]:
            f[cue] = 1.0
    for cue in ("reported", "negated", "stranger_asks", "asked_to_act", "chat", "asks_if_true"):
        if speech[cue] and request:
            f[f"request_x_{cue}"] = 1.0
        if speech[cue] and best is not None:
            f[f"pattern_x_{cue}"] = f["p_score"]
    size = sum(1 for bound in LENGTHS if len(norm) > bound)
    f[f"len:{size}"] = 1.0
    return f
