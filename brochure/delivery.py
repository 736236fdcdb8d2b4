"""Deliver messages: into an outbox folder as .eml files, or to an SMTP server
with timeouts and retries. Errors name no patient: only codes and reasons."""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from .write.files import write_atomic


@dataclass(frozen=True)
class Envelope:
    """A message ready to go: its bytes, the envelope addresses and its Message-ID."""

    data: bytes
    sender: str
    recipient: str
    message_id: str

    @classmethod
    def of(cls, msg: EmailMessage, recipient: str) -> Envelope:
        """Serialise a message once (CRLF line ends, as SMTP and .eml files want)."""
        sender = parseaddr(str(msg["From"]))[1]
        return cls(msg.as_bytes(policy=policy.SMTP), sender, recipient, str(msg["Message-ID"]))


class DeliveryError(Exception):
    """A message was not accepted."""


class PermanentFailure(DeliveryError):
    """The server refused the message for good (5xx): do not retry."""


class TemporaryFailure(DeliveryError):
    """The server could not take the message now (4xx, connection lost, timeout)."""


class Outbox:
    """Writes each message as an .eml file; nothing is sent."""

    channel = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, appointment_id: str, content_hash: str) -> Path:
        """One file per appointment and content: a rerun rewrites, never duplicates."""
        return self.folder / f"{appointment_id}-{content_hash[:12]}.eml"

    def deliver(self, msg: Envelope, appointment_id: str, content_hash: str) -> None:
        write_atomic(self.path_for(appointment_id, content_hash), msg.data)

    def close(self) -> None:
        pass


class Smtp:
    """Sends over one SMTP connection, reconnecting and retrying with backoff."""

    channel = "smtp"

    def __init__(
        self,
        host: str,
        port: int,
        tls: str,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        attempts: int = 4,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.host, self.port, self.tls = host, port, tls
        self.user, self.password = user, password
        self.timeout, self.attempts, self.backoff, self.sleep = timeout, attempts, backoff, sleep
        self.conn: smtplib.SMTP | None = None

    def connect(self) -> smtplib.SMTP:
        """An open, authenticated connection."""
        if self.conn is not None:
            return self.conn
        context = ssl.create_default_context()
        if self.tls == "ssl":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.tls == "starttls":
                conn.starttls(context=context)
        if self.user:
            conn.login(self.user, self.password or "")
        self.conn = conn
        return conn

    def drop(self) -> None:
        """Forget a connection that failed."""
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
        self.conn = None

    def deliver(self, msg: Envelope, appointment_id: str, content_hash: str) -> None:
        """Send one message; retry temporary failures, raise on permanent ones."""
        reason = ""
        for attempt in range(self.attempts):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                refused = self.connect().sendmail(msg.sender, [msg.recipient], msg.data)
                if refused:
                    code = next(iter(refused.values()))[0]
                    raise PermanentFailure(f"recipient refused ({code})")
                return
            except smtplib.SMTPRecipientsRefused as exc:
                codes = sorted({code for code, _ in exc.recipients.values()})
                reason = f"recipient refused ({', '.join(map(str, codes))})"
                if all(code >= 500 for code in codes):
                    raise PermanentFailure(reason) from None
            except smtplib.SMTPResponseException as exc:
                reason = f"server answered {exc.smtp_code}"
                if exc.smtp_code >= 500:
                    self.reset()
                    raise PermanentFailure(reason) from None
                self.reset()
            except OSError as exc:  # refused, dropped or timed-out connections (SMTP errors are OSErrors too)
                reason = f"connection failed ({type(exc).__name__})"
                self.drop()
        raise TemporaryFailure(f"{reason}; gave up after {self.attempts} attempts")

    def reset(self) -> None:
        """Clear the server's state after a refused transaction, keeping the connection."""
        if self.conn is not None:
            try:
                self.conn.rset()
            except (smtplib.SMTPException, OSError):
                self.drop()

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                pass
        self.conn = None
