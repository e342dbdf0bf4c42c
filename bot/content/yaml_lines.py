"""YAML with line numbers: compose a file into a node tree and map places back to lines.

Pydantic reports a place as a path of keys and indexes; the node tree turns that path into
the line staff should look at. YAML syntax errors and repeated keys are reported here too,
since only the node tree sees them.
"""

from __future__ import annotations

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


def compose(text: str) -> tuple[yaml.Node | None, Any]:
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
