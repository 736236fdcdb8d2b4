"""The sent-log: an SQLite record of every message a server (or the outbox)
accepted, keyed by appointment id and content hash, so that a rerun sends only
what is new or changed."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS sent (
    appointment_id TEXT NOT NULL,
    content_hash   TEXT NOT NULL,
    message_id     TEXT NOT NULL,
    channel        TEXT NOT NULL,
    accepted_at    REAL NOT NULL,
    PRIMARY KEY (appointment_id, content_hash, channel)
)
"""


class SentLog:
    """Which (appointment, content) pairs were accepted, committed one by one."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(SCHEMA)

    def was_sent(self, appointment_id: str, content_hash: str, channel: str) -> bool:
        """Whether this exact content was accepted before."""
        row = self.db.execute(
            "SELECT 1 FROM sent WHERE appointment_id=? AND content_hash=? AND channel=?",
            (appointment_id, content_hash, channel),
        ).fetchone()
        return row is not None

    def sent_before(self, appointment_id: str, channel: str) -> bool:
        """Whether any version of this appointment was accepted (a new one is an update)."""
        row = self.db.execute("SELECT 1 FROM sent WHERE appointment_id=? AND channel=?", (appointment_id, channel)).fetchone()
        return row is not None

    def record(self, appointment_id: str, content_hash: str, message_id: str, channel: str) -> None:
        """Record an accepted message; committed (and synced) before this returns."""
        self.db.execute(
            "INSERT OR IGNORE INTO sent VALUES (?, ?, ?, ?, ?)",
            (appointment_id, content_hash, message_id, channel, time.time()),
        )

    def close(self) -> None:
        self.db.close()
