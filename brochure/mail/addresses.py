"""Email addresses: one validator for the row check and the message builder,
and a To: header that parses back to exactly the one intended recipient.

Addresses are checked with email-validator (syntax only, no DNS: a clinic's
batch must not depend on the network), IDN domains are sent in their ASCII
form, and a local part that is not ASCII needs SMTPUTF8 from the server.
Reasons never repeat the address itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from .mime import encoded_words

# A display name of plain words needs no quoting or encoding.
PLAIN_NAME = re.compile(r"[A-Za-z0-9]+( [A-Za-z0-9]+)*")
PLAIN_NAME_MAX = 60  # longer names are encoded, so that no header line grows past the limit


class AddressError(ValueError):
    """An address that cannot be used; the message names no part of it."""


@dataclass(frozen=True)
class EmailAddress:
    """A checked address, as it goes into the envelope and the To: header."""

    addr_spec: str  # ASCII domain when the local part is ASCII; UTF-8 throughout otherwise
    smtputf8: bool  # the local part is not ASCII: only a server offering SMTPUTF8 can take it


def parse_address(value: str) -> EmailAddress:
    """A checked address, or AddressError with a reason that does not repeat it."""
    try:
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=True, strict=True)
    except EmailNotValidError as exc:
        raise AddressError(f"the email address is not valid: {without_address(str(exc), value)}") from None
    if checked.ascii_email:
        return EmailAddress(checked.ascii_email, smtputf8=False)
    return EmailAddress(checked.normalized, smtputf8=True)


def without_address(reason: str, value: str) -> str:
    """email-validator's reason, unless it quotes a piece of the address."""
    local, _, domain = value.rpartition("@")
    pieces = [p for p in (local, domain) if len(p) > 1]
    if any(piece in reason for piece in pieces):
        return "check it in the scheduling system"
    return reason.rstrip(".")


def mailbox(name: str, address: EmailAddress) -> str:
    """A To: header value: the display name as plain words or RFC 2047 encoded words,
    folded, and the address on a line of its own, so that no folding can change it."""
    if not name:
        return f"<{address.addr_spec}>"
    if PLAIN_NAME.fullmatch(name) and len(name) <= PLAIN_NAME_MAX:
        phrase = name
    else:
        phrase = "\n ".join(encoded_words(name))
    return f"{phrase}\n <{address.addr_spec}>"
