"""The content the bot serves right now, swapped whole on reload.

A reload parses and checks every file first; only a complete, valid set replaces what is
served, so a broken edit never takes the bot down: it keeps its last good content and
says why.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.check.engine import Checker
from bot.content.loader import Content, ContentError, Problem, content_files, load_content
from bot.understand.reader import Reader


@dataclass(frozen=True)
class Served:
    """Content, and the checker and reader built from it: replaced together, never half."""

    content: Content
    checker: Checker
    reader: Reader

    @classmethod
    def of(cls, content: Content) -> Served:
        """The checker and the reader for `content`."""
        return cls(
            content, Checker.from_content(content), Reader(content.conversation, content.faqs)
        )


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did: whether new content is served, and the problems if not."""

    changed: bool
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the files were valid (whether or not anything changed)."""
        return not self.problems


def fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the content files: cheap change detection."""
    out = []
    for path in content_files(root):
        try:
            stat = path.stat()
        except OSError:
            continue
        out.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


class Serving:
    """The served pair (`served`) and its two halves for convenience: what both content
    sources offer, and what a dialog turn reads."""

    served: Served

    @property
    def content(self) -> Content:
        """The content served now."""
        return self.served.content

    @property
    def checker(self) -> Checker:
        """The checker for the content served now."""
        return self.served.checker


class FixedContent(Serving):
    """Content that never changes (tests, benchmarks): the same interface, no reload."""

    def __init__(self, content: Content) -> None:
        self.served = Served.of(content)


class LiveContent(Serving):
    """Holds the served content; `reload` swaps it only for a valid new set.

    `served` is replaced whole (one attribute write), so a reply that reads it once sees
    the old pair or the new one, never half of each.
    """

    def __init__(self, root: Path, content: Content | None = None) -> None:
        self.root = root
        first = content if content is not None else load_content(root)
        self.served = Served.of(first)
        self._stamp = fingerprint(root)
        self._lock = threading.Lock()

    def changed_on_disk(self) -> bool:
        """True when a content file was added, removed or edited since the last load."""
        return fingerprint(self.root) != self._stamp

    def reload(self) -> ReloadResult:
        """Load all content again; serve it if valid, else keep the last good content."""
        with self._lock:
            stamp = fingerprint(self.root)
            try:
                content = load_content(self.root)
                served = Served.of(content)
            except ContentError as exc:
                # Remember the broken state so a file watcher reports it once, not forever.
                self._stamp = stamp
                return ReloadResult(changed=False, problems=tuple(exc.problems))
            except Exception as exc:  # anything else: the same, never a crash of the watcher
                self._stamp = stamp
                problem = Problem(
                    str(self.root),
                    0,
                    f"内容文件读不进来（{type(exc).__name__}）：请检查刚改过的文件",
                )
                return ReloadResult(changed=False, problems=(problem,))
            self.served = served
            self._stamp = stamp
            return ReloadResult(changed=True)


ContentSource = FixedContent | LiveContent
"""Where the dialog reads its content from: fixed, or reloadable from files."""


def _shown_file(file: str, root: Path | None) -> str:
    """The file as staff see it in their folder: relative to the content root when inside it."""
    if root is None or not file:
        return file
    # Problems name files relative to the working directory; resolve() starts from there too.
    try:
        return str(Path(file).resolve().relative_to(root.resolve()))
    except ValueError:
        return file


def problems_text(problems: Sequence[Problem], limit: int = 15, root: Path | None = None) -> str:
    """Problems as lines for an admin message, cut to `limit` lines.

    With `root`, files below it are named relative to it (quizzes/x.yaml), as staff see them.
    """
    lines = [str(Problem(_shown_file(p.file, root), p.line, p.message)) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(
            f"……还有 {len(problems) - limit} 个问题，请运行 python -m bot validate 查看全部"
        )
    return "\n".join(lines)
