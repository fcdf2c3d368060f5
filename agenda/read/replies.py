"""Members' answers to an invitation: one e-mail message → what it says (RFC 6047 iMIP, RFC 5546).

`read_message(data, source)` never raises for bad input: a message that is not a reply, a
COUNTER or REFRESH, and a malformed or hostile one each come back as a `Message` with a kind and
a reason, so one bad message never stops a batch.

The calendar part is read by the small reader here, not by `icalendar`: a reply needs only
METHOD, UID, SEQUENCE, DTSTAMP, DTSTART/DTEND and the ATTENDEE lines, the reader has hard limits
(lines, attendees, bytes) that a hostile part cannot get round, and it is some ten times faster
on 10,000 messages. What clients send (facts in tests/replies/README.md):

- Outlook / Exchange: `multipart/alternative` with `text/calendar; method=REPLY`, usually
  base64; TZID is a Windows zone name (`W. Europe Standard Time`) with its own VTIMEZONE;
  `X-MS-OLK-*` and `X-MICROSOFT-CDO-*` properties; the attendee's comment in COMMENT and in
  the text part.
- Google Calendar: the inline `text/calendar` part and the same calendar again as an
  `invite.ics` attachment; times in UTC; `X-NUM-GUESTS` and `X-RESPONSE-COMMENT` parameters.
- Apple Calendar: one `text/calendar` part, often quoted-printable, IANA TZIDs, CN quoted and an
  EMAIL parameter on ATTENDEE.
- Thunderbird (ical.js): `text/calendar` inline plus `invite.ics`, `X-MOZ-RECEIVED-SEQUENCE`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from agenda.model.timeplan import parse_mail_date

UTC = timezone.utc

# Limits: a real reply is a few kilobytes with one ATTENDEE.
MAX_MESSAGE_BYTES = 4 * 1024 * 1024
MAX_CALENDAR_BYTES = 1024 * 1024
MAX_CALENDAR_LINES = 5000
MAX_ATTENDEES = 100
MAX_PARTS = 100
HEADER_BYTES = 64 * 1024  # of a message too large to read, only this much for its headers

ANSWERS = ("ACCEPTED", "TENTATIVE", "DECLINED", "DELEGATED")

# Kinds of message: only "reply" can count.
REPLY, COUNTER, REFRESH, NOT_REPLY, UNREADABLE = "reply", "counter", "refresh", "not-reply", "unreadable"

# Windows zone names Outlook and Exchange write in TZID → IANA (Unicode CLDR, windowsZones,
# territory 001). Only what a reply's DTSTART needs to say "accepted 15:00–17:00".
WINDOWS_ZONES = {
    "W. Europe Standard Time": "Europe/Berlin",
    "Romance Standard Time": "Europe/Paris",
    "Central Europe Standard Time": "Europe/Budapest",
    "Central European Standard Time": "Europe/Warsaw",
    "GMT Standard Time": "Europe/London",
    "Greenwich Standard Time": "Atlantic/Reykjavik",
    "E. Europe Standard Time": "Europe/Chisinau",
    "FLE Standard Time": "Europe/Kiev",
    "GTB Standard Time": "Europe/Bucharest",
    "Russian Standard Time": "Europe/Moscow",
    "Turkey Standard Time": "Europe/Istanbul",
    "Eastern Standard Time": "America/New_York",
    "Central Standard Time": "America/Chicago",
    "Mountain Standard Time": "America/Denver",
    "Pacific Standard Time": "America/Los_Angeles",
    "Newfoundland Standard Time": "America/St_Johns",
    "Pacific SA Standard Time": "America/Santiago",
    "SA Pacific Standard Time": "America/Bogota",
    "E. South America Standard Time": "America/Sao_Paulo",
    "Argentina Standard Time": "America/Buenos_Aires",
    "Central America Standard Time": "America/Guatemala",
    "Central Standard Time (Mexico)": "America/Mexico_City",
    "E. Africa Standard Time": "Africa/Nairobi",
    "W. Central Africa Standard Time": "Africa/Lagos",
    "South Africa Standard Time": "Africa/Johannesburg",
    "Egypt Standard Time": "Africa/Cairo",
    "Morocco Standard Time": "Africa/Casablanca",
    "Arab Standard Time": "Asia/Riyadh",
    "Arabian Standard Time": "Asia/Dubai",
    "Israel Standard Time": "Asia/Jerusalem",
    "Pakistan Standard Time": "Asia/Karachi",
    "India Standard Time": "Asia/Calcutta",
    "Nepal Standard Time": "Asia/Katmandu",
    "Bangladesh Standard Time": "Asia/Dhaka",
    "SE Asia Standard Time": "Asia/Bangkok",
    "Singapore Standard Time": "Asia/Singapore",
    "China Standard Time": "Asia/Shanghai",
    "Tokyo Standard Time": "Asia/Tokyo",
    "Korea Standard Time": "Asia/Seoul",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "New Zealand Standard Time": "Pacific/Auckland",
    "Chatham Islands Standard Time": "Pacific/Chatham",
    "UTC": "UTC",
}


# What the email package finds wrong with a message (its defect classes), in words for the
# person reading the list of messages that did not count. A defect not named here gets the
# generic words.
DEFECT_WORDS = {
    "MissingHeaderBodySeparatorDefect": "no blank line between headers and body",
    "FirstHeaderLineIsContinuationDefect": "its first line is not a header",
    "MisplacedEnvelopeHeaderDefect": "a mailbox separator line (From ) among its headers",
    "MalformedHeaderDefect": "a header line it cannot read",
    "InvalidHeaderDefect": "a header it cannot read",
    "HeaderMissingRequiredValue": "a header without its value",
    "NoBoundaryInMultipartDefect": "it says it has parts but not how they are separated",
    "StartBoundaryNotFoundDefect": "the boundary between its parts never appears",
    "CloseBoundaryNotFoundDefect": "its last part is cut off (no closing boundary)",
    "MultipartInvariantViolationDefect": "",  # comes with a boundary defect, which says it
    "InvalidMultipartContentTransferEncodingDefect": "its parts are declared with an impossible encoding",
    "InvalidBase64PaddingDefect": "a base64 part with wrong padding",
    "InvalidBase64CharactersDefect": "a base64 part with characters base64 does not use",
    "InvalidBase64LengthDefect": "a base64 part of impossible length",
    "UndecodableBytesDefect": "bytes that are not text where text is expected",
    "NonPrintableDefect": "unprintable characters in a header",
    "InvalidDateDefect": "a date it cannot read",
}
DEFECT_FALLBACK = "its structure is damaged"
# Defects that mean the bytes are not an e-mail message at all, rather than a damaged one.
NOT_MAIL = frozenset({"MissingHeaderBodySeparatorDefect", "FirstHeaderLineIsContinuationDefect"})
# Errors the email package raises while reading a message, in words.
ERROR_WORDS = {
    RecursionError: "its parts are nested too deeply",
    LookupError: "a character set or encoding nobody knows",
    UnicodeError: "text that cannot be decoded",
}


def defect_reason(defects: list[str]) -> str:
    """`not an e-mail message: no blank line between headers and body`, from the names of the
    email package's defect classes."""
    words = list(dict.fromkeys(DEFECT_WORDS.get(d, DEFECT_FALLBACK) for d in sorted(set(defects))))
    words = [w for w in words if w] or [DEFECT_FALLBACK]
    lead = "not an e-mail message" if NOT_MAIL & set(defects) else "a damaged e-mail message with no calendar part"
    return f"{lead}: {'; '.join(words[:3])}"


