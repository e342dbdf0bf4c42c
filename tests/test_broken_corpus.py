"""The broken-file corpus: each file has one mistake and must get the message it names.

Every file in tests/fixtures/broken/ starts with `# expect: LINE: WORDS`: validating it must
fail with a problem at that line whose message contains WORDS, and report nothing else (so a
mistake gets one clear message, not a pile of echoes).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.content.loader import Problem, display_path
from bot.served.validate import validate
from bot.settings import PROJECT_ROOT

BROKEN = Path(__file__).parent / "fixtures" / "broken"
EXPECT = re.compile(r"^# expect: (\d+): (.+)$")
FILES = sorted(BROKEN.glob("*.yaml"))
#: The kinds of content the corpus must cover, by file-name prefix.
KINDS = ("quiz", "pattern", "alerts", "guidance", "blocklist", "signals", "conversation", "faq")


def expectations(path: Path) -> list[tuple[int, str]]:
    """The (line, words) pairs a corpus file declares."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    found = [EXPECT.match(line) for line in text.splitlines()]
    return [(int(m.group(1)), m.group(2).strip()) for m in found if m]


def _ids(path: Path) -> str:
    return path.stem


def test_corpus_is_big_and_covers_every_kind() -> None:
    """At least 30 broken files, each declaring its message, spread over every content type."""
    assert len(FILES) >= 30
    assert all(expectations(f) for f in FILES), [f.name for f in FILES if not expectations(f)]
    for kind in KINDS:
        assert any(f.name.startswith(kind) for f in FILES), kind


@pytest.mark.parametrize("path", FILES, ids=_ids)
def test_broken_file_gets_its_message(path: Path) -> None:
    """Validating the file fails with the declared `file:line: message`, and nothing else."""
    problems = validate([path], PROJECT_ROOT)
    shown = "\n".join(str(p) for p in problems)
    file = display_path(path)
    for line, words in expectations(path):
        assert any(
            isinstance(p, Problem) and p.file == file and p.line == line and words in p.message
            for p in problems
        ), f"expected {file}:{line}: …{words}…, got:\n{shown}"
    lines = {line for line, _ in expectations(path)}
    assert {p.line for p in problems} <= lines, f"unexpected problems:\n{shown}"


#: A sample run through the real command line, one per content type.
THROUGH_CLI = [
    "quiz_unknown_key",
    "quiz_duplicate_shipped_id",
    "pattern_example_not_caught",
    "alerts_bad_cron",
    "guidance_card_too_long",
    "blocklist_bad_phone",
]


@pytest.mark.parametrize("name", THROUGH_CLI)
def test_cli_exits_1_and_prints_file_line_message(name: str) -> None:
    """`python -m bot validate FILE` prints the expected line and exits 1."""
    path = BROKEN / f"{name}.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    file = display_path(path)
    for line, words in expectations(path):
        assert any(
            out.startswith(f"{file}:{line}: ") and words in out for out in proc.stdout.splitlines()
        ), proc.stdout
