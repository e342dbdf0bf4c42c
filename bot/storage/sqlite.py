"""SQLite storage (stdlib `sqlite3`, WAL): the default, for one small server.

The schema is a list of numbered migrations, applied in order at start-up and recorded in
`PRAGMA user_version`; the next feature appends a migration and adds its tables to
`FORGET_STATEMENTS` (or, when they hold no user id, to `COUNT_ONLY_TABLES`).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path

from bot.storage.base import LANGUAGES, Language, Mistake, QuizProgress, StorageError, User
from bot.storage.sqlite_alerts import AlertTables
from bot.storage.sqlite_conn import Connections
from bot.storage.sqlite_family import FamilyTables
from bot.storage.sqlite_stats import StatsTables

#: Each entry moves the schema one version up. Never edit a shipped entry; append a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: users and quiz progress
    """
    CREATE TABLE users (
        id         INTEGER PRIMARY KEY,
        language   TEXT    NOT NULL CHECK (language IN ('zh-Hans', 'zh-Hant')),
        created    INTEGER NOT NULL,
        last_seen  INTEGER NOT NULL
    );
    CREATE TABLE quiz_progress (
        user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        quiz_id   TEXT    NOT NULL,
        position  INTEGER NOT NULL DEFAULT 0,
        score     INTEGER NOT NULL DEFAULT 0,
        mistakes  TEXT    NOT NULL DEFAULT '[]',  -- JSON [[question, chosen], ...]
        finished  INTEGER NOT NULL DEFAULT 0,
        updated   INTEGER NOT NULL,
        PRIMARY KEY (user_id, quiz_id)
    );
    """,
    # 2: alert subscriptions, the delivery outbox, family links and codes, admin broadcasts
    """
    CREATE TABLE subscriptions (
        user_id  INTEGER PRIMARY KEY,
        role     TEXT    NOT NULL CHECK (role IN ('senior', 'family')),
        region   TEXT,
        active   INTEGER NOT NULL DEFAULT 1,  -- 0 once the person blocked the bot
        created  INTEGER NOT NULL,
        updated  INTEGER NOT NULL
    );
    CREATE TABLE outbox (
        id          INTEGER PRIMARY KEY,
        key         TEXT    NOT NULL,  -- a:<alert>:<occurrence> or b:<broadcast>
        user_id     INTEGER NOT NULL,  -- the private chat
        text        TEXT    NOT NULL,
        not_before  REAL    NOT NULL,  -- Unix time; quiet hours and retries move it
        status      TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sent', 'failed', 'dropped')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        reason      TEXT,
        created     REAL    NOT NULL,
        done        REAL,
        UNIQUE (key, user_id)  -- planning an occurrence twice adds nothing
    );
    CREATE INDEX outbox_pending ON outbox (not_before, id) WHERE status = 'pending';
    CREATE INDEX outbox_user ON outbox (user_id);
    CREATE TABLE family_links (
        user_id      INTEGER NOT NULL,  -- the senior
        family_id    INTEGER NOT NULL,
        senior_name  TEXT,
        family_name  TEXT,
        created      INTEGER NOT NULL,
        PRIMARY KEY (user_id, family_id)
    );
    CREATE INDEX family_links_family ON family_links (family_id);
    CREATE TABLE link_codes (
        code_hash  TEXT    PRIMARY KEY,  -- SHA-256 of the code; the code itself is not kept
        user_id    INTEGER NOT NULL,     -- the senior
        name       TEXT,
        expires    INTEGER NOT NULL
    );
    CREATE INDEX link_codes_user ON link_codes (user_id);
    CREATE TABLE link_failures (
        user_id  INTEGER NOT NULL,
        at       INTEGER NOT NULL
    );
    CREATE INDEX link_failures_user ON link_failures (user_id, at);
    CREATE TABLE broadcasts (
        id       INTEGER PRIMARY KEY,
        user_id  INTEGER NOT NULL,  -- the admin who wrote it
        text     TEXT    NOT NULL,
        status   TEXT    NOT NULL DEFAULT 'draft'
                 CHECK (status IN ('draft', 'queued', 'cancelled')),
        created  INTEGER NOT NULL
    );
    """,
    # 3: daily counters for the campaign figures (counts only: no user id, no text)
    """
    CREATE TABLE daily_counts (
        day   TEXT    NOT NULL,  -- local date, YYYY-MM-DD
        kind  TEXT    NOT NULL,  -- check, quiz_start, quiz_finish, quiz_score
        key   TEXT    NOT NULL,  -- check: risk:category; quizzes: the quiz id
        n     INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, kind, key)
    ) WITHOUT ROWID;
    CREATE INDEX outbox_done ON outbox (done) WHERE status != 'pending';
    """,
)

#: What `/forget` runs, child tables first. Every table holding a user's data must be here
#: (a test checks that every table in the schema is covered).
FORGET_STATEMENTS: tuple[str, ...] = (
    "DELETE FROM outbox WHERE user_id = ?1",
    "DELETE FROM subscriptions WHERE user_id = ?1",
    "DELETE FROM family_links WHERE user_id = ?1 OR family_id = ?1",
    "DELETE FROM link_codes WHERE user_id = ?1",
    "DELETE FROM link_failures WHERE user_id = ?1",
    "DELETE FROM broadcasts WHERE user_id = ?1",
    "DELETE FROM quiz_progress WHERE user_id = ?",
    "DELETE FROM users WHERE id = ?",
)
#: `last_seen` is written again only when it is older than this (seconds): most turns then
#: only read, and a turn goes on when another process holds the write lock.
SEEN_EVERY = 600

#: Tables that hold no user id, only counts: /forget has nothing to delete in them.
COUNT_ONLY_TABLES: tuple[str, ...] = ("daily_counts",)


def sqlite_path(database_url: str) -> str:
    """The file path in `sqlite:///path` (or `:memory:`); raises StorageError otherwise."""
    prefix = "sqlite:///"
    if not database_url.startswith(prefix):
        scheme = database_url.split(":", 1)[0] or "(empty)"
        raise StorageError(
            f"DATABASE_URL 只支持 sqlite:///路径（现在是 {scheme}:…）; "
            "PostgreSQL support comes later"
        )
    path = database_url[len(prefix) :]
    if not path:
        raise StorageError("DATABASE_URL 缺少文件路径，例如 sqlite:///data/sanbu.db")
    return path


class SqliteStorage(AlertTables, FamilyTables, StatsTables):
    """The storage interface on one SQLite file, usable from any thread: each thread has its
    own connection (`bot.storage.sqlite_conn`), and a write that meets another's lock for
    too long raises `StorageBusy`.

    Subscriptions and the outbox live in `sqlite_alerts.py`, family links and broadcasts in
    `sqlite_family.py`, the daily counters in `sqlite_stats.py`; the schema (all migrations)
    stays here, in one list.
    """

    def __init__(self, path: str) -> None:
        if path != ":memory:":
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"放数据库的文件夹 {Path(path).parent} 建不了（{exc.strerror or exc}）："
                    "请检查 DATABASE_URL 的路径，以及这个文件夹能不能写"
                ) from None
        self._connections = Connections(path)
        self._held: Counter[tuple[str, str, str]] = Counter()
        self._held_guard = threading.Lock()
        try:
            migrate(self._db)
        except sqlite3.Error as exc:
            self._connections.close()
            raise StorageError(
                f"打不开数据库 {path}（{exc}）：请检查文件和它所在的文件夹能不能读写"
            ) from None

    @property
    def _db(self) -> sqlite3.Connection:
        """The calling thread's connection."""
        return self._connections.get()

    @property
    def _db_at_once(self) -> sqlite3.Connection:
        """The calling thread's connection, failing at once on a lock instead of waiting
        (for writes that can be skipped or kept for later)."""
        return self._connections.get(wait=False)

    @classmethod
    def from_url(cls, database_url: str) -> SqliteStorage:
        """Open the database named by `sqlite:///path`, creating its folder and schema."""
        return cls(sqlite_path(database_url))

    # --- users ------------------------------------------------------------------------------

    def touch_user(self, user_id: int, default_language: Language, now: int) -> User:
        """The user, created with `default_language` if new; `last_seen` becomes `now`
        (rounded down to `SEEN_EVERY`: a user seen a moment ago costs a read, not a write).
        Raises `StorageBusy` at once, without waiting, when another holds the write lock."""
        row = self._db.execute(
            "SELECT id, language, created, last_seen FROM users WHERE id = ?", (user_id,)
        ).fetchone()
        if row is not None and now - row[3] < SEEN_EVERY:
            return _user(row)
        # Without waiting for a lock: the caller goes on without it (raises StorageBusy).
        row = self._db_at_once.execute(
            "INSERT INTO users (id, language, created, last_seen) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen "
            "RETURNING id, language, created, last_seen",
            (user_id, default_language, now, now),
        ).fetchone()
        return _user(row)

    def get_user(self, user_id: int) -> User | None:
        """The user, or None if the bot holds nothing about them."""
        row = self._db.execute(
            "SELECT id, language, created, last_seen FROM users WHERE id = ?", (user_id,)
        ).fetchone()
        return _user(row) if row else None

    def set_language(self, user_id: int, language: Language) -> None:
        """Remember the script the user wants to read."""
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        now = int(time.time())
        self._db.execute(
            "INSERT INTO users (id, language, created, last_seen) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET language = excluded.language",
            (user_id, language, now, now),
        )

    # --- quiz progress ----------------------------------------------------------------------

    def get_progress(self, user_id: int, quiz_id: str) -> QuizProgress | None:
        """The user's progress in one quiz, or None if never started."""
        row = self._db.execute(
            "SELECT user_id, quiz_id, position, score, mistakes, finished FROM quiz_progress "
            "WHERE user_id = ? AND quiz_id = ?",
            (user_id, quiz_id),
        ).fetchone()
        return _progress(row) if row else None

    def all_progress(self, user_id: int) -> dict[str, QuizProgress]:
        """The user's progress in every quiz started, by quiz id."""
        rows = self._db.execute(
            "SELECT user_id, quiz_id, position, score, mistakes, finished FROM quiz_progress "
            "WHERE user_id = ?",
            (user_id,),
        ).fetchall()
        return {row[1]: _progress(row) for row in rows}

    def current_quiz(self, user_id: int, since: int) -> QuizProgress | None:
        """The unfinished quiz the user last moved on at or after `since`, if any."""
        row = self._db.execute(
            "SELECT user_id, quiz_id, position, score, mistakes, finished FROM quiz_progress "
            "WHERE user_id = ? AND finished = 0 AND updated >= ? "
            "ORDER BY updated DESC, rowid DESC LIMIT 1",
            (user_id, since),
        ).fetchone()
        return _progress(row) if row else None

    def save_progress(self, progress: QuizProgress) -> None:
        """Insert or replace the progress for (user, quiz)."""
        mistakes = json.dumps([[m.question, m.chosen] for m in progress.mistakes])
        now = int(time.time())
        with self._db:  # one transaction: the user row and the progress row together
            self._db.execute("BEGIN")
            self._db.execute(
                "INSERT INTO users (id, language, created, last_seen) VALUES (?, 'zh-Hans', ?, ?) "
                "ON CONFLICT (id) DO NOTHING",
                (progress.user_id, now, now),
            )
            self._db.execute(
                "INSERT INTO quiz_progress "
                "(user_id, quiz_id, position, score, mistakes, finished, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (user_id, quiz_id) DO UPDATE SET position = excluded.position, "
                "score = excluded.score, mistakes = excluded.mistakes, "
                "finished = excluded.finished, updated = excluded.updated",
                (
                    progress.user_id,
                    progress.quiz_id,
                    progress.position,
                    progress.score,
                    mistakes,
                    int(progress.finished),
                    now,
                ),
            )

    # --- privacy ----------------------------------------------------------------------------

    def forget_user(self, user_id: int) -> None:
        """Delete every row that concerns the user, in every table, in one transaction."""
        with self._db:
            self._db.execute("BEGIN")
            for statement in FORGET_STATEMENTS:
                self._db.execute(statement, (user_id,))
        # The WAL still holds the old pages until a checkpoint: write them back and empty it,
        # so the deleted names are gone from the files now, not at some later checkpoint.
        # (Another reader may keep the WAL busy: then the next checkpoint does it.)
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Release every thread's database connection."""
        self._connections.close()


def migrate(db: sqlite3.Connection) -> int:
    """Apply the migrations the database has not seen yet; returns the schema version."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > len(MIGRATIONS):
        raise StorageError(
            f"数据库版本 {version} 比程序新（程序只认识到 {len(MIGRATIONS)}），请升级程序"
        )
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        # executescript commits first; the version is bumped inside the same script.
        db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
    return len(MIGRATIONS)


def _user(row: tuple[int, str, int, int]) -> User:
    language: Language = "zh-Hant" if row[1] == "zh-Hant" else "zh-Hans"
    return User(id=row[0], language=language, created=row[2], last_seen=row[3])


def _progress(row: tuple[int, str, int, int, str, int]) -> QuizProgress:
    try:
        raw = json.loads(row[4])
        mistakes = tuple(Mistake(int(q), int(c)) for q, c in raw)
    except (ValueError, TypeError):
        mistakes = ()
    return QuizProgress(
        user_id=row[0],
        quiz_id=row[1],
        position=row[2],
        score=row[3],
        mistakes=mistakes,
        finished=bool(row[5]),
    )
