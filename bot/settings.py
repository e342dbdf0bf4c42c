"""Runtime settings, read from the environment and `.env` (see `.env.example`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

#: The checkout the package lives in; content ships beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every setting the bot reads. Names match the environment variables."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: str = ""
    telegram_api_base_url: str = ""
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'data' / 'sanbu.db'}"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    timezone: str = "Asia/Shanghai"
    content_dir: Path = PROJECT_ROOT
    log_level: str = "INFO"
    default_language: str = Field(default="zh-Hans", pattern="^zh-Han[st]$")
    quiet_hours: str = Field(default="21:00-08:00", pattern=r"^(|off|\d{1,2}:\d{2}-\d{1,2}:\d{2})$")
    """Local times when no alert is sent ("HH:MM-HH:MM"; empty or "off": none)."""
    alert_rate: float = Field(default=25.0, ge=0)
    """Alert deliveries per second, overall (Telegram allows ~30; 0 lifts the limit)."""
    alert_catchup_hours: float = Field(default=24.0, ge=0, le=24 * 7)
    """After a restart, alerts that fell due this long ago are still sent."""
    alert_plan_seconds: float = Field(default=60.0, gt=0)
    """How often the alert calendar is checked for alerts that fell due."""
    picture_max_pixels: int = Field(default=40_000_000, ge=100_000)
    """A picture with more pixels than this is not read (a decompression bomb, a poster)."""
    picture_seconds: float = Field(default=30.0, gt=0)
    """How long the bot waits for a picture to be read (queue included) before saying so."""
    picture_queue: int = Field(default=8, ge=1)
    """Pictures waiting to be read at most; more get "busy, send it again in a minute"."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}, e.g. Asia/Shanghai") from None
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str) -> str:
        from bot.alerts.quiet import parse_quiet_hours

        parse_quiet_hours(value)  # raises ValueError with a readable message
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",")]
            return frozenset(int(p) for p in parts if p)
        return value
