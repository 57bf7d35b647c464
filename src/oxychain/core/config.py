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
    inspection_reduced_approved: bool = Field(
        False,
        description=(
            "The corporation approves reduced inspection (ISO 2859-1, 9.3.3) for a supplier's "
            "item once its switching score reaches 30 with steady production."
        ),
    )
    forecast_model: Literal["holt", "growth", "naive"] = Field(
        "holt",
        description="Case forecast model; holt (damped trend) won bench/backtest_forecast.py.",
    )
    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    port: int = Field(8000, description="Port the web server listens on.")

    # --- tendering (issue 3) ---
    ld_bp_per_week: int = Field(
        50,
        description="Liquidated damages per week or part of a week of delay, in basis points of "
        "the value of the delayed goods (50 = 0.5 %; UNVERIFIED default, DOMAIN.md).",
    )
    ld_cap_bp: int = Field(
        1000,
        description="Cap of liquidated damages, in basis points of the value of the delayed goods "
        "(1000 = 10 %; UNVERIFIED default, DOMAIN.md).",
    )
    mse_share_bp: int = Field(
        2500,
        description="Share of a tender's quantity for MSEs matching L1, in basis points (2500 = "
        "25 %; older text says 20 %; UNVERIFIED default).",
    )
    mii_margin_bp: int = Field(
        2000,
        description="Make in India margin of purchase preference: Class-I bidders within L1 plus "
        "this many basis points may match L1 (2000 = 20 %; UNVERIFIED default).",
    )
    demo_keys_dir: str = Field(
        "var/demo-opener-keys",
        description="Where the demo loader keeps the DEMO-ONLY opener private keys and passwords "
        "(files 0600; reused when present).",
    )
    # --- end tendering ---

    # --- documents and transparency (issue 3) ---
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
    ocds_ocid_prefix: str = Field(
        "ocds-XXXXXX-oxychain",
        description="OCDS ocid prefix: 'ocds-' and the 6 characters registered for the publisher. "
        "The default is a TEST value, not a registered prefix.",
    )
    ocds_base_uri: str = Field(
        "https://example.invalid/ocds",
        description="Where release packages are published; each package's uri starts with it.",
    )
    redflag_min_bid_period_days: int = Field(
        15, description="Red flag when a tender's bid period is shorter than this (days)."
    )
    redflag_close_bid_pct: float = Field(
        1.0, description="Red flag when the runner-up's price is within this % of the winner's."
    )
    redflag_discount_pct: float = Field(
        25.0,
        description="Red flag when the runner-up's price is more than this % above the winner's.",
    )
    redflag_over_reference_pct: float = Field(
        0.0,
        description="Red flag when an award's unit price is more than this % above its reference.",
    )
    redflag_frequent_bidder_min_bids: int = Field(
        4, description="A bidder with at least this many bids that rarely wins is flagged."
    )
    redflag_frequent_bidder_max_win_pct: float = Field(
        20.0, description="'Rarely wins': at most this % of a frequent bidder's bids won."
    )
    redflag_rotation_min_tenders: int = Field(
        3,
        description="Red flag when this many tenders in a row for one item go to different "
        "members of one group of bidders.",
    )
    # --- end documents and transparency ---

    # --- distribution and service (issue 5) ---
    phone_hash_pepper: str = Field(
        "",
        description="Secret key of the keyed hash (HMAC-SHA256) of home-loan patients' mobile "
        "numbers. Required in production; development and test use a fixed development key.",
    )
    warranty_months: int = Field(
        24,
        description="Warranty from the consignee receipt when the tender names none (months; "
        "UNVERIFIED default).",
    )
    cmc_months: int = Field(
        36,
        description="Comprehensive maintenance contract after the warranty (months; "
        "UNVERIFIED default).",
    )
    service_sla_hours: dict[str, int] = Field(
        {"district_hospital": 24, "chc": 48, "phc": 72, "home": 48, "warehouse": 72},
        description="Hours to resolve a fault ticket, by place (JSON; UNVERIFIED defaults).",
    )
    pm_interval_days: int = Field(
        180,
        description="Preventive maintenance interval of an installed device (days; UNVERIFIED).",
    )
    loan_days: int = Field(30, description="Default length of a home loan (days).")
    loan_deposit_rupees: int = Field(
        5000, description="Default refundable deposit of a home loan (₹; UNVERIFIED default)."
    )

    def model_post_init(self, _context: object) -> None:
        if self.environment == "production" and len(self.phone_hash_pepper) < 16:
            raise ValueError(
                "OXYCHAIN_PHONE_HASH_PEPPER must be set (16+ characters) in production"
            )

    @property
    def loan_pepper(self) -> str:
        """The phone-hash key; a fixed development key outside production."""
        return self.phone_hash_pepper or "oxychain-development-pepper-not-secret"

    # --- end distribution and service ---

    # --- forecast and allocation (issue 6) ---
    planning_priorities: dict[str, int] = Field(
        {"district_hospital": 10, "chc": 5, "phc": 3, "home": 1},
        description="Weight of one device-day short by facility kind (ALLOCATION.md's example "
        "policy; JSON). A home is a district's home-patient pool.",
    )
    planning_dispatch_capacity: dict[str, int] = Field(
        {"central": 400, "district": 100},
        description="Most devices a warehouse can send out in one day, by warehouse kind (JSON; "
        "UNVERIFIED defaults).",
    )
    planning_rupees_per_km: float = Field(
        1.0, description="Transport cost of one device per road km (₹; UNVERIFIED default)."
    )
    planning_km_per_day: float = Field(
        300.0, description="Road km a truck covers in a day, for lead days (UNVERIFIED default)."
    )
    planning_road_factor: float = Field(
        1.3,
        description="Road km per straight-line km between two places (UNVERIFIED default).",
    )
    planning_truck_capacity: int = Field(
        50, description="Concentrators one truck carries: one challan each (UNVERIFIED default)."
    )
    planning_horizon_days: int = Field(14, description="Default planning horizon (days, 1-42).")
    planning_severe_share: float = Field(
        0.15, description="Share of active cases that are severe (DOMAIN.md: early WHO figures)."
    )
    planning_on_concentrator_share: float = Field(
        1.0,
        description="Share of severe patients on a concentrator (1.0: all; lower it where piped "
        "or cylinder oxygen carries part of the load).",
    )
    planning_flow_lpm: float = Field(
        10.0, description="Oxygen flow per severe patient (LPM; DOMAIN.md: WHO)."
    )
    planning_device_lpm: float = Field(
        5.0, description="Rated flow of a concentrator (LPM; DOMAIN.md: MoHFW advisory, May 2021)."
    )
    planning_uptime: float = Field(
        0.9, description="Share of time a concentrator works (DOMAIN.md: NHM BMMP, CHC target)."
    )
    planning_home_share: float = Field(
        0.3,
        description="Share of patients on concentrators cared for at home, from the district's "
        "concentrator bank (UNVERIFIED default).",
    )
    planning_supplier_days: int = Field(
        3,
        description="Days from acceptance at a supplier's works to the consignee warehouse "
        "(UNVERIFIED default).",
    )
    planning_inspection_days: int = Field(
        7, description="Days from a lot's readiness to its verdict (UNVERIFIED default)."
    )
    planning_reoffer_days: int = Field(
        14,
        description="Days after a failed inspection until the supplier offers a replacement lot "
        "(UNVERIFIED default).",
    )
    planning_late_truck_days: int = Field(
        2,
        description="A truck past its expected arrival is counted on this many days from now "
        "(UNVERIFIED default).",
    )
    # --- end planning ---

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
