"""The command line contract: `check`, `check --json`, `check --jsonl`, `validate`."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

from bot.settings import PROJECT_ROOT

SCAM = "我是市公安局的，你的银行卡涉嫌洗钱，马上把钱转到安全账户，不要告诉家人"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )


class TestCheck:
    def test_readable_verdict(self) -> None:
        """`check TEXT` prints the risk, the scam's name and what to do."""
        proc = run("check", SCAM)
        assert proc.returncode == 0, proc.stderr
        assert "高风险" in proc.stdout
        assert "冒充公检法" in proc.stdout
        assert "96110" in proc.stdout

    def test_json(self) -> None:
        """`--json` gives the verdict's fields."""
        proc = run("check", "--json", SCAM)
        verdict = json.loads(proc.stdout)
        assert verdict["risk"] == "high"
        assert verdict["category"] == "impersonate_police"
        assert 0 <= verdict["score"] <= 100
        assert verdict["matched"]

    def test_empty_text_is_a_clear_error(self) -> None:
        """No text: a usage hint and exit 2, not a traceback."""
        proc = run("check", stdin="   ")
        assert proc.returncode == 2
        assert "Traceback" not in proc.stderr
        assert "请给出要检查的文字" in proc.stderr


class TestJsonl:
    def test_one_line_out_per_line_in_and_in_order(self) -> None:
        """Every input line, good or malformed, gets exactly one output line, in order."""
        lines = [
            json.dumps({"id": 1, "text": SCAM}, ensure_ascii=False),
            "this is not json",
            json.dumps({"id": "b", "text": "妈，我晚上回家吃饭，帮我留点汤。"}, ensure_ascii=False),
            json.dumps({"id": "c"}),
            json.dumps([1, 2]),
            "",
            json.dumps({"id": None, "text": ""}),
        ]
        proc = run("check", "--jsonl", stdin="\n".join(lines) + "\n")
        assert proc.returncode == 0, proc.stderr
        out = [json.loads(line) for line in proc.stdout.splitlines()]
        assert len(out) == len(lines)
        assert out[0]["id"] == 1 and out[0]["risk"] == "high"
        assert out[0]["category"] == "impersonate_police"
        assert "error" in out[1] and out[1]["line"] == 2
        assert out[2]["id"] == "b" and out[2]["risk"] == "none" and out[2]["category"] is None
        assert out[3]["id"] == "c" and "text" in out[3]["error"]
        assert "error" in out[4] and "error" in out[5]
        assert out[6]["risk"] == "none"
        for item in (out[0], out[2], out[6]):
            assert {"id", "risk", "category", "score", "matched"} <= item.keys()


class TestValidate:
    def test_shipped_content_is_valid(self) -> None:
        """The content the bot ships validates cleanly (examples caught, counters not)."""
        proc = run("validate")
        assert proc.returncode == 0, proc.stdout + proc.stderr

    def test_broken_file_exits_1_with_file_line_message(self, tmp_path: Path) -> None:
        """A broken file: every problem as `file:line: message`, exit 1."""
        bad = tmp_path / "bad_quiz.yaml"
        bad.write_text(
            "id: bad\ntitle: t\ndescription: d\nquestions:\n"
            "  - question: q\n    options: [a, b]\n    answr: A\n    explanation: e\n",
            encoding="utf-8",
        )
        proc = run("validate", str(bad))
        assert proc.returncode == 1
        assert "bad_quiz.yaml:7: " in proc.stdout
        assert "answr → answer?" in proc.stdout

    def test_pattern_examples_are_run(self, tmp_path: Path) -> None:
        """A pattern whose example is not caught (or counter-example is) is reported."""
        bad = tmp_path / "weak_pattern.yaml"
        bad.write_text(
            "id: my_loan\ncategory: loan\nname: 测试\nphrases:\n  weak: [贷款]\n"
            "advice: [别先交钱]\nexamples:\n  - 今天天气很好\ncounter_examples:\n"
            "  - 我是公安局的，你涉嫌洗钱，马上把钱转到安全账户\n",
            encoding="utf-8",
        )
        proc = run("validate", str(bad))
        assert proc.returncode == 1
        assert "weak_pattern.yaml:8: 例子没被认出来" in proc.stdout
        assert "weak_pattern.yaml:10: 反例被误报" in proc.stdout


