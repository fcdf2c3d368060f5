"""The invitations of a meeting: which files, which version of each segment, and the record.

One run plans everything in memory (`plan_invitations`), then writes it (`apply_plan`):
the files first, then the record of what was issued, so an interrupted run leaves the old
record and the next run issues the same versions again. `write_invitations` does both, and
is what `som invite` and `som build` call.

Versions (RFC 5546): a segment keeps its UID for life. When what a calendar shows changes
(date, time, zone, title, location, online link, status) its SEQUENCE rises and it gets a
new DTSTAMP; when only the rest changes (agenda, notes, alarm) it gets a new DTSTAMP and
keeps its SEQUENCE; when nothing changes the files come out byte for byte the same,
because SEQUENCE and DTSTAMP are read back from the record.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sys
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from agenda.render import ics
from agenda.render.agenda_doc import item_number
from agenda.model.errors import SomError
from agenda.effects.files import OutputDir
from agenda.read.load import EMAIL
from agenda.model.meeting import Meeting, Member, Person, Segment
from agenda.plan.schedule import select_segments
from agenda.effects.clock import source_date_epoch
from agenda.model.timeplan import abbreviation
from agenda.render.tomltext import toml_string

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

UTC = timezone.utc
RECORD = "som-issued.toml"
SEND_LOG = "send-log.jsonl"  # written by agenda.effects.mail
DEFAULT_ALARM_MINUTES = 15
# What a calendar shows: a change here raises SEQUENCE (RFC 5546 3.2.2 and ICS-RULES 3).
MATTERS = ("date", "time", "zone", "start_utc", "end_utc", "title", "location", "online_url", "status")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# --- options and results -------------------------------------------------------------------

@dataclass(frozen=True)
class InviteOptions:
    segments: tuple[str, ...] = ()  # only these (the feed, which carries all, is then left alone)
    members: bool = True  # per-member invitations
    cancel: tuple[str, ...] = ()  # segments to cancel
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES  # None: no VALARM
    dry_run: bool = False
    force: bool = False  # overwrite files som did not write
    eml: bool = False  # an .eml (iMIP) next to each per-member invitation
    clock: datetime | None = None  # DTSTAMP of new versions; None: SOURCE_DATE_EPOCH, else now


@dataclass(frozen=True)
class Version:
    """What was issued of one segment: the record's entry."""

    uid: str
    sequence: int
    dtstamp: datetime
    fingerprint: str  # of MATTERS
    detail: str  # of everything else the event carries
    values: Mapping[str, str]  # MATTERS, human-readable; read-only, as the rest of a Version

    def __post_init__(self):
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))

    @property
    def cancelled(self) -> bool:
        return self.values.get("status") == "cancelled"


@dataclass(frozen=True)
class SegmentOutcome:
    segment: Segment
    state: str  # new | changed | updated | cancelled | unchanged
    changes: tuple[str, ...]  # "time 15:00–17:00 → 16:00–18:00 CEST"
    before: Version | None
    version: Version
    files: tuple[str, ...] = ()
    new_members: tuple[Member, ...] = ()  # members invited to this segment for the first time

    def describe(self) -> str:
        """One line for people: `technical: time changed 15:00–17:00 → 16:00–18:00 CEST, SEQUENCE 0 → 1`."""
        return self._state_text() + self.new_members_text()

    def new_members_text(self) -> str:
        """`; new invitations for UNEP, UNDP` when members got their first invitation to a
        segment issued before (their addresses were just added): "unchanged" alone hid them."""
        if self.state == "new" or not self.new_members:
            return ""
        return f"; new invitations for {', '.join(m.acronym for m in self.new_members)}"

    def _state_text(self) -> str:
        seq = self.version.sequence
        if self.state == "new":
            return f"{self.segment.id}: new, SEQUENCE {seq}"
        if self.state == "unchanged":
            status = ", still cancelled" if self.version.cancelled else ""
            return f"{self.segment.id}: unchanged{status}, SEQUENCE {seq}"
        what = "; ".join(self.changes)
        if self.state == "updated":
            return f"{self.segment.id}: {what} (new DTSTAMP, SEQUENCE stays {seq})"
        return f"{self.segment.id}: {what}, SEQUENCE {self.before.sequence} → {seq}"


