"""Deliver messages to an SMTP server: one connection, paced, reconnecting, each reply
classified as delivery.py says (refused, deferred, throttled, unconfirmed, or the
server unusable)."""

from __future__ import annotations

import re
import smtplib
import ssl
import time
from collections.abc import Callable
from pathlib import Path

from .delivery import BeforeData, ConnectionFailure, Deferred, Envelope, Refused, Unconfirmed

COMMAND_TIMEOUT = 300.0  # RFC 5321 4.5.3.2: five minutes for the greeting, MAIL and RCPT
THROTTLE_CODES = (421, 451)


class Smtp:
    """Sends over one SMTP connection: paced, reconnecting, each reply classified."""

    channel = "smtp"
    group = 1  # a message the server took is recorded before the next is sent

    def __init__(
        self,
        host: str,
        port: int,
        tls: str,
        user: str | None = None,
        password: str | None = None,
        timeout: float = COMMAND_TIMEOUT,
        data_timeout: float = 600.0,
        attempts: int = 4,
        backoff: float = 1.0,
        rate: float = 0.0,
        cafile: Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.host, self.port, self.tls = host, port, tls
        self.user, self.password = user, password
        self.timeout, self.data_timeout = timeout, data_timeout
        self.attempts, self.backoff, self.sleep = attempts, backoff, sleep
        self.interval = 60.0 / rate if rate else 0.0  # seconds between messages
        self.next_at = 0.0
        self.cafile = cafile
        self.conn: smtplib.SMTP | None = None

    def tls_context(self) -> ssl.SSLContext:
        """The system's trusted CAs, or a private CA's certificate."""
        return ssl.create_default_context(cafile=str(self.cafile) if self.cafile else None)

    def connect(self) -> smtplib.SMTP:
        """An open, greeted, authenticated connection; ConnectionFailure for what no
        retry can mend (TLS, login), OSError for what one may."""
        if self.conn is not None:
            return self.conn
        if self.user and self.tls == "none":
            raise ConnectionFailure("refusing to send the SMTP password without TLS (use --tls starttls or ssl)")
        try:
            if self.tls == "ssl":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self.tls_context())
            else:
                conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.tls == "starttls":
                    conn.starttls(context=self.tls_context())
            conn.ehlo_or_helo_if_needed()
            if self.user:
                conn.login(self.user, self.password or "")
        except ssl.SSLCertVerificationError as exc:
            raise ConnectionFailure(f"TLS: {exc.verify_message} (for a private CA, use --cafile)") from None
        except ssl.SSLError as exc:
            raise ConnectionFailure(f"TLS failed: {exc.reason or exc}") from None
        except smtplib.SMTPNotSupportedError:
            raise ConnectionFailure("the server does not offer STARTTLS (use --tls ssl, or none on a trusted network)") from None
        except smtplib.SMTPAuthenticationError as exc:
            raise ConnectionFailure(f"the server refused the user name or password ({exc.smtp_code})") from None
        except smtplib.SMTPConnectError as exc:
            raise ConnectionFailure(f"the server refused the connection ({exc.smtp_code})") from None
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

    def pace(self) -> None:
        """Wait until the rate allows the next message."""
        now = time.monotonic()
        if now < self.next_at:
            self.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval

    def throttled(self, attempt: int) -> None:
        """The server asked to slow down: halve the rate for the rest of the batch."""
        self.interval = max(self.interval * 2, self.backoff)
        self.sleep(self.backoff * 2**attempt)

    def deliver(self, msg: Envelope, appointment_id: str, content_hash: str, before_data: BeforeData) -> None:
        """Send one message; `before_data` runs just before the message itself is sent.

        Until the message is complete, a dropped connection is retried and a refusal
        classified; once it is sent, a missing answer is Unconfirmed."""
        reason = ""
        for attempt in range(self.attempts):
            self.pace()
            try:
                conn = self.connect()
                self.envelope(conn, msg)
                try:
                    before_data()
                except BaseException:
                    self.reset()
                    raise
                code = self.data(conn, msg)
            except smtplib.SMTPResponseException as exc:
                self.reset()
                code = exc.smtp_code
            except OSError as exc:  # refused, dropped or timed-out connections (SMTP errors are OSErrors too)
                self.drop()
                reason = f"cannot reach {self.host}:{self.port} ({type(exc).__name__})"
                if attempt + 1 < self.attempts:
                    self.sleep(self.backoff * 2**attempt)
                continue
            if code == 250:
                return
            reason = f"server answered {code}"
            if code in THROTTLE_CODES:
                self.throttled(attempt)
                continue
            raise (Refused if code >= 500 else Deferred)(reason)
        if reason.startswith("server answered"):
            raise Deferred(f"{reason}: the server kept asking to slow down; gave up after {self.attempts} attempts")
        raise ConnectionFailure(f"{reason}; gave up after {self.attempts} attempts")

    def envelope(self, conn: smtplib.SMTP, msg: Envelope) -> None:
        """MAIL FROM and RCPT TO; SMTPResponseException for a refusal."""
        options: list[str] = []
        if msg.smtputf8:
            if not conn.has_extn("smtputf8"):
                raise Refused("the address needs SMTPUTF8, which the server does not offer")
            options = ["SMTPUTF8", "BODY=8BITMIME"]
        code, answer = conn.mail(msg.sender, options)
        if code != 250:
            raise smtplib.SMTPResponseException(code, answer)
        code, answer = conn.rcpt(msg.recipient)
        if code not in (250, 251):
            raise smtplib.SMTPResponseException(code, answer)

    def data(self, conn: smtplib.SMTP, msg: Envelope) -> int:
        """DATA, the message, and the server's answer, waited for `data_timeout`.
        OSError until the message is complete; Unconfirmed if no answer follows it."""
        code, _ = conn.docmd("data")
        if code != 354:
            self.reset()
            return code
        payload = re.sub(rb"(?m)^\.", b"..", msg.data)
        conn.send(payload + (b"" if payload.endswith(b"\r\n") else b"\r\n") + b".\r\n")
        try:
            if conn.sock is not None:
                conn.sock.settimeout(self.data_timeout)
            code, _ = conn.getreply()
            if conn.sock is not None:
                conn.sock.settimeout(self.timeout)
        except OSError as exc:
            self.drop()
            if isinstance(exc.__context__ or exc, TimeoutError):
                raise Unconfirmed(f"no answer within {self.data_timeout:g} s after the message was sent") from None
            raise Unconfirmed("the connection dropped after the message was sent") from None
        return code

    def reset(self) -> None:
        """Clear the server's state after a refused transaction, keeping the connection."""
        if self.conn is not None:
            try:
                self.conn.rset()
            except (smtplib.SMTPException, OSError):
                self.drop()

    def settle(self) -> None:
        """Nothing to do: the server's 250 is the message's durability."""

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                pass
        self.conn = None
