"""iMIP (RFC 6047): a per-member invitation as an e-mail message (the bytes of an .eml).

A message is `multipart/mixed` → [`multipart/alternative` (text/plain, optional text/html,
`text/calendar; method=…`)] + the same .ics attached as `invite.ics`: the calendar part is
what Outlook, Gmail, Apple Mail and Thunderbird turn into Accept/Decline buttons; the
attachment is for people whose client does not.

Every header is derived from the Invitation (Date and Message-ID from dtstamp, uid, sequence,
key; MIME boundaries from a hash), so the same Invitation always gives the same bytes.

agenda.effects.mail sends these bytes.
"""

from __future__ import annotations

import email.policy
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage

from agenda.model.errors import SomError
from agenda.model.ids import EMAIL
from agenda.model.meeting import Person

METHODS = ("REQUEST", "CANCEL")
ATTACHMENT_NAME = "invite.ics"

# SMTP policy (CRLF) and 7-bit clean bodies, so no server needs 8BITMIME or SMTPUTF8.
POLICY = email.policy.SMTP.clone(cte_type="7bit")


@dataclass(frozen=True)
class Invitation:
    """One per-member invitation file and what its e-mail needs."""

    key: str  # relative path of the .ics, e.g. "members/unep/emg-som29-technical.ics"
    ics: bytes  # the exact bytes of that file
    method: str  # "REQUEST" or "CANCEL"
    uid: str
    sequence: int
    dtstamp: datetime  # UTC; Date: and Message-ID derive from it
    organizer: Person
    recipients: tuple[Person, ...]
    subject: str
    text: str
    html: str | None = None
    reminder: bool = False  # the same version again, to someone who has not replied (its own Message-ID)


# --- the message --------------------------------------------------------------------------

# The longest header text (subject, display name) in characters. The `email` package's folding
# takes time that grows faster than the length (a 10 MB title: two minutes); mail clients show
# less than this anyway, and the full title is in the invitation.
HEADER_TEXT_LIMIT = 500


def _header_text(value: str) -> str:
    """A header value with every control or line-separator character turned into a space, and
    cut to HEADER_TEXT_LIMIT characters.

    A subject or a name comes from a meeting file; CR or LF in it must never start a new header.
    """
    if len(value) > HEADER_TEXT_LIMIT:
        value = value[:HEADER_TEXT_LIMIT - 1] + "…"
    cleaned = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in value)
    return " ".join(cleaned.split())


def _unsafe_in_address(address: str) -> bool:
    """Whitespace, a control or an invisible format character: never part of an address som
    writes, whatever the pattern it was checked with lets through (`$` matches before a final
    newline), since in a header it would end the line or hide a second address."""
    return any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Zs") for c in address)


def _check_address(address: str, key: str, who: str) -> None:

    if not address or _unsafe_in_address(address) or not EMAIL.match(address):
        raise SomError(f"{key}: the {who} address {address!r} is not an e-mail address",
                       hint="fix it in the meeting file or member directory (like focal.point@example.org)")


def _address(person: Person):
    from email.headerregistry import Address

    return Address(display_name=_header_text(person.name or ""), addr_spec=person.email)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # the interface promises UTC; a naive value is read as UTC
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _digest(inv: Invitation, purpose: str) -> str:
    basis = "\0".join((purpose, inv.key, inv.uid, str(inv.sequence), inv.method,
                       _utc(inv.dtstamp).isoformat()) + (("reminder",) if inv.reminder else ()))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def message_id(inv: Invitation) -> str:
    domain = inv.organizer.email.rpartition("@")[2] or "som.invalid"
    return f"<som.{_digest(inv, 'message-id')[:32]}@{domain}>"


def _check(inv: Invitation) -> None:
    if inv.method not in METHODS:
        raise ValueError(f"{inv.key}: method must be one of {METHODS}, not {inv.method!r}")
    if f"\r\nMETHOD:{inv.method}\r\n".encode() not in inv.ics:
        raise ValueError(f"{inv.key}: the .ics does not say METHOD:{inv.method}")
    if not inv.recipients:
        raise ValueError(f"{inv.key}: an invitation needs at least one recipient")
    _check_address(inv.organizer.email, inv.key, "organizer")
    for person in inv.recipients:
        _check_address(person.email, inv.key, "recipient")


def _headers(inv: Invitation) -> bytes:
    """From, To and Subject: written as they are when plain ASCII on one line, else by the
    `email` package (RFC 2047 encoding, quoting, folding), which costs about 0.3 ms a header.

    The plain form is the one the package itself writes for such values: a test compares them.
    """
    organizer = _plain_address(inv.organizer, inv.key, "organizer")
    written = [_plain_address(p, inv.key, "recipient") for p in inv.recipients]
    to = [a for a in written if a is not None]
    subject = _header_text(inv.subject)
    if organizer is None or len(to) < len(written) or not _PLAIN_TEXT.match(subject):
        return _encoded_headers(inv)
    lines = [f"From: {organizer}", f"To: {', '.join(to)}", f"Subject: {subject}"]
    if any(len(line) > 78 for line in lines):
        return _encoded_headers(inv)
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


