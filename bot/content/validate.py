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
    node_at,
    parse_files,
)
from bot.content.models import Blocklist, Pattern, SignalFile


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
        # Shipped files first, so the named file is the one told its id is taken.
        ours = {display_path(p) for p in files}
        problems += [
            p
            for p in cross_file_problems([*shipped, *loaded])
            if p.file in ours and p not in problems
        ]
    problems += check_examples(loaded, shipped)
    return sorted(set(problems))
