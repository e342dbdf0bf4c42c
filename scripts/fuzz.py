#!/usr/bin/env python3
"""A long fuzz run: the check, the reader, the batch contract and the content loader on
hostile input, with figures (the suite's tests/test_fuzz.py runs the same ideas briefly).

    .venv/bin/python scripts/fuzz.py [--checks 20000] [--lines 5000] [--files 1000] [--seed 1]

Prints, per target: inputs tried, crashes (exceptions; the first few are shown), the
slowest input and its family; then how the time of one check grows with length for the
adversarial inputs (scripts/bench_adversarial.py's families). Exit 1 if anything crashed
or a batch line came out as invalid JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.cli import _jsonl  # noqa: E402
from bot.content.loader import load_content, parse_file  # noqa: E402
from bot.served.live import Served  # noqa: E402

NEAR_SCAM = [
    *"转账验证码安全账户公安局您好了吗钱万元怎么办被骗密码链接下载是真的吗",
    "\u33c2",
    "1",
    " ",
    ".",
    "\n",
    "www.",
    "http://",
    "：",
    "？",
]
PIECES = [
    "您好，",
    "我是公安局的",
    "请转账到安全账户",
    "是真的吗？",
    "B",
    "钱被转走了怎么办",
    "对方：",
    "我：",
]
ADVERSARIAL = ["\u33c2", "1", " ", ".", "a.", "www.a", "转账", "钱了", "您好", "[", "\u200b"]


def any_text(rng: random.Random, n: int) -> str:
    """Any code points: surrogates, controls, private use, astral."""
    return "".join(chr(rng.randrange(0x110000)) for _ in range(n))


def texts(rng: random.Random) -> tuple[str, str]:
    """(family, text)."""
    family = rng.choice(["any", "near_scam", "pieces", "adversarial", "mixed"])
    n = rng.choice([0, 1, 2, 5, 20, 80, 300, 1000, 4000])
    if family == "any":
        return family, any_text(rng, n)
    if family == "near_scam":
        return family, "".join(rng.choice(NEAR_SCAM) for _ in range(n))
    if family == "pieces":
        return family, "".join(rng.choice(PIECES) for _ in range(max(1, n // 10)))
    if family == "adversarial":
        unit = rng.choice(ADVERSARIAL)
        return family, unit * max(1, n // len(unit))
    return family, "".join(
        rng.choice([any_text(rng, 3), rng.choice(NEAR_SCAM), rng.choice(PIECES)])
        for _ in range(max(1, n // 5))
    )


def batch_line(rng: random.Random) -> bytes:
    kind = rng.randrange(7)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(200))).replace(b"\n", b" ")
    if kind == 1:
        return b"[" * rng.choice([10, 1000, 100_000])
    if kind == 2:
        return rng.choice([b'{"id": NaN, "text": "x"}', b'{"id": Infinity}', b"-Infinity"])
    if kind == 3:
        return b'{"id": ' + b"9" * rng.choice([19, 400, 5000]) + b', "text": "x"}'
    if kind == 4:
        text = texts(rng)[1]
        line = json.dumps({"id": rng.random(), "text": text}, ensure_ascii=False)
        return line.encode("utf-8", "surrogatepass")
    if kind == 5:
        return texts(rng)[1].encode("gbk", "replace").replace(b"\n", b" ")
    item = {
        "id": rng.choice([None, True, [], {}, "x" * 3, -1]),
        "text": rng.choice([None, 5, [], "ok"]),
    }
    return json.dumps(item).encode()


def damaged(rng: random.Random, shipped: list[Path]) -> str:
    lines = rng.choice(shipped).read_text(encoding="utf-8").splitlines()
    for _ in range(rng.randint(1, 5)):
        if not lines:
            break
        at = rng.randrange(len(lines))
        action = rng.choice(["delete", "repeat", "cut", "insert", "indent", "alias"])
        if action == "delete":
            del lines[at]
        elif action == "repeat":
            lines.insert(at, lines[at])
        elif action == "cut":
            lines[at] = lines[at][: rng.randrange(len(lines[at]) + 1)]
        elif action == "insert":
            lines.insert(
                at, "".join(rng.choice(":-[]{}&*!|>'\"# \t%@`\x00\x1b二") for _ in range(12))
            )
        elif action == "indent":
            lines[at] = "  " + lines[at]
        else:
            lines.insert(at, "x: &a [*a, *a, *a]")
    return "\n".join(lines)


class Tally:
    def __init__(self, name: str) -> None:
        self.name = name
        self.tried = 0
        self.crashes: list[str] = []
        self.slowest = (0.0, "", 0)

    def run(self, family: str, size: int, action: Callable[[], object]) -> object:
        self.tried += 1
        start = time.perf_counter()
        try:
            return action()
        except Exception:
            self.crashes.append(f"{family} (length {size}): {traceback.format_exc(limit=3)}")
            return None
        finally:
            took = time.perf_counter() - start
            if took > self.slowest[0]:
                self.slowest = (took, family, size)

    def report(self) -> None:
        took, family, size = self.slowest
        print(
            f"{self.name:<10} tried {self.tried:>7,}   crashes {len(self.crashes):>3}   "
            f"slowest {took * 1000:8.2f} ms ({family}, length {size:,})"
        )
        for crash in self.crashes[:3]:
            print("   ", crash.replace("\n", "\n    "))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checks", type=int, default=20_000)
    parser.add_argument("--lines", type=int, default=5_000)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    served = Served.of(load_content(ROOT))
    check, read = served.checker.check, served.reader.read
    options = ("不理他", "马上转账", "告诉验证码", "点链接")
    started = time.perf_counter()

    checks, reads = Tally("check"), Tally("read")
    for _ in range(args.checks):
        family, text = texts(rng)
        checks.run(family, len(text), lambda t=text: check(t).to_dict())
        reads.run(family, len(text), lambda t=text: read(t, check, options=options))

    batch = Tally("batch")
    invalid = 0
    for _ in range(max(1, args.lines // 50)):
        lines = [batch_line(rng) for _ in range(50)]
        out = io.StringIO()
        batch.run(
            "50 lines",
            sum(map(len, lines)),
            lambda ls=lines, o=out: _jsonl(  # type: ignore[misc]
                served.checker, io.BytesIO(b"\n".join(ls) + b"\n"), o
            ),
        )
        # Only \n ends a JSON line (U+2028 inside a string is valid JSON, not a line break).
        shown = out.getvalue().split("\n")[:-1]
        if len(shown) != len(lines):
            invalid += 1
        for line in shown:
            try:
                json.loads(
                    line, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name))
                )
            except ValueError:
                invalid += 1
    batch.tried = (args.lines // 50) * 50

    files = Tally("content")
    shipped = sorted((ROOT / "content").glob("*.yaml")) + sorted((ROOT / "quizzes").glob("*.yaml"))
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "damaged.yaml"
        for _ in range(args.files):
            text = damaged(rng, shipped)
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
            files.run("damaged file", len(text), lambda: parse_file(path))

    for tally in (checks, reads, batch, files):
        tally.report()
    print(f"batch lines that were not one valid JSON line each: {invalid}")
    print(f"total time {time.perf_counter() - started:.0f} s (seed {args.seed})\n")

    print("time of one check by length (best of 3), adversarial families:")
    lengths = (500, 1000, 2000, 4000)
    print(f"{'input':<10}" + "".join(f"{n:>10}" for n in lengths) + "   4000/1000")
    for unit in ADVERSARIAL:
        row = []
        for n in lengths:
            text = unit * (n // len(unit))
            best = min(_timed(check, text) for _ in range(3))
            row.append(best)
        shown = ascii(unit) if unit.isspace() or not unit.isprintable() else unit
        print(
            f"{shown:<10}"
            + "".join(f"{t * 1000:8.2f}ms" for t in row)
            + f"   {row[3] / row[1]:9.1f}"
        )
    crashed = any(t.crashes for t in (checks, reads, batch, files))
    return 1 if crashed or invalid else 0


def _timed(check: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    check(text)
    return time.perf_counter() - start


if __name__ == "__main__":
    raise SystemExit(main())
