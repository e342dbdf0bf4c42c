"""Turn a spreadsheet into a quiz file, and a quiz file back into a spreadsheet.

Staff who work in Excel or WPS keep one row per question, under this header row:

    题目 | 选项A | 选项B | 选项C | 选项D | 答案 | 解析 | 标签 (optional)

Options C and D may be empty; 答案 is the letter of the right option (A–D); 标签 are tags
separated by 、 or commas. A .csv may be saved as UTF-8 or as GBK (Excel's default in China).

    # spreadsheet → quizzes/safe_calls.yaml (checked before it is written)
    .venv/bin/python scripts/import_quiz.py 题目.xlsx --id safe_calls --title 接电话防骗 \\
        --description 陌生来电怎么应对
    # quiz → spreadsheet (a second sheet, 测验信息, keeps the id, title and description,
    # so importing it again needs no options)
    .venv/bin/python scripts/import_quiz.py --export quizzes/sanbu_basics.yaml 三不.xlsx

Every mistake is reported with its row ("第 5 行：答案是 E，只能是 A–D") and nothing is
written; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bot.content.loader import node_at, parse_file, schema_header  # noqa: E402
from bot.content.models import ANSWER_LETTERS, Quiz  # noqa: E402
from bot.served.validate import validate  # noqa: E402

QUESTION, ANSWER, EXPLANATION, TAGS = "题目", "答案", "解析", "标签"
OPTIONS = tuple(f"选项{letter}" for letter in ANSWER_LETTERS)
COLUMNS = (QUESTION, *OPTIONS, ANSWER, EXPLANATION)
#: The sheet with the questions, and the one with the quiz's id, title and description.
QUESTIONS_SHEET, INFO_SHEET = "题目", "测验信息"
#: The info sheet's rows: the key in the quiz file, and the words staff may use for it.
INFO_KEYS = {
    "id": ("id", "编号"),
    "title": ("title", "标题"),
    "description": ("description", "简介", "介绍"),
    "difficulty": ("difficulty", "难度"),
    "tags": ("tags", "标签"),
}
#: Other names staff give the columns, taken as the real ones.
ALIASES = {
    "问题": QUESTION,
    "题干": QUESTION,
    "正确答案": ANSWER,
    "解释": EXPLANATION,
    "说明": EXPLANATION,
    "答案解析": EXPLANATION,
    **{letter: f"选项{letter}" for letter in ANSWER_LETTERS},
}
TAG_SEPARATORS = re.compile(r"[、,，;；\s]+")


class SheetError(Exception):
    """The spreadsheet cannot become a quiz; carries every problem, in row order."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Row:
    """One question row: its row number in the sheet (1 = the header) and its cells."""

    number: int
    cells: dict[str, str]


# --- reading --------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as the text staff see: 110.0 → "110", None → ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _plain(text: str) -> str:
    """Full-width letters and spaces folded: "选项 Ａ" → "选项A"."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [[_text(c) for c in row] for row in csv.reader(io.StringIO(text))]
    raise SheetError(["文件编码认不出来：请在 Excel 里“另存为”CSV UTF-8 格式"])


def _read_xlsx(path: Path) -> tuple[list[list[str]], dict[str, str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise SheetError([f"打不开这个 .xlsx 文件：{exc}"]) from None
    try:
        sheet = book[QUESTIONS_SHEET] if QUESTIONS_SHEET in book.sheetnames else book.worksheets[0]
        rows = [[_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        info: dict[str, str] = {}
        if INFO_SHEET in book.sheetnames:
            for row in book[INFO_SHEET].iter_rows(values_only=True):
                cells = [_text(c) for c in row]
                if len(cells) >= 2 and cells[0]:
                    info[cells[0]] = cells[1]
    finally:
        book.close()
    return rows, _info_fields(info)


def _info_fields(info: dict[str, str]) -> dict[str, str]:
    """The info sheet's rows under the quiz file's key names."""
    out: dict[str, str] = {}
    for key, names in INFO_KEYS.items():
        for name in names:
            if info.get(name):
                out[key] = info[name]
                break
    return out


def read_sheet(path: Path) -> tuple[list[list[str]], dict[str, str]]:
    """The rows of a .csv or .xlsx (all cells as text), and any quiz info it carries."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise SheetError([f"找不到文件 {path}"])
    if suffix == ".csv":
        return _read_csv(path), {}
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise SheetError([f"只能导入 .xlsx 或 .csv 文件（现在是 {suffix or '没有扩展名'}）"])


