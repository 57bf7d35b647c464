"""The outside channels: email over SMTP, SMS through a gateway's HTTP API.

Each adapter sends one message or raises ``ChannelError`` with a reason the admin can
read; ``NotConfigured`` when the installation has not set the channel up. Tests run a
real SMTP server (aiosmtpd) and a local HTTP stand-in for the gateway.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import make_msgid


class ChannelError(Exception):
    """The message did not go; worth another attempt later."""


class NotConfigured(ChannelError):
    """The channel is not set up here (no SMTP host, no SMS gateway)."""


class Email:
    def __init__(self, settings) -> None:  # noqa: ANN001 - the composed Settings
        self.settings = settings

    def send(self, to: str, subject: str, body: str, reference: str) -> None:
        s = self.settings
        if not s.smtp_host:
            raise NotConfigured("no SMTP server is set (OXYCHAIN_SMTP_HOST)")
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = s.mail_from, to, subject
        # One Message-ID per delivery: a resend after a lost acknowledgement is recognisable.
        message["Message-ID"] = make_msgid(idstring=reference, domain="oxychain")
        message.set_content(body)
        try:
            if s.smtp_tls == "tls":
                client = smtplib.SMTP_SSL(
                    s.smtp_host,
                    s.smtp_port,
                    timeout=s.channel_timeout_seconds,
                    context=ssl.create_default_context(),
                )
            else:
                client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.channel_timeout_seconds)
            with client:
                if s.smtp_tls == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if s.smtp_username:
                    client.login(s.smtp_username, s.smtp_password)
                client.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise ChannelError(f"SMTP {s.smtp_host}:{s.smtp_port}: {exc}") from exc


class Sms:
    """POSTs {to, text, sender, unicode, reference} as JSON; any 2xx is accepted."""

    def __init__(self, settings) -> None:  # noqa: ANN001
        self.settings = settings

    def send(self, to: str, text: str, reference: str) -> None:
        s = self.settings
        if not s.sms_gateway_url:
            raise NotConfigured("no SMS gateway is set (OXYCHAIN_SMS_GATEWAY_URL)")
        body = json.dumps(
            {
                "to": to,
                "text": text,
                "sender": s.sms_sender,
                "unicode": not text.isascii(),
                "reference": reference,
            }
        ).encode()
        headers = {"Content-Type": "application/json"}
        if s.sms_gateway_token:
            headers["Authorization"] = f"Bearer {s.sms_gateway_token}"
        request = urllib.request.Request(  # noqa: S310 - the configured gateway's URL
            s.sms_gateway_url, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=s.channel_timeout_seconds) as answer:  # noqa: S310
                answer.read(4096)
        except urllib.error.HTTPError as exc:
            raise ChannelError(f"SMS gateway answered {exc.code}") from exc
        except (OSError, ValueError) as exc:
            raise ChannelError(f"SMS gateway: {exc}") from exc
