"""Load content YAML into models, reporting every problem as `file:line: message`.

YAML is composed into a node tree first so that each pydantic error can be traced back to
the line it came from; the messages are plain words that a non-programmer can act on, with
the English key names in them so staff can find the spot in the file.

A file's content type is read from its first line when it has one
(`# yaml-language-server: $schema=../schemas/quiz.schema.json`), else from its keys.

The parts live beside this module: `yaml_lines` (the node tree and its line numbers),
`messages` (pydantic's errors in words), `rules` (checks that need more than one field) and
`problems` (`Problem`). The names other code imports from here are still importable here.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.content.bundle import Content as Content
from bot.content.messages import describe, fields_of
from bot.content.messages import where as where
from bot.content.models import (
    AlertFile,
    Blocklist,
    ConversationFile,
    FaqFile,
    Guidance,
    Pattern,
    Quiz,
    SignalFile,
)
from bot.content.problems import Problem
from bot.content.rules import MAX_MESSAGE as MAX_MESSAGE
from bot.content.rules import MAX_OPTION as MAX_OPTION
from bot.content.rules import MAX_QUIZ_TITLE as MAX_QUIZ_TITLE
from bot.content.rules import semantic_problems
from bot.content.yaml_lines import (
    ContentYAMLError,
    compose,
    duplicate_keys,
    in_file,
    line_of,
    named_field_line,
    node_at,
    reader_error,
    yaml_error,
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
    "conversation": ConversationFile,
    "faq": FaqFile,
}

#: The folder (below the project root) that holds one JSON Schema per content type.
SCHEMA_DIR = "schemas"
#: The editor's modeline, e.g. `# yaml-language-server: $schema=../schemas/quiz.schema.json`.
SCHEMA_LINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$")
#: How many leading lines may hold that modeline (it is usually the first).
SCHEMA_LINE_WITHIN = 5


class ContentError(Exception):
    """Raised when content cannot be loaded; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


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
    if "intents" in keys:
        return "conversation"
    if "faqs" in keys:
        return "faq"
    if "danger_signals" in keys or "safe_markers" in keys:
        return "signals"
    if "cards" in keys or "rule" in keys:
        return "guidance"
    if "category" in keys or "phrases" in keys:
        return "pattern"
    if keys & {"domains", "phones"}:
        return "blocklist"
    return None


def schema_file(kind: str) -> str:
    """The file name of the JSON Schema for a content type, e.g. `quiz.schema.json`."""
    return f"{kind}.schema.json"


def schema_header(kind: str, path: Path, root: Path) -> str:
    """The first line a content file of `kind` at `path` should carry, for editors."""
    target = root / SCHEMA_DIR / schema_file(kind)
    relative = os.path.relpath(target, path.parent).replace(os.sep, "/")
    return f"# yaml-language-server: $schema={relative}"


def header_kind(text: str) -> tuple[str | None, int, str | None]:
    """(kind, line, schema) named by the schema modeline near the top of a file.

    `kind` is None when there is no modeline or it names no known schema; `schema` is what
    the modeline points at (None without one); `line` is its 1-based line (0 without one).
    """
    for number, line in enumerate(text.splitlines()[:SCHEMA_LINE_WITHIN], start=1):
        match = SCHEMA_LINE.match(line.strip())
        if match:
            schema = match.group(1)
            name = schema.rsplit("/", 1)[-1]
            kind = name.removesuffix(".schema.json") if name.endswith(".schema.json") else None
            return (kind if kind in KINDS else None), number, schema
    return None, 0, None


