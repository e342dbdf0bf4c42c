"""Load content YAML into models, reporting every problem as `file:line: message`.

YAML is composed into a node tree first so that each pydantic error can be traced back to
the line it came from; the messages are plain words that a non-programmer can act on, with
the English key names in them so staff can find the spot in the file.

A file's content type is read from its first line when it has one
(`# yaml-language-server: $schema=../schemas/quiz.schema.json`), else from its keys.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.content.models import (
    ANSWER_LETTERS,
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

#: The folder (below the project root) that holds one JSON Schema per content type.
SCHEMA_DIR = "schemas"
#: The editor's modeline, e.g. `# yaml-language-server: $schema=../schemas/quiz.schema.json`.
SCHEMA_LINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$")
#: How many leading lines may hold that modeline (it is usually the first).
SCHEMA_LINE_WITHIN = 5

#: Longest answer option, in characters: each option must read well on a button.
MAX_OPTION = 40
#: Longest quiz title: it is the label of the quiz's button.
MAX_QUIZ_TITLE = 40
#: Telegram's limit on one message, in characters (UTF-16 code units, as Telegram counts).
MAX_MESSAGE = 4096


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


def _in_file(root: yaml.Node, loc: Sequence[str | int]) -> tuple[str | int, ...]:
    """The longest start of `loc` that exists in the file (pydantic adds type names)."""
    node = root
    found: list[str | int] = []
    for part in loc:
        _, v = _child(node, part)
        if v is None:
            break
        node = v
        found.append(part)
    return tuple(found)


def _duplicate_keys(node: yaml.Node, file: str) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for k, v in node.value:
            name = str(k.value)
            if name in seen:
                problems.append(
                    Problem(
                        file,
                        _line(k),
                        f"'{name}' 写了两次（第 {seen[name]} 行已有）：删掉一个，或把内容合在一起",
                    )
                )
            seen[name] = _line(k)
            problems += _duplicate_keys(v, file)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            problems += _duplicate_keys(item, file)
    return problems


# --- messages -------------------------------------------------------------------------------


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


#: How an item of these lists is named in messages: 第 3 题, 第 2 张卡片, ...
_ITEM_NAMES = {
    "questions": "第 {n} 题",
    "cards": "第 {n} 张卡片（cards）",
    "alerts": "第 {n} 条提醒（alerts）",
    "hotlines": "第 {n} 个热线（hotlines）",
    "danger_signals": "第 {n} 个 danger_signals",
    "safe_markers": "第 {n} 个 safe_markers",
}


def where(loc: Sequence[str | int]) -> str:
    """A place in a file in words: ("questions", 2, "answer") → "第 3 题的 answer"."""
    out = ""
    after_item = False  # the last piece named an item (第 3 题): the next key takes 的
    for i, part in enumerate(loc):
        if isinstance(part, int):
            previous = loc[i - 1] if i else None
            template = _ITEM_NAMES.get(str(previous)) if isinstance(previous, str) else None
            if template and out.endswith(str(previous)):
                out = out[: -len(str(previous))] + template.format(n=part + 1)
            else:
                out += f" 第 {part + 1} 项"
            after_item = True
        else:
            glue = " 的 " if out[-1:].isascii() else "的 "
            out += f"{glue}{part}" if after_item else (f".{part}" if out else part)
            after_item = False
    return out or "整个文件"


def _of(place: str) -> str:
    """`place` followed by 的, spaced after an English key: "id 的", "第 1 题的"."""
    return f"{place} 的" if place[-1:].isascii() else f"{place}的"


def _quoted_values(expected: str) -> list[str]:
    """The allowed values in pydantic's "'A', 'B' or 'C'"."""
    return re.findall(r"'([^']*)'", expected)


def _closest(value: object, choices: Sequence[str]) -> str | None:
    text = str(value)
    for choice in choices:
        if choice.lower() == text.strip().lower():
            return choice
    close = difflib.get_close_matches(text, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _shown(value: object) -> str:
    """A value as staff wrote it, for messages."""
    if value is None:
        return "空的"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:40]}…'（共 {len(value)} 个字）"
    return repr(value)


