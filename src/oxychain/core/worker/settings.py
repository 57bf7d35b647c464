"""Settings of the worker, the jobs and the notices' channels (core's part of the one
Settings, mixed in like an area's: ``core.AREA.settings``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class OperationsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OXYCHAIN_", extra="ignore")

    public_url: str = Field(
        "http://127.0.0.1:8000",
        description="The address people reach the app at, for the links in emails.",
    )
    worker_poll_seconds: float = Field(
        1.0, description="How often an idle worker looks for due jobs and deliveries (s)."
    )
    job_lease_seconds: int = Field(
        120,
        description="How long a job (or a delivery) stays with the worker that claimed it; "
        "after that another worker takes it over, as after a kill -9 (s).",
    )
    job_keep_days: int = Field(
        30, description="Finished jobs and their runs are kept this long for the admin (days)."
    )
    reminder_interval_minutes: int = Field(
        15, description="How often the reminders are looked for (minutes)."
    )
    delivery_max_attempts: int = Field(
        12,
        description="Attempts at an email or SMS before it is marked failed for the admin "
        "(with the backoff below, about a day).",
    )
    delivery_backoff_seconds: int = Field(
        30,
        description="Wait after a failed email or SMS; doubled after each failure, at most an "
        "hour (s).",
    )
    smtp_host: str = Field(
        "", description="SMTP server for email notices; empty: email is not sent."
    )
    smtp_port: int = Field(25, description="SMTP server's port (587 with STARTTLS, 465 TLS).")
    smtp_tls: str = Field(
        "none", description="none, starttls or tls: how the SMTP connection is encrypted."
    )
    smtp_username: str = Field("", description="SMTP login; empty: no login.")
    smtp_password: str = Field("", description="SMTP password.")
    channel_timeout_seconds: float = Field(
        10.0,
        description="How long to wait for the SMTP server or the SMS gateway before the "
        "message is tried again later (s).",
    )
    mail_from: str = Field(
        "oxychain <noreply@oxychain.invalid>", description="Sender of email notices."
    )
    sms_gateway_url: str = Field(
        "",
        description="SMS gateway endpoint: each SMS is POSTed as JSON {to, text, sender, "
        "unicode, reference}; empty: SMS is not sent.",
    )
    sms_gateway_token: str = Field(
        "", description="Bearer token sent to the SMS gateway (Authorization header)."
    )
    sms_sender: str = Field("OXYCHN", description="Sender id of SMS notices (DLT header).")
