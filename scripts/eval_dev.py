#!/usr/bin/env python3
"""Measure the check on a labeled JSONL corpus through the real batch command.

    python scripts/eval_dev.py [../shared/datasets/dev.jsonl]

Runs `python -m bot check --jsonl` as a subprocess (the same contract users get) and prints
recall (scam flagged high or medium), false-positive rate (benign flagged high or medium) and
type accuracy (flagged scams whose category is one of the labeled ones), overall and per
source. The corpus is only read, never copied.

    python scripts/eval_dev.py --exclude golfxiao/虚假购物诈骗

leaves a source out. That one is labelled shopping, but its texts are investment, romance
and gambling stories: 10 of its 200 texts use any shopping word (商品, 下单, 发货, 卖家,
淘宝 …), 169 use investment words (投资, 收益, 充值, 提现, 平台 …). Its type is counted right
for investment and romance too (`ALSO_ACCEPTED`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "datasets" / "dev.jsonl"
FLAGGED = {"high", "medium"}
#: Sources whose label misnames their texts: the categories their texts are also counted
#: right for (issue 11: golfxiao/虚假购物诈骗 holds investment and romance stories).
ALSO_ACCEPTED = {"golfxiao/虚假购物诈骗": ("investment", "romance")}


def run_batch(rows: list[dict]) -> list[dict]:
    """Send the rows through `python -m bot check --jsonl` and read its answers."""
    payload = "".join(
        json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n" for r in rows
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "check", "--jsonl"],
        input=payload,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    if len(out) != len(rows) or any(o.get("id") != r["id"] for o, r in zip(out, rows, strict=True)):
        raise SystemExit("batch output does not line up with the input")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--misses", type=int, default=0, help="print N misses per source")
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="SOURCE",
        help="leave out a source (e.g. one whose labels do not fit its texts); repeatable",
    )
    args = parser.parse_args()
    rows = [
        json.loads(line)
        for line in args.corpus.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rows = [r for r in rows if r["source"] not in args.exclude]
    for r in rows:
        extra = ALSO_ACCEPTED.get(r["source"], ())
        r["categories"] = [
            *r.get("categories", []),
            *(c for c in extra if c not in r.get("categories", [])),
        ]
    answers = run_batch(rows)

    stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses: dict[str, list[str]] = defaultdict(list)
    for row, ans in zip(rows, answers, strict=True):
        for key in (row["source"], "ALL " + row["label"]):
            s = stats[key]
            s["n"] += 1
            flagged = ans["risk"] in FLAGGED
            s["flagged"] += flagged
            if row["label"] == "scam" and flagged and row["categories"]:
                s["typed"] += 1
                s["type_ok"] += ans["category"] in row["categories"]
        wrong = (row["label"] == "scam") != (ans["risk"] in FLAGGED)
        if wrong or (
            row["label"] == "scam"
            and row["categories"]
            and ans["risk"] in FLAGGED
            and ans["category"] not in row["categories"]
        ):
            misses[row["source"]].append(
                f"{ans['risk']}/{ans['category']} {ans['score']} {row['text'][:120]!r}"
            )

    print(f"{'source':<34} {'n':>5} {'flagged':>8} {'type acc':>9}")
    for key in sorted(stats, key=lambda k: (not k.startswith("ALL"), k)):
        s = stats[key]
        rate = s["flagged"] / s["n"]
        typ = f"{s['type_ok'] / s['typed']:.1%}" if s["typed"] else "-"
        print(f"{key:<34} {s['n']:>5} {rate:>8.1%} {typ:>9}")
    scam, benign = stats["ALL scam"], stats["ALL benign"]
    print()
    # a set may hold only scams or only benign messages
    if scam["n"]:
        print(f"recall              {scam['flagged'] / scam['n']:.1%}  (target >= 92%)")
    if benign["n"]:
        print(f"false-positive rate {benign['flagged'] / benign['n']:.1%}  (target <= 4%)")
    if scam["typed"]:
        print(f"type accuracy       {scam['type_ok'] / scam['typed']:.1%}  (target >= 85%)")
    if args.misses:
        for source, lines in sorted(misses.items()):
            print(f"\n== {source}")
            for line in lines[: args.misses]:
                print("  ", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