def error_reason(exc: BaseException) -> str:
    """`a damaged e-mail message: its parts are nested too deeply`, for an error of the parser."""
    words = next((w for kind, w in ERROR_WORDS.items() if isinstance(exc, kind)), DEFECT_FALLBACK)
    return f"a damaged e-mail message: {words}"


@dataclass(frozen=True)
class Answer:
    """One ATTENDEE line of a reply: who answered, and what."""

    address: str  # lower-cased, without mailto:
    partstat: str  # as written, upper-cased: ACCEPTED, DECLINED, …, or anything else a client sent
    name: str = ""  # CN
    delegated_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Message:
    """What one e-mail message says, as far as attendance goes."""

    key: str  # identity: "<message-id>" or "sha256:…" when it has none
    source: str  # where it was read, for people
    kind: str  # reply | counter | refresh | not-reply | unreadable
    reason: str = ""  # for anything but a reply: why it does not count
    message_id: str | None = None
    received: str | None = None  # ISO 8601 UTC
    method: str | None = None
    uid: str | None = None
    sequence: int = 0
    dtstamp: str | None = None  # ISO 8601 UTC
    start: str | None = None  # the event's DTSTART as the reply gives it, ISO 8601 UTC (None if unknown)
    end: str | None = None
    answers: tuple[Answer, ...] = ()
    comment: str = ""
    client: str = ""  # PRODID

    def to_dict(self) -> dict:
        out: dict[str, object] = {"key": self.key, "source": self.source, "kind": self.kind}
        for name in ("reason", "message_id", "received", "method", "uid", "dtstamp", "start", "end", "comment",
                     "client"):
            value = getattr(self, name)
            if value:
                out[name] = value
        if self.sequence:
            out["sequence"] = self.sequence
        if self.answers:
            out["answers"] = [{"address": a.address, "partstat": a.partstat, **({"name": a.name} if a.name else {}),
                               **({"delegated_to": list(a.delegated_to)} if a.delegated_to else {})}
                              for a in self.answers]
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "Message":
        answers = tuple(Answer(str(a["address"]), str(a["partstat"]), str(a.get("name", "")),
                               tuple(str(x) for x in a.get("delegated_to", ()))) for a in d.get("answers", ()))
        text = lambda k: (str(d[k]) if d.get(k) is not None else None)  # noqa: E731
        return cls(key=str(d["key"]), source=str(d["source"]), kind=str(d["kind"]), reason=str(d.get("reason", "")),
                   message_id=text("message_id"), received=text("received"), method=text("method"),
                   uid=text("uid"), sequence=int(d.get("sequence", 0)), dtstamp=text("dtstamp"),
                   start=text("start"), end=text("end"), answers=answers, comment=str(d.get("comment", "")),
                   client=str(d.get("client", "")))


