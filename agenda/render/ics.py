"""Model → iCalendar bytes: content lines, escaping, folding, compact VTIMEZONEs, events, and
the to-dos and all-day events of the preparation checklist: every .ics som writes comes from here.

The text is written here rather than through `icalendar` for three reasons: the output must
be byte-stable (re-running writes the same bytes), the VTIMEZONE must be the compact
one-RRULE-pair form that every client reads right (docs/architecture.md: icalendar's RDATE lists
are misread by ical.js and vobject), and per-member invitations must be cheap (the event text is
built once and only the ATTENDEE lines change per member).

A VTIMEZONE is derived from zoneinfo for the years a file's events span (plus the year before
the first, so that an event in January has the previous autumn's onset), then verified: each
event's start and end are evaluated with the written rules and compared with zoneinfo. An
event the rules cannot place right is written in UTC instead, and so is every event of a zone
whose standard time is +00:00 (London, Dublin, Lisbon: see `_taken_for_utc`).
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from agenda.model.meeting import Person
from agenda.model.timeplan import utc_offset

UTC = timezone.utc
CRLF = b"\r\n"
PRODID = "-//som//Meeting invitations//EN"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # datetime.weekday() order
STATUSES = {"confirmed": "CONFIRMED", "tentative": "TENTATIVE", "cancelled": "CANCELLED"}
UTC_ZONE_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT",
                            "Universal", "Zulu", "Etc/GMT", "GMT", "Etc/GMT0", "Etc/GMT+0",
                            "Etc/GMT-0", "Etc/Greenwich", "GMT0", "GMT+0", "GMT-0", "Greenwich"})


# --- content lines -------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT: backslash, semicolon, comma and newline escaped; other controls dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value.replace("\t", " "))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def param_value(value: str) -> str:
    """A parameter value: no DQUOTE or control characters allowed, quoted if it holds : ; or ,."""
    value = _CONTROL.sub("", value.replace("\r", " ").replace("\n", " ").replace("\t", " "))
    value = value.replace('"', "'")
    return f'"{value}"' if any(c in value for c in ":;,") else value


def _escapes(data: bytes, start: int, cut: int) -> bool:
    """True if the byte before `cut` is a backslash that escapes the byte at `cut`: the run of
    backslashes ending there is odd (`\\\\` pairs up from the left). `start` is the start of
    the piece, never inside an escape, so counting need not go further back."""
    run = 0
    while cut - run > start and data[cut - run - 1] == 0x5C:
        run += 1
    return run % 2 == 1


def fold(line: str) -> bytes:
    """One content line as UTF-8 bytes folded at 75 octets, CRLF-ended.

    Never inside a character, and never inside an escape (`\\n`, `\\,`): RFC 5545 allows a fold
    there, but Outlook and Google are reported to read `\\` + CRLF + ` n` wrong, so the cut
    moves one byte earlier and the backslash starts the next piece.
    """
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data + CRLF
    pieces = []
    start, limit = 0, 75  # the first piece; later pieces carry a leading space within their 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            cut -= 1
        if _escapes(data, start, cut):
            cut -= 1
        pieces.append(data[start:cut])
        start, limit = cut, 74
    pieces.append(data[start:])
    return b"\r\n ".join(pieces) + CRLF


def prop(name: str, value: str, **params: str) -> bytes:
    """A folded content line; `params` values are given already formatted (see param_value)."""
    head = name + "".join(f";{k.replace('_', '-')}={v}" for k, v in params.items())
    return fold(f"{head}:{value}")


def utc_stamp(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def date_stamp(day: date) -> str:
    """A DATE value (RFC 5545 3.3.4), written with VALUE=DATE."""
    return day.strftime("%Y%m%d")


def local_stamp(dt: datetime) -> str:
    return dt.strftime("%Y%m%dT%H%M%S")


def offset_text(offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    sign = "+" if seconds >= 0 else "-"
    seconds = abs(seconds)
    text = f"{sign}{seconds // 3600:02d}{seconds % 3600 // 60:02d}"
    return text + (f"{seconds % 60:02d}" if seconds % 60 else "")


def mailto(email: str) -> str:
    return f"mailto:{email}"


# --- time zones ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Transition:
    """A change of UTC offset: `at` in UTC, and the wall time just before it at the old offset."""

    at: datetime
    before: timedelta
    after: timedelta
    name: str  # the zone's abbreviation after the change

    @property
    def wall(self) -> datetime:
        return (self.at + self.before).replace(tzinfo=None)


@lru_cache(maxsize=4096)
def zone_transitions(zone_key: str, year: int) -> tuple[Transition, ...]:
    """Offset changes whose wall time (at the old offset) falls in `year`, from zoneinfo."""
    zone = ZoneInfo(zone_key)
    first = int(datetime(year - 1, 12, 30, tzinfo=UTC).timestamp())
    last = int(datetime(year + 1, 1, 2, tzinfo=UTC).timestamp())
    step = 86400 // 2
    found = []

    def offset(ts: int) -> timedelta:
        return utc_offset(datetime.fromtimestamp(ts, zone))

    ts, current = first, offset(first)
    while ts < last:
        nxt = ts + step
        following = offset(nxt)
        if following != current:
            lo, hi = ts, nxt  # offset(lo) == current, offset(hi) != current
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if offset(mid) == current:
                    lo = mid
                else:
                    hi = mid
            at = datetime.fromtimestamp(hi, UTC)
            t = Transition(at, current, offset(hi), datetime.fromtimestamp(hi, zone).tzname() or "")
            if t.wall.year == year:
                found.append(t)
            current = offset(hi)
            ts = hi
            continue
        ts = nxt
    return tuple(found)


def _nth_weekday(year: int, month: int, nth: int, weekday: int) -> date:
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    last = date(year, month, _calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


@dataclass(frozen=True)
class Observance:
    """One STANDARD or DAYLIGHT part of a VTIMEZONE."""

    kind: str  # STANDARD | DAYLIGHT
    start: datetime  # naive: the first onset, as wall time at the old offset
    offset_from: timedelta
    offset_to: timedelta
    name: str | None
    rule: tuple[int, int, int] | None = None  # (month, nth 1..4 or -1, weekday Monday=0), yearly

    def onsets(self, until_year: int) -> list[datetime]:
        """Onsets in UTC (naive) from the first up to the end of `until_year`."""
        if self.rule is None:
            return [self.start - self.offset_from]
        month, nth, weekday = self.rule
        out = []
        for year in range(self.start.year, until_year + 1):
            wall = datetime.combine(_nth_weekday(year, month, nth, weekday), self.start.time())
            if wall >= self.start:
                out.append(wall - self.offset_from)
        return out

    def lines(self) -> list[bytes]:
        out = [fold(f"BEGIN:{self.kind}"), fold(f"DTSTART:{local_stamp(self.start)}")]
        if self.rule is not None:
            month, nth, weekday = self.rule
            out.append(fold(f"RRULE:FREQ=YEARLY;BYMONTH={month};BYDAY={nth}{WEEKDAYS[weekday]}"))
        else:
            # The onset alone would do by RFC 5545, but Home Assistant's `ical` applies no
            # observance without an RRULE or RDATE: name the onset once more as an RDATE.
            out.append(fold(f"RDATE:{local_stamp(self.start)}"))
        out.append(fold(f"TZOFFSETFROM:{offset_text(self.offset_from)}"))
        out.append(fold(f"TZOFFSETTO:{offset_text(self.offset_to)}"))
        if self.name:
            out.append(fold(f"TZNAME:{escape_text(self.name)}"))
        out.append(fold(f"END:{self.kind}"))
        return out


@dataclass(frozen=True)
class ZoneDefinition:
    """A compact VTIMEZONE: one fixed observance, or one yearly STANDARD and DAYLIGHT pair."""

    tzid: str
    zone: ZoneInfo
    observances: tuple[Observance, ...]

    def offset_at(self, utc: datetime) -> timedelta | None:
        """The offset the written rules give at an instant; None before the first onset."""
        moment = utc.astimezone(UTC).replace(tzinfo=None)
        best: tuple[datetime, timedelta] | None = None
        for obs in self.observances:
            for onset in obs.onsets(moment.year):
                if onset <= moment and (best is None or onset > best[0]):
                    best = (onset, obs.offset_to)
        return None if best is None else best[1]

    def places(self, instant: datetime) -> bool:
        """True if a reader of these rules turns the instant's wall time back into the instant.

        The offset must be right at the instant, and the wall time must have exactly one
        reading under the rules (a rule-made gap or overlap would let clients differ).
        """
        real = instant.astimezone(self.zone)
        if self.offset_at(real) != real.utcoffset():
            return False
        wall = real.replace(tzinfo=None)
        readings = {o.offset_to for o in self.observances
                    if self.offset_at((wall - o.offset_to).replace(tzinfo=UTC)) == o.offset_to}
        return readings == {real.utcoffset()}

    def lines(self) -> list[bytes]:
        out = [fold("BEGIN:VTIMEZONE"), fold(f"TZID:{self.tzid}")]
        for obs in self.observances:
            out += obs.lines()
        out.append(fold("END:VTIMEZONE"))
        return out


def _tzname(name: str | None) -> str | None:
    return name if re.fullmatch(r"[A-Za-z]{2,6}", name or "") else None


def _rule_candidates(wall: datetime) -> set[tuple[int, int, int]]:
    month, weekday = wall.month, wall.weekday()
    out = set()
    nth = (wall.day - 1) // 7 + 1
    if nth <= 4:
        out.add((month, nth, weekday))
    if wall.day + 7 > _calendar.monthrange(wall.year, month)[1]:
        out.add((month, -1, weekday))
    return out


def _yearly_observance(kind: str, changes: list[Transition]) -> Observance | None:
    """One observance whose yearly rule reproduces every change given (one per year), or None."""
    first = changes[0]
    rules = _rule_candidates(first.wall)
    for t in changes[1:]:
        if (t.before, t.after, t.wall.time()) != (first.before, first.after, first.wall.time()):
            return None
        rules &= _rule_candidates(t.wall)
    if not rules:
        return None
    # "last Sunday" is how the rules are made (EU, Australia) and stays right in 5-Sunday months
    rule = max(rules, key=lambda r: (r[1] == -1, -abs(r[1])))
    return Observance(kind, first.wall, first.before, first.after, _tzname(first.name), rule)


def _yearly_definition(zone: ZoneInfo, years: range, last: datetime) -> ZoneDefinition | None:
    """One STANDARD and one DAYLIGHT rule that reproduce every change from the start of `years`
    up to the `last` instant of the file (later changes place no event), or None."""
    changes = [t for y in years for t in zone_transitions(zone.key, y) if t.at <= last]
    forward = [t for t in changes if t.after > t.before]
    backward = [t for t in changes if t.after < t.before]
    if not forward or not backward:
        return None
    years_seen = [t.wall.year for t in forward], [t.wall.year for t in backward]
    if any(len(set(ys)) != len(ys) for ys in years_seen):
        return None  # more than one change of a kind in a year
    daylight = _yearly_observance("DAYLIGHT", forward)
    standard = _yearly_observance("STANDARD", backward)
    if daylight is None or standard is None:
        return None
    if daylight.offset_to != standard.offset_from or standard.offset_to != daylight.offset_from:
        return None
    return ZoneDefinition(zone.key, zone, (standard, daylight))


def _fixed_definition(zone: ZoneInfo, first_year: int, at: datetime) -> ZoneDefinition:
    local = at.astimezone(zone)
    offset = utc_offset(local)
    obs = Observance("STANDARD", datetime(first_year, 1, 1), offset, offset, _tzname(local.tzname()))
    return ZoneDefinition(zone.key, zone, (obs,))


def is_utc_zone(zone: ZoneInfo) -> bool:
    return zone.key in UTC_ZONE_NAMES


def _taken_for_utc(definition: ZoneDefinition) -> bool:
    """True for a VTIMEZONE whose STANDARD part is +00:00 (a fixed +00:00 one included).

    vobject (Radicale) compares each VTIMEZONE with UTC (`tzinfo_eq`: the offset on 1 January
    2000, then the onsets of 2000–2019; before its first onset dateutil gives a zone its first
    STANDARD offset) and registers no zone for one it finds equal, so an event whose TZID is
    not a name it knows gets no time at all. Measured with vobject 0.9.9 on Europe/London and
    Europe/Dublin events of 2023–2024 and their TZIDs renamed: every start and end was None.
    Writing such events in UTC is read right by every parser.
    """
    return any(o.kind == "STANDARD" and not o.offset_to for o in definition.observances)


@dataclass(frozen=True)
class ZonePlan:
    """How a file writes its times: the VTIMEZONE (if any) and which instants it can place.

    An event is written with TZID only when both its start and its end are placed, so that one
    event never mixes `DTSTART;TZID=…` with `DTEND:…Z` (recurring-ical-events misreads that).
    """

    definition: ZoneDefinition | None
    placed: frozenset[datetime] = field(default_factory=frozenset)  # instants written with TZID

    def stamp(self, name: str, dt: datetime) -> bytes:
        if self.definition is not None and dt in self.placed:
            return fold(f"{name};TZID={self.definition.tzid}:{local_stamp(dt.astimezone(self.definition.zone))}")
        return fold(f"{name}:{utc_stamp(dt)}")

    def stamps(self, start: datetime, end: datetime) -> bytes:
        """DTSTART and DTEND in one form: both with the TZID, or both in UTC."""
        if self.definition is not None and start in self.placed and end in self.placed:
            return self.stamp("DTSTART", start) + self.stamp("DTEND", end)
        return fold(f"DTSTART:{utc_stamp(start)}") + fold(f"DTEND:{utc_stamp(end)}")

    def for_events(self, spans) -> "ZonePlan":
        """This plan for one file's events, given as (start, end) pairs: the same VTIMEZONE (a
        meeting's files must not carry different definitions under one TZID: Outlook and vobject
        keep the first they see), placing only the events whose both ends it places."""
        keep = frozenset(i for start, end in spans if start in self.placed and end in self.placed
                         for i in (start, end))
        return ZonePlan(self.definition, keep)


def unambiguous(instant: datetime, zone: ZoneInfo) -> bool:
    """True if the instant's wall time in `zone` happens exactly once that day.

    A wall time in the repeated hour (or, read from elsewhere, in the skipped one) means the
    first pass to a reader that takes the TZID's rules from its own database (RFC 5545 3.3.5;
    icalendar, `ical`, khal, Radicale's queries, Thunderbird's bundled zones), whatever the
    file's VTIMEZONE says; such an instant goes out in UTC, which every reader places.
    """
    wall = instant.astimezone(zone).replace(tzinfo=zone)
    return wall.replace(fold=0).utcoffset() == wall.replace(fold=1).utcoffset()


@lru_cache(maxsize=256)
def plan_zone(zone: ZoneInfo, instants: frozenset[datetime]) -> ZonePlan:
    """The compact VTIMEZONE for events at these instants, verified; UTC for what it cannot place."""
    if not instants or is_utc_zone(zone):
        return ZonePlan(None)
    years = sorted({i.astimezone(zone).year for i in instants})
    span = range(years[0] - 1, years[-1] + 1)
    candidates = []
    if not any(zone_transitions(zone.key, y) for y in span):
        candidates.append(_fixed_definition(zone, span.start, min(instants)))
    else:
        yearly = _yearly_definition(zone, span, max(instants))
        if yearly is not None and _taken_for_utc(yearly):
            # London, Dublin, Lisbon, the Faroes, the Canaries: every event in UTC rather than
            # some in a fixed summer offset under the zone's name and the rest in UTC.
            return ZonePlan(None)
        if yearly is not None:
            candidates.append(yearly)
        # Rules that changed, rules that are not "nth weekday of the month" (Chile's "first
        # Sunday on or after the 2nd"), more than two changes a year: one fixed offset still
        # places the events at that offset, the commonest first.
        counts: dict[timedelta, list[datetime]] = {}
        for i in sorted(instants):
            counts.setdefault(utc_offset(i.astimezone(zone)), []).append(i)
        for offset in sorted(counts, key=lambda o: -len(counts[o])):
            candidates.append(_fixed_definition(zone, span.start, counts[offset][0]))
    best = ZonePlan(None)
    instants = frozenset(i for i in instants if unambiguous(i, zone))
    for definition in candidates:
        if _taken_for_utc(definition):
            continue
        placed = frozenset(i for i in instants if definition.places(i))
        if len(placed) > len(best.placed):
            best = ZonePlan(definition, placed)
        if len(placed) == len(instants):
            break
    return best


# --- events --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Event:
    """One VEVENT as written, in the order the lines come out."""

    uid: str
    sequence: int
    dtstamp: datetime
    start: datetime  # aware
    end: datetime
    summary: str
    description: str
    status: str  # confirmed | tentative | cancelled
    organizer: Person
    location: str | None = None
    url: str | None = None
    online_url: str | None = None  # also CONFERENCE and X-MICROSOFT-SKYPETEAMSMEETINGURL
    alarm_minutes: int | None = 15  # None: no VALARM
    attendees: tuple[Person, ...] = ()

    @property
    def instants(self) -> frozenset[datetime]:
        return frozenset((self.start, self.end))


def event_head(event: Event, zones: ZonePlan, method: str, language: str | None = None) -> bytes:
    """The VEVENT lines before the attendees; the SUMMARY marked `LANGUAGE=fr` when it is a translation."""
    return b"".join([
        fold("BEGIN:VEVENT"),
        fold(f"UID:{escape_text(event.uid)}"),
        fold(f"DTSTAMP:{utc_stamp(event.dtstamp)}"),
        fold(f"SEQUENCE:{event.sequence}"),
        zones.stamps(event.start, event.end),
        fold(f"SUMMARY{f';LANGUAGE={language}' if language else ''}:{escape_text(event.summary)}"),
        fold(f"STATUS:{STATUSES[event.status]}"),
        prop("ORGANIZER", mailto(event.organizer.email), CN=param_value(event.organizer.name)),
    ])


def attendee_line(name: str, email: str, method: str) -> bytes:
    """One ATTENDEE: asked to answer in a REQUEST, only named in a CANCEL."""
    answer = "" if method == "CANCEL" else ";PARTSTAT=NEEDS-ACTION;RSVP=TRUE"
    return fold(f"ATTENDEE;CN={param_value(name)};ROLE=REQ-PARTICIPANT{answer}:mailto:{email}")


def _language(language: str | None) -> str:
    """`;LANGUAGE=fr` (RFC 5545, 3.2.10) on a text written in a language other than English."""
    return f";LANGUAGE={language}" if language else ""


def event_tail(event: Event, method: str, description: str | None = None, language: str | None = None) -> bytes:
    """The VEVENT lines after the attendees, with `description` instead of the event's if given,
    marked `LANGUAGE=fr` (RFC 5545, 3.2.10) when it is written in a language other than English."""
    lines = []
    if event.location:
        lines.append(fold(f"LOCATION:{escape_text(event.location)}"))
    lines.append(fold(f"DESCRIPTION{_language(language)}:{escape_text(description if description is not None else event.description)}"))
    if event.url:
        lines.append(fold(f"URL:{event.url}"))
    if event.online_url:
        lines.append(prop("CONFERENCE", event.online_url, VALUE="URI", FEATURE="AUDIO,VIDEO",
                          LABEL=param_value("Join online")))
        lines.append(fold(f"X-MICROSOFT-SKYPETEAMSMEETINGURL:{event.online_url}"))
    lines.append(fold("TRANSP:OPAQUE"))
    # RFC 5546 allows no VALARM in a CANCEL; an alarm for a cancelled event helps nobody.
    if event.alarm_minutes is not None and method != "CANCEL" and event.status != "cancelled":
        lines += [fold("BEGIN:VALARM"), fold("ACTION:DISPLAY"),
                  fold(f"DESCRIPTION:{escape_text(event.summary)}"),
                  fold(f"TRIGGER:-PT{event.alarm_minutes}M"), fold("END:VALARM")]
    lines.append(fold("END:VEVENT"))
    return b"".join(lines)


def event_bytes(event: Event, zones: ZonePlan, method: str) -> bytes:
    attendees = b"".join(attendee_line(p.name, p.email, method) for p in event.attendees) if method != "PUBLISH" else b""
    return event_head(event, zones, method) + attendees + event_tail(event, method)


def calendar_head(method: str | None, zones: ZonePlan, name: str | None = None, *, prodid: str = PRODID,
                  language: str | None = None) -> bytes:
    """The VCALENDAR's own lines; no METHOD line when `method` is None."""
    lines = [fold("BEGIN:VCALENDAR"), fold("VERSION:2.0"), fold(f"PRODID:{prodid}"), fold("CALSCALE:GREGORIAN")]
    if method is not None:
        lines.append(fold(f"METHOD:{method}"))
    if name:
        # Only on feeds: Outlook opens a single invitation that has a name as a new calendar.
        tag = _language(language)
        lines += [fold(f"X-WR-CALNAME{tag}:{escape_text(name)}"), fold(f"NAME{tag}:{escape_text(name)}")]
    if zones.definition is not None and zones.placed:
        lines += zones.definition.lines()
    return b"".join(lines)