@dataclass(frozen=True)
class MemberInvitation:
    """One per-member file, with what an e-mail of it needs."""

    key: str  # path in the output folder
    member: Member
    segment: Segment
    method: str  # REQUEST | CANCEL
    ics: bytes
    version: Version
    organizer: Person
    subject: str
    text: str
    html: str

    @property
    def recipients(self) -> tuple[Person, ...]:
        return tuple(Person(self.member.acronym, e) for e in self.member.emails)


@dataclass(frozen=True)
class InvitePlan:
    meeting: Meeting
    output: OutputDir
    options: InviteOptions
    outcomes: tuple[SegmentOutcome, ...]
    files: dict[str, bytes]  # everything to write, the record excepted
    record: bytes
    members: tuple[MemberInvitation, ...]
    skipped: tuple[Member, ...]  # members without e-mail addresses
    feed: str | None  # the feed's file name, None when --segment left it alone
    notes: tuple[str, ...] = ()

    @property
    def root(self) -> Path:
        return self.output.root


@dataclass(frozen=True)
class InviteResult:
    plan: InvitePlan
    written: tuple[str, ...]  # files whose bytes changed (would change, in a dry run)
    dry_run: bool

    @property
    def outcomes(self) -> tuple[SegmentOutcome, ...]:
        return self.plan.outcomes


# --- the clock, the record -----------------------------------------------------------------

def issue_clock(clock: datetime | None = None) -> datetime:
    """When a new version is issued: `clock`, else SOURCE_DATE_EPOCH, else now (agenda.effects.clock
    says why an invitation, unlike a document, takes the wall clock)."""
    if clock is not None:
        return clock.astimezone(UTC).replace(microsecond=0)
    return source_date_epoch() or datetime.now(UTC).replace(microsecond=0)


BUNDLED = "bundled"


def source_of(meeting: Meeting) -> str:
    """Where the meeting came from, as the record keeps it: the path as given, or "bundled"."""
    return BUNDLED if meeting.source is None else str(meeting.source)


def _source_text(source: str) -> str:
    from agenda.read.load import BUNDLED_MEETING

    return f"the bundled {BUNDLED_MEETING.upper()} meeting" if source == BUNDLED else source


def record_bytes(meeting_id: str, versions: dict[str, Version], source: str | None = None) -> bytes:
    lines = [
        "# What `som invite` issued into this folder, one table per segment. som reads it on the",
        "# next run to tell what changed (SEQUENCE + 1 and a new DTSTAMP) and to write unchanged",
        "# invitations again byte for byte. Written by som: do not edit.",
        'written_by = "som invite"',
        f"meeting = {toml_string(meeting_id)}",
    ]
    if source is not None:  # the meeting file as given, or "bundled"
        lines.append(f"source = {toml_string(source)}")
    for segment_id, v in versions.items():
        lines += ["", f"[segment.{toml_string(segment_id)}]",
                  f"uid = {toml_string(v.uid)}",
                  f"sequence = {v.sequence}",
                  f"dtstamp = {v.dtstamp.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}",
                  f"fingerprint = {toml_string(v.fingerprint)}",
                  f"detail = {toml_string(v.detail)}"]
        lines += [f"{key} = {toml_string(v.values.get(key, ''))}" for key in MATTERS]
    return ("\n".join(lines) + "\n").encode("utf-8")