# --- text ---------------------------------------------------------------------------------

def clean(text: str, limit: int = 300) -> str:
    """Text from a message as som keeps and shows it: no control or bidirectional-override
    characters, whitespace runs made one space, at most `limit` characters."""
    if text.isprintable():  # no Cc, Cf, Zl, Zp: the usual case, and fast
        out = text if "  " not in text and text.strip() == text else " ".join(text.split())
    else:
        out = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
        out = " ".join(out.split())
    return out if len(out) <= limit else out[:limit - 1] + "…"


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n // 1024} kB"


# --- the calendar part ---------------------------------------------------------------------

class Unreadable(Exception):
    """The message cannot be read as a reply; the text says why (for people)."""


@dataclass
class _Property:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class _Component:
    name: str
    props: list[_Property] = field(default_factory=list)
    children: list["_Component"] = field(default_factory=list)

    def first(self, name: str) -> _Property | None:
        return next((p for p in self.props if p.name == name), None)

    def all(self, name: str) -> list[_Property]:
        return [p for p in self.props if p.name == name]


_UNFOLD = re.compile(r"\r?\n[ \t]")


_NAME = re.compile(r"[A-Za-z0-9-]*")
# What a reply is read for; other properties are skipped unparsed.
_WANTED = frozenset({"BEGIN", "END", "METHOD", "PRODID", "UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "DURATION",
                     "ATTENDEE", "COMMENT", "RECURRENCE-ID"})


def _split_property(line: str) -> _Property:
    """NAME;PARAM=value;PARAM="quoted":value (RFC 5545 3.1), quotes respected."""
    colon = line.find(":")
    semi = line.find(";")
    if colon > 0 and (semi < 0 or semi > colon):  # no parameters: most lines
        return _Property(line[:colon].upper(), {}, line[colon + 1:])
    i, n = 0, len(line)
    while i < n and line[i] not in ";:":
        i += 1
    name = line[:i].upper()
    params: dict[str, str] = {}
    while i < n and line[i] == ";":
        i += 1
        start = i
        while i < n and line[i] not in "=;:":
            i += 1
        pname = line[start:i].upper()
        value_parts = []
        if i < n and line[i] == "=":
            i += 1
            while True:
                if i < n and line[i] == '"':
                    end = line.find('"', i + 1)
                    if end < 0:
                        raise Unreadable("calendar part has an unclosed quote")
                    value_parts.append(line[i + 1:end])
                    i = end + 1
                else:
                    start = i
                    while i < n and line[i] not in ",;:":
                        i += 1
                    value_parts.append(line[start:i])
                if i < n and line[i] == ",":
                    i += 1
                    continue
                break
        params[pname] = ",".join(value_parts)
    if i >= n or line[i] != ":":
        raise Unreadable("calendar part has a line without a value")
    return _Property(name, params, line[i + 1:])


