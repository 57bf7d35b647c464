"""One typed Settings object, read once from the environment (prefix ``OXYCHAIN_``).

Every field has a default and a help text (``description``); a test fails when a
setting is not documented in the README. There is no signing secret to leak: sessions
and API tokens are random values of which the database keeps only a SHA-256.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OXYCHAIN_", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        "development",
        description="development, test or production; production refuses dev secrets.",
    )
    database_url: str = Field(
        "sqlite:///var/oxychain.db",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host:port/db.",
    )
    sqlite_busy_timeout_ms: int = Field(
        10_000, description="How long a SQLite writer waits for the lock before giving up (ms)."
    )
    sqlite_synchronous: Literal["NORMAL", "FULL"] = Field(
        "FULL", description="SQLite synchronous mode; FULL makes every acknowledged commit durable."
    )
    default_language: Literal["en", "hi"] = Field(
        "hi",
        description="Language of pages before a user chooses one (Hindi first for district staff).",
    )
    login_max_failures: int = Field(
        5,
        description="Failed logins allowed per username and per client address within the window.",
    )
    login_window_seconds: int = Field(
        900, description="Window over which failed logins are counted (seconds)."
    )
    session_max_age_seconds: int = Field(
        8 * 3600, description="How long a web session lasts (seconds)."
    )
    cookie_secure: bool = Field(
        False, description="Send the session cookie only over HTTPS (set true behind TLS)."
    )
    max_upload_bytes: int = Field(
        5 * 1024 * 1024, description="Largest file accepted by any upload (bytes)."
    )
    token_max_age_days: int = Field(30, description="Lifetime of an API bearer token (days).")
    forecast_model: Literal["holt", "growth", "naive"] = Field(
        "holt",
        description="Case forecast model; holt (damped trend) won bench/backtest_forecast.py.",
    )
    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    port: int = Field(8000, description="Port the web server listens on.")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
