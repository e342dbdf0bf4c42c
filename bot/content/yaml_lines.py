"""YAML with line numbers: compose a file into a node tree and map places back to lines.

Pydantic reports a place as a path of keys and indexes; the node tree turns that path into
the line staff should look at. YAML syntax errors and repeated keys are reported here too,
since only the node tree sees them.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Any

import yaml

from bot.content.problems import Problem


def line_of(node: yaml.Node) -> int:
    """The 1-based line a node starts on."""
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
    line = line_of(root)
    for part in loc:
        k, v = _child(node, part)
        if v is None:
            break
        node = v
        line = line_of(k) if (key_line and k is not None) else line_of(v)
    return line


def in_file(root: yaml.Node, loc: Sequence[str | int]) -> tuple[str | int, ...]:
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


def duplicate_keys(node: yaml.Node, file: str) -> list[Problem]:
    """A problem for every key written twice in the same mapping, at the second one."""
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for k, v in node.value:
            name = str(k.value)
            if name in seen:
                problems.append(
                    Problem(
                        file,
                        line_of(k),
                        f"'{name}' 写了两次（第 {seen[name]} 行已有）：删掉一个，或把内容合在一起",
                    )
                )
            seen[name] = line_of(k)
            problems += duplicate_keys(v, file)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            problems += duplicate_keys(item, file)
    return problems


def named_field_line(node: yaml.Node, loc: Sequence[str | int], message: str) -> int | None:
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
            found.append((match.start(), line_of(key)))
    return min(found)[1] if found else None


#: libyaml's loader when PyYAML was built with it (much faster), else the pure-Python one.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: A file may expand (aliases counted as often as they are used) to this many nodes: far
#: above any real content file, far below what stalls the bot (an alias bomb of 550 bytes
#: expands to billions).
MAX_EXPANDED_NODES = 200_000
#: Integers longer than this many digits are refused before Python tries to read them.
MAX_INT_DIGITS = 18
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_INT_TAG = "tag:yaml.org,2002:int"
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ]+(\d{1,2}):(\d{2})(?::(\d{2}))?.*)?$")


class ContentYAMLError(Exception):
    """A file that parses but must not be built: a date that does not exist, a number too
    long, an alias that refers to itself or expands without end. Carries line and words."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _date_problem(value: str) -> str | None:
    """Why a YAML date or time cannot be, in words (None when it is a real one)."""
    match = _DATE.match(value.strip())
    if match is None:
        return None
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    if not 1 <= month <= 12:
        return f"日期 {value} 写得不对：月份只能是 1–12"
    try:
        datetime.date(year, month, day)
    except ValueError:
        return f"日期 {value} 写得不对：{year} 年 {month} 月没有 {day} 日"
    hour, minute = match.group(4), match.group(5)
    if hour is not None and not (0 <= int(hour) <= 23 and 0 <= int(minute) <= 59):
        return f"时间 {value} 写得不对：小时只能是 0–23，分钟只能是 0–59"
    return None


def _check_tree(root: yaml.Node) -> None:
    """Refuse what would crash or stall building the data (see ContentYAMLError)."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def size(node: yaml.Node) -> int:
        ident = id(node)
        if ident in sizes:
            return sizes[ident]
        if ident in on_path:
            raise ContentYAMLError(
                line_of(node), "别名（& 和 *）引用了它自己，会无穷无尽：请把 * 换成具体的内容"
            )
        on_path.add(ident)
        total = 1
        if isinstance(node, yaml.ScalarNode):
            _check_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        on_path.discard(ident)
        if total > MAX_EXPANDED_NODES:
            raise ContentYAMLError(
                line_of(node),
                "别名（& 和 *）用得太多，展开后内容大得不正常：请直接写出内容，不要层层引用",
            )
        sizes[ident] = total
        return total

    size(root)


def _check_scalar(node: yaml.ScalarNode) -> None:
    if node.tag == _TIMESTAMP_TAG:
        problem = _date_problem(str(node.value))
        if problem is not None:
            raise ContentYAMLError(line_of(node), problem)
    elif node.tag == _INT_TAG:
        digits = str(node.value).lstrip("+-").replace("_", "")
        if len(digits) > MAX_INT_DIGITS:
            raise ContentYAMLError(
                line_of(node),
                f"数字太长了（{len(digits)} 位）：这里不需要这么长的数字；"
                '电话号码等请加上引号，例如 "96110"',
            )


def compose(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (with line numbers) and the plain data built from it, in one parse.

    Raises yaml.YAMLError for a file that is not YAML, and ContentYAMLError for one that
    must not be built (checked on the node tree first, so building never stalls).
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_tree(node)
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
    (
        "could not determine a constructor for the tag",
        "内容文件里不能用 !! 开头的标记（例如 !!python/…）：请删掉它，只写文字、数字和列表",
    ),
)


def reader_error(exc: yaml.reader.ReaderError, text: str) -> tuple[int, str]:
    """(line, message) for a character YAML does not accept (a control character)."""
    # libyaml counts the position in bytes, the Python reader in characters: find the
    # character itself instead.
    at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
    line = text[:at].count("\n") + 1 if at >= 0 else 0
    return line, (
        f"这一行有看不见的控制字符（#x{exc.character:04x}）：请删掉它"
        "（常见于从网页、Word 或微信复制来的文字）"
    )


def yaml_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """(line, message) for a YAML syntax error, in plain words with PyYAML's own in brackets."""
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
