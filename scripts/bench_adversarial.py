#!/usr/bin/env python3
"""Benchmark: how the time of one check grows with the length of hostile inputs.

    taskset -c 0 .venv/bin/python scripts/bench_adversarial.py [--rounds 5]

For each family of input that once made a regex backtrack (㏂, which NFKC turns into
"a.m."; long runs of digits, spaces, dots; a label chain without a top-level domain;
repeated words the patterns contain), the best of `--rounds` timings at 500, 1,000, 2,000
and 4,000 characters, and the ratio of the 4,000 time to the 1,000 one (4 is linear, 16 is
quadratic). The whole check is timed, through the checker the bot serves.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_content  # noqa: E402
from bot.served.live import Served  # noqa: E402

FAMILIES = {
    "㏂ (a.m.)": "\u33c2",
    "digits": "1",
    "spaces": " ",
    "dots": ".",
    "a.": "a.",
    "www.a": "www.a",
    "转账": "转账",
    "钱了": "钱了",
    "您好": "您好",
}
LENGTHS = (500, 1000, 2000, 4000)


def best(check: object, text: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        check(text)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    served = Served.of(load_content(ROOT))
    check = served.checker.check
    read = served.reader.read
    print(f"{'input':<12}" + "".join(f"{n:>10}" for n in LENGTHS) + "   4000/1000")
    slowest = 0.0
    for name, unit in FAMILIES.items():
        row = []
        for n in LENGTHS:
            text = (unit * (n // len(unit) + 1))[:n]
            seconds = best(lambda t: read(t, check), text, args.rounds)
            row.append(seconds)
            slowest = max(slowest, seconds)
        ratio = row[-1] / row[1] if row[1] else float("nan")
        print(f"{name:<12}" + "".join(f"{s * 1000:>8.2f}ms" for s in row) + f"   {ratio:8.1f}")
    print(f"slowest read + check at 4,000 characters: {slowest * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
