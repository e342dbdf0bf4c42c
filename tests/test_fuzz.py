"""Fuzzing (hypothesis): whatever arrives, the check, the dialog, the batch contract and the
content loader answer — they never raise, and what they answer keeps its promises.

The examples are bounded and derandomized, so the suite stays fast and gives the same
verdict on every run; `scripts/fuzz.py` explores the same ideas far longer (random, seeded)
and reports its figures.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli import _jsonl
from bot.content.loader import Content, parse_file
from bot.dialog.router import Dialog
from bot.served.live import Served
from bot.storage import open_storage
from bot.taxonomy import CATEGORY_IDS
from bot.understand.reader import KINDS

FAST = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

#: Any code point, lone surrogates (which JSON can carry) and control characters included.
ANY_CHAR = st.one_of(
    st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"])
)
#: Characters the check and the reader care about, so that inputs reach deep paths.
NEAR_SCAM = st.sampled_from(
    [*"转账验证码安全账户公安局您好了吗钱万元怎么办被骗密码链接下载", "\u33c2", "1", " ", ".", "\n"]
)
TEXTS = st.one_of(
    # st.text() never yields a lone surrogate; a list of characters does.
    st.lists(ANY_CHAR, max_size=300).map("".join),
    st.text(NEAR_SCAM, max_size=300),
    st.lists(
        st.sampled_from(["您好，", "我是公安局的", "转账", "是真的吗？", "B", "钱被转走了怎么办"]),
        max_size=12,
    ).map("".join),
)


@pytest.fixture(scope="module")
def served(content: Content) -> Served:
    return Served.of(content)


@FAST
@given(text=TEXTS)
def test_the_check_answers_anything(served: Served, text: str) -> None:
    verdict = served.checker.check(text)
    out = verdict.to_dict()
    assert out["risk"] in ("high", "medium", "low", "none")
    assert out["category"] is None or out["category"] in CATEGORY_IDS
    assert math.isfinite(out["score"])
    json.dumps(out, ensure_ascii=False, allow_nan=False)  # always valid JSON


@FAST
@given(text=TEXTS, in_quiz=st.booleans())
def test_the_reader_reads_anything(served: Served, text: str, in_quiz: bool) -> None:
    options = ("不理他", "马上转账", "告诉验证码", "点链接") if in_quiz else None
    reading = served.reader.read(text, served.checker.check, options=options)
    assert reading.kind in KINDS


@pytest.fixture(scope="module")
def dialog(content: Content, tmp_path_factory: pytest.TempPathFactory) -> Dialog:
    path = tmp_path_factory.mktemp("fuzz") / "bot.db"
    return Dialog(content, open_storage(f"sqlite:///{path}"))


@FAST
@given(text=TEXTS, edited=st.booleans())
def test_the_dialog_answers_anything_within_telegrams_limits(
    dialog: Dialog, text: str, edited: bool
) -> None:
    response = dialog.text(1001, text, edited=edited)
    assert response.replies, "every text gets an answer"
    for reply in response.replies:
        assert reply.text.strip()
        assert len(reply.text.encode("utf-16-le")) // 2 <= 4096
        assert "Traceback" not in reply.text


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.lists(ANY_CHAR, max_size=20).map("".join),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)
ITEMS = st.fixed_dictionaries(
    {}, optional={"id": JSON_VALUES, "text": st.one_of(TEXTS, JSON_VALUES)}
).map(lambda item: json.dumps(item, ensure_ascii=False).encode("utf-8", "surrogatepass"))
LINES = st.one_of(
    ITEMS,
    st.binary(max_size=200).map(lambda b: b.replace(b"\n", b" ")),
    st.text(max_size=50).map(lambda t: ("[" * 5000 + t.replace("\n", " ")).encode()),
    st.sampled_from([b'{"id": NaN, "text": "x"}', b'{"id": 1' + b"9" * 5000 + b', "text": "x"}']),
)


@FAST
@given(lines=st.lists(LINES, min_size=1, max_size=8))
def test_the_batch_gives_one_valid_json_line_per_input_line(
    served: Served, lines: list[bytes]
) -> None:
    stdin = io.BytesIO(b"\n".join(lines) + b"\n")
    stdout = io.StringIO()
    assert _jsonl(served.checker, stdin, stdout) == 0
    # Only \n ends a JSON line (U+2028 inside a string is valid JSON, not a line break).
    out = stdout.getvalue().split("\n")[:-1]
    assert len(out) == len(lines)
    for number, shown in enumerate(out, start=1):
        parsed = json.loads(shown, parse_constant=lambda name: pytest.fail(f"{name} in output"))
        assert isinstance(parsed, dict) and "id" in parsed
        assert "risk" in parsed or parsed.get("line") == number


SHIPPED = sorted((Path(__file__).parent.parent / "content").glob("*.yaml")) + sorted(
    (Path(__file__).parent.parent / "quizzes").glob("*.yaml")
)


@st.composite
def damaged_files(draw: st.DrawFn) -> str:
    """A shipped content file with a few lines deleted, repeated, cut or garbled."""
    lines = draw(st.sampled_from(SHIPPED)).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "repeat", "cut", "insert", "indent"]))
        if action == "delete":
            del lines[at]
        elif action == "repeat":
            lines.insert(at, lines[at])
        elif action == "cut":
            lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
        elif action == "insert":
            junk = draw(
                st.text(
                    st.sampled_from([*":-[]{}&*!|>'\"# \t%@`", "\x00", "\x1b", "二"]),
                    max_size=12,
                )
            )
            lines.insert(at, junk)
        else:
            lines[at] = "  " + lines[at]
    return "\n".join(lines)


@FAST
@given(text=st.one_of(damaged_files(), st.lists(ANY_CHAR, max_size=200).map("".join)))
def test_the_loader_reports_a_damaged_file_never_raises(tmp_path: Path, text: str) -> None:
    path = tmp_path / "damaged.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    loaded, problems = parse_file(path)
    for problem in problems:
        assert problem.line >= 0 and problem.message.strip()
    assert loaded.model is not None or problems
