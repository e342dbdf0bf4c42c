"""The terminal chat: the same bot without Telegram, for trying it out and for operators.

It drives the same dialog core as Telegram. Inline buttons are shown as numbered choices
(type the number); the big menu buttons are typed by their words (as pressing them on
Telegram sends their words); commands are typed as on Telegram (/quiz, /settings, ...).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from typing import TextIO

from bot.dialog.lang import convert
from bot.dialog.router import COMMANDS, Dialog
from bot.lines import decode_line, scrub
from bot.settings import Settings
from bot.startup import open_content, open_storage_or_report
from bot.views.replies import Button, Response

#: The terminal is one user; Telegram user ids are positive, so 0 never clashes.
CONSOLE_USER_ID = 0
EXIT_WORDS = ("exit", "quit", "退出")
PROMPT = "\n您> "


class Console:
    """Renders responses as text and turns typed lines into dialog inputs."""

    def __init__(self, dialog: Dialog, out: TextIO) -> None:
        self.dialog = dialog
        self.out = out
        self.choices: list[Button] = []

    def show(self, response: Response) -> None:
        """Print the replies; number their buttons so that the user can type a choice."""
        if response.notice:
            self.print(f"\n» {response.notice}")
        for outgoing in response.notify:
            quote = f"\n{outgoing.quote}" if outgoing.quote else ""
            self.print(f"\n〔通知用户 {outgoing.user_id}〕{outgoing.text}{quote}")
        if response.stale:
            return
        self.choices = []
        for reply in response.replies:
            if reply.photo is not None:
                self.print(f"\n〔图片已保存：{save_photo(reply.photo)}〕")
            self.print("\n" + reply.text)
            for row in reply.buttons:
                for button in row:
                    self.choices.append(button)
                    self.print(f"  [{len(self.choices)}] {button.label}")
            if reply.keyboard is not None:
                labels = " · ".join(label for row in reply.keyboard for label in row)
                hint = convert("（输入按钮上的字就行）", self.dialog.language_of(CONSOLE_USER_ID))
                self.print(f"〔≡〕{labels}{hint}")

    def handle(self, line: str) -> None:
        """Answer one typed line: a choice number, a /command, or a text."""
        stripped = line.strip()
        if stripped.isdigit() and 1 <= int(stripped) <= len(self.choices):
            self.show(self.dialog.press(CONSOLE_USER_ID, self.choices[int(stripped) - 1].data))
        elif stripped.startswith("/") and len(stripped) > 1:
            name, _, args = stripped[1:].partition(" ")
            self.show(self.dialog.command(CONSOLE_USER_ID, name, args=args.strip()))
        else:
            self.show(self.dialog.text(CONSOLE_USER_ID, line))

    def print(self, text: str) -> None:
        print(text, file=self.out)


def _line_reader(stdin: TextIO, out: TextIO) -> Callable[[], str | None]:
    """A function that prompts and returns the next line (None at the end of input).

    A terminal in its usual mode keeps at most 4,095 bytes of a line and silently drops the
    rest, so a long pasted SMS would be cut. On a terminal the line is read with GNU
    readline instead, which reads key by key with no such limit and takes a pasted text,
    line breaks and all, as one message (bracketed paste). Piped input is read as it is.
    """
    if stdin is sys.stdin and out is sys.stdout and stdin.isatty() and out.isatty():
        try:
            import readline

            # A paste arrives as one string, its line breaks kept (readline's default since
            # 8.1; set here for older ones).
            readline.parse_and_bind("set enable-bracketed-paste on")
        except ImportError:  # a Python without readline still works, with the tty's limit
            pass

        reconfigure = getattr(stdin, "reconfigure", None)
        if reconfigure is not None:  # bytes the terminal's encoding cannot read: replaced
            reconfigure(errors="replace")

        def from_terminal() -> str | None:
            try:
                return scrub(input(PROMPT))
            except EOFError:
                return None

        return from_terminal

    # Piped bytes are decoded line by line (UTF-8, else GBK), so a line in another encoding
    # is read, not a crash; a test's StringIO has no bytes underneath and is read as text.
    binary = getattr(stdin, "buffer", None) if stdin is sys.stdin else None

    def from_pipe() -> str | None:
        out.write(PROMPT)
        out.flush()
        if binary is not None:
            raw = binary.readline()
            return decode_line(raw).rstrip("\r\n") if raw else None
        line = stdin.readline()
        return scrub(line.rstrip("\n")) if line else None

    return from_pipe


def save_photo(png: bytes) -> str:
    """Write a picture the bot sent to a temporary file; returns its path."""
    with tempfile.NamedTemporaryFile(prefix="sanbu-", suffix=".png", delete=False) as f:
        f.write(png)
    return f.name


def run_console(
    settings: Settings, *, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    """Chat in the terminal until EOF or 'exit'; returns the exit status."""
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    content = open_content(settings)  # reloadable: /reload works here too
    if content is None:
        return 2
    storage = open_storage_or_report(settings)
    if storage is None:
        return 2
    try:
        dialog = Dialog.from_settings(content, storage, settings)
        console = Console(dialog, out)
        console.handle("/start")
        commands = " ".join(f"/{name}" for name, _ in COMMANDS)
        console.print(f"\n（在终端里聊天：输入数字选按钮；命令：{commands}；输入 exit 退出）")
        read = _line_reader(stdin, out)
        while True:
            line = read()
            if line is None:
                out.write("\n")
                return 0
            if line.strip().lower() in EXIT_WORDS:
                return 0
            console.handle(line)
    except KeyboardInterrupt:
        out.write("\n")
        return 0
    finally:
        storage.close()