# A display name written as it is (no quotes, no encoding): atext and single spaces, without
# "=" and "?" (which could read as an RFC 2047 encoded word).
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+/^_`{|}~-]+(?: [A-Za-z0-9!#$%&'*+/^_`{|}~-]+)*$")
_PLAIN_TEXT = re.compile(r"^(?!.*=\?)[\x21-\x7e]+(?: [\x21-\x7e]+)*$")


def _plain_address(person: Person, key: str, who: str) -> str | None:
    """`Name <address>` as it is, or None when the name needs the `email` package's quoting."""
    _check_address(person.email, key, who)
    name = _header_text(person.name or "")
    if not name:
        return person.email
    return f"{name} <{person.email}>" if _PLAIN_NAME.match(name) else None


_ENCODED_WORD = re.compile(rb"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def _encoded_headers(inv: Invitation) -> bytes:
    head = EmailMessage(policy=POLICY)
    head["From"] = _address(inv.organizer)
    head["To"] = tuple(_address(p) for p in inv.recipients)
    subject = _header_text(inv.subject)
    head["Subject"] = subject
    written = head.as_bytes()[:-2]  # without the blank line that ends a header block
    # The email package may also write an encoded word of 76 characters, one over RFC 2047's 75
    # (2); then too the subject is written here.
    if (str(email.message_from_bytes(written + b"\r\n", policy=email.policy.default)["Subject"]) == subject
            and all(len(word) <= 75 for word in _ENCODED_WORD.findall(written))):
        return written
    # The email package folds a long run of encoded words at a space it leaves between two of
    # them, where a reader drops it (RFC 2047, 6.2): a Chinese subject read "SeniorOfficials".
    # Such a subject is written here instead, every space inside an encoded word.
    del head["Subject"]
    return head.as_bytes()[:-2] + b"Subject: " + _encoded_words(subject) + b"\r\n"


def _encoded_words(text: str, most: int = 42) -> bytes:
    """RFC 2047 base64 encoded words of at most `most` UTF-8 bytes each (so a folded line
    stays under 78 characters), cut between characters, one per line."""
    import base64

    words, chunk = [], b""
    for char in text:
        data = char.encode("utf-8")
        if len(chunk) + len(data) > most:
            words.append(chunk)
            chunk = b""
        chunk += data
    words.append(chunk)
    return b"\r\n ".join(b"=?utf-8?b?" + base64.b64encode(w) + b"?=" for w in words)


def _base64(data: bytes) -> bytes:
    import base64

    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def _quoted_printable(text: str) -> bytes:
    import quopri

    lines = "\n".join(text.splitlines()) + "\n"
    return quopri.encodestring(lines.encode("utf-8")).replace(b"\n", b"\r\n")


def eml_bytes(inv: Invitation) -> bytes:
    """The message as an .eml file (CRLF, 7-bit): same Invitation, same bytes.

    The tree is fixed, so it is written here rather than built with the `email` package, which
    takes some 4 ms a message (40 s for 10,000 members) and quotes the method parameter
    (`method="REQUEST"`: valid MIME, but not the form Outlook and Google write and read).
    Boundaries come from a hash; bodies are base64 or quoted-printable, where "=_" cannot
    occur, so no body can contain a boundary.
    """
    from email.utils import format_datetime

    _check(inv)
    digest = _digest(inv, "boundary")
    mixed, alternative = f"=_som_mixed_{digest[:24]}", f"=_som_alt_{digest[24:48]}"
    ics = _base64(inv.ics)

    def part(boundary: str, headers: list[str], body: bytes) -> list[bytes]:
        return [f"--{boundary}\r\n".encode(), *(f"{h}\r\n".encode() for h in headers), b"\r\n", body, b"\r\n"]

    chunks = [_headers(inv),
              f"Date: {format_datetime(_utc(inv.dtstamp))}\r\n".encode(),
              f"Message-ID: {message_id(inv)}\r\n".encode(),
              b"MIME-Version: 1.0\r\n",
              f'Content-Type: multipart/mixed; boundary="{mixed}"\r\n'.encode(),
              b"\r\n",
              f'--{mixed}\r\nContent-Type: multipart/alternative;\r\n boundary="{alternative}"\r\n\r\n'.encode()]
    chunks += part(alternative, ['Content-Type: text/plain; charset="utf-8"',
                                 "Content-Transfer-Encoding: quoted-printable"], _quoted_printable(inv.text))
    if inv.html is not None:
        chunks += part(alternative, ['Content-Type: text/html; charset="utf-8"',
                                     "Content-Transfer-Encoding: quoted-printable"], _quoted_printable(inv.html))
    chunks += part(alternative, [f"Content-Type: text/calendar; method={inv.method}; charset=UTF-8",
                                 "Content-Transfer-Encoding: base64"], ics)
    chunks.append(f"--{alternative}--\r\n\r\n".encode())
    chunks += part(mixed, [f'Content-Type: application/ics; name="{ATTACHMENT_NAME}"',
                           f'Content-Disposition: attachment; filename="{ATTACHMENT_NAME}"',
                           "Content-Transfer-Encoding: base64"], ics)
    chunks.append(f"--{mixed}--\r\n".encode())
    return b"".join(chunks)


def build_message(inv: Invitation) -> EmailMessage:
    """The message of one invitation, parsed from its .eml bytes: exactly what is sent."""
    import email

    return email.message_from_bytes(eml_bytes(inv), _class=EmailMessage, policy=POLICY)


