"""How the package is layered: the core never needs Telegram, the check needs only the
content models, and no module imports itself round a circle."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
CORE = (
    "bot.check",
    "bot.understand",
    "bot.dialog",
    "bot.content",
    "bot.alerts",
    "bot.storage",
    "bot.pictures",
)


def _loaded_by(module: str) -> set[str]:
    """The modules a fresh interpreter has loaded after importing `module`."""
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=BOT.parent,
    )
    return set(out.stdout.split())


def _imports() -> dict[str, set[str]]:
    """Module → the `bot` modules it imports (at any depth of the file, lazy ones too)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in BOT.rglob("*.py"):
        parts = path.relative_to(BOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            graph[name] |= {t for t in targets if t == "bot" or t.startswith("bot.")}
    return graph


@pytest.mark.parametrize("package", CORE)
def test_the_core_never_loads_telegram(package: str) -> None:
    modules = [
        ".".join(p.relative_to(BOT.parent).with_suffix("").parts)
        for p in (BOT / package.split(".")[1]).glob("*.py")
        if p.name != "__init__.py"
    ]
    loaded = _loaded_by(", ".join(modules))
    assert not {m for m in loaded if m == "telegram" or m.startswith("telegram.")}


def test_the_check_needs_only_the_content_models() -> None:
    loaded = _loaded_by("bot.check.engine")
    assert "bot.content.models" in loaded
    assert "bot.content.loader" not in loaded
    assert not {m for m in loaded if m.startswith(("bot.served", "bot.dialog", "bot.understand"))}


def test_no_module_imports_itself_round_a_circle() -> None:
    graph = _imports()
    # Lazy imports inside a function count too: they hide a circle rather than remove it.
    circles = []
    for start in list(graph):
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    circles.append(" → ".join([*path, start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
    assert not circles, circles