def parse_file(path: Path, *, kind: str | None = None) -> tuple[Loaded, list[Problem]]:
    """Parse and validate one file. Returns what loaded and every problem found.

    The content type is `kind` when given, else the one the file's schema line names,
    else the one its keys suggest.
    """
    file = display_path(path)
    nothing = Loaded(path, None, None, None)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return nothing, [Problem(file, 0, "找不到这个文件 (file not found)")]
    except IsADirectoryError:
        return nothing, [Problem(file, 0, "这是一个文件夹，不是文件")]
    except UnicodeDecodeError:
        return nothing, [
            Problem(file, 0, "文件不是 UTF-8 编码：请在编辑器里选“另存为”，编码选 UTF-8")
        ]
    try:
        node, data = compose(text)
    except ContentYAMLError as exc:
        return nothing, [Problem(file, exc.line, exc.message)]
    except yaml.MarkedYAMLError as exc:
        line, message = yaml_error(exc, text)
        return nothing, [Problem(file, line, message)]
    except yaml.reader.ReaderError as exc:
        line, message = reader_error(exc, text)
        return nothing, [Problem(file, line, message)]
    except yaml.YAMLError as exc:
        return nothing, [Problem(file, 0, f"YAML 格式错误：{exc}")]
    except (ValueError, OverflowError, RecursionError) as exc:  # what no check above foresaw
        return nothing, [
            Problem(file, 0, f"文件里有写不对的内容，请检查日期和数字（{type(exc).__name__}）")
        ]
    if node is None or data is None:
        return nothing, [Problem(file, 1, "文件是空的：请写上内容（可以照着同类的文件写）")]
    declared, header_line, schema = header_kind(text)
    by_keys = detect_kind(data)
    if kind is None and schema is not None and declared is None:
        known = "、".join(schema_file(k) for k in KINDS)
        return Loaded(path, None, None, node), [
            Problem(
                file,
                header_line,
                f"第一行的 $schema 指向 '{schema}'，没有这种内容类型；只能是 {known}",
            )
        ]
    if kind is None and declared is not None and by_keys is not None and declared != by_keys:
        return Loaded(path, None, None, node), [
            Problem(
                file,
                header_line,
                f"第一行说这是 {declared} 文件（{schema_file(declared)}），"
                f"但内容看起来是 {by_keys} 文件：请改正第一行，或检查是不是放错了文件",
            )
        ]
    kind = kind or declared or by_keys
    if kind is None:
        return Loaded(path, None, None, node), [
            Problem(
                file,
                line_of(node),
                "看不出这是什么内容文件：测验要有 questions，防骗规则要有 category 和 phrases，"
                "指南要有 rule 和 cards，提醒要有 alerts，黑名单要有 domains 或 phones",
            )
        ]
    model_cls = KINDS[kind]
    problems = duplicate_keys(node, file)
    if not isinstance(data, dict):
        problems.append(
            Problem(
                file, line_of(node), "文件应该是一组 键: 值（例如 id: …、title: …），不是列表或文字"
            )
        )
        return Loaded(path, kind, None, node), problems
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        problems += _validation_problems(exc, node, file, model_cls)
        return Loaded(path, kind, None, node), sorted(set(problems))
    problems += semantic_problems(model, node, file)
    return Loaded(path, kind, None if problems else model, node), problems


