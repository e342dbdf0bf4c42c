"""The check's shortcuts (one Aho-Corasick scan, regexes gated by the literals they need,
rules visited only when touched) change no verdict: the same answers as trying every
phrase and every regex on every text."""

from __future__ import annotations

import json
import re

import pytest

from bot.check.engine import Checker
from bot.check.own import content_texts
from bot.content.loader import load_content
from bot.settings import PROJECT_ROOT
from bot.staff_regex import required_literals

#: Texts the project owns, of every form (pasted, retold, chats, hard negatives), and the
#: shared dev set when it is there (measuring only: its texts are read, never kept).
CORPORA = [
    *sorted((PROJECT_ROOT / "train").glob("*.jsonl")),
    PROJECT_ROOT / "eval" / "heldout.jsonl",
    PROJECT_ROOT / "eval" / "scam_tuning.jsonl",
    PROJECT_ROOT / "eval" / "benign_tuning.jsonl",
    PROJECT_ROOT.parent / "shared" / "datasets" / "dev.jsonl",
]


def _texts() -> list[str]:
    out = []
    for path in CORPORA:
        if path.exists():
            out += [json.loads(x)["text"] for x in path.read_text(encoding="utf-8").splitlines()]
    return out


@pytest.fixture(scope="module")
def pair() -> tuple[Checker, Checker]:
    content = load_content(PROJECT_ROOT)
    own = tuple(content_texts(content))
    fast = Checker(content.patterns, content.signals, content.blocklist, own)
    plain = Checker(content.patterns, content.signals, content.blocklist, own, prefilter=False)
    return fast, plain


def test_the_shortcuts_change_no_verdict(pair: tuple[Checker, Checker]) -> None:
    fast, plain = pair
    texts = _texts()
    assert len(texts) > 3000
    differ = [t[:60] for t in texts if fast.check(t) != plain.check(t)]
    assert not differ, differ[:5]


def test_long_and_odd_texts_too(pair: tuple[Checker, Checker]) -> None:
    fast, plain = pair
    odd = [
        "安全账户" * 900,
        "ATM机上操作解除分期" + "啊" * 3000,
        "验 证 码 发 给 我",
        "",
        "🙂" * 50,
        "HTTP://WWW.EXAMPLE.COM 点击领取补贴",
    ]
    for text in odd:
        assert fast.check(text) == plain.check(text)


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        ("安全账户", [{"安全账户"}]),
        ("(转|汇)(到|进).{0,6}账户", [{"转", "汇"}, {"到", "进"}, {"账户"}]),
        ("(?i)ATM.{0,4}操作", [{"atm"}, {"操作"}]),
        (r"a?b", [{"b"}]),
        (r"(ab|c)*d", [{"d"}]),
        (r"(验证码|校验码)", [{"验证码", "校验码"}]),
        (r"\d{6}", []),
        (r"(x|\d)y", [{"y"}]),
    ],
)
def test_what_a_regex_needs(pattern: str, needs: list[set[str]]) -> None:
    assert [set(n) for n in required_literals(pattern)] == needs


def test_every_shipped_regex_match_holds_what_it_needs() -> None:
    """On every text of the corpora, a regex that matches holds one string of each set."""
    content = load_content(PROJECT_ROOT)
    regexes = [r for p in content.patterns for r in p.regexes]
    regexes += [r for s in content.signals.danger_signals for r in s.regexes]
    regexes += [r for m in content.signals.safe_markers for r in m.regexes]
    from bot.check.normalize import normalize

    texts = [normalize(t) for t in _texts()[:4000]]
    for pattern in regexes:
        needs = required_literals(pattern)
        compiled = re.compile(pattern)
        for text in texts:
            found = compiled.search(text)
            if found:
                assert all(any(x in found.group(0) for x in need) for need in needs), pattern


def test_a_check_leaves_nothing_behind(pair: tuple[Checker, Checker]) -> None:
    """The scan's sets are made anew for each text: a verdict never depends on the last."""
    fast, _ = pair
    texts = _texts()[:300]
    first = [fast.check(t) for t in texts]
    again = [fast.check(t) for t in reversed(texts)][::-1]
    assert first == again


def test_long_texts_find_the_same_phrases(pair: tuple[Checker, Checker]) -> None:
    """In a long text a fuzzy phrase is compared only around its bigrams: the same phrases
    are found as by comparing it with the whole text, so the same verdicts follow."""
    import random

    from bot.check.normalize import compact

    fast, plain = pair
    texts = [t for t in _texts() if len(t) >= 40]
    rng = random.Random(11)
    for length in (250, 600, 1500, 4000):
        for _ in range(30):
            joined = ""
            while len(joined) < length:
                joined += rng.choice(texts)
            joined = joined[:length]
            norm = compact(joined)
            assert fast._find(norm)[0] == plain._find(norm)[0], joined[:60]
            assert fast.check(joined) == plain.check(joined), joined[:60]