def read_record(path: Path, meeting_id: str, *, force: bool, source: str | None = None) -> dict[str, Version]:
    """The versions issued before, by segment id; {} when there is no record yet.

    `source` (see source_of): refused, unless `force`, when the record says the folder was
    issued from the bundled meeting and this is a file, or the other way round; a forgotten
    MEETING argument must not quietly issue the bundled meeting over the user's. Records
    written before som kept the source are read as they are.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        if force:
            return {}
        raise SomError(f"{path} cannot be read ({exc})",
                       hint="re-run with --force to start the record again (every segment restarts at SEQUENCE 0)") from None
    if data.get("meeting") != meeting_id:
        if force:
            return {}
        raise SomError(f"{path.parent} holds invitations of meeting `{data.get('meeting')}`, not `{meeting_id}`",
                       hint="write each meeting into its own folder")
    recorded = data.get("source")
    if (source is not None and isinstance(recorded, str) and not force
            and (recorded == BUNDLED) != (source == BUNDLED)):
        raise SomError(f"{path.parent} was issued from {_source_text(recorded)}; you gave {_source_text(source)}",
                       hint=f"pass {recorded}, or --force to issue from this one" if recorded != BUNDLED else
                       "leave out the meeting file to issue the bundled meeting, or pass --force to issue from this one")
    versions = {}
    try:
        for segment_id, entry in data.get("segment", {}).items():
            stamp = entry["dtstamp"]
            if not isinstance(stamp, datetime) or stamp.tzinfo is None:
                raise ValueError("dtstamp")
            versions[segment_id] = Version(
                uid=str(entry["uid"]), sequence=int(entry["sequence"]), dtstamp=stamp.astimezone(UTC),
                fingerprint=str(entry["fingerprint"]), detail=str(entry["detail"]),
                values={k: str(entry.get(k, "")) for k in MATTERS})
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        if force:
            return {}
        raise SomError(f"{path} is damaged ({exc})", hint="re-run with --force to start the record again") from None
    return versions


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


# --- text for people -----------------------------------------------------------------------

def long_date(dt: datetime) -> str:
    """`Tuesday 26 September 2023`, in English whatever the machine's locale (stable bytes)."""
    return f"{DAYS[dt.weekday()]} {dt.day} {MONTHS[dt.month - 1]} {dt.year}"


def short_date(dt: datetime) -> str:
    return f"{DAYS[dt.weekday()][:3]} {dt.day} {MONTHS[dt.month - 1][:3]} {dt.year}"


def clock_span(start: datetime, end: datetime) -> str:
    days = (end.date() - start.date()).days
    return f"{start:%H:%M}–{end:%H:%M}" + (f" (+{days} day{'s' if days > 1 else ''})" if days else "")


def zone_names(start: datetime, end: datetime) -> str:
    a, b = abbreviation(start), abbreviation(end)
    return a if a == b else f"{a}/{b}"


def place_span(start: datetime, end: datetime, place: str) -> str:
    """`15:00–17:00 Geneva (CEST)`."""
    return f"{clock_span(start, end)} {place} ({zone_names(start, end)})"


def time_lines(meeting: Meeting, segment: Segment, member: Member | None) -> list[str]:
    """The recipient's own time first, then the home zone: lines a person reads at a glance."""
    home_start, home_end = segment.start, segment.end
    home = place_span(home_start, home_end, meeting.city or meeting.zone_name)
    utc = f"{clock_span(home_start.astimezone(UTC), home_end.astimezone(UTC))} UTC"
    if member is None or member.zone.key == meeting.zone.key:
        return [long_date(home_start), f"{home} = {utc}"]
    start, end = home_start.astimezone(member.zone), home_end.astimezone(member.zone)
    line = f"{place_span(start, end, member.city)} = {home}"
    if start.date() != home_start.date():
        line += f", {long_date(home_start)}"
    return [long_date(start), line]


