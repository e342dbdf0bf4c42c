#!/usr/bin/env python3
"""Measure how the bot understands what it is told, through the real dialog core.

    python scripts/eval_dialog.py eval/dialog_tuning.jsonl [more.jsonl ...] [--misses N]

Each line is `{"id", "text", "kind", "in_quiz", "script"}`, `kind` one of check, help,
question, smalltalk, confusion, wish, menu, quiz_answer. Every line is sent by a new user to
the same `Dialog` the bot runs (on a temporary SQLite database); a line with `in_quiz` is
sent while a quiz question is on screen. Prints the accuracy per kind and the confusion, and
counts every cry for help answered with a verdict of no or low risk (which must never
happen).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_content  # noqa: E402
from bot.dialog.router import Dialog  # noqa: E402
from bot.storage import open_storage  # noqa: E402
from bot.understand.reader import KINDS  # noqa: E402

#: What a line of a verdict of no or low risk opens with (it may follow "您问是不是真的…").
CALM_VERDICT = ("🟢", "🟡")
#: The quiz a line with `in_quiz` is answered in.
QUIZ = "sanbu_basics"


def read(paths: list[Path]) -> list[dict]:
    rows = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                row = json.loads(line)
                row["where"] = f"{path.name}:{number}"
                rows.append(row)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--misses", type=int, default=0, help="print N misses per kind")
    args = parser.parse_args()
    rows = read(args.sets)
    content = load_content(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        storage = open_storage(f"sqlite:///{tmp}/eval.db")
        dialog = Dialog(content, storage)
        got: list[tuple[dict, str, str]] = []
        for user, row in enumerate(rows, start=1):
            if row.get("in_quiz"):
                dialog.press(user, f"1:qs:{QUIZ}")
            said = row["text"].strip()
            if said.startswith("/") and len(said) > 1:
                # A /command never reaches the reader: the bot and the terminal chat send it
                # to its command, as the buttons do (a menu word).
                name, _, rest = said[1:].partition(" ")
                response = dialog.command(user, name, args=rest.strip())
                understood = "menu"
            else:
                response = dialog.text(user, row["text"])
                understood = response.understood or "?"
            first = response.replies[0].text if response.replies else ""
            got.append((row, understood, first))
        storage.close()
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for row, kind, _ in got:
        per_kind[row["kind"]][kind] += 1
    print(f"{'kind':<12} {'right':>11}  read instead as")
    worst = 100.0
    for kind in KINDS:
        seen = per_kind.get(kind)
        if not seen:
            continue
        total = sum(seen.values())
        right = seen[kind]
        worst = min(worst, 100 * right / total)
        wrong = ", ".join(f"{k} {n}" for k, n in seen.most_common() if k != kind)
        print(f"{kind:<12} {right:>4}/{total:<4} {100 * right / total:5.1f}%  {wrong}")
    total = len(got)
    right = sum(1 for row, kind, _ in got if kind == row["kind"])
    print(
        f"{'all':<12} {right:>4}/{total:<4} {100 * right / total:5.1f}%  (lowest kind {worst:.1f}%)"
    )
    calm = [
        (row, first)
        for row, _, first in got
        if row["kind"] == "help" and any(x.startswith(CALM_VERDICT) for x in first.split("\n"))
    ]
    print(f"cries for help answered with a verdict of no or low risk: {len(calm)}")
    if args.misses:
        shown: Counter[str] = Counter()
        for row, kind, _first in got:
            if kind != row["kind"] and shown[row["kind"]] < args.misses:
                shown[row["kind"]] += 1
                print(f"  {row['where']} [{row['kind']} → {kind}] {row['text'][:70]!r}")
    return 1 if calm else 0


if __name__ == "__main__":
    raise SystemExit(main())
