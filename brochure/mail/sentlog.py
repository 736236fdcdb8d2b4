"""The sent-log: an SQLite record of every message handed to a server (or the
outbox), keyed by appointment id, content hash and channel.

A message is recorded as "attempting" (with its Message-ID) before it is
handed over and as "accepted" once the server said 250 (or the outbox made its
file durable), each committed and synced before the next step (an outbox's a
group at a time: see mail/batch.py). An attempt never confirmed is found by the
next run and reported instead of being sent again. One sender at a time: a lock
file beside the log is held for the whole batch."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ContentError, Problem

ATTEMPTING, ACCEPTED = "attempting", "accepted"
SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    appointment_id TEXT NOT NULL,
    content_hash   TEXT NOT NULL,
    channel        TEXT NOT NULL,
    message_id     TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('attempting', 'accepted')),
    facts          TEXT NOT NULL,
    attempted_at   REAL NOT NULL,
    accepted_at    REAL,
    PRIMARY KEY (appointment_id, content_hash, channel)
)
"""
# Logs written before the attempting state kept only accepted messages, in `sent`.
MIGRATE = """
INSERT OR IGNORE INTO messages
    SELECT appointment_id, content_hash, channel, message_id, 'accepted', '{}', accepted_at, accepted_at FROM sent;
DROP TABLE sent;
"""


def prepared(db: sqlite3.Connection) -> sqlite3.Connection:
    """A log database with the current schema, an older log's records moved into it."""
    db.execute(SCHEMA)
    if db.execute("SELECT 1 FROM sqlite_master WHERE name='sent'").fetchone():
        db.executescript(f"BEGIN; {MIGRATE} COMMIT;")
    return db


class LogWriteError(Exception):
    """The sent-log could not record a step (disk full, read-only, removed)."""


@dataclass(frozen=True)
class History:
    """What an appointment was sent before: the first Message-ID (for threading),
    how many versions were accepted (the next one's sequence), the facts and content
    hash of the last one."""

    first_message_id: str = ""
    versions: int = 0
    last_facts: dict[str, Any] = field(default_factory=dict)
    booked: bool = False  # a booking (not only a cancellation) was accepted
    last_hash: str = ""


class SentLog:
    """Which (appointment, content) pairs were attempted and accepted."""

    def __init__(self, db: sqlite3.Connection, lock: int | None = None) -> None:
        self.db, self.lock = db, lock

    @classmethod
    def open(cls, path: Path, mode: int, wait: bool = False) -> SentLog:
        """The log at `path` for sending, created with `mode`; ContentError if
        another sender holds it (unless `wait`)."""
        import fcntl  # POSIX: imported here so that the other commands still run elsewhere

        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, mode)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock)
            raise ContentError(
                Problem(path, None, "another 'brochure mail' is using this sent-log", "wait for it to finish, or add --wait")
            ) from None
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, mode))
        os.chmod(path, mode)  # whatever the umask, or the mode of an older log; SQLite gives -wal and -shm the same
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        return cls(prepared(db), lock)

    @classmethod
    def read_only(cls, path: Path) -> SentLog:
        """The log for a dry run: a copy in memory of the file, which is never created or written."""
        db = sqlite3.connect(":memory:", isolation_level=None)
        if path.exists():
            source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            source.backup(db)
            source.close()
        return cls(prepared(db))

    def state(self, appointment_id: str, content_hash: str, channel: str) -> str | None:
        """'accepted', 'attempting' or None for this exact content."""
        row = self.db.execute(
            "SELECT state FROM messages WHERE appointment_id=? AND content_hash=? AND channel=?",
            (appointment_id, content_hash, channel),
        ).fetchone()
        return row[0] if row else None

    def history(self, appointment_id: str, channel: str) -> History:
        """What was accepted for an appointment, from its versions in the order accepted.
        A content sent again (a change undone) is its row written again: each version's
        facts keep its sequence and the thread's first Message-ID (a log written before
        they did counts its rows)."""
        rows = self.db.execute(
            "SELECT message_id, facts, content_hash FROM messages WHERE appointment_id=? AND channel=? "
            "AND state='accepted' ORDER BY accepted_at",
            (appointment_id, channel),
        ).fetchall()
        if not rows:
            return History()
        facts = [json.loads(f) for _, f, _ in rows]
        sequences = [f.get("sequence", i) for i, f in enumerate(facts)]
        first = next((f["first"] for f in facts if f.get("first")), rows[sequences.index(min(sequences))][0])
        return History(first, max(sequences) + 1, facts[-1], any(not f.get("cancelled") for f in facts), rows[-1][2])

    def attempting(
        self, appointment_id: str, content_hash: str, channel: str, message_id: str, facts: dict[str, Any], synced: bool = True
    ) -> None:
        """Record that a message is about to be handed over; committed before this
        returns, and synced unless not `synced` (an outbox's attempts: they are synced
        with the next acceptance, which syncs everything written to the log before it)."""
        self.write(f"PRAGMA synchronous={'FULL' if synced else 'NORMAL'}", ())
        self.write(
            "INSERT OR REPLACE INTO messages VALUES (?, ?, ?, ?, 'attempting', ?, ?, NULL)",
            (appointment_id, content_hash, channel, message_id, json.dumps(facts, sort_keys=True), time.time()),
        )

    def accepted(self, messages: list[tuple[str, str, str]]) -> None:
        """Record that the server took these messages, each (appointment id, content
        hash, channel); committed in one transaction before this returns."""
        now = time.time()
        try:
            self.db.execute("PRAGMA synchronous=FULL")
            with self.db:  # one transaction: BEGIN ... COMMIT, or ROLLBACK
                self.db.execute("BEGIN")
                self.db.executemany(
                    "UPDATE messages SET state='accepted', accepted_at=? WHERE appointment_id=? AND content_hash=? AND channel=?",
                    [(now, *message) for message in messages],
                )
        except sqlite3.Error as exc:
            raise LogWriteError(str(exc)) from None

    def forget(self, appointment_id: str, content_hash: str, channel: str) -> None:
        """Drop an attempt the server definitely refused, so that a rerun may try again."""
        self.write(
            "DELETE FROM messages WHERE appointment_id=? AND content_hash=? AND channel=? AND state='attempting'",
            (appointment_id, content_hash, channel),
        )

    def write(self, sql: str, values: tuple[Any, ...]) -> None:
        """One statement in its own transaction; LogWriteError if it cannot be committed."""
        try:
            self.db.execute(sql, values)
        except sqlite3.Error as exc:
            raise LogWriteError(str(exc)) from None

    def close(self) -> None:
        self.db.close()
        if self.lock is not None:
            os.close(self.lock)  # closing releases the lock
