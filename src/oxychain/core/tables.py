"""SQLAlchemy 2 tables: the stored form of the aggregates.

Business rules live in the domain; these classes only say how things are stored.
Alembic migrations (``oxychain/migrations``) are the source of truth for the schema;
a test checks that the migrations and this metadata agree.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(2), default="hi")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facilities.id"))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_agencies.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # How the person is reached outside the app, and in which language (notices.py).
    email: Mapped[str | None] = mapped_column(String(254))
    mobile: Mapped[str | None] = mapped_column(String(16))
    notice_language: Mapped[str | None] = mapped_column(String(2))  # None: the page language
    notify_email: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    notify_sms: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class WebSession(Base):
    """A browser session; the cookie holds a random token, the table only its hash."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """A bearer token for the API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    success: Mapped[bool] = mapped_column(Boolean)
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_client_at", "client", "at"),
    )


class AuditEvent(Base):
    """Append-only hash chain; a trigger refuses UPDATE and DELETE (see migrations)."""

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id"),)


class AuditHead(Base):
    """The chain's last link, kept so that cutting entries off the end is detected."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class UtcDateTime(TypeDecorator):
    """A moment stored in UTC and read back with its zone (SQLite drops it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a stored moment must say its time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Job(Base):
    """Work the worker does when it falls due: one row per occurrence, (kind, key) unique so
    that scheduling the same thing twice, from any process, makes one job."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(120))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12))
    run_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer)
    claim: Mapped[str | None] = mapped_column(String(32))  # the claiming run's token
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    worker: Mapped[str | None] = mapped_column(String(80))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (
        UniqueConstraint("kind", "key", name="uq_jobs_kind_key"),
        Index("ix_jobs_due", "status", "run_at"),
        CheckConstraint(
            "status in ('queued', 'running', 'done', 'failed', 'cancelled')", name="status"
        ),
    )


class JobRun(Base):
    """One attempt at a job, for the admin: who ran it, when, and how it ended."""

    __tablename__ = "job_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    worker: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    outcome: Mapped[str] = mapped_column(String(12))
    summary: Mapped[str | None] = mapped_column(String(300))  # what it did, in a few words
    error: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        CheckConstraint(
            "outcome in ('running', 'succeeded', 'failed', 'interrupted')",
            name="outcome",
        ),
    )


class Notice(Base):
    """A message to one person, written in the transaction of the change behind it; (user,
    key) unique, so that a reminder fires once. The text is an English template with its
    parameters, shown in the reader's language."""

    __tablename__ = "notices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(String(2000))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (
        UniqueConstraint("user_id", "key", name="uq_notices_user_key"),
        Index("ix_notices_user_unread", "user_id", "read_at"),
    )


class NoticeDelivery(Base):
    """The outbox: a notice to send by email or SMS, retried with backoff until it goes."""

    __tablename__ = "notice_deliveries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), index=True)
    channel: Mapped[str] = mapped_column(String(8))
    address: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    claim: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (
        Index("ix_notice_deliveries_due", "status", "next_attempt_at"),
        CheckConstraint("channel in ('email', 'sms')", name="channel"),
        CheckConstraint(
            "status in ('pending', 'sending', 'sent', 'failed', 'skipped')", name="status"
        ),
    )
