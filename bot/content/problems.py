"""A problem found in a content file, said as `file:line: message`.

Its own module so that every part of the loader (YAML, messages, rules) can report one
without importing the loader itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a content file, at a line (1-based; 0 when it has none)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"
