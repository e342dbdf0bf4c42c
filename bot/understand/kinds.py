"""A fitted model of what kind a text is, from its characters: the reader's second opinion.

The phrase lists decide first; they are exact about what they know and blind to what they
do not. This model was fitted (`scripts/fit_reader.py`) on a few thousand labelled texts
the project owns, so it has seen wording no phrase list names. The reader asks it where
its own rules are unsure (see `Reader.read`). It is a logistic regression over character
1–3-grams of the cleaned text (Simplified, punctuation kept) and a length bucket: reading
it is a dictionary lookup per n-gram, no library needed.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from bot.check.normalize import clean

#: The kinds the model tells apart (typed quiz answers are read by `quiz_answer` alone).
CLASSES: tuple[str, ...] = ("check", "help", "question", "smalltalk", "confusion", "wish", "menu")
#: The fitted weights, a committed data file.
WEIGHTS = Path(__file__).with_name("kind_weights.json")
#: Only the start of a long text is read: its kind shows early, and the cost stays flat.
HEAD_CHARS = 200


def features(text: str, *, cleaned: str | None = None) -> dict[str, float]:
    """The model's features of `text`: character 1–3-grams (with ^ and $ at the ends) and
    a length bucket, each 1.0. `cleaned`: `clean(text)`, when the caller has it already."""
    cleaned = (clean(text) if cleaned is None else cleaned).strip()
    body = "^" + cleaned[:HEAD_CHARS] + ("$" if len(cleaned) <= HEAD_CHARS else "")
    found = {f"L{min(len(cleaned).bit_length(), 9)}": 1.0}
    for n in (1, 2, 3):
        for i in range(len(body) - n + 1):
            found[body[i : i + n]] = 1.0
    return found


class KindModel:
    """The fitted weights; `probabilities` reads a text."""

    def __init__(self, classes: list[str], bias: list[float], weights: dict[str, list[float]]):
        self.classes = tuple(classes)
        self.bias = bias
        self.weights = weights

    @classmethod
    def from_file(cls, path: Path = WEIGHTS) -> KindModel | None:
        """The model in `path`, or None when it is missing or unreadable (the reader then
        goes by its rules alone)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(list(data["classes"]), list(data["bias"]), dict(data["weights"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def probabilities(self, text: str, *, cleaned: str | None = None) -> dict[str, float]:
        """P(kind | text) for every kind in `CLASSES` (`cleaned` as for `features`)."""
        scores = list(self.bias)
        for feature, value in features(text, cleaned=cleaned).items():
            row = self.weights.get(feature)
            if row is not None:
                for k, w in enumerate(row):
                    scores[k] += value * w
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {kind: e / total for kind, e in zip(self.classes, exps, strict=True)}


@lru_cache(maxsize=1)
def shipped_model() -> KindModel | None:
    """The model shipped with the bot, loaded once."""
    return KindModel.from_file()
