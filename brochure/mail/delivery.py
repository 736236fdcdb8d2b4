"""Deliver messages: into an outbox folder as .eml files (here), or to an SMTP server
(smtp.py, imported only when a batch sends).

Each outcome has a class the pipeline acts on: a message the server refused
for good (5xx) fails that appointment; a temporary refusal for one recipient
(4xx) defers it; throttling (421, 451) slows the batch down; a message sent
without an answer (a timed-out or dropped DATA) is unconfirmed and never sent
again blindly; a server that cannot be reached, a TLS failure or a refused
login stops the batch. Errors name no patient: only codes and reasons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import file_problem
from ..write.files import replace_atomic, sync_folder


@dataclass(frozen=True)
class Envelope:
    """A message ready to go: its bytes, the envelope addresses and its Message-ID."""

    data: bytes
    sender: str
    recipient: str
    message_id: str
    smtputf8: bool = False


class DeliveryError(Exception):
    """A message was not accepted; `reason_class` says why, in one word."""

    reason_class = "failed"


class Refused(DeliveryError):
    """The server refused this message for good (5xx): do not retry it."""

    reason_class = "refused"


class Deferred(DeliveryError):
    """The server could not take this message now (4xx): try it later."""

    reason_class = "temporary"


class Unconfirmed(DeliveryError):
    """The message was handed over but no answer came: it may have been delivered."""

    reason_class = "unconfirmed"


class ConnectionFailure(DeliveryError):
    """The server cannot be used at all (down, TLS, login): stop the batch."""

    reason_class = "connection"


BeforeData = Callable[[], None]


class Outbox:
    """Writes each message as an .eml file; nothing is sent. The files are made durable
    `group` at a time (`settle`): the sent-log records them accepted after that."""

    channel = "outbox"
    group = 50  # messages written between two syncs of the folder

    def __init__(self, folder: Path, mode: int = 0o600) -> None:
        self.folder, self.mode = folder, mode
        self.unsynced: list[Path] = []

    def path_for(self, appointment_id: str, content_hash: str) -> Path:
        """One file per appointment and content: a rerun rewrites, never duplicates."""
        return self.folder / f"{appointment_id}-{content_hash[:12]}.eml"

    def deliver(self, msg: Envelope, appointment_id: str, content_hash: str, before_data: BeforeData) -> None:
        before_data()
        path = self.path_for(appointment_id, content_hash)
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            replace_atomic(path, msg.data, self.mode, sync=False)
        except OSError as exc:
            raise ConnectionFailure(f"cannot write the outbox: {file_problem(path, exc)}") from None
        self.unsynced.append(path)

    def settle(self) -> None:
        """Make the messages written since the last time durable; ConnectionFailure if
        the folder cannot be synced."""
        written, self.unsynced = self.unsynced, []
        if written:
            try:
                sync_folder(self.folder, written)
            except OSError as exc:
                raise ConnectionFailure(f"cannot sync the outbox: {file_problem(self.folder, exc)}") from None

    def close(self) -> None:
        pass
