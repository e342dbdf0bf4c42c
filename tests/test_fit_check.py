"""Refitting the check's score from the committed training messages gives the committed
weights (within `scripts/fit_check.py`'s TOLERANCE of 1e-3 per weight, and the very same
risk thresholds): the weights are what the script makes of the data, not edited by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.check.fitted import WEIGHTS
from bot.settings import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "fit_check.py"


def _verify(weights: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--verify", "--weights", str(weights)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
    )


def test_refitting_reproduces_the_committed_weights() -> None:
    done = _verify(WEIGHTS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_weight_edited_by_hand_is_caught(tmp_path: Path) -> None:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    name = next(iter(data["weights"]))
    data["weights"][name] += 0.01
    edited = tmp_path / "check_weights.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    done = _verify(edited)
    assert done.returncode == 1, done.stdout
