"""What every entry point opens first (content, storage), with a plain message on failure.

The bot, the terminal chat and the command line all start the same way; a broken content
file or an unreadable database gets the same clear words everywhere, never a traceback.
"""

from __future__ import annotations

import sys

from bot.content.loader import ContentError
from bot.served.live import LiveContent
from bot.settings import Settings
from bot.storage import Storage, StorageError, open_storage
from bot.storage.process_lock import DatabaseInUse, ProcessLock
from bot.storage.sqlite import sqlite_path


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


def hold_database_or_report(settings: Settings) -> tuple[bool, ProcessLock | None]:
    """(ok, lock): the lock that makes this the one bot on its SQLite database (no lock for
    other databases); ok is False after reporting that another process holds it."""
    if not settings.database_url.startswith("sqlite:"):
        return True, None
    path = sqlite_path(settings.database_url)
    if path == ":memory:":
        return True, None
    lock = ProcessLock(path)
    try:
        lock.acquire()
    except DatabaseInUse as exc:
        print(str(exc), file=sys.stderr)
        return False, None
    except OSError as exc:
        print(f"数据库的锁文件打不开 (cannot create the lock file): {exc}", file=sys.stderr)
        return False, None
    return True, lock