_WANTED = {
    "string_type": "一段文字",
    "int_type": "一个整数",
    "int_parsing": "一个整数",
    "int_from_float": "一个整数",
    "bool_type": "true 或 false",
    "bool_parsing": "true 或 false",
    "tuple_type": "一个列表（每项一行，用 - 开头）",
    "list_type": "一个列表（每项一行，用 - 开头）",
    "dict_type": "一组 键: 值",
    "model_type": "一组 键: 值（每行写 名字: 内容）",
    "model_attributes_type": "一组 键: 值（每行写 名字: 内容）",
}


def _describe(err: Any, model: type[BaseModel], loc: tuple[str | int, ...] | None = None) -> str:
    """Turn one pydantic error into words a non-programmer can act on."""
    loc = tuple(err["loc"]) if loc is None else loc
    place = where(loc)
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx", {}) or {}
    if kind == "extra_forbidden":
        name = str(loc[-1])
        known = _fields_of(model, loc[:-1])
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"，是不是想写 '{close[0]}'？（{name} → {close[0]}?）" if close else ""
        allowed = f" 可用的有：{', '.join(known)}" if known and not close else ""
        return f"不认识的字段 '{name}' (unknown key){hint}{allowed}"
    if kind == "missing":
        owner = where(loc[:-1])
        inside = f"{owner}里" if loc[:-1] else ""
        return f"缺少必填项 '{loc[-1]}' (missing field)：请在{inside or '文件里'}加上 {loc[-1]}: …"
    if kind == "literal_error" or kind == "enum":
        choices = _quoted_values(str(ctx.get("expected", "")))
        suggestion = _closest(value, choices)
        hint = f"，是不是想写 '{suggestion}'？" if suggestion and suggestion != value else ""
        if loc and loc[-1] == "answer":
            return f"{place} 只能是 A、B、C 或 D（对应第 1–4 个选项），现在是 {_shown(value)}{hint}"
        if hint:
            return f"{_of(place)}值不对（现在是 {_shown(value)}）{hint}"
        listed = "、".join(choices)
        return f"{_of(place)}值不对：只能是 {listed} 中的一个（现在是 {_shown(value)}）"
    if kind in ("too_short", "too_long"):
        lo, hi = ctx.get("min_length"), ctx.get("max_length")
        if kind == "too_short":
            return f"{place} 太少了：至少要 {lo} 项（现在 {ctx.get('actual_length', 0)} 项）"
        return f"{place} 太多了：最多 {hi} 项（现在 {ctx.get('actual_length', '?')} 项）"
    if kind == "string_too_short":
        return f"{place} 是空的，请填写内容"
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        size = len(value) if isinstance(value, str) else "?"
        return (
            f"{place} 太长了：现在 {size} 个字，最多 {limit} 个字"
            f"（一条 Telegram 消息最多 {MAX_MESSAGE} 个字，还要留出标题的位置）"
        )
    if kind == "string_pattern_mismatch":
        if loc and loc[-1] == "id":
            return (
                f"{_of(place)}格式不对（现在是 {_shown(value)}）；"
                "编号只能用小写字母、数字、- 和 _，最长 40 个字符，例如 safe_account"
            )
        if loc and (loc[-1] == "number" or "phones" in loc):
            return (
                f"{_of(place)}格式不对（现在是 {_shown(value)}）：电话号码只能写数字（可带 + 和 -）"
            )
        return f"{_of(place)}格式不对（现在是 {_shown(value)}）"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{place} 应该是一个整数（现在是 {_shown(value)}）"
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        bounds = {
            "less_than_equal": f"不能大于 {ctx.get('le')}",
            "greater_than_equal": f"不能小于 {ctx.get('ge')}",
            "less_than": f"要小于 {ctx.get('lt')}",
            "greater_than": f"要大于 {ctx.get('gt')}",
        }[kind]
        return f"{place} {bounds}（现在是 {_shown(value)}）"
    if kind == "string_type":
        if value is None:
            return f"{place} 没有填写：请在冒号后面写上内容"
        if isinstance(value, (bool, int, float)):
            return (
                f"{place} 应该是一段文字（现在是 {_shown(value)}）："
                '数字、yes/no、true/false 这类内容请加上引号，例如 "110"'
            )
        return f"{place} 应该是一段文字（现在是 {_shown(value)}）"
    if kind in _WANTED:
        if value is None:
            return f"{place} 没有填写：应该是{_WANTED[kind]}"
        return f"{place} 应该是{_WANTED[kind]}（现在是 {_shown(value)}）"
    if kind.startswith(("date", "datetime")):
        return (
            f"{place} 应该是日期，例如 2025-06-30，或日期和时间，例如 2025-06-30 09:00"
            f"（现在是 {_shown(value)}）"
        )
    msg = str(err.get("msg", "")).removeprefix("Value error, ")
    return f"{place}：{msg}" if loc else msg


