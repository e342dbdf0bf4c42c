"""Shared fixtures: the shipped content, a temporary database, and the bot on a fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fake_bot_api import TOKEN, FakeBotAPI, FakeTelegram, Person
from telegram.ext import Application

from bot.content.loader import Content, load_content
from bot.dialog.lang import to_traditional
from bot.served.live import ContentSource
from bot.settings import PROJECT_ROOT, Settings
from bot.storage import Storage, open_storage
from bot.telegram_app import build_application


@pytest.fixture(scope="session")
def content() -> Content:
    """The content the project ships."""
    return load_content(PROJECT_ROOT)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'bot.db'}"


@pytest.fixture
def storage(database_url: str) -> Iterator[Storage]:
    opened = open_storage(database_url)
    yield opened
    opened.close()


def make_settings(database_url: str, **overrides: Any) -> Settings:
    """Settings that ignore the developer's `.env` and environment."""
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "telegram_api_base_url": "",
        "database_url": database_url,
        "default_language": "zh-Hans",
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Harness:
    """The real Application on a fake Bot API, and a way to make people who talk to it."""

    telegram: FakeTelegram
    application: Application[Any, Any, Any, Any, Any, Any]
    storage: Storage

    def person(self, user_id: int = 1001, **kwargs: Any) -> Person:
        return Person(self.telegram, self.application, user_id, **kwargs)


@asynccontextmanager
async def running_bot(
    settings: Settings, content: Content | ContentSource, storage: Storage
) -> AsyncIterator[Harness]:
    """The real Application on a fake Bot API, initialised (getMe done).

    Telegram's rules are enforced on every call; afterwards no call may have been rejected
    and every button press must have been answered.
    """
    telegram = FakeTelegram()
    api = FakeBotAPI(telegram)
    application = build_application(
        settings, content, storage, request=api, get_updates_request=api
    )
    await application.initialize()
    try:
        yield Harness(telegram, application, storage)
    finally:
        await application.shutdown()
    assert telegram.errors == [], f"Telegram rejected calls: {telegram.errors}"
    assert not telegram.pending_queries, "a button press was never answered"


@pytest.fixture(params=["zh-Hans", "zh-Hant"])
def language(request: pytest.FixtureRequest) -> str:
    """Each test that asks for it runs in Simplified and in Traditional."""
    return str(request.param)


@pytest.fixture
def conv(language: str) -> Callable[[str], str]:
    """A Simplified text as this user writes and reads it."""
    return to_traditional if language == "zh-Hant" else (lambda s: s)


@pytest.fixture
def senior(harness: Harness, language: str) -> Person:
    """A senior in a private chat who chose this script in /settings."""
    harness.storage.set_language(1001, language)  # type: ignore[arg-type]
    return harness.person(1001)


@pytest.fixture
async def harness(content: Content, storage: Storage, database_url: str) -> AsyncIterator[Harness]:
    """The bot with default settings (see `running_bot`)."""
    async with running_bot(make_settings(database_url), content, storage) as h:
        yield h
