#!/usr/bin/env python3
"""Fit the reader's kind model: what a text is (check, help, question, small talk,
confusion, wish, menu) from its characters, as a small logistic regression.

    .venv/bin/python scripts/fit_reader.py [--hold-out FILE ...] [--no-cv]

Trains on texts the project owns and labelled for this: the dialog sets in `eval/` (all but
those held out: by default rounds 8 to 11), `train/dialog_kinds.jsonl`
(written to fit this model), the examples of `content/conversation.yaml`, the ways of asking in
`content/faq.yaml`, and messages to check from `train/` and `eval/` (never
`../shared/datasets`). Prints leave-one-set-out accuracy per kind, then writes the weights
to `bot/understand/kind_weights.json`, which `bot.understand.kinds` reads with no library.
numpy is needed here only.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_content  # noqa: E402
from bot.understand.kinds import CLASSES, WEIGHTS, features  # noqa: E402

#: Messages to check taken from each `train/` and check-only `eval/` file (they are many and
#: long; more would drown the short kinds).
CHECK_SAMPLE = 250
#: Dialog sets kept out of the fit, to judge it on texts it never saw.
HOLD_OUT = tuple(ROOT / "eval" / f"dialog_round{n}.jsonl" for n in (8, 9, 10, 11))
#: Lines of the check's training sets that are not messages to check as a senior sends them:
#: a victim's question is a cry for help or a question, a chat line may be small talk.
NOT_CHECK_SOURCES = frozenset({"train/benign/victim_question", "train/benign/chat"})
#: L2 strength, iterations and step of the fit; weights smaller than PRUNE are dropped.
L2, STEPS, RATE, PRUNE = 1e-4, 400, 0.5, 0.01


def dialog_rows(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row["kind"] in CLASSES:
                rows.append((row["text"], row["kind"]))
    return rows


def check_rows(path: Path, rng: random.Random) -> list[tuple[str, str]]:
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]
    texts = [x["text"] for x in lines if x.get("source") not in NOT_CHECK_SOURCES]
    rng.shuffle(texts)
    return [(t, "check") for t in texts[:CHECK_SAMPLE]]


def content_rows() -> list[tuple[str, str]]:
    content = load_content(ROOT)
    rows: list[tuple[str, str]] = []
    if content.conversation is not None:
        for intent in content.conversation.intents:
            if intent.kind in CLASSES:
                rows += [(e, intent.kind) for e in intent.examples]
    for faq in content.faqs:
        rows += [(ask, "question") for ask in faq.asks]
    return rows


def fit(rows: list[tuple[str, str]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    counts: Counter[str] = Counter()
    feats = [features(text) for text, _ in rows]
    for fs in feats:
        counts.update(set(fs))
    vocab = sorted(f for f, n in counts.items() if n >= 2)
    index = {f: i for i, f in enumerate(vocab)}
    # The matrix is sparse (a text has a few hundred of tens of thousands of features) and
    # every value is 1: kept as (row, column) pairs, sorted by row.
    pairs = [(r, index[f]) for r, fs in enumerate(feats) for f in fs if f in index]
    rows_of = np.array([r for r, _ in pairs])
    cols = np.array([c for _, c in pairs])
    starts = np.searchsorted(rows_of, np.arange(len(rows)))
    y = np.array([CLASSES.index(kind) for _, kind in rows])
    onehot = np.eye(len(CLASSES), dtype=np.float32)[y]
    # Each kind weighs the same in the loss, however many examples it has.
    per_class = np.bincount(y, minlength=len(CLASSES)).astype(np.float32)
    sample_w = (len(rows) / (len(CLASSES) * np.maximum(per_class, 1)))[y][:, None]
    w = np.zeros((len(vocab), len(CLASSES)), dtype=np.float32)
    b = np.zeros(len(CLASSES), dtype=np.float32)
    m_w, v_w, m_b, v_b = (np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b))
    for step in range(1, STEPS + 1):  # Adam on the weighted cross-entropy
        logits = np.add.reduceat(w[cols], starts, axis=0) + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) * sample_w / len(rows)
        spread = g[rows_of]
        g_w = (
            np.stack(
                [
                    np.bincount(cols, weights=spread[:, k], minlength=len(vocab))
                    for k in range(len(CLASSES))
                ],
                axis=1,
            ).astype(np.float32)
            + L2 * w
        )
        g_b = g.sum(axis=0)
        for param, grad, m, v in ((w, g_w, m_w, v_w), (b, g_b, m_b, v_b)):
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad * grad
            param -= (RATE / 10) * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return vocab, w, b


def predict(vocab: list[str], w: np.ndarray, b: np.ndarray, text: str) -> str:
    index = {f: i for i, f in enumerate(vocab)}
    scores = b.copy()
    for f, v in features(text).items():
        if f in index:
            scores += v * w[index[f]]
    return CLASSES[int(scores.argmax())]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hold-out", nargs="*", type=Path, default=list(HOLD_OUT))
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    args = parser.parse_args()
    rng = random.Random(7)
    held = {p.resolve() for p in args.hold_out}
    sets = {
        p.name: dialog_rows(p)
        for p in sorted((ROOT / "eval").glob("dialog_*.jsonl"))
        if p.resolve() not in held
    }
    fixed = content_rows()
    for path in [*sorted((ROOT / "train").glob("*.jsonl")), ROOT / "eval" / "final.jsonl"]:
        if path.name.startswith("dialog_"):  # labelled by kind, written to fit this model
            fixed += dialog_rows(path)
        elif path.exists():
            fixed += check_rows(path, rng)
    if not args.no_cv:
        right: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for name, rows in sets.items():
            # The conversation examples quote some dialog-set texts: left out with their set.
            held_texts = {text for text, _ in rows}
            train = [r for r in fixed if r[0] not in held_texts] + [
                r for other, rs in sets.items() if other != name for r in rs
            ]
            vocab, w, b = fit(train)
            for text, kind in rows:
                total[kind] += 1
                right[kind] += predict(vocab, w, b, text) == kind
            print(
                f"  held out {name}: {sum(predict(vocab, w, b, t) == k for t, k in rows)}/{len(rows)}"
            )
        print("leave-one-set-out accuracy of the model alone, per kind:")
        for kind in CLASSES:
            print(
                f"  {kind:<10} {right[kind]:>4}/{total[kind]:<4} {100 * right[kind] / max(1, total[kind]):5.1f}%"
            )
        print(f"  all        {sum(right.values())}/{sum(total.values())}")
    rows = fixed + [r for rs in sets.values() for r in rs]
    vocab, w, b = fit(rows)
    weights: dict[str, list[float]] = defaultdict(list)
    for f, row in zip(vocab, w, strict=True):
        if np.abs(row).max() >= PRUNE:
            weights[f] = [round(float(v), 3) for v in row]
    model = {
        "about": "Fitted by scripts/fit_reader.py; do not edit by hand.",
        "classes": list(CLASSES),
        "bias": [round(float(v), 3) for v in b],
        "weights": weights,
        "trained_on": len(rows),
    }
    WEIGHTS.write_text(
        json.dumps(model, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    print(f"wrote {WEIGHTS.relative_to(ROOT)}: {len(weights)} features, {len(rows)} texts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