#: libyaml's loader when PyYAML was built with it (much faster), else the pure-Python one.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (with line numbers) and the plain data built from it, in one parse."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


#: PyYAML's complaints (libyaml's and the pure-Python parser's wording), in plain words.
_YAML_HINTS = (
    (
        "mapping values are not allowed",
        "这一行的冒号放错了地方：多半是缩进和上一行没对齐，"
        "或者文字里有“: ”，那就给整段文字加上引号",
    ),
    ("could not find expected ':'", "少了冒号：每一项要写成 名字: 内容（冒号后面有一个空格）"),
    ("did not find expected key", "缩进不对：同一层的行要对齐（只用空格）"),
    ("did not find expected '-' indicator", "列表缩进不对：每一项开头的 - 要对齐"),
    ("expected <block end>", "缩进不对：同一层的行要对齐（只用空格）"),
    ("cannot start any token", "有不能放在开头的字符（如 @ ` % *）：请给这段文字加上引号"),
    ("found duplicate anchor", "& 或 * 有特殊含义：请给这段文字加上引号"),
    ("found undefined alias", "* 有特殊含义：请给这段文字加上引号"),
)


def _yaml_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 0
    problem = (exc.problem or "格式错误").strip()
    hint = next(
        (words for key, words in _YAML_HINTS if key in problem),
        "检查缩进（只用空格，同一层对齐）、冒号后面的空格和引号",
    )
    ctx = exc.context_mark
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in here[: len(here) - len(here.lstrip())]:
        hint = "这一行用了 Tab 键缩进：YAML 不能用 Tab，请改成空格"
    elif ctx is not None and mark is not None and ctx.line != mark.line and "end" in problem:
        # The file ended inside an unclosed [ ], { } or quote: point at where it opened.
        hint = f"第 {ctx.line + 1} 行开始的括号或引号没有关上"
        line = ctx.line + 1
    elif ctx is not None and mark is not None and "flow" in (exc.context or ""):
        # Inside [ ] or { }: the mistake is usually a missing ] or comma where it opened.
        hint = f"第 {ctx.line + 1} 行的 [ ] 或 {{ }} 没有关上，或者里面少了逗号"
        line = ctx.line + 1
    return line, f"YAML 格式错误：{hint}（{problem}）"


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
        node, data = _compose(text)
    except yaml.MarkedYAMLError as exc:
        line, message = _yaml_error(exc, text)
        return nothing, [Problem(file, line, message)]
    except yaml.YAMLError as exc:
        return nothing, [Problem(file, 0, f"YAML 格式错误：{exc}")]
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
                _line(node),
                "看不出这是什么内容文件：测验要有 questions，防骗规则要有 category 和 phrases，"
                "指南要有 rule 和 cards，提醒要有 alerts，黑名单要有 domains 或 phones",
            )
        ]
    model_cls = KINDS[kind]
    problems = _duplicate_keys(node, file)
    if not isinstance(data, dict):
        problems.append(
            Problem(
                file, _line(node), "文件应该是一组 键: 值（例如 id: …、title: …），不是列表或文字"
            )
        )
        return Loaded(path, kind, None, node), problems
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        problems += _validation_problems(exc, node, file, model_cls)
        return Loaded(path, kind, None, node), sorted(set(problems))
    problems += _semantic_problems(model, node, file)
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
            known = _fields_of(model_cls, loc[:-1])
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
        real = loc if kind in ("missing", "extra_forbidden") else _in_file(node, loc)
        if real != loc and real in seen:
            continue  # one value that fits none of a union's types: say it once
        seen.add(real)
        key_line = kind in ("extra_forbidden", "too_short", "too_long")
        line = node_at(node, loc, key_line=key_line)
        if kind == "value_error":
            line = _named_field_line(node, real, str(err.get("msg", ""))) or line
        problems.append(Problem(file, line, _describe(err, model_cls, real)))
    return problems


