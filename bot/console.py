"""The terminal chat: the bot without Telegram, for trying it out and for operators."""

from __future__ import annotations

import sys

from bot.check.engine import Checker
from bot.content.loader import ContentError, load_content
from bot.settings import Settings
from bot.texts import verdict_text


def run_console(settings: Settings) -> int:
    """Answer each line typed with the check, until EOF or 'exit'."""
    try:
        content = load_content(settings.content_dir)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 2
    checker = Checker.from_content(content)
    print("\n".join(content.guidance.welcome))
    print("（把收到的可疑消息粘贴进来，按回车检查；输入 exit 退出）")
    while True:
        try:
            line = input("\n您> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.strip().lower() in ("exit", "quit", "退出"):
            return 0
        if not line.strip():
            print("请把要检查的消息粘贴进来。")
            continue
        print(verdict_text(checker.check(line), content.guidance))
