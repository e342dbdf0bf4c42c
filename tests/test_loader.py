"""The content loader: every problem comes back as `file:line: message` a person can act on."""

from pathlib import Path

import pytest

from bot.content.loader import ContentError, load_content, parse_file
from bot.content.models import Quiz
from bot.settings import PROJECT_ROOT

GOOD_QUIZ = """\
id: demo
title: 小测验
description: 试一试
questions:
  - question: 公安会让您转到安全账户吗？
    options: [会, 不会]
    answer: B
    explanation: 没有安全账户。
"""

BROKEN = [
    # (file text, line, words the message must contain)
    ("id: demo\ntitle: [unclosed\n", 2, "YAML 格式错误"),
    ("id: demo\n  title: bad indent\n", 2, "YAML 格式错误"),
    (GOOD_QUIZ.replace("    answer: B", "    answr: B"), 7, "'answr'"),
    (GOOD_QUIZ.replace("    answer: B", "    answr: B"), 7, "answr → answer?"),
    (GOOD_QUIZ.replace("    answer: B\n", ""), 5, "缺少必填项 'answer'"),
    (GOOD_QUIZ.replace("answer: B", "answer: E"), 7, "只能是"),
    (GOOD_QUIZ.replace("answer: B", "answer: C"), 7, "只有 2 个选项"),
    (GOOD_QUIZ.replace("[会, 不会]", "[会, 会]"), 6, "两个一样的选项"),
    (GOOD_QUIZ.replace("[会, 不会]", "[会]"), 6, "至少要 2 项"),
    (GOOD_QUIZ.replace("id: demo", "id: Demo Quiz"), 1, "编号只能用"),
    (GOOD_QUIZ.replace("title: 小测验", "title: 小测验\ntitle: 又一个"), 3, "写了两次"),
    (GOOD_QUIZ.replace("description: 试一试\n", ""), 1, "缺少必填项 'description'"),
    ("", 1, "文件是空的"),
    ("just: a map\n", 1, "看不出这是什么内容文件"),
    (
        "id: x\ncategory: not_a_category\nname: n\nphrases: {strong: [a]}\nadvice: [a]\nexamples: [a]\n",
        2,
        "只能是",
    ),
    (
        "id: x\ncategory: loan\nname: n\nphrases: {}\nadvice: [a]\nexamples: [a]\n",
        4,  # at the phrases the message names
        "至少要写一个短语",
    ),
    (
        "id: x\ncategory: loan\nname: n\nphrases: {strong: [a]}\nregexes: ['(unclosed']\nadvice: [a]\nexamples: [a]\n",
        5,
        "正则表达式写错了",
    ),
]


@pytest.mark.parametrize(("text", "line", "words"), BROKEN)
def test_broken_file_reports_line_and_words(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    """Each broken file yields a problem at the right line with an actionable message."""
    path = tmp_path / "item.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, problems = parse_file(path)
    assert loaded.model is None
    assert any(p.line == line and words in p.message for p in problems), problems
    assert all(str(p).startswith(f"{p.file}:{p.line}: ") for p in problems)


def test_good_quiz_loads_frozen(tmp_path: Path) -> None:
    """A valid quiz loads into an immutable model."""
    path = tmp_path / "q.yaml"
    path.write_text(GOOD_QUIZ, encoding="utf-8")
    loaded, problems = parse_file(path)
    assert problems == []
    assert isinstance(loaded.model, Quiz)
    assert loaded.model.questions[0].answer_index == 1
    with pytest.raises(Exception, match="frozen"):
        loaded.model.title = "x"  # type: ignore[misc]


def test_not_utf8_is_reported(tmp_path: Path) -> None:
    """A file saved in GBK gets a message that says how to fix it."""
    path = tmp_path / "q.yaml"
    path.write_bytes("标题: 测验".encode("gbk"))
    _, problems = parse_file(path)
    assert "UTF-8" in problems[0].message


def test_shipped_content_loads() -> None:
    """Everything the bot ships loads cleanly, with a pattern and a card for each category."""
    content = load_content(PROJECT_ROOT)
    assert content.quizzes
    assert len({c.category for c in content.guidance.cards}) == 19


def test_missing_content_lists_every_problem(tmp_path: Path) -> None:
    """An empty content folder is refused with all that is missing, not the first thing."""
    with pytest.raises(ContentError) as info:
        load_content(tmp_path)
    text = str(info.value)
    assert "signals" in text and "guidance" in text and "impersonate_police" in text


class TestContentType:
    def test_schema_line_names_the_type_when_keys_cannot(self, tmp_path: Path) -> None:
        """A quiz with no questions yet is still read as a quiz when its first line says so."""
        path = tmp_path / "new.yaml"
        path.write_text(
            "# yaml-language-server: $schema=../schemas/quiz.schema.json\n"
            "id: new\ntitle: 新测验\ndescription: 还没写题\n",
            encoding="utf-8",
        )
        loaded, problems = parse_file(path)
        assert loaded.kind == "quiz"
        assert [str(p).split(": ", 1)[1] for p in problems] == [
            "缺少必填项 'questions' (missing field)：请在文件里加上 questions: …"
        ]

    def test_without_a_schema_line_the_keys_decide(self, tmp_path: Path) -> None:
        """No first line: the type comes from the keys (questions → quiz)."""
        path = tmp_path / "q.yaml"
        path.write_text(GOOD_QUIZ, encoding="utf-8")
        loaded, _ = parse_file(path)
        assert loaded.kind == "quiz"


class TestValidateNamedFiles:
    def test_a_shipped_file_named_alone_is_not_its_own_duplicate(self) -> None:
        """Validating a shipped quiz by path compares it with the others, not with itself."""
        from bot.served.validate import validate

        assert validate([PROJECT_ROOT / "quizzes" / "sanbu_basics.yaml"], PROJECT_ROOT) == []

    def test_a_new_file_with_a_shipped_id_is_reported(self, tmp_path: Path) -> None:
        """A new quiz reusing a shipped quiz's id is told which file has it."""
        from bot.served.validate import validate

        path = tmp_path / "copy.yaml"
        path.write_text(GOOD_QUIZ.replace("id: demo", "id: sanbu_basics"), encoding="utf-8")
        problems = validate([path], PROJECT_ROOT)
        assert len(problems) == 1
        assert problems[0].line == 1
        assert "'sanbu_basics' 重复了" in problems[0].message
        assert "sanbu_basics.yaml:2" in problems[0].message