class Texts:
    """The plain text of a meeting's invitations, with what is costly to work out kept once."""

    def __init__(self, meeting: Meeting):
        self.meeting = meeting
        leads = {i.lead for s in meeting.segments for i in _all_items(s.items) if i.lead}
        self.leads = {m.id: m.acronym for m in meeting.members if m.id in leads}
        self._tables: dict[str, list[str]] = {}

    def items(self, items, depth: int = 0) -> list[str]:
        out = []
        for index, item in enumerate(items):
            mark, _ = item_number(index, depth + 1)  # numbered as the agenda document numbers them
            text = f"{'   ' * depth}{mark} {item.title}"
            extra = []
            if item.lead:
                extra.append(f"lead: {self.leads.get(item.lead, item.lead)}")
            if item.minutes:
                extra.append(f"{item.minutes} min")
            if extra:
                text += f" ({', '.join(extra)})"
            out.append(text)
            if item.documents:
                out.append(f"{'   ' * (depth + 1)}Documents: {', '.join(item.documents)}")
            out += self.items(item.items, depth + 1)
        return out

    def member_times(self, segment: Segment) -> list[str]:
        """Members' local times, one line per distinct local time: `16:00–18:00 EAT: Addis Ababa, Nairobi`."""
        if segment.id in self._tables:
            return self._tables[segment.id]
        by_zone: dict[str, tuple] = {}
        groups: dict[tuple, set[str]] = {}
        for m in self.meeting.members:
            key = by_zone.get(m.zone.key)
            if key is None:
                start, end = segment.start.astimezone(m.zone), segment.end.astimezone(m.zone)
                day = (start.date() - segment.start.date()).days
                key = by_zone[m.zone.key] = (start.utcoffset(), start.replace(tzinfo=None), end.replace(tzinfo=None),
                                             zone_names(start, end), day)
            groups.setdefault(key, set()).add(m.city)
        out = []
        for (_, start, end, names, day), cities in sorted(groups.items(), key=lambda kv: kv[0][:3]):
            shift = f", {'+' if day > 0 else '−'}{abs(day)} day" if day else ""
            out.append(f"{start:%H:%M}–{end:%H:%M} {names}{shift}: {', '.join(sorted(cities))}")
        self._tables[segment.id] = out
        return out

    def description(self, segment: Segment, status: str, member: Member | None) -> str:
        meeting = self.meeting
        title = _summary(meeting, segment)
        lines = [f"CANCELLED: {title}" if status == "cancelled" else title]
        lines += [x for x in (meeting.body, segment.symbol) if x]
        if status == "tentative":
            lines.append("Tentative: the date and time may still change.")
        lines.append("")
        lines += time_lines(meeting, segment, member)
        location = meeting.location_of(segment)
        url = meeting.online_url_of(segment)
        if location:
            lines.append(f"Where: {location}")
        if url:
            lines.append(f"Join online: {url}")
        if segment.chair:
            lines.append(f"Chair: {segment.chair}")
        if segment.items:
            lines += ["", "Agenda"] + self.items(segment.items)
        if segment.notes:
            lines += ["", segment.notes]
        if member is None and meeting.members:
            lines += ["", "Local times of members"] + self.member_times(segment)
        return "\n".join(lines)


def _all_items(items):
    for item in items:
        yield item
        yield from _all_items(item.items)


def html_of(text: str) -> str:
    """The plain text as minimal HTML: paragraphs kept, links clickable."""
    body = html.escape(text)
    body = re.sub(r"(https?://[^\s<]+)", r'<a href="\1">\1</a>', body)
    return "<html><body><p>" + body.replace("\n\n", "</p><p>").replace("\n", "<br>\n") + "</p></body></html>\n"


# --- planning ------------------------------------------------------------------------------

def uid_of(meeting: Meeting, segment: Segment) -> str:
    return ics.segment_uid(meeting.id, segment.id)


def feed_name(meeting: Meeting) -> str:
    return f"{meeting.id}.ics"


def segment_file(meeting: Meeting, segment: Segment) -> str:
    return f"{meeting.id}-{segment.id}.ics"


def member_file(meeting: Meeting, segment: Segment, member: Member) -> str:
    return f"members/{member.id}/{meeting.id}-{segment.id}.ics"


def _summary(meeting: Meeting, segment: Segment) -> str:
    return f"{meeting.title} — {segment.title}"


def _location(meeting: Meeting, segment: Segment) -> str | None:
    venue, url = meeting.location_of(segment), meeting.online_url_of(segment)
    if venue and url:
        return f"{venue}: {url}"
    return venue or url


def _values(meeting: Meeting, segment: Segment, status: str) -> dict[str, str]:
    return {
        "date": segment.start.date().isoformat(),
        "time": f"{clock_span(segment.start, segment.end)} {zone_names(segment.start, segment.end)}",
        "zone": meeting.zone_name,
        "start_utc": segment.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "end_utc": segment.end.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "title": _summary(meeting, segment),
        "location": meeting.location_of(segment) or "",
        "online_url": meeting.online_url_of(segment) or "",
        "status": status,
    }


