#!/usr/bin/env python3
"""Read the screenshot fixtures as the bot does and score the reading.

    python scripts/eval_screens.py [tests/fixtures/screens]

For each screen of `screens.yaml`: the character error rate (CER) of what was read against
the messages it shows (edit distance over the length of the truth, both without spaces and
punctuation, 繁體 compared as written), the verdict on the cleaned conversation, and whether
it agrees with the truth (a scam flagged, a harmless screen not). Then each bad picture of
`bad.yaml` and the answer it gets.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import yaml
from rapidfuzz.distance import Levenshtein

from bot.check.engine import Checker
from bot.content.loader import load_content
from bot.pictures.errors import PictureError
from bot.pictures.read import read_picture
from bot.settings import PROJECT_ROOT

_NOT_TEXT = re.compile(r"[\s\W_]+")


def cer(read: str, truth: str) -> float:
    """Character error rate: edits to turn what was read into the truth, per true character."""
    a, b = _NOT_TEXT.sub("", read), _NOT_TEXT.sub("", truth)
    return Levenshtein.distance(a, b) / max(1, len(b))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "folder", nargs="?", type=Path, default=PROJECT_ROOT / "tests/fixtures/screens"
    )
    args = parser.parse_args()
    screens = yaml.safe_load((args.folder / "screens.yaml").read_text(encoding="utf-8"))
    checker = Checker.from_content(load_content(PROJECT_ROOT))
    print(f"{'screen':<28} {'size':>9} {'noise':<16} {'CER':>6} {'s':>5}  verdict (truth)")
    errors, right = [], 0
    for screen in screens:
        data = (args.folder / f"{screen['id']}.png").read_bytes()
        truth = "".join(
            m["text"].replace("[转账]", "转账").replace("[轉帳]", "轉帳")
            for m in screen["messages"]
            if m["who"] != "system" or m["text"].startswith(("[转账]", "[轉帳]"))
        )
        t0 = time.perf_counter()
        try:
            found = read_picture(data)
        except PictureError as error:
            print(f"{screen['id']:<28} not read: {error.problem}")
            continue
        seconds = time.perf_counter() - t0
        said = "".join(t.text for t in found.screen.turns)
        rate = cer(said, truth)
        errors.append(rate)
        verdict = checker.check(found.text)
        ok = verdict.flagged == (screen["kind"] == "scam")
        right += ok
        size = "x".join(map(str, screen["size"]))
        noise = ",".join(screen.get("noise") or ["clean"])
        named = verdict.category or "-"
        expected = screen.get("category", "harmless")
        print(
            f"{screen['id']:<28} {size:>9} {noise:<16} {rate:>6.1%} {seconds:>5.2f}  "
            f"{verdict.risk} {named} ({expected}){'' if ok else '  ✗'}"
        )
    if errors:
        print(
            f"\nmean CER {sum(errors) / len(errors):.1%}, worst {max(errors):.1%}; "
            f"verdict agrees on {right} of {len(errors)}"
        )
    bad = yaml.safe_load((args.folder / "bad.yaml").read_text(encoding="utf-8")) or []
    for entry in bad:
        data = (args.folder / entry["file"]).read_bytes()
        try:
            read_picture(data)
            outcome = "read (!)"
        except PictureError as error:
            outcome = error.problem
        print(f"{entry['file']:<28} {outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
