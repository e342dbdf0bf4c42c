"""Regexes written by staff (patterns, signals, safe markers, conversation phrases), run
with a time limit.

Validation refuses the shapes that backtrack without end ((.*)*, (a+)+) and any regex
that is slow on long probe texts (`too_slow`), but a regex can still meet a message no
probe foresaw:
- A regex without an unbounded repeat (no *, + or {n,}) does a bounded amount of work at
  each position of the text — the probes bound it — so it is linear in the text; it runs
  on the standard `re`, which is fastest.
- A regex with one can backtrack over the whole text. It is compiled with the `regex`
  library, whose searches take a timeout: a search that runs over `SEARCH_TIMEOUT` counts
  as "no match", is logged once per regex (the pattern, never the message), and the bot
  goes on answering.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Callable
from typing import Any

import regex

log = logging.getLogger(__name__)

#: The longest one search of one staff regex may take (a sound one takes well under 1 ms
#: on the longest message checked).
SEARCH_TIMEOUT = 0.1
#: Validation: each probe below must be searched within this time (the same limit, so a
#: regex that passes validation does not run out of time on a message like a probe).
PROBE_TIMEOUT = SEARCH_TIMEOUT
#: Texts as long as the longest message checked (4,000 characters), of the kinds that make
#: a regex backtrack: one character repeated, two alternating, digits, spaces and dots,
#: Chinese.
PROBES: tuple[str, ...] = (
    "a" * 4000,
    "ab" * 2000,
    "1" * 4000,
    "1 " * 2000,
    "a." * 2000,
    "钱" * 4000,
    "转账到安全账户" * 570,
)

_reported: set[str] = set()
_reported_guard = threading.Lock()


class StaffRegex:
    """One staff regex; `search` never runs longer than `SEARCH_TIMEOUT`."""

    __slots__ = ("_compiled", "_guarded", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._guarded = unbounded_repeat(pattern)
        self._compiled: Any = (
            regex.compile(pattern, regex.V0) if self._guarded else re.compile(pattern)
        )

    def search(self, text: str) -> Any:
        """The first match in `text`, or None (also when the search ran out of time)."""
        if not self._guarded:
            return self._compiled.search(text)
        try:
            return self._compiled.search(text, timeout=SEARCH_TIMEOUT)
        except TimeoutError:
            with _reported_guard:
                first = self.pattern not in _reported
                _reported.add(self.pattern)
            if first:
                log.warning(
                    "a content regex ran out of time and was skipped: %r (please simplify it)",
                    self.pattern,
                )
            return None

    def __repr__(self) -> str:
        return f"StaffRegex({self.pattern!r})"


@functools.lru_cache(maxsize=1024)
def staff_regex(pattern: str) -> StaffRegex:
    """`StaffRegex(pattern)`, compiled once (for callers that meet patterns one by one)."""
    return StaffRegex(pattern)


def _walk(pattern: str, found: Callable[[bool, bool], bool]) -> bool:
    """Whether `found(unbounded, inside_unbounded)` holds for some repeat in `pattern`."""
    from re import _constants as c  # type: ignore[attr-defined]

    repeats = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}

    def children(op: object, arg: object) -> list[object]:
        """The sub-patterns below one item of a parsed pattern."""
        if op is c.SUBPATTERN or op in (c.ASSERT, c.ASSERT_NOT):
            return [arg[-1]]  # type: ignore[index]
        if op is c.BRANCH:
            return list(arg[1])  # type: ignore[index]
        if op is getattr(c, "ATOMIC_GROUP", None):
            return [arg]
        return []

    def walk(items: object, inside_unbounded: bool) -> bool:
        for op, arg in items:  # type: ignore[attr-defined]
            if op in repeats:
                _, high, sub = arg
                unbounded = high == c.MAXREPEAT
                if found(unbounded, inside_unbounded) or walk(sub, inside_unbounded or unbounded):
                    return True
            elif any(walk(child, inside_unbounded) for child in children(op, arg)):
                return True
        return False

    return walk(_parsed(pattern), False)


@functools.lru_cache(maxsize=4096)
def _parsed(pattern: str) -> Any:
    """The standard library's parse of `pattern` (validation, the time guard and the check's
    literal gate all read it: parsed once per process)."""
    from re import _parser as parser  # type: ignore[attr-defined]

    return parser.parse(pattern)


def nested_repeat(pattern: str) -> bool:
    """Whether an unbounded repeat holds another unbounded repeat ((.*)*, (a+)+, (a|b+)*):
    the shape that makes a regex engine backtrack without end on a near-miss."""
    return _walk(pattern, lambda unbounded, inside: unbounded and inside)


def unbounded_repeat(pattern: str) -> bool:
    """Whether `pattern` has a repeat without an upper bound (*, +, {n,})."""
    return _walk(pattern, lambda unbounded, inside: unbounded)


def compile_error(pattern: str) -> str | None:
    """Why the regex library cannot compile `pattern`, or None."""
    try:
        regex.compile(pattern, regex.V0)
    except regex.error as exc:
        return str(exc)
    return None


@functools.lru_cache(maxsize=4096)
def too_slow(pattern: str) -> bool:
    """Whether searching one of the `PROBES` takes longer than `PROBE_TIMEOUT` (about 1 ms
    for a sound regex; remembered, since the same files are validated again and again)."""
    compiled = regex.compile(pattern, regex.V0)
    for probe in PROBES:
        try:
            compiled.search(probe, timeout=PROBE_TIMEOUT)
        except TimeoutError:
            return True
    return False


def required_literals(pattern: str) -> tuple[frozenset[str], ...]:
    """What every match of `pattern` contains: sets of strings, each of which must have one
    of its strings in the match (empty when nothing can be told: the regex always runs).

    Read off the parsed regex: a run of literal characters outside any optional part is
    required; an alternation requires one of its branches' strings; a group or a repeat of
    at least one requires what its body requires. A case-insensitive regex gets its
    literals lowercased (the check's text is lowercase).
    """
    from re import _constants as c  # type: ignore[attr-defined]

    try:
        parsed = _parsed(pattern)
    except (re.error, OverflowError, RecursionError):
        return ()  # a regex-library-only syntax: no shortcut, the regex always runs
    repeats = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}

    def best(needs: list[frozenset[str]]) -> frozenset[str] | None:
        """The requirement that rules a text out most often: its shortest string longest."""
        return max(needs, key=lambda s: (min(map(len, s)), -len(s)), default=None)

    def of(items: Any, folded: bool) -> list[frozenset[str]]:
        needs: list[frozenset[str]] = []
        run: list[str] = []

        def close() -> None:
            if run:
                text = "".join(run)
                needs.append(frozenset({text.lower() if folded else text}))
            run.clear()

        for op, arg in items:
            if op is c.LITERAL:
                run.append(chr(arg))
                continue
            close()
            if op is c.SUBPATTERN:
                _, add_flags, del_flags, body = arg
                inner = (folded or bool(add_flags & c.SRE_FLAG_IGNORECASE)) and not (
                    del_flags & c.SRE_FLAG_IGNORECASE
                )
                needs += of(body, inner)
            elif op is c.BRANCH:
                # One branch matches: the union of each branch's best requirement, if all
                # branches have one.
                picks = [best(of(branch, folded)) for branch in arg[1]]
                if picks and all(p is not None for p in picks):
                    needs.append(frozenset().union(*(p for p in picks if p is not None)))
            elif op is c.IN:
                # A set of plain characters ([转汇], which (转|汇) compiles to): one of them.
                if arg and all(item_op is c.LITERAL for item_op, _ in arg):
                    chars = {chr(v) for _, v in arg}
                    needs.append(frozenset({x.lower() for x in chars} if folded else chars))
            elif op in repeats:
                low, _, body = arg
                if low >= 1:
                    needs += of(body, folded)
            elif op is getattr(c, "ATOMIC_GROUP", None):
                needs += of(arg, folded)
        close()
        return needs

    return tuple(dict.fromkeys(of(parsed, bool(parsed.state.flags & c.SRE_FLAG_IGNORECASE))))
