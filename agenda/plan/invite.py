"""Versions of a segment's invitation: what a calendar shows, and when it counts as changed.

A segment keeps its UID for life (RFC 5546). When what a calendar shows changes (date, time,
zone, title, location, online link, status) its SEQUENCE rises and it gets a new DTSTAMP;
when only the rest changes (agenda, notes, alarm) it gets a new DTSTAMP and keeps its
SEQUENCE; when nothing changes the version is the one issued before, so the files come out
byte for byte the same. The rules are here; agenda.app.invite renders and writes.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from types import MappingProxyType
from typing import Mapping

from agenda.model.errors import SomError
from agenda.model.meeting import Meeting, Member, Person, Segment
from agenda.model.timeplan import abbreviation

UTC = timezone.utc


RECORD = "som-issued.toml"
SEND_LOG = "send-log.jsonl"  # written by agenda.effects.mail
DEFAULT_ALARM_MINUTES = 15


# What a calendar shows: a change here raises SEQUENCE (RFC 5546 3.2.2).
MATTERS = ("date", "time", "zone", "start_utc", "end_utc", "title", "location", "online_url", "status")


@dataclass(frozen=True)
class Version:
    """What was issued of one segment: the record's entry."""

    uid: str
    sequence: int
    dtstamp: datetime
    fingerprint: str  # of MATTERS
    detail: str  # of everything else the event carries
    values: Mapping[str, str]  # MATTERS, human-readable; read-only, as the rest of a Version
    # What changed when SEQUENCE last rose, in words ("time changed 15:00–17:00 → 16:00–18:00 CEST"):
    # kept in the record, so an update e-mailed in a later run still says what changed
    changes: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))

    @property
    def cancelled(self) -> bool:
        return self.values.get("status") == "cancelled"


@dataclass(frozen=True)
class SegmentOutcome:
    segment: Segment
    state: str  # new | changed | updated | cancelled | unchanged | unissued (cancelled before it was ever issued)
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
        if self.state == "unissued":
            return f"{self.segment.id}: cancelled before it was ever issued: no file written, nobody to tell"
        if self.state == "new":
            return f"{self.segment.id}: new, SEQUENCE {seq}"
        if self.state == "unchanged":
            status = ", still cancelled" if self.version.cancelled else ""
            return f"{self.segment.id}: unchanged{status}, SEQUENCE {seq}"
        what = "; ".join(self.changes)
        if self.state == "updated":
            return f"{self.segment.id}: {what} (new DTSTAMP, SEQUENCE stays {seq})"
        # changed or cancelled: next_version found it different from the version issued before
        assert self.before is not None
        return f"{self.segment.id}: {what}, SEQUENCE {self.before.sequence} → {seq}"


BUNDLED = "bundled"


def invitation_organizer(meeting: Meeting) -> Person:
    """The meeting's organizer: every invitation has one (its ORGANIZER, the sender of its e-mail)."""
    if meeting.organizer is None:
        raise SomError(f"meeting `{meeting.id}` has no organizer, and every invitation needs one",
                       file=meeting.source, hint='add organizer = { name = "...", email = "..." } to [meeting]')
    return meeting.organizer


def source_of(meeting: Meeting) -> str:
    """Where the meeting came from, as the record keeps it: the path as given, or "bundled"."""
    return BUNDLED if meeting.source is None else str(meeting.source)


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def clock_span(start: datetime, end: datetime) -> str:
    days = (end.date() - start.date()).days
    return f"{start:%H:%M}–{end:%H:%M}" + (f" (+{days} day{'s' if days > 1 else ''})" if days else "")


def zone_names(start: datetime, end: datetime) -> str:
    a, b = abbreviation(start), abbreviation(end)
    return a if a == b else f"{a}/{b}"


def feed_name(meeting: Meeting) -> str:
    return f"{meeting.id}.ics"


def segment_file(meeting: Meeting, segment: Segment) -> str:
    return f"{meeting.id}-{segment.id}.ics"


def member_file(meeting: Meeting, segment: Segment, member: Member) -> str:
    return f"members/{member.id}/{meeting.id}-{segment.id}.ics"


def _values(meeting: Meeting, segment: Segment, status: str) -> dict[str, str]:
    return {
        "date": segment.start.date().isoformat(),
        "time": f"{clock_span(segment.start, segment.end)} {zone_names(segment.start, segment.end)}",
        "zone": meeting.zone_name,
        "start_utc": segment.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "end_utc": segment.end.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "title": segment_summary(meeting, segment),
        "location": meeting.location_of(segment) or "",
        "online_url": meeting.online_url_of(segment) or "",
        "status": status,
    }


def _changes(before: Mapping[str, str], after: dict[str, str]) -> tuple[str, ...]:
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


def segment_summary(meeting: Meeting, segment: Segment, lang: str | None = None) -> str:
    """`<meeting title> — <segment title>`: the SUMMARY of its events, and a matter of record (as
    the file writes the titles); in `lang`, with the meeting file's translations where it gives them."""
    if lang is None:
        return f"{meeting.title} — {segment.title}"
    return f"{meeting.title_in(lang)} — {segment.title_in(lang)}"


def title_translations(meeting: Meeting, segment: Segment) -> tuple:
    """Every translated title an invitation to the segment may show: the meeting's, the segment's,
    its items'; empty when the meeting file gives none."""
    def walk(items):
        for item in items:
            yield item.titles
            yield from walk(item.items)

    found = (meeting.titles, segment.titles, *walk(segment.items))
    return found if any(found) else ()


def values_of(meeting: Meeting, segment: Segment, status: str) -> dict[str, str]:
    """What a calendar shows of the segment, as the record keeps it."""
    return _values(meeting, segment, status)


# What revives a cancelled segment: a new date, time or place. A new title (or anything else)
# does not: the meeting file still saying "confirmed" is not a reason to send it out again.
REVIVES = ("date", "time", "zone", "start_utc", "end_utc", "location", "online_url")


def standing_values(values: dict[str, str], before: Version | None, cancel: bool) -> dict[str, str]:
    """A cancellation stands until the segment is given a new date, time or place (REVIVES)."""
    if before is not None and before.cancelled and not cancel:
        if all(values[k] == before.values.get(k) for k in REVIVES):
            return {**values, "status": "cancelled"}
    return values


def next_version(uid: str, before: Version | None, values: dict[str, str], detail: str,
                 clock: datetime) -> tuple[Version, str, tuple[str, ...]]:
    """(the version to issue, its state, the changes in words) given what was issued before.

    `detail` is a digest of everything else the event carries (agenda, notes, alarm)."""
    fingerprint = _digest({k: values[k] for k in MATTERS})
    if before is None:
        return Version(uid, 0, clock, fingerprint, detail, values), "new", ()
    later = max(clock, before.dtstamp + timedelta(seconds=1))  # a new DTSTAMP must be newer
    if before.fingerprint != fingerprint:
        state = "cancelled" if values["status"] == "cancelled" and not before.cancelled else "changed"
        changes = _changes(before.values, values)
        return Version(uid, before.sequence + 1, later, fingerprint, detail, values, changes), state, changes
    if before.detail != detail:
        return (Version(uid, before.sequence, later, fingerprint, detail, values, before.changes), "updated",
                ("agenda or details changed",))
    return replace(before, values=values), "unchanged", ()


def digest(value) -> str:
    """A short stable digest of a JSON-able value (the record's fingerprint and detail)."""
    return _digest(value)