def parse_calendar(text: str) -> _Component:
    """The VCALENDAR of a calendar part, with limits a hostile part cannot get round."""
    lines = [line for line in _UNFOLD.sub("", text).splitlines() if line.strip()]
    attendees = sum(1 for line in lines if line[:9].upper() in ("ATTENDEE;", "ATTENDEE:"))
    if attendees > MAX_ATTENDEES:
        raise Unreadable(f"calendar part names {attendees} attendees (a reply names the one who answers)")
    if len(lines) > MAX_CALENDAR_LINES:
        raise Unreadable(f"calendar part has {len(lines)} lines (a reply has a few dozen)")
    stack: list[_Component] = []
    root: _Component | None = None
    for line in lines:
        name = _NAME.match(line)
        if name is None or name.group(0).upper() not in _WANTED:
            continue
        prop = _split_property(line)
        if prop.name == "BEGIN":
            component = _Component(prop.value.strip().upper())
            if stack:
                stack[-1].children.append(component)
            elif component.name == "VCALENDAR" and root is None:
                root = component
            else:
                raise Unreadable("calendar part does not start with BEGIN:VCALENDAR")
            stack.append(component)
            if len(stack) > 8:
                raise Unreadable("calendar part nests components too deeply")
        elif prop.name == "END":
            if not stack or stack[-1].name != prop.value.strip().upper():
                raise Unreadable(f"calendar part has END:{clean(prop.value, 40)} without its BEGIN")
            stack.pop()
            if not stack:
                break
        elif stack:
            stack[-1].props.append(prop)
    if root is None:
        raise Unreadable("calendar part has no VCALENDAR")
    return root


def _utc_time(prop: _Property | None) -> datetime | None:
    """A DATE-TIME property in UTC: `…Z`, a TZID IANA or Windows names, else None (floating,
    a date, a zone we cannot name)."""
    if prop is None:
        return None
    value = prop.value.strip()
    m = re.fullmatch(r"(\d{8})T(\d{6})(Z?)", value)
    if not m:
        return None
    naive = _naive(m.group(1) + m.group(2))
    if naive is None:
        return None
    if m.group(3):
        return naive.replace(tzinfo=UTC)
    tzid = prop.params.get("TZID", "").strip().strip('"')
    if not tzid:
        return None
    zone = _zone(tzid)
    if zone is None:
        return None
    return naive.replace(tzinfo=zone).astimezone(UTC)


@lru_cache(maxsize=256)
def _zone(tzid: str):
    from zoneinfo import ZoneInfo

    name = WINDOWS_ZONES.get(tzid, tzid)
    if name.startswith("/"):  # "/mozilla.org/20050126_1/Europe/Berlin" and similar prefixes
        name = "/".join(name.split("/")[-2:])
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}", name):
        return None
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        return None


def _stamp(prop: _Property | None) -> datetime | None:
    """DTSTAMP is UTC by definition; a client writing it without Z is read as UTC."""
    if prop is None:
        return None
    m = re.fullmatch(r"(\d{8})T(\d{6})Z?", prop.value.strip())
    if not m:
        return None
    naive = _naive(m.group(1) + m.group(2))
    return None if naive is None else naive.replace(tzinfo=UTC)


def _naive(digits: str) -> datetime | None:
    """YYYYMMDDhhmmss → datetime, None when it is no date."""
    try:
        return datetime(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]), int(digits[8:10]), int(digits[10:12]),
                        min(int(digits[12:14]), 59))
    except ValueError:
        return None


def _address(value: str) -> str:
    value = value.strip()
    if value[:7].lower() == "mailto:":
        value = value[7:]
    return clean(value, 254).lower()


def _event(calendar: _Component) -> _Component | None:
    """The VEVENT a reply is about: the master (no RECURRENCE-ID) if there is one."""
    events = [c for c in calendar.children if c.name == "VEVENT"]
    master = [e for e in events if e.first("RECURRENCE-ID") is None]
    chosen = master or events
    return chosen[0] if chosen else None


# --- the message ---------------------------------------------------------------------------

