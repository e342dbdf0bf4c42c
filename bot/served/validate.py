"""`python -m bot validate`: every problem in the content, and every failing example.

Named files are checked on their own and against the shipped content: an id that a
shipped file already uses is reported, and a new pattern's examples are run through the
engine together with the shipped patterns, as the bot would run them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.check.engine import Checker
from bot.content.loader import (
    Loaded,
    Problem,
    assemble,
    content_files,
    cross_file_problems,
    display_path,
    next_step_problems,
    node_at,
    parse_files,
)
from bot.content.models import Blocklist, ConversationFile, FaqFile, Pattern, Quiz, SignalFile
from bot.understand.reader import Reader, Reading

#: Content kinds the bot serves exactly one file of.
SINGLE_FILE_KINDS = frozenset({"signals", "blocklist", "guidance", "conversation", "faq"})


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and the .yaml/.yml files below named folders."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
        else:
            out.append(path)
    return out


def _models(loaded: Iterable[Loaded], kind: type) -> list[tuple[Loaded, object]]:
    return [(item, item.model) for item in loaded if isinstance(item.model, kind)]


def check_examples(loaded: Sequence[Loaded], shipped: Sequence[Loaded]) -> list[Problem]:
    """Run each pattern's examples and counter-examples through the real engine.

    The patterns under test compete with the shipped ones (same id: the new file wins), so
    staff see whether a new pattern is caught as the category they meant.
    """
    tested = [(item, m) for item, m in _models(loaded, Pattern)]
    if not tested:
        return []
    ids = {m.id for _, m in tested if isinstance(m, Pattern)}
    patterns = [m for _, m in tested if isinstance(m, Pattern)]
    patterns += [
        m for _, m in _models(shipped, Pattern) if isinstance(m, Pattern) and m.id not in ids
    ]
    signals = next((m for _, m in _models([*loaded, *shipped], SignalFile)), None)
    blocklist = next((m for _, m in _models([*loaded, *shipped], Blocklist)), Blocklist())
    if not isinstance(signals, SignalFile) or not isinstance(blocklist, Blocklist):
        return [Problem("content/signals.yaml", 0, "signals 文件有错，无法运行例子")]
    checker = Checker(patterns, signals, blocklist)
    problems: list[Problem] = []
    for item, pattern in tested:
        assert isinstance(pattern, Pattern) and item.node is not None
        file = display_path(item.path)
        for i, text in enumerate(pattern.examples):
            verdict = checker.check(text)
            line = node_at(item.node, ("examples", i))
            if not verdict.flagged:
                problems.append(
                    Problem(
                        file,
                        line,
                        f"例子没被认出来（风险 {verdict.risk}，{verdict.score} 分）："
                        f"请补充能抓住它的短语。{text[:40]}",
                    )
                )
            elif verdict.category != pattern.category:
                problems.append(
                    Problem(
                        file,
                        line,
                        f"例子被认成了 {verdict.category}，不是 {pattern.category}"
                        f"（命中：{'、'.join(verdict.matched)}）：{text[:40]}",
                    )
                )
        for i, text in enumerate(pattern.counter_examples):
            verdict = checker.check(text)
            if verdict.flagged:
                problems.append(
                    Problem(
                        file,
                        node_at(item.node, ("counter_examples", i)),
                        f"反例被误报为 {verdict.risk} 风险（命中：{'、'.join(verdict.matched + verdict.reasons)}）："
                        f"{text[:40]}",
                    )
                )
    return problems


def _checker_for(loaded: Sequence[Loaded], shipped: Sequence[Loaded]) -> Checker | None:
    """The engine as the bot would build it from these files (named ones win)."""
    named = [m for _, m in _models(loaded, Pattern) if isinstance(m, Pattern)]
    ids = {m.id for m in named}
    patterns = named + [
        m for _, m in _models(shipped, Pattern) if isinstance(m, Pattern) and m.id not in ids
    ]
    signals = next((m for _, m in _models([*loaded, *shipped], SignalFile)), None)
    blocklist = next((m for _, m in _models([*loaded, *shipped], Blocklist)), Blocklist())
    if not isinstance(signals, SignalFile) or not isinstance(blocklist, Blocklist):
        return None
    return Checker(patterns, signals, blocklist)


def check_conversation(loaded: Sequence[Loaded], shipped: Sequence[Loaded]) -> list[Problem]:
    """Run every intent's examples and counter-examples, and every FAQ way of asking, through
    the real reader (with the real check deciding what carries scam evidence)."""
    tested = [
        item for item in loaded if isinstance(item.model, (ConversationFile, FaqFile)) and item.node
    ]
    if not tested:
        return []
    everything = [*loaded, *(s for s in shipped if s.kind not in {t.kind for t in tested})]
    conversation = next((m for _, m in _models(everything, ConversationFile)), None)
    faq_file = next((m for _, m in _models(everything, FaqFile)), None)
    checker = _checker_for(loaded, shipped)
    if checker is None:
        return [Problem("content/signals.yaml", 0, "signals 文件有错，无法运行例子")]
    reader = Reader(
        conversation if isinstance(conversation, ConversationFile) else None,
        faq_file.faqs if isinstance(faq_file, FaqFile) else (),
    )
    problems: list[Problem] = []
    for item in tested:
        assert item.node is not None
        file = display_path(item.path)
        if isinstance(item.model, ConversationFile):
            for i, intent in enumerate(item.model.intents):
                for j, example in enumerate(intent.examples):
                    got = reader.read(example, checker.check)
                    same = got.intent is not None and got.intent.id == intent.id
                    if got.kind != intent.kind or (intent.kind != "help" and not same):
                        problems.append(
                            Problem(
                                file,
                                node_at(item.node, ("intents", i, "examples", j)),
                                f"例句没被认成 {intent.id}（{intent.kind}），被认成了 "
                                f"{_shown_reading(got)}：请补充 phrases。{example[:40]}",
                            )
                        )
                for j, example in enumerate(intent.counter_examples):
                    got = reader.read(example, checker.check)
                    if got.intent is not None and got.intent.id == intent.id:
                        problems.append(
                            Problem(
                                file,
                                node_at(item.node, ("intents", i, "counter_examples", j)),
                                f"反例被认成了 {intent.id}：请把 phrases 写得更具体，"
                                f"或者在 unless 里排除。{example[:40]}",
                            )
                        )
        elif isinstance(item.model, FaqFile):
            quiz_ids = {m.id for _, m in _models([*loaded, *shipped], Quiz) if isinstance(m, Quiz)}
            problems += next_step_problems(item, quiz_ids)
            for i, faq in enumerate(item.model.faqs):
                for j, ask in enumerate(faq.asks):
                    got = reader.read(ask, checker.check)
                    if got.kind != "question" or faq.id not in {f.id for f in got.faqs}:
                        problems.append(
                            Problem(
                                file,
                                node_at(item.node, ("faqs", i, "asks", j)),
                                f"这个问法没找到问题 {faq.id}，被认成了 {_shown_reading(got)}："
                                f"请换个说法，或者把别的问题的问法改得不那么像。{ask[:40]}",
                            )
                        )
    return problems


def _shown_reading(reading: Reading) -> str:
    """What a text was read as, for staff: the kind, and the intent or the answers found."""
    if reading.intent is not None:
        return f"{reading.kind}（{reading.intent.id}）"
    if reading.faqs:
        return f"question（{'、'.join(f.id for f in reading.faqs)}）"
    return reading.kind


def validate(paths: Sequence[Path], root: Path, *, replaces: Sequence[Path] = ()) -> list[Problem]:
    """All problems in the named files (or, with none named, in all shipped content).

    Named files are compared with the shipped ones, except the shipped files they are, or
    that are listed in `replaces` (a file about to be overwritten by the one checked).
    """
    shipped_files = content_files(root)
    files = expand(paths) if paths else shipped_files
    loaded, problems = parse_files(files)
    if not paths:
        _, more = assemble(loaded, root)
        problems += more
        shipped = loaded
    else:
        named = {p.resolve() for p in [*files, *replaces]}
        shipped, _ = parse_files(f for f in shipped_files if f.resolve() not in named)
        # The bot serves one file of these kinds: a named one is meant to replace it.
        replaced = {item.kind for item in loaded if item.kind in SINGLE_FILE_KINDS}
        shipped = [item for item in shipped if item.kind not in replaced]
        # Shipped files first, so the named file is the one told its id is taken.
        ours = {display_path(p) for p in files}
        problems += [
            p
            for p in cross_file_problems([*shipped, *loaded])
            if p.file in ours and p not in problems
        ]
    problems += check_examples(loaded, shipped)
    problems += check_conversation(loaded, shipped)
    return sorted(set(problems))