class TestBatchNeverBreaks:
    """`check --jsonl`: one valid JSON line out per line in, whatever the line holds."""

    def test_hostile_lines_each_get_an_answer_and_the_batch_goes_on(self) -> None:
        lines = [
            b'{"id":1,"text":"\\ud800\xe4\xbd\xa0\xe5\xa5\xbd"}',  # a lone surrogate
            b'{"id":NaN,"text":"x"}',
            b'{"id":' + b"9" * 5000 + b',"text":"x"}',
            b"[" * 100_000,
            '{"id":"gbk","text":"我是公安局的，你涉嫌洗钱，把钱转到安全账户"}'.encode("gbk"),
            b'{"id":{"a":1},"text":"x"}',
            b'{"id":"last","text":"\xe5\xa6\x88\xef\xbc\x8c\xe6\x88\x91\xe5\x88\xb0\xe5\xae\xb6\xe4\xba\x86"}',
        ]
        result = subprocess.run(
            [sys.executable, "-m", "bot", "check", "--jsonl"],
            input=b"\n".join(lines) + b"\n",
            capture_output=True,
            cwd=PROJECT_ROOT,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr.decode(errors="replace")
        out = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
        assert len(out) == len(lines)
        assert out[0]["id"] == 1 and "risk" in out[0]
        assert all("error" in o and o["id"] is None for o in out[1:4])
        assert out[4]["id"] == "gbk" and out[4]["risk"] == "high"
        assert "error" in out[5]
        assert out[6]["id"] == "last" and out[6]["risk"] == "none"
        assert b"Traceback" not in result.stderr


class TestBatchOnSeveralCores:
    """`check --jsonl --workers N`: the same lines, in the same order, as one process."""

    def test_workers_answer_like_one_process(self) -> None:
        lines = []
        for i in range(300):
            if i % 37 == 5:
                lines.append("not json")
            elif i % 41 == 7:
                lines.append("")
            else:
                lines.append(json.dumps({"id": i, "text": f"我是公安局的，你涉嫌洗钱{i}"}))
        payload = "\n".join(lines) + "\n"
        one = run("check", "--jsonl", "--workers", "1", stdin=payload)
        two = run("check", "--jsonl", "--workers", "3", stdin=payload)
        assert one.returncode == two.returncode == 0
        assert one.stdout == two.stdout
        assert len(two.stdout.splitlines()) == 300

    def test_a_worker_that_dies_costs_no_line(self) -> None:
        import io
        import os

        from bot import batch

        parent = os.getpid()

        def answer(lineno: int, raw: str | bytes) -> str:
            if os.getpid() != parent and lineno == 70:
                os._exit(1)  # a worker killed mid-batch (out of memory, say)
            return f"{lineno}:{raw!s}".strip()

        out = io.StringIO()
        batch.run([f"line{i}\n" for i in range(1, 301)], answer, out, workers=2)
        assert out.getvalue().splitlines() == [f"{i}:line{i}" for i in range(1, 301)]


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    """`check --jsonl … | head -1`: the batch stops quietly when its reader goes away."""
    lines = "".join(json.dumps({"id": i, "text": "你好" * 50}) + "\n" for i in range(20000))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "check", "--jsonl"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=PROJECT_ROOT,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None

    def feed() -> None:
        try:
            proc.stdin.write(lines.encode())  # type: ignore[union-attr]
            proc.stdin.close()  # type: ignore[union-attr]
        except BrokenPipeError:
            pass  # the batch stopped reading: what this test is about

    threading.Thread(target=feed, daemon=True).start()
    first = proc.stdout.readline()
    assert json.loads(first)["id"] == 0
    proc.stdout.close()  # the reader goes away
    assert proc.wait(timeout=120) == 1
    assert b"Traceback" not in proc.stderr.read()
