"""The command line: `python -m bot {run,console,check,validate,stats}`."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO, cast

from bot import batch
from bot.check.engine import Checker
from bot.content.loader import Content, ContentError, load_content
from bot.lines import decode_line, scrub
from bot.pictures.errors import PictureError
from bot.settings import Settings


def _load(settings: Settings) -> Content | None:
    try:
        return load_content(settings.content_dir)
    except ContentError as exc:
        # Imported here: `check` needs none of what opens storage (a batch starts faster).
        from bot.startup import report_content_error

        report_content_error(exc)
        return None


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _batch_line(checker: Checker, lineno: int, line: str) -> dict[str, Any]:
    """The output for one input line (an error object for anything that is not an item)."""
    if not line:
        return {"id": None, "line": lineno, "error": "empty line"}
    try:
        item = json.loads(line, parse_constant=_no_constants)
    except RecursionError:
        return {"id": None, "line": lineno, "error": "not JSON: nested too deeply"}
    except json.JSONDecodeError as exc:
        return {"id": None, "line": lineno, "error": f"not JSON: {exc.msg}"}
    except ValueError as exc:  # NaN, Infinity, an integer too long to read
        return {"id": None, "line": lineno, "error": f"not JSON: {str(exc)[:80]}"}
    if not isinstance(item, dict):
        return {"id": None, "line": lineno, "error": "expected an object"}
    ident = item.get("id")
    if not (ident is None or isinstance(ident, (str, int, float, bool))):
        return {"id": None, "line": lineno, "error": "'id' must be a string or a number"}
    if isinstance(ident, str):
        ident = scrub(ident)
    if isinstance(item.get("image"), str) and "text" not in item:
        try:
            read = _read_image(Path(item["image"]))
        except (OSError, PictureError) as exc:
            return {"id": ident, "line": lineno, "error": _image_error(exc)}
        return {"id": ident, **checker.check(read).to_dict(), "source": "picture"}
    if not isinstance(item.get("text"), str):
        return {"id": ident, "line": lineno, "error": "missing string 'text' (or 'image')"}
    return {"id": ident, **checker.check(scrub(item["text"])).to_dict()}


def _read_image(path: Path) -> str:
    """The conversation read in a picture file (raises OSError or PictureError)."""
    from bot.pictures.read import read_picture

    return read_picture(path.read_bytes()).text


def _image_error(exc: Exception) -> str:
    if isinstance(exc, PictureError):
        return f"picture not read: {exc.problem}"
    return f"cannot open the picture file: {type(exc).__name__}"


def _answer_line(checker: Checker, lineno: int, raw: str | bytes) -> str:
    """One output line (JSON) for one input line; never raises."""
    text = decode_line(raw) if isinstance(raw, bytes) else scrub(raw)
    try:
        out = _batch_line(checker, lineno, text.strip())
        return json.dumps(out, ensure_ascii=False, allow_nan=False)
    except Exception as exc:  # a bug must cost one line, not the batch
        error = f"could not check this line: {type(exc).__name__}"
        return json.dumps({"id": None, "line": lineno, "error": error})


def _jsonl(checker: Checker, stdin: TextIO | BinaryIO, stdout: TextIO, workers: int = 1) -> int:
    """The batch contract: one output line per input line, in order, id echoed; a line
    that cannot be checked gets an error object, never an end to the batch. With several
    `workers`, lines are checked in worker processes (`bot.batch`)."""
    lines = cast(Iterable[str | bytes], stdin)
    batch.run(lines, functools.partial(_answer_line, checker), stdout, workers)
    stdout.flush()
    return 0


def _check_image(checker: Checker, content: Content, args: argparse.Namespace) -> int:
    """`check --image FILE`: read the picture, then check what it says."""
    from bot.dialog.picture import PROBLEMS

    try:
        read = _read_image(Path(args.image))
    except OSError as exc:
        print(f"打不开这个文件：{args.image}（{type(exc).__name__}）", file=sys.stderr)
        return 2
    except PictureError as exc:
        print(PROBLEMS[exc.problem], file=sys.stderr)
        return 1
    verdict = checker.check(read)
    if args.json:
        out = {**verdict.to_dict(), "source": "picture", "read": read}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        from bot.texts import verdict_text

        print(f"图片上读到：\n{read}\n")
        print(verdict_text(verdict, content.guidance, read))
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    content = _load(settings)
    if content is None:
        return 2
    checker = Checker.from_content(content)
    if args.jsonl:
        workers = args.workers if args.workers else batch.default_workers()
        return _jsonl(checker, sys.stdin.buffer, sys.stdout, workers)
    if args.image is not None:
        return _check_image(checker, content, args)
    text = " ".join(args.text) if args.text else sys.stdin.read()
    if not text.strip():
        print('请给出要检查的文字，例如：python -m bot check "有人说我涉嫌洗钱"', file=sys.stderr)
        return 2
    verdict = checker.check(text)
    if args.json:
        print(json.dumps(verdict.to_dict(), ensure_ascii=False, indent=2))
    else:
        from bot.texts import verdict_text

        print(verdict_text(verdict, content.guidance, text))
    return 0


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    from bot.served.validate import validate

    problems = validate([Path(p) for p in args.paths], settings.content_dir)
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n共 {len(problems)} 个问题 ({len(problems)} problem(s)).", file=sys.stderr)
        return 1
    print("内容检查通过 (content OK).")
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    import time
    from zoneinfo import ZoneInfo

    from bot.startup import open_storage_or_report
    from bot.stats.counters import collect
    from bot.stats.figures import figures_csv, figures_text

    storage = open_storage_or_report(settings)
    if storage is None:
        return 2
    try:
        figures = collect(storage, time.time(), ZoneInfo(settings.timezone))
    finally:
        storage.close()
    if args.csv:
        sys.stdout.write(figures_csv(figures))
    else:
        print(figures_text(figures))
    if args.png:
        from bot.stats.chart import figures_png

        Path(args.png).write_bytes(figures_png(figures))
        print(f"图表已保存 (chart saved): {args.png}", file=sys.stderr)
    return 0


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_console

    return run_console(settings)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.telegram_bot_token:
        print("没有设置 TELEGRAM_BOT_TOKEN：在终端里运行同一个机器人。", file=sys.stderr)
        return cmd_console(args, settings)
    from bot.telegram_app import run_polling

    return run_polling(settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Sanbu Guard 三不防骗助手")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="serve Telegram (with a token) or chat in the terminal")
    run.set_defaults(func=cmd_run)
    console = sub.add_parser("console", help="chat with the bot in this terminal")
    console.set_defaults(func=cmd_console)
    check = sub.add_parser("check", help="check a message for fraud")
    check.add_argument("text", nargs="*", help="the message (read from stdin if omitted)")
    mode = check.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print the verdict as JSON")
    mode.add_argument(
        "--jsonl",
        action="store_true",
        help='batch: {"id","text"} or {"id","image": PATH} lines on stdin',
    )
    check.add_argument("--image", metavar="FILE", help="check the text read in a picture")
    check.add_argument(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="--jsonl: processes that check lines (default: every core, at most 4; 1: this one)",
    )
    check.set_defaults(func=cmd_check)
    validate = sub.add_parser("validate", help="check content files; exit 1 on any problem")
    validate.add_argument("paths", nargs="*", help="files or folders (default: all shipped)")
    validate.set_defaults(func=cmd_validate)
    stats = sub.add_parser("stats", help="campaign figures for the last 7 and 30 days")
    stats.add_argument("--csv", action="store_true", help="write the table as CSV")
    stats.add_argument("--png", metavar="FILE", help="also save the chart as a PNG file")
    stats.set_defaults(func=cmd_stats)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run a command; returns the exit status."""
    args = build_parser().parse_args(argv)
    settings = Settings()
    # Chinese output must not crash on a terminal with a narrow encoding.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    try:
        return int(args.func(args, settings))
    except BrokenPipeError:
        # The reader went away (`… | head`): stop quietly, as other command-line tools do.
        # Exit at once: a normal exit would flush stdout into the broken pipe again, and
        # would wait on the batch's stdin reader, still blocked in a read.
        sys.stderr.flush()
        os._exit(1)
