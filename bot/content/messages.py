"""Pydantic's errors in plain words that a non-programmer can act on.

Each message names the place in the file in words (第 3 题的 answer) and keeps the English
key names, so staff can find the spot; a misspelt key or value gets the closest known one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from bot.content.rules import MAX_MESSAGE


def fields_of(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
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
    "intents": "第 {n} 个说法（intents）",
    "faqs": "第 {n} 个问题（faqs）",
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


def describe(err: Any, model: type[BaseModel], loc: tuple[str | int, ...] | None = None) -> str:
    """Turn one pydantic error into words a non-programmer can act on."""
    loc = tuple(err["loc"]) if loc is None else loc
    place = where(loc)
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx", {}) or {}
    if kind == "extra_forbidden":
        name = str(loc[-1])
        known = fields_of(model, loc[:-1])
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
        if loc and loc[-1] == "answer":
            return f"{place} 太长了：现在 {size} 个字，最多 {limit} 个字：老人在手机上要一眼读完"
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
