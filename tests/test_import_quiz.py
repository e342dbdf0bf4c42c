"""Spreadsheets ↔ quizzes: import with row-numbered errors, export, and the round trip."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from openpyxl import Workbook, load_workbook

from bot.content.loader import parse_file, schema_header
from bot.content.models import Quiz
from bot.served.validate import validate
from bot.settings import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "import_quiz.py"
SAMPLE = PROJECT_ROOT / "scripts" / "samples" / "quiz_sample.csv"
HEADER = ["题目", "选项A", "选项B", "选项C", "选项D", "答案", "解析"]
INFO = ["--id", "sample_calls", "--title", "电话和链接防骗", "--description", "医保、快递和客服"]


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_quiz", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return _module()


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *(str(a) for a in args)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )


def _csv(path: Path, rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


class TestRoundTrip:
    def test_sample_import_validate_export_import(self, tmp_path: Path) -> None:
        """The sample sheet → valid quiz YAML → .xlsx → the same quiz YAML again."""
        first = tmp_path / "sample_calls.yaml"
        proc = run(SAMPLE, *INFO, "-o", first)
        assert proc.returncode == 0, proc.stderr
        text = first.read_text(encoding="utf-8")
        assert text.splitlines()[0] == schema_header("quiz", first, PROJECT_ROOT)
        assert validate([first], PROJECT_ROOT) == []
        loaded, _ = parse_file(first)
        assert isinstance(loaded.model, Quiz)
        assert len(loaded.model.questions) == 5
        assert len(loaded.model.questions[1].options) == 2  # empty C and D are left out

        sheet = tmp_path / "exported.xlsx"
        proc = run("--export", first, sheet)
        assert proc.returncode == 0, proc.stderr
        rows = list(load_workbook(sheet).worksheets[0].iter_rows(values_only=True))
        assert list(rows[0]) == HEADER
        assert len(rows) == 6

        second = tmp_path / "again" / "sample_calls.yaml"
        proc = run(sheet, "-o", second)  # id, title, description come from the 测验信息 sheet
        assert proc.returncode == 0, proc.stderr
        assert second.read_text(encoding="utf-8").splitlines()[1:] == text.splitlines()[1:]

    def test_shipped_quiz_survives_export_and_import(
        self, tmp_path: Path, tool: ModuleType
    ) -> None:
        """Exporting a shipped quiz and importing it back gives the same questions and tags."""
        shipped = PROJECT_ROOT / "quizzes" / "sanbu_basics.yaml"
        sheet = tmp_path / "sanbu.xlsx"
        tool.export_quiz(shipped, sheet)
        out = tmp_path / "sanbu_copy.yaml"
        tool.import_sheet(sheet, out, {"id": "sanbu_copy"})  # its own id is taken
        before, _ = parse_file(shipped)
        after, _ = parse_file(out)
        assert isinstance(before.model, Quiz) and isinstance(after.model, Quiz)
        assert after.model == before.model.model_copy(update={"id": "sanbu_copy"})

    def test_xlsx_made_by_hand(self, tmp_path: Path) -> None:
        """An .xlsx as staff make it (numbers as numbers, lower-case answer) imports cleanly."""
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(HEADER)
        sheet.append(
            ["报警电话是多少？", 110, 120, 119, None, "a", "遇到诈骗，钱转出去了，马上打 110。"]
        )
        sheet.append(
            ["陌生人要验证码，给不给？", "给", "不给", None, None, "Ｂ", "验证码就是钱包钥匙。"]
        )
        path = tmp_path / "手工.xlsx"
        book.save(path)
        out = tmp_path / "by_hand.yaml"
        proc = run(
            path, "--id", "by_hand", "--title", "手工表格", "--description", "试一试", "-o", out
        )
        assert proc.returncode == 0, proc.stderr
        loaded, problems = parse_file(out)
        assert problems == [] and isinstance(loaded.model, Quiz)
        first, second = loaded.model.questions
        assert first.options == ("110", "120", "119") and first.answer == "A"
        assert second.answer == "B"


class TestRowErrors:
    def test_each_bad_row_is_named_and_nothing_is_written(self, tmp_path: Path) -> None:
        """Every bad row is reported by its row number, exit 1, and no file appears."""
        sheet = _csv(
            tmp_path / "bad.csv",
            [
                ["问一", "对", "错", "", "", "A", "解析"],
                ["问二", "对", "错", "", "", "A", "解析"],
                ["问三", "对", "错", "", "", "A", "解析"],
                ["问四", "对", "错", "", "", "E", "解析"],
                ["问五", "对", "", "也对", "", "A", "解析"],
                ["问六", "对", "错", "", "", "C", "解析"],
                ["问七", "对", "对", "", "", "A", "解析"],
                ["", "对", "错", "", "", "A", ""],
            ],
        )
        out = tmp_path / "bad.yaml"
        proc = run(sheet, "--id", "bad", "--title", "t", "--description", "d", "-o", out)
        assert proc.returncode == 1
        assert "第 5 行：答案是 E，只能是 A–D" in proc.stderr
        assert "第 6 行：选项B 是空的" in proc.stderr
        assert "第 7 行：答案是 C，但 选项C 是空的" in proc.stderr
        assert "第 8 行：有两个一样的选项" in proc.stderr
        assert "第 9 行：题目是空的" in proc.stderr and "第 9 行：解析是空的" in proc.stderr
        assert not out.exists()

    def test_wrong_header_says_what_it_should_be(self, tmp_path: Path) -> None:
        """A missing or unknown column is named, with the header the sheet needs."""
        sheet = tmp_path / "head.csv"
        sheet.write_text("题目,选项A,选项B,选项C,答案,备注\n问,a,b,,A,x\n", encoding="utf-8")
        proc = run(sheet, *INFO, "-o", tmp_path / "x.yaml")
        assert proc.returncode == 1
        assert "第 1 行（表头）：不认识的列“备注”" in proc.stderr
        assert "缺少这些列：选项D、解析" in proc.stderr

    def test_gbk_csv_from_excel(self, tmp_path: Path) -> None:
        """A .csv saved by Chinese Excel (GBK) is read as well as UTF-8."""
        sheet = tmp_path / "gbk.csv"
        body = ",".join(HEADER) + "\n陌生链接点不点？,点,不点,,,B,不点陌生链接。\n"
        sheet.write_bytes(body.encode("gbk"))
        proc = run(
            sheet, "--id", "gbk", "--title", "t", "--description", "d", "-o", tmp_path / "g.yaml"
        )
        assert proc.returncode == 0, proc.stderr

    def test_id_of_a_shipped_quiz_is_refused(self, tmp_path: Path) -> None:
        """Importing under an id a shipped quiz already has is a problem, not an overwrite."""
        proc = run(
            SAMPLE,
            "--id",
            "sanbu_basics",
            "--title",
            "t",
            "--description",
            "d",
            "-o",
            tmp_path / "sanbu_basics.yaml",
        )
        assert proc.returncode == 1
        assert "'sanbu_basics' 重复了" in proc.stderr

    def test_existing_file_needs_force(self, tmp_path: Path) -> None:
        """An existing quiz file is only overwritten with --force."""
        out = tmp_path / "sample_calls.yaml"
        out.write_text("old", encoding="utf-8")
        assert run(SAMPLE, *INFO, "-o", out).returncode == 1
        assert out.read_text(encoding="utf-8") == "old"
        assert run(SAMPLE, *INFO, "-o", out, "--force").returncode == 0

    def test_export_of_a_broken_quiz_is_refused(self, tmp_path: Path) -> None:
        """A quiz file with problems is not exported; its problems are shown."""
        broken = PROJECT_ROOT / "tests" / "fixtures" / "broken" / "quiz_unknown_key.yaml"
        proc = run("--export", broken, tmp_path / "x.xlsx")
        assert proc.returncode == 1
        assert "answr → answer?" in proc.stderr
