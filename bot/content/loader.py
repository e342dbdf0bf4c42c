"""Load content YAML into models, reporting every problem as `file:line: message`.

YAML is composed into a node tree first so that each pydantic error can be traced back to
the line it came from; the messages are plain words that a non-programmer can act on.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.content.models import (
    Alert,
    AlertFile,
    Blocklist,
    Guidance,
    Pattern,
    Quiz,
    SignalFile,
)
from bot.taxonomy import CATEGORY_IDS

#: What each content type is called in messages, and the model it loads into.
KINDS: dict[str, type[BaseModel]] = {
    "pattern": Pattern,
    "signals": SignalFile,
    "blocklist": Blocklist,
    "guidance": Guidance,
    "quiz": Quiz,
    "alerts": AlertFile,
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a content file, at a line (1-based; 0 when it has none)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised when content cannot be loaded; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Content:
    """Everything the bot serves, loaded and checked."""

    patterns: tuple[Pattern, ...]
    signals: SignalFile
    blocklist: Blocklist
    guidance: Guidance
    quizzes: tuple[Quiz, ...]
    alerts: tuple[Alert, ...] = ()

    def quiz(self, quiz_id: str) -> Quiz | None:
        """The quiz with this id, or None."""
        return next((q for q in self.quizzes if q.id == quiz_id), None)


@dataclass(frozen=True)
class Loaded:
    """One parsed file: its kind, its model (None when invalid) and its node tree."""

    path: Path
    kind: str | None
    model: BaseModel | None
    node: yaml.Node | None


def display_path(path: Path) -> str:
    """The path as staff typed it: relative to the working directory when possible."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def content_files(root: Path) -> list[Path]:
    """All content files the bot ships and serves, below `root`."""
    files = sorted((root / "content").glob("**/*.yaml")) + sorted(
        (root / "quizzes").glob("**/*.yaml")
    )
    return [f for f in files if f.is_file()]


def detect_kind(data: Any) -> str | None:
    """Tell the content type from a file's top-level keys."""
    if not isinstance(data, dict):
        return None
    keys = set(data)
    if "questions" in keys:
        return "quiz"
    if "alerts" in keys:
        return "alerts"
    if "danger_signals" in keys or "safe_markers" in keys:
        return "signals"
    if "cards" in keys or "rule" in keys:
        return "guidance"
    if "category" in keys or "phrases" in keys:
        return "pattern"
    if keys & {"domains", "phones"}:
        return "blocklist"
    return None