def _is_calendar(part) -> bool:
    ctype = part.get_content_type()
    if ctype in ("text/calendar", "application/ics", "text/x-vcalendar"):
        return True
    if ctype in ("text/plain", "text/html") and part.get("Content-Disposition") is None:
        return False
    name = part.get_filename() or part.get_param("name") or ""
    return isinstance(name, str) and name.lower().endswith(".ics")


def _part_text(part) -> str:
    payload = part.get_payload(decode=True)
    if payload is None:
        return ""
    if len(payload) > MAX_CALENDAR_BYTES:
        raise Unreadable(f"calendar part of {_megabytes(len(payload))} (a reply is a few kB)")
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def _header(msg, name: str) -> str:
    """A header as text: RFC 2047 words decoded, raw UTF-8 (which some clients send) read as such."""
    from email.header import decode_header, make_header

    value = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), None)
    if value is None:
        return ""
    try:
        text = str(value).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except Exception:  # a header the email package cannot make a string of
        return ""
    if "=?" in text:
        try:
            text = str(make_header(decode_header(text)))
        except Exception:  # a malformed encoded word: shown as it is
            pass
    return text


def _received_header(msg) -> datetime | None:
    for value in msg.get_all("Received") or ():
        when = parse_mail_date(str(value).rpartition(";")[2].strip())
        if when is not None and when.tzinfo is not None:
            return when
    return None


def _date_header(msg) -> datetime | None:
    when = parse_mail_date(_header(msg, "Date"))
    if when is None:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


_MESSAGE_ID = re.compile(rb"<[\x21-\x3b\x3d\x3f-\x7e]{1,500}>")
_MESSAGE_ID_HEADER = re.compile(rb"^message-id:[ \t]*((?:.*)(?:\r?\n[ \t].*)*)", re.I | re.M)
_HEADER_END = re.compile(rb"\r?\n\r?\n")


def message_key(data: bytes) -> tuple[str, str | None]:
    """(key, Message-ID) of a message from its bytes alone, without parsing it: the Message-ID
    (`<…>`) when it has one, else a digest of the bytes. A message read twice, from anywhere,
    has the same key, so it can be passed over before it is parsed."""
    end = _HEADER_END.search(data, 0, HEADER_BYTES)
    head = data[:end.start()] if end else data[:HEADER_BYTES]
    header = _MESSAGE_ID_HEADER.search(head)
    m = _MESSAGE_ID.search(header.group(1)) if header else None
    if m:
        value = m.group(0).decode("ascii")
        return value, value
    return "sha256:" + hashlib.sha256(data).hexdigest(), None


def _identity(msg, data: bytes) -> tuple[str, str | None]:
    return message_key(data)


def read_message(data: bytes, source: str, received: datetime | None = None, size: int | None = None) -> Message:
    """What one message says. `received`: when the mailbox got it (IMAP INTERNALDATE, the
    Maildir or mbox delivery time); without it, the topmost Received header, then Date.
    `size`: of a message too large to read whole, its size (and `data` its head)."""
    import email
    from email import policy

    source = clean(source, 500)
    size = max(size or 0, len(data))
    if size > MAX_MESSAGE_BYTES:
        head = data[:HEADER_BYTES].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        msg = email.message_from_bytes(head, policy=policy.compat32)
        key, message_id = _identity(msg, data)
        return Message(key, source, UNREADABLE, f"message of {_megabytes(size)} is too large for a reply "
                       f"(at most {_megabytes(MAX_MESSAGE_BYTES)})", message_id=message_id,
                       received=_iso(received or _received_header(msg) or _date_header(msg)))
    try:
        msg = email.message_from_bytes(data, policy=policy.compat32)
    except Exception as exc:  # RecursionError on absurd nesting, and whatever else the parser meets
        key, _ = _identity(None, data)
        return Message(key, source, UNREADABLE, error_reason(exc), received=_iso(received))
    key, message_id = _identity(msg, data)
    when = _iso(received or _received_header(msg) or _date_header(msg))
    base: dict[str, Any] = dict(key=key, source=source, message_id=message_id, received=when)
    try:
        return _classify(msg, base)
    except Unreadable as exc:
        return Message(kind=UNREADABLE, reason=str(exc), **base)
    except (RecursionError, LookupError, ValueError, TypeError, AttributeError, IndexError, UnicodeError) as exc:
        return Message(kind=UNREADABLE, reason=error_reason(exc), **base)