def _named_field_line(node: yaml.Node, loc: Sequence[str | int], message: str) -> int | None:
    """For a check across fields ("write phrases or regexes"): the line of the first field
    the message names that the file has."""
    value: yaml.Node | None = node
    for part in loc:
        if value is None:
            return None
        _, value = _child(value, part)
    if not isinstance(value, yaml.MappingNode):
        return None
    found = []
    for key, _ in value.value:
        match = re.search(rf"\b{re.escape(str(key.value))}\b", message)
        if match:
            found.append((match.start(), _line(key)))
    return min(found)[1] if found else None


# --- checks that need more than one field ---------------------------------------------------


def _semantic_problems(model: BaseModel, node: yaml.Node, file: str) -> list[Problem]:
    """Checks a single field cannot make: answers in range, repeats, Telegram's limits."""
    if isinstance(model, Quiz):
        return list(_quiz_problems(model, node, file))
    if isinstance(model, Guidance):
        return list(_guidance_problems(model, node, file))
    return []


def _quiz_problems(quiz: Quiz, node: yaml.Node, file: str) -> Iterator[Problem]:
    if len(quiz.title) > MAX_QUIZ_TITLE:
        yield Problem(
            file,
            node_at(node, ("title",)),
            f"title 太长（{len(quiz.title)} 个字）：标题会写在按钮上，最多 {MAX_QUIZ_TITLE} 个字",
        )
    fits = _callback_room(quiz.id, len(quiz.questions))
    if fits is not None:
        yield Problem(file, node_at(node, ("id",)), fits)
        # The id is not shown, so the messages are measured with one that fits.
        quiz = quiz.model_copy(update={"id": "q"})
    asked: dict[str, int] = {}
    for i, q in enumerate(quiz.questions):
        here = ("questions", i)
        if q.answer_index >= len(q.options):
            yield Problem(
                file,
                node_at(node, (*here, "answer")),
                f"第 {i + 1} 题的答案是 {q.answer}，但只有 {len(q.options)} 个选项"
                f"（A–{ANSWER_LETTERS[len(q.options) - 1]}）：请改 answer，或补上选项",
            )
        if q.question in asked:
            yield Problem(
                file,
                node_at(node, (*here, "question")),
                f"第 {i + 1} 题和第 {asked[q.question] + 1} 题的题目一模一样：删掉一道，或改写一下",
            )
        asked.setdefault(q.question, i)
        seen: dict[str, int] = {}
        for j, opt in enumerate(q.options):
            if opt in seen:
                yield Problem(
                    file,
                    node_at(node, (*here, "options", j)),
                    f"第 {i + 1} 题有两个一样的选项：{ANSWER_LETTERS[seen[opt]]} 和 "
                    f"{ANSWER_LETTERS[j]} 都是“{opt}”，请改掉一个",
                )
            seen.setdefault(opt, j)
            if len(opt) > MAX_OPTION:
                yield Problem(
                    file,
                    node_at(node, (*here, "options", j)),
                    f"第 {i + 1} 题的选项 {ANSWER_LETTERS[j]} 太长（{len(opt)} 个字），"
                    f"按钮上放不下 (too long for a button)：每个选项最多 {MAX_OPTION} 个字",
                )
        yield from _quiz_message_problems(quiz, i, node, file)