def _columns(header: list[str]) -> dict[str, int]:
    """Column name → index, checking the header row."""
    problems: list[str] = []
    found: dict[str, int] = {}
    known = (*COLUMNS, TAGS)
    for i, name in enumerate(_plain(h) for h in header):
        if not name:
            continue
        name = ALIASES.get(name.upper() if len(name) == 1 else name, name)
        if name in known and name not in found:
            found[name] = i
        elif name in found:
            problems.append(f"第 1 行（表头）：“{name}”这一列出现了两次")
        else:
            close = [k for k in known if k in name or name in k]
            hint = f"，是不是“{close[0]}”？" if close else ""
            problems.append(f"第 1 行（表头）：不认识的列“{name}”{hint}")
    missing = [c for c in COLUMNS if c not in found]
    if missing:
        problems.append(
            f"第 1 行（表头）：缺少这些列：{'、'.join(missing)}；"
            f"表头要依次是：{'、'.join(COLUMNS)}（{TAGS} 可以不要）"
        )
    if problems:
        raise SheetError(problems)
    return found


def question_rows(rows: list[list[str]]) -> list[Row]:
    """The non-empty rows under the header, with their row numbers."""
    if not rows or not any(rows[0]):
        raise SheetError(["第 1 行要是表头：" + "、".join(COLUMNS)])
    columns = _columns(rows[0])
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        cells = {name: (row[i] if i < len(row) else "") for name, i in columns.items()}
        out.append(Row(number, cells))
    if not out:
        raise SheetError(["表格里没有题目：从第 2 行开始，每行写一道题"])
    return out


# --- rows → quiz ----------------------------------------------------------------------------


def _question(row: Row) -> tuple[dict[str, Any] | None, list[str]]:
    """One question from one row, or the row's problems."""
    at = f"第 {row.number} 行："
    cells = row.cells
    problems: list[str] = []
    if not cells[QUESTION]:
        problems.append(f"{at}题目是空的")
    options = [cells[name] for name in OPTIONS]
    while options and not options[-1]:
        options.pop()
    for name, text in zip(OPTIONS, options, strict=False):
        if not text:
            later = OPTIONS[len(options) - 1]
            problems.append(f"{at}{name} 是空的，但 {later} 有内容：选项要从 A 开始按顺序填")
    if len(options) < 2:
        problems.append(f"{at}至少要有 选项A 和 选项B 两个选项")
    answer = _plain(cells[ANSWER]).upper().rstrip(".。")
    if not answer:
        problems.append(f"{at}答案是空的：请填 A、B、C 或 D")
    elif answer not in ANSWER_LETTERS:
        problems.append(f"{at}答案是 {cells[ANSWER]}，只能是 A–D")
    elif ANSWER_LETTERS.index(answer) >= len(options):
        problems.append(f"{at}答案是 {answer}，但 选项{answer} 是空的")
    if not cells[EXPLANATION]:
        problems.append(f"{at}解析是空的：请写一两句话，说明为什么选这个答案")
    if problems:
        return None, problems
    question: dict[str, Any] = {
        "question": cells[QUESTION],
        "options": options,
        "answer": answer,
        "explanation": cells[EXPLANATION],
    }
    tags = [t for t in TAG_SEPARATORS.split(cells.get(TAGS, "")) if t]
    if tags:
        question["tags"] = tags
    return question, []


def build_quiz(
    rows: Iterable[Row], info: dict[str, str]
) -> tuple[dict[str, Any], list[int], list[str]]:
    """The quiz as plain data (from the rows that are fine), the sheet row of each of its
    questions, and the problems found in the other rows and the quiz info."""
    problems: list[str] = []
    for key in ("id", "title", "description"):
        if not info.get(key):
            problems.append(f"缺少测验的 {key}：请用 --{key} 给出")
    questions: list[dict[str, Any]] = []
    numbers: list[int] = []
    for row in rows:
        question, row_problems = _question(row)
        problems += row_problems
        if question is not None:
            questions.append(question)
            numbers.append(row.number)
    quiz: dict[str, Any] = {k: info.get(k, "") for k in ("id", "title", "description")}
    if info.get("difficulty"):
        quiz["difficulty"] = info["difficulty"]
    tags = [t for t in TAG_SEPARATORS.split(info.get("tags", "")) if t]
    if tags:
        quiz["tags"] = tags
    quiz["questions"] = questions
    return quiz, numbers, problems


# --- quiz → YAML ----------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as the shipped quiz files do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)


def to_yaml(quiz: dict[str, Any], out: Path) -> str:
    """The quiz file's text: the schema line, the quiz's fields, a blank line between questions."""
    head = {k: v for k, v in quiz.items() if k != "questions"}
    parts = [schema_header("quiz", out.resolve(), ROOT), _dump(head).rstrip(), "questions:"]
    for i, question in enumerate(quiz["questions"]):
        block = _dump([question]).rstrip()
        parts.append(
            ("" if i == 0 else "\n") + "\n".join(f"  {line}" for line in block.split("\n"))
        )
    return "\n".join(parts) + "\n"