def _classify(msg, base: dict[str, Any]) -> Message:
    parts = []
    for count, part in enumerate(msg.walk(), 1):
        if count > MAX_PARTS:
            raise Unreadable(f"more than {MAX_PARTS} MIME parts (a reply has two to four)")
        if not part.is_multipart() and _is_calendar(part):
            parts.append(part)
    if not parts:
        defects = [type(d).__name__ for p in msg.walk() for d in getattr(p, "defects", ())]
        if defects:
            return Message(kind=UNREADABLE, reason=defect_reason(defects), **base)
        subject = clean(_header(msg, "Subject"), 80)
        return Message(kind=NOT_REPLY, reason="not an iMIP reply (no calendar part)"
                       + (f": “{subject}”" if subject else ""), **base)
    calendars = []
    problem: Unreadable | None = None
    for part in parts:
        try:
            calendar = parse_calendar(_part_text(part))
        except Unreadable as exc:
            problem = problem or exc
            continue
        method_prop = calendar.first("METHOD")
        method = (method_prop.value.strip().upper() if method_prop else str(part.get_param("method") or "").upper())
        calendars.append((method, calendar))
    if not calendars:
        raise problem or Unreadable("calendar part cannot be read")
    # Google and Thunderbird send the calendar twice (inline and invite.ics): the first reply wins.
    method, calendar = next(((m, c) for m, c in calendars if m == "REPLY"), calendars[0])
    event = _event(calendar)
    prodid = calendar.first("PRODID")
    client = clean(prodid.value, 120) if prodid else ""
    if method not in ("REPLY", "COUNTER", "REFRESH"):
        return Message(kind=NOT_REPLY, reason=f"not a reply (METHOD:{clean(method, 20) or 'none'})",
                       method=clean(method, 20) or None, client=client, **base)
    uid_prop = event.first("UID") if event is not None else None
    if event is None or uid_prop is None:
        raise Unreadable(f"METHOD:{method} without an event or its UID")
    uid = clean(uid_prop.value, 255)
    sequence_prop = event.first("SEQUENCE")
    try:
        sequence = int((sequence_prop.value if sequence_prop else "0").strip())
    except ValueError:
        raise Unreadable("SEQUENCE is not a number") from None
    if not 0 <= sequence < 2 ** 31:
        raise Unreadable("SEQUENCE is out of range")
    answers = []
    for prop in event.all("ATTENDEE"):
        address = _address(prop.value)
        if not address:
            continue
        delegated = tuple(_address(a) for a in prop.params.get("DELEGATED-TO", "").split(",") if a.strip())
        answers.append(Answer(address, clean(prop.params.get("PARTSTAT", "NEEDS-ACTION"), 30).upper(),
                              clean(prop.params.get("CN", ""), 120), delegated))
    comment = event.first("COMMENT")
    text = clean(comment.value.replace("\\n", " ").replace("\\,", ",").replace("\\;", ";"), 300) if comment else ""
    if not text:
        google = next((p.params.get("X-RESPONSE-COMMENT") for p in event.all("ATTENDEE")
                       if p.params.get("X-RESPONSE-COMMENT")), None) or ""
        text = clean(google, 300)
    start, end = _utc_time(event.first("DTSTART")), _utc_time(event.first("DTEND"))
    if start is not None and end is None:
        duration = event.first("DURATION")
        length = _duration(duration.value) if duration else None
        end = start + length if length else None
    fields: dict[str, Any] = dict(method=method, uid=uid, sequence=sequence, dtstamp=_iso(_stamp(event.first("DTSTAMP"))),
                  start=_iso(start), end=_iso(end), answers=tuple(answers), comment=text, client=client, **base)
    if method == "COUNTER":
        return Message(kind=COUNTER, reason="COUNTER: proposes a new time", **fields)
    if method == "REFRESH":
        return Message(kind=REFRESH, reason="REFRESH: asks for the current invitation again", **fields)
    if not answers:
        raise Unreadable("METHOD:REPLY without an ATTENDEE")
    return Message(kind=REPLY, **fields)


def _duration(text: str) -> timedelta | None:
    m = re.fullmatch(r"\+?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", text.strip())
    if not m:
        return None
    w, d, h, mi, s = (int(x or 0) for x in m.groups())
    return timedelta(weeks=w, days=d, hours=h, minutes=mi, seconds=s)
