"""The check's fitted score: a logistic regression over the engine's own evidence.

The engine finds the evidence (pattern phrases by strength, danger signals, safe markers,
the blocklist, how the message speaks: `bot.check.speech`) and names the scam; this model
turns that evidence into the probability that the message is a scam. Its weights are a
committed data file, `check_weights.json`, written by `scripts/fit_check.py` from messages
the project owns; the risk levels are thresholds on the probability, chosen by that script
from its precision / recall table. Reading it needs nothing but the standard library.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

Risk = Literal["high", "medium", "low", "none"]

WEIGHTS = Path(__file__).with_name("check_weights.json")
#: A message whose only evidence is a topic word or two (奖品, 养生, 客服: no strong phrase,
#: not several of a scam's phrases, no request to pay, give a code, install or keep quiet)
#: is never a warning, however the weights add up: its probability is held below this. The
#: same holds for the bot's own advice pasted back. Both are rules, not fitted: the training
#: messages hold too few of either to teach them. A link or number on the police blocklist
#: is always at least a medium risk, for the same reason.
WEAK_ONLY_CAP = 0.25


@dataclass(frozen=True)
class FittedScore:
    """Weights per feature, a bias, and the probability thresholds of the risk levels."""

    weights: dict[str, float]
    bias: float
    high: float
    medium: float
    low: float

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FittedScore:
        """The model as `scripts/fit_check.py` writes it."""
        t = data["thresholds"]
        return cls(
            {k: float(v) for k, v in data["weights"].items()},
            float(data["bias"]),
            float(t["high"]),
            float(t["medium"]),
            float(t["low"]),
        )

    def probability(self, features: dict[str, float]) -> float:
        """The probability that a message with these features is a scam (0–1). Features
        the model has no weight for (a signal staff added since the last fit) add nothing."""
        weights = self.weights
        z = self.bias + sum(weights.get(name, 0.0) * value for name, value in features.items())
        p = 0.0 if z < -30 else 1.0 / (1.0 + math.exp(-z))
        if features.get("weak_only") or features.get("safe:own_text"):
            p = min(p, WEAK_ONLY_CAP)  # a topic word, or the bot's own advice pasted back
        if features.get("blocked"):
            p = max(p, self.medium)  # a link or number on the police list: always a warning
        return p

    def risk(self, probability: float) -> Risk:
        """The risk level of a probability."""
        if probability >= self.high:
            return "high"
        if probability >= self.medium:
            return "medium"
        if probability >= self.low:
            return "low"
        return "none"


@lru_cache(maxsize=1)
def shipped_score() -> FittedScore:
    """The committed model (read once per process)."""
    return FittedScore.from_json(json.loads(WEIGHTS.read_text(encoding="utf-8")))