def _changes(before: dict[str, str], after: dict[str, str]) -> tuple[str, ...]:
    out = []
    if before.get("date") != after["date"]:
        out.append(f"date changed {before.get('date')} → {after['date']}")
    if before.get("time") != after["time"]:
        b, a = before.get("time", ""), after["time"]
        b_clock, _, b_zone = b.partition(" ")
        a_clock, _, a_zone = a.partition(" ")
        out.append(f"time changed {b_clock} → {a}" if b_zone == a_zone else f"time changed {b} → {a}")
    if before.get("zone") != after["zone"]:
        out.append(f"home zone changed {before.get('zone')} → {after['zone']}")
    if not out and (before.get("start_utc"), before.get("end_utc")) != (after["start_utc"], after["end_utc"]):
        out.append(f"time changed {before.get('start_utc')} → {after['start_utc']} (UTC)")
    for key, label in (("title", "title"), ("location", "location"), ("online_url", "online link")):
        old, new = before.get(key) or "", after[key]
        if old != new:
            if key == "title":  # "Meeting — Segment": show only the part that changed
                common = os.path.commonprefix([old, new]).rpartition(" — ")[0]
                old, new = (old[len(common) + 3:], new[len(common) + 3:]) if common else (old, new)
            out.append(f"{label} changed “{old or '—'}” → “{new or '—'}”")
    if before.get("status") != after["status"]:
        out.append("cancelled" if after["status"] == "cancelled" else
                   f"status changed {before.get('status')} → {after['status']}")
    return tuple(out)


def _event(meeting: Meeting, segment: Segment, version: Version, options: InviteOptions,
           description_text: str) -> ics.Event:
    url = meeting.online_url_of(segment)
    return ics.Event(
        uid=version.uid, sequence=version.sequence, dtstamp=version.dtstamp,
        start=segment.start, end=segment.end, summary=_summary(meeting, segment),
        description=description_text, status=version.values["status"], organizer=meeting.organizer,
        location=_location(meeting, segment), url=url, online_url=url, alarm_minutes=options.alarm_minutes)


def _next_version(texts: Texts, segment: Segment, before: Version | None, options: InviteOptions,
                  clock: datetime) -> tuple[Version, str, tuple[str, ...], str]:
    """(the version to issue, state, changes, the home description)."""
    meeting = texts.meeting
    cancel = segment.id in options.cancel or segment.status == "cancelled"
    values = _values(meeting, segment, "cancelled" if cancel else segment.status)
    if before is not None and before.cancelled and not cancel:
        # A cancellation stands until the segment itself is changed (rescheduled, say): the
        # meeting file still saying "confirmed" is not a reason to send it out again.
        if all(values[k] == before.values.get(k) for k in MATTERS if k != "status"):
            values = {**values, "status": "cancelled"}
    text = texts.description(segment, values["status"], None)
    probe = Version(uid_of(meeting, segment), 0, datetime(2000, 1, 1, tzinfo=UTC), "", "", values)
    detail = _digest(ics.event_bytes(_event(meeting, segment, probe, options, text), ics.ZonePlan(None), "PUBLISH")
                     .decode("utf-8"))
    fingerprint = _digest({k: values[k] for k in MATTERS})
    uid = uid_of(meeting, segment)
    if before is None:
        return Version(uid, 0, clock, fingerprint, detail, values), "new", (), text
    later = max(clock, before.dtstamp + timedelta(seconds=1))  # a new DTSTAMP must be newer
    if before.fingerprint != fingerprint:
        state = "cancelled" if values["status"] == "cancelled" and not before.cancelled else "changed"
        return (Version(uid, before.sequence + 1, later, fingerprint, detail, values), state,
                _changes(before.values, values), text)
    if before.detail != detail:
        return (Version(uid, before.sequence, later, fingerprint, detail, values), "updated",
                ("agenda or details changed",), text)
    return replace(before, values=values), "unchanged", (), text


def _check_output(root: Path) -> None:
    """Refuse a path that is a file, or a folder som could not write into."""
    probe = root
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise SomError(f"{probe} is a file, not a folder", hint="name a folder for the output (it is created if missing)")
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        raise SomError(f"{probe} is not writable", hint="choose another output folder, or fix its permissions")


