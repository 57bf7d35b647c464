"""Core's settings, read from the environment (prefix ``OXYCHAIN_``); with the areas' own they
make the one typed ``Settings`` (``oxychain.app``).

Every field has a default and a help text (``description``); a test fails when a
setting is not documented in the README. There is no signing secret to leak: sessions
and API tokens are random values of which the database keeps only a SHA-256.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from oxychain.core import areas


class CoreSettings(BaseSettings):
    """Core's settings; each area adds its own (``Area.settings``) and ``oxychain.app``
    composes them into the one ``Settings``."""

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
        description="Wrong passwords one client may give for one username before each "
        "further attempt from it must wait (login_delay_seconds, doubling).",
    )
    login_delay_seconds: float = Field(
        30.0,
        description="The wait after the first wrong password beyond login_max_failures "
        "(seconds); it doubles with each further one, up to login_window_seconds.",
    )
    login_window_seconds: int = Field(
        900,
        description="Window over which failed logins are counted, and the longest wait (s).",
    )
    login_user_ceiling: int = Field(
        20,
        description="Failed logins at one username (from every client), or from one client "
        "address (at every username), within the window after which each attempt is slowed "
        "by login_slow_seconds; never refused, so the owner still gets in.",
    )
    login_slow_seconds: float = Field(
        2.0, description="How long a slowed login attempt is held before it is checked (s)."
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated addresses or networks of the reverse proxies in front "
        "(127.0.0.1, 10.0.0.0/8): only their X-Forwarded-For is believed when login "
        "attempts are counted per client. Empty: the connecting address is the client.",
    )
    session_max_age_seconds: int = Field(
        8 * 3600, description="How long a web session lasts (seconds)."
    )
    cookie_secure: bool = Field(
        None,  # type: ignore[assignment] - set from the environment below
        description="Send the session cookie only over HTTPS; by default true in production "
        "(behind TLS) and false elsewhere.",
        validate_default=False,
    )
    max_upload_bytes: int = Field(
        5 * 1024 * 1024,
        description="Largest file accepted by any upload, and largest body of an upload route "
        "(bytes; the form around the file may add 64 KiB).",
    )
    max_import_rows: int = Field(
        100_000,
        description="Most rows an imported file (CSV or .xlsx) may have, its header included.",
    )
    max_json_bytes: int = Field(
        1024 * 1024,
        description="Largest request body of every other route (bytes): JSON, forms.",
    )
    token_max_age_days: int = Field(30, description="Lifetime of an API bearer token (days).")
    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    port: int = Field(8000, description="Port the web server listens on.")
    today: date | None = Field(
        None,
        description="Run the clock from this day (YYYY-MM-DD, in India): the server reads it "
        "when it starts and time moves on from there, for the demo's own calendar "
        "(`make run` sets 2022-01-20); pages say which day they show. Empty: the real date. "
        "Refused in production.",
    )
    buyer_name: str = Field(
        "State Medical Supplies Corporation (demo)",
        description="The buyer's name on purchase orders and in the open-contracting export.",
    )
    buyer_name_hi: str = Field(
        "राज्य चिकित्सा आपूर्ति निगम (डेमो)", description="The buyer's name in Hindi."
    )
    buyer_address: str = Field(
        "Lucknow, Uttar Pradesh", description="The buyer's address on purchase orders."
    )
    buyer_address_hi: str = Field("लखनऊ, उत्तर प्रदेश", description="The buyer's address in Hindi.")

    @field_validator("today", mode="before")
    @classmethod
    def _empty_is_real(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def _secure_in_production(self) -> CoreSettings:
        if self.cookie_secure is None:
            self.cookie_secure = self.environment == "production"
        if self.today is not None and self.environment == "production":
            raise ValueError("OXYCHAIN_TODAY moves the clock; production runs on the real date")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@cache
def _settings_class(area_names: tuple[str, ...]) -> type[CoreSettings]:
    mixins = [areas.load(a.settings) for a in areas.installed() if a.settings]
    # Core's fields first, then each area's in install order (pydantic reads the MRO backwards).
    return type("Settings", (*reversed(mixins), CoreSettings), {"__doc__": "Every setting."})


def settings_class() -> type[CoreSettings]:
    """One typed Settings: core's fields and every installed area's (``Area.settings``)."""
    return _settings_class(tuple(a.name for a in areas.installed()))


@cache
def _settings(area_names: tuple[str, ...]) -> CoreSettings:
    return settings_class()()


def get_settings() -> CoreSettings:
    """The settings, read once from the environment."""
    return _settings(tuple(a.name for a in areas.installed()))
