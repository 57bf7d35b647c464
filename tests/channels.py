"""The outside world of notices, on loopback: a real SMTP server (aiosmtpd) whose mail the
test reads back, and an HTTP stand-in for the SMS gateway that keeps what it was sent.
``Outside.settings`` points the app's channels at them; ``tick`` runs one round of the
worker at a moment of the test's choosing."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from oxychain.app import Settings, bootstrap
from oxychain.core import clock
from oxychain.core.bootstrap import Oxychain
from oxychain.core.notices import text
from oxychain.core.people import SYSTEM
from oxychain.core.tables import Notice, User
from oxychain.core.worker.loop import Worker
from tests.server import free_port


class _Mailbox:
    def __init__(self) -> None:
        self.mails: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        self.mails.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


class SmtpServer:
    """aiosmtpd on a loopback port that stays the same across stop and start."""

    def __init__(self) -> None:
        self.port, self.box, self.controller = free_port(), _Mailbox(), None

    @property
    def mails(self) -> list[EmailMessage]:
        return self.box.mails

    def start(self) -> None:
        self.controller = Controller(self.box, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class SmsGateway:
    """Answers 202 to every POST and keeps its JSON body."""

    def __init__(self) -> None:
        self.texts: list[dict] = []
        texts = self.texts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length", 0))
                texts.append(json.loads(self.rfile.read(length)))
                self.send_response(202)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Outside:
    def __init__(self) -> None:
        self.smtp, self.sms = SmtpServer(), SmsGateway()

    def settings(self, base: Settings) -> Settings:
        return base.model_copy(
            update={
                "smtp_host": "127.0.0.1",
                "smtp_port": self.smtp.port,
                "sms_gateway_url": self.sms.url,
                "channel_timeout_seconds": 5.0,
            }
        )

    def mails_to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.smtp.mails if m["To"] == address]

    def texts_to(self, mobile: str) -> list[dict]:
        return [t for t in self.sms.texts if t["to"] == mobile]


@pytest.fixture
def outside() -> Iterator[Outside]:
    world = Outside()
    world.smtp.start()
    yield world
    world.smtp.stop()
    world.sms.stop()


@pytest.fixture
def told_app(settings: Settings, outside: Outside) -> Iterator[Oxychain]:
    """The app of the ``app`` fixture's database, its channels pointed at ``outside``."""
    app = bootstrap(outside.settings(settings))
    yield app
    app.close()


def reachable(app: Oxychain, user_id: int, language: str) -> tuple[str, str]:
    """Give a person an email address and a mobile, both chosen, and a notice language."""
    with app.uow(SYSTEM, write=True) as uow:
        user = uow.session.get(User, user_id)
        user.email = f"{user.username}@example.test"
        user.mobile = f"+9198{user.id:08d}"
        user.notice_language, user.notify_email, user.notify_sms = language, True, True
        uow.commit()
        return user.email, user.mobile


def tick(app: Oxychain, monkeypatch: pytest.MonkeyPatch, at: datetime) -> int:
    """One round of the worker (schedules, due jobs, the outbox) with the clock at ``at``."""
    monkeypatch.setattr(clock, "now", lambda: at)
    return Worker(app, "test-worker").tick()


def notices(app: Oxychain, kind: str) -> list[tuple[int, str, str]]:
    """(user id, language, subject as that person reads it) of each notice of a kind."""
    with app.uow(SYSTEM) as uow:
        rows = uow.session.scalars(select(Notice).where(Notice.kind == kind).order_by(Notice.id))
        return [(n.user_id, n.language, text.fill(n.subject, n.params, n.language)) for n in rows]


def is_hindi(words: str) -> bool:
    return any("\u0900" <= ch <= "\u097f" for ch in words)
