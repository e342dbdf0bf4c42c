"""The SQLite storage: schema, migrations, users, quiz progress, and /forget."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.storage import Mistake, QuizProgress, StorageBusy, StorageError, open_storage, sqlite_conn
from bot.storage.sqlite import (
    COUNT_ONLY_TABLES,
    FORGET_STATEMENTS,
    MIGRATIONS,
    SEEN_EVERY,
    SqliteStorage,
    sqlite_path,
)


class TestOpening:
    def test_creates_the_folder_the_schema_and_uses_wal(self, tmp_path: Path) -> None:
        """A fresh DATABASE_URL gets its folder, the current schema, and WAL journaling."""
        path = tmp_path / "deep" / "er" / "bot.db"
        storage = open_storage(f"sqlite:///{path}")
        storage.close()
        db = sqlite3.connect(path)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"users", "quiz_progress"} <= tables

    @pytest.mark.parametrize(
        "url",
        ["postgresql://localhost/bot", "sqlite://", "sqlite:///", "", "bot.db"],
    )
    def test_rejects_urls_it_cannot_serve(self, url: str) -> None:
        """Anything but sqlite:///path is a clear StorageError, not a crash."""
        with pytest.raises(StorageError):
            sqlite_path(url)

    def test_reopening_keeps_data_and_does_not_migrate_twice(self, tmp_path: Path) -> None:
        """Data survives a restart; migrations already applied are skipped."""
        url = f"sqlite:///{tmp_path / 'bot.db'}"
        first = open_storage(url)
        first.touch_user(1, "zh-Hans", now=100)
        first.set_language(1, "zh-Hant")
        first.close()
        second = open_storage(url)
        user = second.get_user(1)
        assert user is not None and user.language == "zh-Hant" and user.created == 100
        second.close()

    def test_refuses_a_database_from_a_newer_version(self, tmp_path: Path) -> None:
        """A schema newer than the code is an error, never silently used."""
        path = tmp_path / "bot.db"
        db = sqlite3.connect(path)
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
        db.close()
        with pytest.raises(StorageError):
            SqliteStorage(str(path))


class TestUsers:
    def test_touch_creates_then_updates_last_seen(self, storage) -> None:
        """The first touch creates the user in the default language; a touch within
        SEEN_EVERY only reads, a later one moves last_seen."""
        created = storage.touch_user(5, "zh-Hans", now=10)
        assert (created.language, created.created, created.last_seen) == ("zh-Hans", 10, 10)
        soon = storage.touch_user(5, "zh-Hant", now=10 + SEEN_EVERY - 1)
        assert (soon.language, soon.created, soon.last_seen) == ("zh-Hans", 10, 10)
        later = storage.touch_user(5, "zh-Hant", now=10 + SEEN_EVERY)
        assert (later.language, later.created, later.last_seen) == ("zh-Hans", 10, 10 + SEEN_EVERY)

    def test_unknown_user_is_none(self, storage) -> None:
        assert storage.get_user(404) is None

    def test_language_must_be_known(self, storage) -> None:
        with pytest.raises(ValueError):
            storage.set_language(1, "en")


class TestProgress:
    def test_round_trip(self, storage) -> None:
        """Position, score, mistakes and finished come back as saved."""
        progress = QuizProgress(1, "sanbu_basics", 4, 3, (Mistake(1, 0), Mistake(3, 2)), False)
        storage.save_progress(progress)
        assert storage.get_progress(1, "sanbu_basics") == progress
        assert storage.all_progress(1) == {"sanbu_basics": progress}
        done = QuizProgress(1, "sanbu_basics", 10, 8, (Mistake(1, 0),), True)
        storage.save_progress(done)
        assert storage.get_progress(1, "sanbu_basics") == done

    def test_progress_is_per_user_and_quiz(self, storage) -> None:
        storage.save_progress(QuizProgress(1, "a", 2))
        storage.save_progress(QuizProgress(2, "a", 5))
        storage.save_progress(QuizProgress(1, "b", 7))
        assert storage.get_progress(1, "a").position == 2
        assert storage.get_progress(2, "a").position == 5
        assert set(storage.all_progress(1)) == {"a", "b"}
        assert storage.get_progress(3, "a") is None


class TestForget:
    def test_forget_removes_every_row_of_the_user_only(self, storage, database_url) -> None:
        """After /forget nothing about the user is left, in any table; others keep theirs."""
        for user in (1, 2):
            storage.touch_user(user, "zh-Hant", now=1)
            storage.save_progress(QuizProgress(user, "sanbu_basics", 3, 2, (Mistake(0, 1),)))
        storage.forget_user(1)
        assert storage.get_user(1) is None
        assert storage.all_progress(1) == {}
        assert storage.get_user(2) is not None
        db = sqlite3.connect(sqlite_path(database_url))
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            if table in COUNT_ONLY_TABLES:
                continue
            columns = [c[1] for c in db.execute(f"PRAGMA table_info({table})")]
            key = "user_id" if "user_id" in columns else "id"
            assert db.execute(f"SELECT count(*) FROM {table} WHERE {key} = 1").fetchone()[0] == 0

    def test_every_table_is_covered_by_forget(self, storage, database_url) -> None:
        """A table added by a later migration must be added to FORGET_STATEMENTS too."""
        db = sqlite3.connect(sqlite_path(database_url))
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        covered = {s.split()[2] for s in FORGET_STATEMENTS}
        assert tables == covered | set(COUNT_ONLY_TABLES)

    def test_count_only_tables_hold_no_user(self, storage, database_url) -> None:
        """A table /forget skips has no column that could name a person or hold a text."""
        db = sqlite3.connect(sqlite_path(database_url))
        for table in COUNT_ONLY_TABLES:
            columns = {c[1] for c in db.execute(f"PRAGMA table_info({table})")}
            assert columns == {"day", "kind", "key", "n"}

    def test_forgetting_an_unknown_user_is_fine(self, storage) -> None:
        storage.forget_user(12345)


class TestBusy:
    """Another connection holds the write lock (here in the same process, for speed)."""

    @pytest.fixture
    def held(self, storage, database_url, monkeypatch) -> Iterator[sqlite3.Connection]:
        monkeypatch.setattr(sqlite_conn, "BUSY_TIMEOUT_MS", 50)
        storage.touch_user(5, "zh-Hans", now=10)
        other = sqlite3.connect(sqlite_path(database_url), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        yield other
        other.execute("ROLLBACK")
        other.close()

    def test_a_write_that_must_happen_raises_storage_busy(self, storage, held) -> None:
        with pytest.raises(StorageBusy):
            storage.set_language(5, "zh-Hant")

    def test_reads_go_on(self, storage, held) -> None:
        assert storage.get_user(5).language == "zh-Hans"
        assert storage.touch_user(5, "zh-Hans", now=11).last_seen == 10

    def test_a_count_is_held_and_written_with_the_next(self, storage, held) -> None:
        storage.add_count("2026-12-01", "check", "high:loan")
        held.execute("ROLLBACK")
        held.execute("BEGIN")  # the fixture's ROLLBACK needs a transaction to end
        storage.add_count("2026-12-01", "check", "high:loan")
        assert storage.counts_since("2026-12-01") == {("check", "high:loan"): 2}