CALENDAR_END = fold("END:VCALENDAR")


def calendar_bytes(method: str, events: list[Event], zone: ZoneInfo, *, name: str | None = None,
                   zones: ZonePlan | None = None) -> bytes:
    """A whole VCALENDAR: METHOD, the compact VTIMEZONE of `zone` for these events, the events.

    `zones`: the plan of the whole meeting (`plan_zone` over every segment), so that every file
    of a meeting carries the same VTIMEZONE; without it, one made for these events alone.
    """
    if zones is None:
        zones = plan_zone(zone, frozenset(i for e in events for i in e.instants))
    zones = zones.for_events((e.start, e.end) for e in events)
    return calendar_head(method, zones, name) + b"".join(event_bytes(e, zones, method) for e in events) + CALENDAR_END


# --- to-dos and all-day events (the preparation checklist) -------------------------------------

@dataclass(frozen=True)
class Todo:
    """One VTODO: a task due on a day, shown from `start` on."""

    uid: str
    dtstamp: datetime
    start: date
    due: date
    summary: str
    description: str
    done: bool = False  # COMPLETED with PERCENT-COMPLETE 100, else NEEDS-ACTION
    priority: int = 0  # 0: undefined
    sequence: int = 0
    related_to: str | None = None  # the UID of the event it belongs to
    organizer: Person | None = None
    language: str | None = None  # LANGUAGE= on SUMMARY and DESCRIPTION: None for English