def _quiz_message_problems(quiz: Quiz, i: int, node: yaml.Node, file: str) -> Iterator[Problem]:
    """Question `i` as the bot sends it must fit in one Telegram message."""
    from bot.dialog.quiz import question_reply
    from bot.dialog.replies import length

    q = quiz.questions[i]
    shown = length(question_reply(quiz, i).text)
    if shown > MAX_MESSAGE:
        yield Problem(
            file,
            node_at(node, ("questions", i, "question")),
            f"第 {i + 1} 题连同选项有 {shown} 个字，超过了 Telegram 一条消息的上限 "
            f"{MAX_MESSAGE} 个字：请缩短题目或选项",
        )
        return
    # After an answer the bot shows the question again with the chosen and the right option
    # and the explanation; this bound is a little above what it sends.
    longest = max(length(o) for o in q.options)
    answered = shown + 2 * (longest + 20) + length(q.explanation) + 10
    if answered > MAX_MESSAGE:
        yield Problem(
            file,
            node_at(node, ("questions", i, "explanation")),
            f"第 {i + 1} 题答完后显示的消息（题目、选项和 explanation）约 {answered} 个字，"
            f"超过了 Telegram 一条消息的上限 {MAX_MESSAGE} 个字：请缩短解析或题目",
        )


@lru_cache(maxsize=1)
def _longest_quiz_id() -> int:
    """The longest quiz id the bot's buttons can carry (their data is at most 64 bytes)."""
    from bot.dialog import callbacks

    for size in range(40, 0, -1):
        try:
            callbacks.encode("qa", "a" * size, 0, 0)
        except ValueError:
            continue
        return size
    return 0


def _callback_room(quiz_id: str, questions: int) -> str | None:
    """Why this quiz's buttons could not be made, or None when they can."""
    from bot.dialog import callbacks

    try:
        callbacks.encode("qs", quiz_id)
        callbacks.encode("qa", quiz_id, questions - 1, len(ANSWER_LETTERS) - 1)
    except ValueError:
        longest = _longest_quiz_id()
        if len(quiz_id) > longest:
            return (
                f"测验编号 id '{quiz_id}' 太长（{len(quiz_id)} 个字符），按钮里放不下："
                f"最多 {longest} 个字符"
            )
        return f"测验 '{quiz_id}' 的题目太多（{questions} 道），按钮里放不下：请分成几个测验"
    return None


def _guidance_problems(guidance: Guidance, node: yaml.Node, file: str) -> Iterator[Problem]:
    from bot.dialog.guide import page_reply
    from bot.dialog.replies import length

    carded: dict[str, int] = {}
    for i, card in enumerate(guidance.cards):
        if card.category in carded:
            yield Problem(
                file,
                node_at(node, ("cards", i, "category")),
                f"类别 '{card.category}' 已经有一张卡片了（第 {carded[card.category] + 1} 张）："
                "每种骗局只写一张卡片",
            )
        carded.setdefault(card.category, i)
    # Render every page exactly as the bot does; the guide needs nothing but the guidance.
    content = Content((), SignalFile.model_construct(danger_signals=()), Blocklist(), guidance, ())
    for page in range(1 + len(guidance.cards)):
        shown = length(page_reply(content, page, edit=False).text)
        if shown <= MAX_MESSAGE:
            continue
        if page == 0:
            place, line = (
                "三不口诀那一页（welcome、rule、talk_to_family）",
                node_at(node, ("rule",)),
            )
        else:
            place, line = f"第 {page} 张卡片（cards）", node_at(node, ("cards", page - 1))
        yield Problem(
            file,
            line,
            f"{place}显示出来有 {shown} 个字，超过了 Telegram 一条消息的上限 "
            f"{MAX_MESSAGE} 个字：请写短一些",
        )


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