def _check_addresses(meeting: Meeting, members: list[Member]) -> None:
    organizer = meeting.organizer
    if organizer is None:
        raise SomError(f"meeting `{meeting.id}` has no organizer, and every invitation needs one",
                       file=meeting.source, hint='add organizer = { name = "...", email = "..." } to [meeting]')
    if not EMAIL.match(organizer.email):
        raise SomError(f"the organizer's address `{organizer.email}` is not an e-mail address", file=meeting.source)
    for m in members:
        for email in m.emails:
            if not EMAIL.match(email):
                raise SomError(f"member `{m.id}` ({m.acronym}) has `{email}`, which is not an e-mail address",
                               file=meeting.directory.source, hint="write it like focal.point@example.org")


def plan_invitations(meeting: Meeting, out_dir: Path | str, options: InviteOptions = InviteOptions(),
                     *, output: OutputDir | None = None) -> InvitePlan:
    """Everything a run would write, checked, without writing anything.

    `output`: the OutputDir of `out_dir` when the caller writes other files there too (one
    instance per folder keeps its manifest whole).
    """
    root = Path(out_dir)
    _check_output(root)
    output = output or OutputDir(root, force=options.force)
    selected = select_segments(meeting, options.segments)
    select_segments(meeting, options.cancel)  # unknown ids: a message with a suggestion
    if options.segments and set(options.cancel) - set(options.segments):
        raise SomError(f"--cancel {', '.join(sorted(set(options.cancel) - set(options.segments)))} is not among the "
                       f"segments this run issues (--segment {', '.join(options.segments)})",
                       hint="add it with --segment too, or drop --segment")
    with_addresses = [m for m in meeting.members if m.emails] if options.members else []
    skipped = tuple(m for m in meeting.members if not m.emails) if options.members else ()
    _check_addresses(meeting, with_addresses)
    if options.eml and not options.members:
        raise SomError("--eml writes one e-mail per per-member invitation, and --no-members turns those off",
                       hint="drop one of the two")
    if options.alarm_minutes is not None and options.alarm_minutes < 1:
        raise SomError("the alarm must ring at least one minute before the start", hint="use --no-alarm for none")

    # .eml files written before are kept in step with their .ics, --eml or not: an old
    # message next to a newer invitation is one someone could still send by hand.
    eml = options.eml or (options.members and any(n.startswith("members/") and n.endswith(".eml")
                                                   for n in output.manifest))
    feed = feed_name(meeting) if not options.segments else None
    names = ([feed] if feed else []) + [segment_file(meeting, s) for s in selected]
    names += [member_file(meeting, s, m) for s in selected for m in with_addresses]
    if eml:
        names += [n[:-4] + ".eml" for n in names if n.startswith("members/")]
    output.check(names + [RECORD])

    before = read_record(root / RECORD, meeting.id, force=options.force, source=source_of(meeting))
    clock = issue_clock(options.clock)
    versions = dict(before)
    outcomes: list[SegmentOutcome] = []
    files: dict[str, bytes] = {}
    invitations: list[MemberInvitation] = []
    notes: list[str] = []
    home_texts: dict[str, str] = {}
    texts = Texts(meeting)
    for segment in selected:
        version, state, changes, text = _next_version(texts, segment, before.get(segment.id), options, clock)
        versions[segment.id] = version
        home_texts[segment.id] = text
        event = _event(meeting, segment, version, options, text)
        own = segment_file(meeting, segment)
        files[own] = ics.calendar_bytes("PUBLISH", [event], meeting.zone)
        member_files: list[str] = []
        new_members: list[Member] = []
        if with_addresses and version.cancelled and segment.id not in before:
            notes.append(f"{segment.id}: cancelled before it was ever issued, so no member is sent a cancellation")
        elif with_addresses:
            for inv in _member_invitations(texts, segment, event, version, with_addresses):
                files[inv.key] = inv.ics
                member_files.append(inv.key)
                invitations.append(inv)
                if inv.key not in output.manifest:
                    new_members.append(inv.member)
        outcomes.append(SegmentOutcome(segment, state, changes, before.get(segment.id), version,
                                       (own, *member_files), tuple(new_members)))
    if feed:
        events = [_event(meeting, s, versions[s.id], options, home_texts[s.id]) for s in meeting.segments]
        files[feed] = ics.calendar_bytes("PUBLISH", events, meeting.zone, name=meeting.title)
        gone = sorted(set(before) - {s.id for s in meeting.segments})
        for segment_id in gone:
            notes.append(f"{segment_id}: issued before but no longer in the meeting file; its files stay as they "
                         f"are — to take it out of members' calendars, put it back with status = \"cancelled\"")
    if eml:
        from agenda.effects import mail
        for inv in invitations:
            files[inv.key[:-4] + ".eml"] = mail.eml_bytes(mail_invitation(inv))
    ordered = {k: versions[k] for k in sorted(versions)}
    return InvitePlan(meeting, output, options, tuple(outcomes), files, record_bytes(meeting.id, ordered, source_of(meeting)),
                      tuple(invitations), skipped, feed, tuple(notes))