@dataclass(frozen=True)
class DayEvent:
    """One all-day VEVENT from `day` to the day after: confirmed, and transparent (it blocks no time)."""

    uid: str
    dtstamp: datetime
    day: date
    summary: str
    description: str
    sequence: int = 0
    related_to: str | None = None
    organizer: Person | None = None
    language: str | None = None  # LANGUAGE= on SUMMARY and DESCRIPTION: None for English


def _tail(description: str, related_to: str | None, organizer: Person | None, language: str | None) -> list[bytes]:
    lines = [fold(f"DESCRIPTION{_language(language)}:{escape_text(description)}")]
    if related_to:
        lines.append(fold(f"RELATED-TO:{escape_text(related_to)}"))
    if organizer is not None:
        lines.append(prop("ORGANIZER", mailto(organizer.email), CN=param_value(organizer.name)))
    return lines


def todo_bytes(todo: Todo) -> bytes:
    lines = [
        fold("BEGIN:VTODO"),
        fold(f"UID:{escape_text(todo.uid)}"),
        fold(f"DTSTAMP:{utc_stamp(todo.dtstamp)}"),
        fold(f"SEQUENCE:{todo.sequence}"),
        fold(f"DTSTART;VALUE=DATE:{date_stamp(todo.start)}"),
        fold(f"DUE;VALUE=DATE:{date_stamp(todo.due)}"),
        fold(f"SUMMARY{_language(todo.language)}:{escape_text(todo.summary)}"),
        fold(f"PRIORITY:{todo.priority}"),
        fold(f"STATUS:{'COMPLETED' if todo.done else 'NEEDS-ACTION'}"),
    ]
    if todo.done:
        lines.append(fold("PERCENT-COMPLETE:100"))
    lines += _tail(todo.description, todo.related_to, todo.organizer, todo.language)
    lines.append(fold("END:VTODO"))
    return b"".join(lines)