# --- YAML with line numbers -----------------------------------------------------------------


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _child(node: yaml.Node, key: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    """(key node, value node) for a mapping key or sequence index."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if str(k.value) == str(key):
                return k, v
    elif (
        isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value)
    ):
        return None, node.value[key]
    return None, None


def node_at(root: yaml.Node, loc: Sequence[str | int], *, key_line: bool = False) -> int:
    """The line of the deepest node along `loc` (the key itself when `key_line`)."""
    node = root
    line = _line(root)
    for part in loc:
        k, v = _child(node, part)
        if v is None:
            break
        node = v
        line = _line(k) if (key_line and k is not None) else _line(v)
    return line


def _duplicate_keys(node: yaml.Node, file: str) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for k, v in node.value:
            name = str(k.value)
            if name in seen:
                problems.append(
                    Problem(file, _line(k), f"'{name}' 写了两次（第 {seen[name]} 行已有）")
                )
            seen[name] = _line(k)
            problems += _duplicate_keys(v, file)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            problems += _duplicate_keys(item, file)
    return problems


def _fields_of(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """Known field names of the model reached by following `loc` (for suggestions)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        annotation = info.annotation
        for candidate in (annotation, *getattr(annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                current = candidate
                break
            inner = getattr(candidate, "__args__", ())
            found = [a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)]
            if found:
                current = found[0]
                break
    return list(getattr(current, "model_fields", {}))


def _describe(err: Any, model: type[BaseModel]) -> str:
    """Turn one pydantic error into words a non-programmer can act on."""
    loc = tuple(err["loc"])
    where = ".".join(str(p) for p in loc) or "(file)"
    kind = err["type"]
    if kind == "extra_forbidden":
        name = str(loc[-1])
        known = _fields_of(model, loc[:-1])
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"，是不是想写 '{close[0]}'？（{name} → {close[0]}?）" if close else ""
        allowed = f" 可用的有：{', '.join(known)}" if known and not close else ""
        return f"不认识的字段 '{name}' (unknown key){hint}{allowed}"
    if kind == "missing":
        return f"缺少必填项 '{loc[-1]}' (missing field)"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"'{where}' 的值不对，只能是 {expected}（现在是 {err.get('input')!r}）"
    if kind in ("too_short", "too_long"):
        ctx = err.get("ctx", {})
        lo, hi = ctx.get("min_length"), ctx.get("max_length")
        if lo is not None and kind == "too_short":
            return f"'{where}' 太少了：至少要 {lo} 项"
        return f"'{where}' 太多了：最多 {hi} 项"
    if kind == "string_pattern_mismatch":
        return (
            f"'{where}' 的格式不对（现在是 {err.get('input')!r}）；"
            "编号只能用小写字母、数字、- 和 _，最长 40 个字符"
            if loc and loc[-1] == "id"
            else f"'{where}' 的格式不对（现在是 {err.get('input')!r}）"
        )
    if kind in ("string_type", "int_type", "int_parsing", "bool_type", "tuple_type", "dict_type"):
        wanted = {
            "string_type": "一段文字",
            "int_type": "一个整数",
            "int_parsing": "一个整数",
            "bool_type": "true 或 false",
            "tuple_type": "一个列表（每行用 - 开头）",
            "dict_type": "一组 键: 值",
        }[kind]
        return f"'{where}' 应该是{wanted}（现在是 {err.get('input')!r}）"
    if kind == "model_type":
        return f"'{where}' 应该是一组 键: 值"
    msg = str(err.get("msg", "")).removeprefix("Value error, ")
    return f"'{where}': {msg}"


def parse_file(path: Path, *, kind: str | None = None) -> tuple[Loaded, list[Problem]]:
    """Parse and validate one file. Returns what loaded and every problem found."""
    file = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Loaded(path, None, None, None), [Problem(file, 0, "找不到这个文件 (file not found)")]
    except UnicodeDecodeError:
        return Loaded(path, None, None, None), [
            Problem(file, 0, "文件不是 UTF-8 编码，请用 UTF-8 保存")
        ]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = (exc.problem or "格式错误").strip()
        hint = "检查缩进、冒号和引号"
        ctx = exc.context_mark
        if ctx is not None and mark is not None and ctx.line != mark.line and "end" in problem:
            # The file ended inside an unclosed [ ], { } or quote: point at where it opened.
            hint = f"第 {ctx.line + 1} 行开始的括号或引号没有关上"
            line = ctx.line + 1
        return Loaded(path, None, None, None), [
            Problem(file, line, f"YAML 格式错误：{problem}（{hint}）")
        ]
    except yaml.YAMLError as exc:
        return Loaded(path, None, None, None), [Problem(file, 0, f"YAML 格式错误：{exc}")]
    if node is None or data is None:
        return Loaded(path, None, None, None), [Problem(file, 1, "文件是空的")]
    kind = kind or detect_kind(data)
    if kind is None:
        return Loaded(path, None, None, node), [
            Problem(
                file,
                1,
                "看不出这是什么内容文件：测验要有 questions，防骗规则要有 category 和 phrases，"
                "指南要有 rule 和 cards，提醒要有 alerts，黑名单要有 domains 或 phones",
            )
        ]
    model_cls = KINDS[kind]
    problems = _duplicate_keys(node, file)
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        for err in errors:
            loc = tuple(err["loc"])
            if err["type"] == "too_short" and any(
                len(e["loc"]) > len(loc) and tuple(e["loc"][: len(loc)]) == loc for e in errors
            ):
                continue  # pydantic's echo of a broken item, not a problem of its own
            key_line = err["type"] in ("extra_forbidden",)
            problems.append(
                Problem(file, node_at(node, loc, key_line=key_line), _describe(err, model_cls))
            )
        return Loaded(path, kind, None, node), problems
    problems += _semantic_problems(model, node, file)
    return Loaded(path, kind, None if problems else model, node), problems


def _semantic_problems(model: BaseModel, node: yaml.Node, file: str) -> list[Problem]:
    """Checks that need more than one field: answers in range, repeated options."""
    problems: list[Problem] = []
    if isinstance(model, Quiz):
        for i, q in enumerate(model.questions):
            if q.answer_index >= len(q.options):
                problems.append(
                    Problem(
                        file,
                        node_at(node, ("questions", i, "answer")),
                        f"第 {i + 1} 题的答案是 {q.answer}，但只有 {len(q.options)} 个选项"
                        f"（A–{'ABCD'[len(q.options) - 1]}）",
                    )
                )
            seen: set[str] = set()
            for j, opt in enumerate(q.options):
                if opt in seen:
                    problems.append(
                        Problem(
                            file,
                            node_at(node, ("questions", i, "options", j)),
                            f"第 {i + 1} 题有两个一样的选项：{opt}",
                        )
                    )
                seen.add(opt)
    return problems


def _cross_file_problems(loaded: Iterable[Loaded]) -> list[Problem]:
    """Duplicate ids across files."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}
    for item in loaded:
        model = item.model
        if isinstance(model, (Quiz, Pattern)) and item.node is not None:
            key = (item.kind or "", model.id)
            where = f"{display_path(item.path)}:{node_at(item.node, ('id',))}"
            if key in seen:
                problems.append(
                    Problem(
                        display_path(item.path),
                        node_at(item.node, ("id",)),
                        f"编号 '{model.id}' 已经在 {seen[key]} 用过了，请换一个",
                    )
                )
            else:
                seen[key] = where
    return problems


def parse_files(paths: Iterable[Path]) -> tuple[list[Loaded], list[Problem]]:
    """Parse many files; also reports duplicate ids across them."""
    loaded: list[Loaded] = []
    problems: list[Problem] = []
    for path in paths:
        item, file_problems = parse_file(path)
        loaded.append(item)
        problems += file_problems
    problems += _cross_file_problems(loaded)
    return loaded, problems


def assemble(loaded: Sequence[Loaded], root: Path) -> tuple[Content | None, list[Problem]]:
    """Build the served Content from parsed files; reports what is missing."""
    problems: list[Problem] = []
    by_kind: dict[str, list[Loaded]] = {}
    for item in loaded:
        if item.kind and item.model is not None:
            by_kind.setdefault(item.kind, []).append(item)
    where = display_path(root / "content")

    def single(kind: str) -> Any:
        items = by_kind.get(kind, [])
        if len(items) != 1:
            problems.append(Problem(where, 0, f"需要正好一个 {kind} 文件，现在有 {len(items)} 个"))
            return None
        return items[0].model

    signals, blocklist, guidance = single("signals"), single("blocklist"), single("guidance")
    patterns = tuple(i.model for i in by_kind.get("pattern", []) if isinstance(i.model, Pattern))
    quizzes = tuple(i.model for i in by_kind.get("quiz", []) if isinstance(i.model, Quiz))
    covered = {p.category for p in patterns}
    for cat in CATEGORY_IDS:
        if cat not in covered:
            problems.append(Problem(where, 0, f"没有任何防骗规则属于类别 '{cat}'"))
    if isinstance(guidance, Guidance):
        carded = {c.category for c in guidance.cards}
        guide_item = by_kind["guidance"][0]
        for cat in CATEGORY_IDS:
            if cat not in carded:
                problems.append(
                    Problem(
                        display_path(guide_item.path),
                        node_at(guide_item.node, ("cards",)) if guide_item.node else 0,
                        f"指南缺少类别 '{cat}' 的卡片",
                    )
                )
    if not quizzes:
        problems.append(Problem(display_path(root / "quizzes"), 0, "至少需要一个测验"))
    alerts = tuple(
        a
        for i in by_kind.get("alerts", [])
        if isinstance(i.model, AlertFile)
        for a in i.model.alerts
    )
    if problems or signals is None or blocklist is None or guidance is None:
        return None, problems
    return Content(patterns, signals, blocklist, guidance, quizzes, alerts), problems


def load_content(root: Path) -> Content:
    """Load all content below `root`; raises ContentError listing every problem."""
    loaded, problems = parse_files(content_files(root))
    content, more = assemble(loaded, root)
    problems += more
    if problems or content is None:
        raise ContentError(problems)
    return content