def check_text(text: str, out: Path, numbers: Sequence[int]) -> list[str]:
    """Everything the validator finds in the quiz file about to be written, by sheet row."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / out.name
        path.write_text(text, encoding="utf-8")
        problems = validate([path], ROOT, replaces=[out])
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    starts = [node_at(node, ("questions", i)) for i in range(len(numbers))] if node else []
    messages = []
    for problem in problems:
        index = max((i for i, start in enumerate(starts) if start <= problem.line), default=None)
        where = (
            "测验信息（--id、--title、--description）"
            if index is None
            else f"第 {numbers[index]} 行"
        )
        # The row number says where; the validator's "第 N 题" counts only the good rows.
        message = re.sub(r"^第 \d+ 题的?\s*", "", problem.message)
        messages.append(f"{where}：{message}")
    return messages


def _row_order(problem: str) -> int:
    match = re.match(r"第 (\d+) 行", problem)
    return int(match.group(1)) if match else 0


def import_sheet(
    sheet: Path, out: Path, info: dict[str, str], *, force: bool = False
) -> dict[str, Any]:
    """Write the quiz made from `sheet` to `out` and return it; raises SheetError."""
    rows, sheet_info = read_sheet(sheet)
    merged = {**sheet_info, **{k: v for k, v in info.items() if v}}
    quiz, numbers, problems = build_quiz(question_rows(rows), merged)
    if out.exists() and not force:
        raise SheetError([f"{out} 已经存在：要覆盖它，请加上 --force"])
    text = to_yaml(quiz, out)
    if all(quiz[k] for k in ("id", "title", "description")) and numbers:
        # The rows that are fine still go through every check the validator makes.
        problems += check_text(text, out, numbers)
    if problems:
        raise SheetError(sorted(problems, key=_row_order))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return quiz


# --- quiz → spreadsheet ---------------------------------------------------------------------


def export_quiz(quiz_file: Path, out: Path) -> Quiz:
    """Write a (valid) quiz file to an .xlsx; raises SheetError when the quiz has problems."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    if out.suffix.lower() != ".xlsx":
        raise SheetError([f"只能导出成 .xlsx 文件（现在是 {out.name}）"])
    loaded, problems = parse_file(quiz_file, kind="quiz")
    if problems or not isinstance(loaded.model, Quiz):
        raise SheetError([str(p) for p in problems] or [f"{quiz_file} 不是测验文件"])
    quiz = loaded.model
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = QUESTIONS_SHEET
    with_tags = any(q.tags for q in quiz.questions)
    sheet.append([*COLUMNS, *([TAGS] if with_tags else [])])
    for q in quiz.questions:
        options = [*q.options, *[""] * (len(OPTIONS) - len(q.options))]
        sheet.append(
            [
                q.question,
                *options,
                q.answer,
                q.explanation,
                *(["、".join(q.tags)] if with_tags else []),
            ]
        )
    widths = {"A": 40, "B": 22, "C": 22, "D": 22, "E": 22, "F": 6, "G": 50, "H": 16}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    info = book.create_sheet(INFO_SHEET)
    info.append(["id", quiz.id])
    info.append(["title", quiz.title])
    info.append(["description", quiz.description])
    info.append(["difficulty", quiz.difficulty or ""])
    info.append(["tags", "、".join(quiz.tags)])
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 60
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return quiz


# --- command line ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="表格（.xlsx/.csv）↔ 测验文件（quizzes/*.yaml）",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__,
    )
    parser.add_argument("sheet", nargs="?", type=Path, help="要导入的 .xlsx 或 .csv")
    parser.add_argument("--id", default="", help="测验编号，例如 safe_calls（小写字母、数字、_）")
    parser.add_argument("--title", default="", help="测验标题（写在按钮上）")
    parser.add_argument("--description", default="", help="一句话介绍")
    parser.add_argument("--difficulty", default="", choices=["", "easy", "medium", "hard"])
    parser.add_argument("--tags", default="", help="测验的标签，用顿号或逗号分开")
    parser.add_argument("-o", "--out", type=Path, help="写到哪里（默认 quizzes/<id>.yaml）")
    parser.add_argument("--force", action="store_true", help="覆盖已有的测验文件")
    parser.add_argument(
        "--export", nargs=2, type=Path, metavar=("QUIZ.yaml", "OUT.xlsx"), help="把测验导出成表格"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the import or the export; returns the exit status (1 on any problem)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.export:
            quiz_file, out = args.export
            quiz = export_quiz(quiz_file, out)
            print(f"已导出 {len(quiz.questions)} 道题到 {out}")
            return 0
        if args.sheet is None:
            parser.error("请给出要导入的表格文件，或用 --export 导出")
        info = {
            "id": args.id,
            "title": args.title,
            "description": args.description,
            "difficulty": args.difficulty,
            "tags": args.tags,
        }
        quiz_id = args.id or read_sheet(args.sheet)[1].get("id", "")
        out = args.out or ROOT / "quizzes" / f"{quiz_id or 'new_quiz'}.yaml"
        quiz = import_sheet(args.sheet, out, info, force=args.force)
    except SheetError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"\n共 {len(exc.problems)} 个问题，没有写入文件。", file=sys.stderr)
        return 1
    print(f"已写入 {out}（{len(quiz['questions'])} 道题），检查通过。")
    print("发布：重启机器人，或请管理员在 Telegram 里发 /reload。")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