def day_event_bytes(event: DayEvent) -> bytes:
    lines = [
        fold("BEGIN:VEVENT"),
        fold(f"UID:{escape_text(event.uid)}"),
        fold(f"DTSTAMP:{utc_stamp(event.dtstamp)}"),
        fold(f"SEQUENCE:{event.sequence}"),
        fold(f"DTSTART;VALUE=DATE:{date_stamp(event.day)}"),
        fold(f"DTEND;VALUE=DATE:{date_stamp(event.day + timedelta(days=1))}"),
        fold(f"SUMMARY{_language(event.language)}:{escape_text(event.summary)}"),
        fold("STATUS:CONFIRMED"),
        fold("TRANSP:TRANSPARENT"),
    ]
    lines += _tail(event.description, event.related_to, event.organizer, event.language)
    lines.append(fold("END:VEVENT"))
    return b"".join(lines)


def task_calendar_bytes(components: list[Todo | DayEvent], *, prodid: str, name: str,
                        method: str | None, language: str | None = None) -> bytes:
    """A VCALENDAR of to-dos or all-day events (no VTIMEZONE: all its times are dates); `language`:
    the name's, when not English."""
    body = b"".join(todo_bytes(c) if isinstance(c, Todo) else day_event_bytes(c) for c in components)
    return calendar_head(method, ZonePlan(None), name, prodid=prodid, language=language) + body + CALENDAR_END
