"""What every entry point opens first (content, storage), with a plain message on failure.

The bot, the terminal chat and the command line all start the same way; a broken content
file or an unreadable database gets the same clear words everywhere, never a traceback.
"""

from __future__ import annotations

import sys

from bot.content.live import LiveContent
from bot.content.loader import ContentError
from bot.settings import Settings
from bot.storage import Storage, StorageError, open_storage


def report_content_error(exc: ContentError) -> None:
    """Tell the operator, on stderr, every problem that stops the content from loading."""
    print("内容文件有错误，请先修正 (content has errors):", file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)


def open_content(settings: Settings) -> LiveContent | None:
    """The content to serve (reloadable), or None after reporting why it cannot load."""
    try:
        return LiveContent(settings.content_dir)
    except ContentError as exc:
        report_content_error(exc)
        return None


def open_storage_or_report(settings: Settings) -> Storage | None:
    """The database from DATABASE_URL, or None after reporting why it cannot open."""
    try:
        return open_storage(settings.database_url)
    except StorageError as exc:
        print(f"数据库打不开 (storage error): {exc}", file=sys.stderr)
        return None