def _member_invitations(texts: Texts, segment: Segment, event: ics.Event, version: Version,
                        members: list[Member]) -> list[MemberInvitation]:
    """Per-member files: the calendar text is built once per segment and per member zone and
    city; only the ATTENDEE lines differ from member to member."""
    meeting = texts.meeting
    method = "CANCEL" if version.cancelled else "REQUEST"
    zones = ics.plan_zone(meeting.zone, event.instants)
    head = ics.calendar_head(method, zones) + ics.event_head(event, zones, method)
    tails: dict[tuple[str, str], tuple[bytes, str, str, str]] = {}
    out = []
    for m in members:
        place = (m.zone.key, m.city)
        if place not in tails:
            text = texts.description(segment, version.values["status"], m)
            tails[place] = (ics.event_tail(event, method, text) + ics.CALENDAR_END, text,
                            _subject(meeting, segment, m, version), html_of(text))
        tail, text, subject, html_text = tails[place]
        attendees = b"".join(ics.attendee_line(m.acronym, e, method) for e in m.emails)
        out.append(MemberInvitation(member_file(meeting, segment, m), m, segment, method, head + attendees + tail,
                                    version, meeting.organizer, subject, text, html_text))
    return out


def _subject(meeting: Meeting, segment: Segment, member: Member, version: Version) -> str:
    start, end = segment.start.astimezone(member.zone), segment.end.astimezone(member.zone)
    when = f"{short_date(start)} {clock_span(start, end)} {zone_names(start, end)}"
    what = _summary(meeting, segment)
    if version.cancelled:
        return f"Cancelled: {what} ({when})"
    prefix = "Updated invitation" if version.sequence > 0 else "Invitation"
    return f"{prefix}: {what} ({when})"


def mail_invitation(inv: MemberInvitation):
    """The `agenda.effects.mail.Invitation` of a per-member file."""
    from agenda.effects import mail
    return mail.Invitation(
        key=inv.key, ics=inv.ics, method=inv.method, uid=inv.version.uid, sequence=inv.version.sequence,
        dtstamp=inv.version.dtstamp, organizer=inv.organizer, recipients=inv.recipients,
        subject=inv.subject, text=inv.text, html=inv.html)


# --- writing -------------------------------------------------------------------------------

def apply_plan(plan: InvitePlan) -> InviteResult:
    """Write the files, then the record (so the record never claims what is not on disk)."""
    output = plan.output
    if plan.options.dry_run:
        would = tuple(name for name, data in plan.files.items()
                      if not _same(output.root / name, data))
        return InviteResult(plan, would, True)
    # Every digest, the record's too, goes into the manifest as pending before anything is
    # written: a run killed between the record's rename and the last commit() leaves a record
    # the next run knows as som's own, rather than one it refuses as "not written by som".
    output.intend({**plan.files, RECORD: plan.record})
    try:
        written = output.write_many(plan.files)
    finally:
        output.commit()  # the manifest tells the truth even when a write failed midway
    output.write(RECORD, plan.record)
    output.commit()
    return InviteResult(plan, tuple(written), False)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def write_invitations(meeting: Meeting, out_dir: Path | str, options: InviteOptions = InviteOptions(),
                      *, output: OutputDir | None = None) -> InviteResult:
    """Plan and write a meeting's invitations into `out_dir` (nothing is written in a dry run)."""
    return apply_plan(plan_invitations(meeting, out_dir, options, output=output))
