"""Write one JSON Schema per content type into schemas/, from the pydantic models.

Editors that understand the first line of a content file
(`# yaml-language-server: $schema=../schemas/quiz.schema.json`, e.g. VS Code with the YAML
extension) then check the file, complete keys and show each field's description while
staff type. The schemas are committed; tests/test_schemas.py fails when they are stale.

    .venv/bin/python scripts/gen_schemas.py           # rewrite schemas/*.schema.json
    .venv/bin/python scripts/gen_schemas.py --check   # exit 1 if any file is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.loader import KINDS, SCHEMA_DIR, schema_file  # noqa: E402

#: What each file is, in the words an editor shows on hover.
TITLES = {
    "quiz": ("测验 (quiz)", "quizzes/*.yaml：一个防骗小测验，每道题 2–4 个选项、一个答案和解析。"),
    "pattern": (
        "防骗规则 (fraud pattern)",
        "content/patterns/*.yaml：一类骗局的短语、建议、必须认出的例句和不能误报的反例。",
    ),
    "signals": ("危险信号 (signals)", "content/signals.yaml：各类骗局共有的危险信号和安全标记。"),
    "blocklist": ("黑名单 (blocklist)", "content/blocklist.yaml：已确认的诈骗网址和电话号码。"),
    "guidance": (
        "防骗指南 (guidance)",
        "content/guidance.yaml：欢迎语、三不口诀、求助电话、钱已转出怎么办、每类骗局一张卡片。",
    ),
    "alerts": (
        "定时提醒 (alerts)",
        "content/alerts.yaml：定时发送的防骗提醒：内容、时间（schedule 或 at）、发给谁。",
    ),
    "conversation": (
        "对话说法 (conversation)",
        "content/conversation.yaml：问候、感谢、看不懂、想改设置、钱已经被骗走的求助，每种说法带例句和反例。",
    ),
    "faq": (
        "常见问题 (faq)",
        "content/faq.yaml：老人和家属常问的问题：几种问法、一个简短的回答、一个下一步按钮。",
    ),
}


def schemas() -> dict[str, str]:
    """File name → the text it must hold, for every content type."""
    out: dict[str, str] = {}
    for kind, model in KINDS.items():
        schema = model.model_json_schema()
        title, description = TITLES[kind]
        document = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            **schema,
            "title": title,
            "description": description,
        }
        out[schema_file(kind)] = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return out


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the schema files; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    folder = ROOT / SCHEMA_DIR
    stale = []
    for name, text in schemas().items():
        path = folder / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(name)
        if not args.check:
            folder.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {SCHEMA_DIR}/{name}")
    if args.check and stale:
        print(f"out of date: {', '.join(stale)}; run: python scripts/gen_schemas.py")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
