"""What happened to each appointment of a batch, by id (never by name or
address): the lines the command prints, the summary that adds up, and the
staff CSV report (`--report`) the front desk phones patients from."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..write.files import write_atomic

SENT, ALREADY_SENT, WOULD_SEND = "sent", "already sent", "would send"
SKIPPED, FAILED, DEFERRED, UNCONFIRMED = "skipped", "failed", "deferred", "unconfirmed"
# The order of the summary; every row read is counted in exactly one of these.
STATUSES = (WOULD_SEND, SENT, ALREADY_SENT, SKIPPED, FAILED, DEFERRED, UNCONFIRMED)
# Outcomes that mean a patient may not have their message, so the exit code is 1.
PROBLEMS = (FAILED, DEFERRED, UNCONFIRMED)
BAD_ROW, PAST = "bad-row", "past"  # why a row was skipped: it cannot be used, or its date has passed
HARMLESS_SKIPS = (PAST, "cancelled")  # skipped rows that are not a problem
REPORT_COLUMNS = ("appointment_id", "row", "status", "reason_class", "reason", "message_id")


@dataclass(frozen=True)
class Outcome:
    """One appointment's (or unusable row's) fate in a batch."""

    row: int
    id: str
    status: str
    reason_class: str = ""
    reason: str = ""
    message_id: str = ""

    def line(self) -> str:
        """The line the command prints for it; '' for a plain success."""
        if self.status == SKIPPED:
            who = f" (appointment {self.id})" if self.id else ""
            return f"skipped row {self.row}{who}: {self.reason}"
        if self.status in (SENT, ALREADY_SENT):
            return ""
        if self.status == WOULD_SEND:
            return f"would send appointment {self.id}"
        return f"{self.status} appointment {self.id}: {self.reason}"

    @property
    def problem(self) -> bool:
        """Whether staff need to act on it."""
        return self.status in PROBLEMS or (self.status == SKIPPED and self.reason_class not in HARMLESS_SKIPS)


@dataclass
class MailReport:
    """Every row of a batch, each with one outcome."""

    read: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    stopped: str = ""  # why the batch stopped early, if it did

    def ids(self, status: str) -> list[str]:
        """Appointment ids with a status, in file order."""
        return [o.id for o in self.ordered() if o.status == status]

    @property
    def sent(self) -> list[str]:
        return self.ids(SENT)

    @property
    def already_sent(self) -> list[str]:
        return self.ids(ALREADY_SENT)

    @property
    def would_send(self) -> list[str]:
        return self.ids(WOULD_SEND)

    @property
    def failed(self) -> list[tuple[str, str]]:
        return [(o.id, o.reason) for o in self.ordered() if o.status == FAILED]

    def ordered(self) -> list[Outcome]:
        """Outcomes in the order of the file."""
        return sorted(self.outcomes, key=lambda o: o.row)

    @property
    def ok(self) -> bool:
        return not any(o.problem for o in self.outcomes)

    def summary(self) -> str:
        """'N read: a sent, b already sent, ...', saying so if the counts do not add up."""
        counts = Counter(o.status for o in self.outcomes)
        shown = [s for s in STATUSES if s != WOULD_SEND or counts[s]]
        line = f"{self.read} read: " + ", ".join(f"{counts[s]} {s}" for s in shown)
        if sum(counts.values()) != self.read:
            line += f" (these add up to {sum(counts.values())}, not {self.read}: please report this)"
        return line

    def csv(self) -> bytes:
        """The staff report: one line per row read, no names or addresses."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(REPORT_COLUMNS)
        for o in self.ordered():
            writer.writerow((o.id, o.row, o.status, o.reason_class, o.reason, o.message_id))
        return out.getvalue().encode("utf-8")

    def write(self, path: Path, mode: int) -> None:
        """Write the staff report atomically, readable only as `mode` allows."""
        write_atomic(path, self.csv(), mode)