def _validation_problems(
    exc: ValidationError, node: yaml.Node, file: str, model_cls: type[BaseModel]
) -> list[Problem]:
    """Each pydantic error once, at its line, in words."""
    problems: list[Problem] = []
    errors = exc.errors()
    # A misspelt key is also a missing one: "answr → answer?" says both, so the
    # "missing answer" beside it is left out.
    meant = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = tuple(err["loc"])
            known = fields_of(model_cls, loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
            if close:
                meant.add((*loc[:-1], close[0]))
    seen: set[tuple[str | int, ...]] = set()
    for err in errors:
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "too_short" and any(
            len(e["loc"]) > len(loc) and tuple(e["loc"][: len(loc)]) == loc for e in errors
        ):
            continue  # pydantic's echo of a broken item, not a problem of its own
        if kind == "missing" and loc in meant:
            continue
        real = loc if kind in ("missing", "extra_forbidden") else in_file(node, loc)
        if real != loc and real in seen:
            continue  # one value that fits none of a union's types: say it once
        seen.add(real)
        key_line = kind in ("extra_forbidden", "too_short", "too_long")
        line = node_at(node, loc, key_line=key_line)
        if kind == "value_error":
            line = named_field_line(node, real, str(err.get("msg", ""))) or line
        problems.append(Problem(file, line, describe(err, model_cls, real)))
    return problems


# --- across files ---------------------------------------------------------------------------


def _ids(item: Loaded) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    """(namespace, id, where in the file) for every id a file defines."""
    model = item.model
    if isinstance(model, Quiz):
        yield "测验", model.id, ("id",)
    elif isinstance(model, Pattern):
        yield "防骗规则", model.id, ("id",)
    elif isinstance(model, AlertFile):
        for i, alert in enumerate(model.alerts):
            yield "提醒", alert.id, ("alerts", i, "id")
    elif isinstance(model, ConversationFile):
        for i, intent in enumerate(model.intents):
            yield "说法", intent.id, ("intents", i, "id")
    elif isinstance(model, FaqFile):
        for i, faq in enumerate(model.faqs):
            yield "问题", faq.id, ("faqs", i, "id")
    elif isinstance(model, SignalFile):
        for i, signal in enumerate(model.danger_signals):
            yield "信号", signal.id, ("danger_signals", i, "id")
        for i, marker in enumerate(model.safe_markers):
            yield "信号", marker.id, ("safe_markers", i, "id")


def cross_file_problems(loaded: Iterable[Loaded]) -> list[Problem]:
    """Ids used twice, within a file or across files (the later use is reported)."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}
    for item in loaded:
        if item.node is None:
            continue
        file = display_path(item.path)
        for namespace, ident, loc in _ids(item):
            line = node_at(item.node, loc)
            key = (namespace, ident)
            if key in seen:
                problems.append(
                    Problem(
                        file,
                        line,
                        f"{namespace}编号 id '{ident}' 重复了：{seen[key]} 已经用过，请换一个",
                    )
                )
            else:
                seen[key] = f"{file}:{line}"
    return problems


def parse_files(paths: Iterable[Path]) -> tuple[list[Loaded], list[Problem]]:
    """Parse many files; also reports duplicate ids across them."""
    loaded: list[Loaded] = []
    problems: list[Problem] = []
    for path in paths:
        item, file_problems = parse_file(path)
        loaded.append(item)
        problems += file_problems
    problems += cross_file_problems(loaded)
    return loaded, problems


def assemble(loaded: Sequence[Loaded], root: Path) -> tuple[Content | None, list[Problem]]:
    """Build the served Content from parsed files; reports what is missing."""
    problems: list[Problem] = []
    by_kind: dict[str, list[Loaded]] = {}
    for item in loaded:
        if item.kind and item.model is not None:
            by_kind.setdefault(item.kind, []).append(item)
    where_content = display_path(root / "content")

    def single(kind: str) -> Any:
        items = by_kind.get(kind, [])
        if len(items) != 1:
            problems.append(
                Problem(where_content, 0, f"需要正好一个 {kind} 文件，现在有 {len(items)} 个")
            )
            return None
        return items[0].model

    signals, blocklist, guidance = single("signals"), single("blocklist"), single("guidance")
    conversation, faq_file = single("conversation"), single("faq")
    patterns = tuple(i.model for i in by_kind.get("pattern", []) if isinstance(i.model, Pattern))
    quizzes = tuple(i.model for i in by_kind.get("quiz", []) if isinstance(i.model, Quiz))
    covered = {p.category for p in patterns}
    for cat in CATEGORY_IDS:
        if cat not in covered:
            problems.append(Problem(where_content, 0, f"没有任何防骗规则属于类别 '{cat}'"))
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
    faqs = faq_file.faqs if isinstance(faq_file, FaqFile) else ()
    if faqs:
        problems += next_step_problems(by_kind["faq"][0], {q.id for q in quizzes})
    if problems or signals is None or blocklist is None or guidance is None:
        return None, problems
    return Content(
        patterns, signals, blocklist, guidance, quizzes, alerts, conversation, faqs
    ), problems


def next_step_problems(item: Loaded, quiz_ids: set[str]) -> list[Problem]:
    """Each answer's button must lead somewhere: an existing quiz, a known scam card."""
    problems: list[Problem] = []
    if not isinstance(item.model, FaqFile) or item.node is None:
        return problems
    for i, faq in enumerate(item.model.faqs):
        kind, _, target = faq.next.partition(":")
        wrong = (kind == "quiz" and target not in quiz_ids) or (
            kind == "card" and target not in CATEGORY_IDS
        )
        if wrong:
            known = sorted(quiz_ids) if kind == "quiz" else list(CATEGORY_IDS)
            close = difflib.get_close_matches(target, known, n=1, cutoff=0.6)
            hint = f"，是不是想写 {kind}:{close[0]}？" if close else ""
            problems.append(
                Problem(
                    display_path(item.path),
                    node_at(item.node, ("faqs", i, "next")),
                    f"第 {i + 1} 个问题的 next 指向 {faq.next}，没有这个"
                    f"{'测验' if kind == 'quiz' else '骗局类别'}{hint}",
                )
            )
    return problems


def load_content(root: Path) -> Content:
    """Load all content below `root`; raises ContentError listing every problem."""
    loaded, problems = parse_files(content_files(root))
    content, more = assemble(loaded, root)
    problems += more
    if problems or content is None:
        raise ContentError(problems)
    return content
