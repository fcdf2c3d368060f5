"""Each segment in the home zone, in UTC, and in every member's (or any named) zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from agenda.model.errors import SomError, did_you_mean
from agenda.model.meeting import Meeting, Member, Segment
from agenda.model.timeplan import UTC, LocalSpan, abbreviation, local_span, zone_label


@dataclass(frozen=True)
class LocalRow:
    member: Member | None  # None for a zone asked for by name
    city: str
    span: LocalSpan


@dataclass(frozen=True)
class SegmentPlan:
    segment: Segment
    rows: tuple[LocalRow, ...]

    @property
    def member_rows(self) -> list[LocalRow]:
        return [r for r in self.rows if r.member is not None]


@dataclass(frozen=True)
class Schedule:
    meeting: Meeting
    segments: tuple[SegmentPlan, ...]


def select_segments(meeting: Meeting, ids: tuple[str, ...] | list[str] = ()) -> tuple[Segment, ...]:
    """The segments named by id (in the file's order), all when none are named."""
    if not ids:
        return meeting.segments
    known = [s.id for s in meeting.segments]
    for wanted in ids:
        if wanted not in known:
            raise SomError(f"no segment `{wanted}` in {meeting.id}",
                           hint=did_you_mean(wanted, known) or f"segments: {', '.join(known)}")
    return tuple(s for s in meeting.segments if s.id in ids)


def build_schedule(meeting: Meeting, *, zones: tuple[ZoneInfo, ...] = (), members: bool = True,
                   segment_ids: tuple[str, ...] = ()) -> Schedule:
    # Rows go by UTC offset, then the named zones (by name) before the members (by acronym).
    # Members are put in acronym order once, not once a segment; each segment's rows are then
    # sorted by offset alone, which keeps that order among rows of the same offset (a stable
    # sort), and the offset is asked once a span, not once a row.
    by_acronym = sorted(meeting.members, key=lambda m: m.acronym.casefold()) if members else []
    plans = []
    for segment in select_segments(meeting, segment_ids):
        home_date = segment.start.date()
        rows = sorted((LocalRow(None, zone_label(z), local_span(segment.start, segment.end, z, home_date=home_date))
                       for z in zones), key=lambda r: (r.span.start.utcoffset(), r.span.zone.key))
        # members who share a zone, hours and workdays share one (frozen) span: a directory
        # of 10,000 members has a few dozen of them
        spans: dict[tuple, LocalSpan] = {}
        for m in by_acronym:
            key = (m.zone.key, m.hours, m.workdays)
            if key not in spans:
                spans[key] = local_span(segment.start, segment.end, m.zone, home_date=home_date,
                                        hours=m.hours, workdays=m.workdays)
            rows.append(LocalRow(m, m.city, spans[key]))
        offsets = {id(r.span): r.span.start.utcoffset() for r in rows[:len(zones)]}
        offsets.update((id(span), span.start.utcoffset()) for span in spans.values())
        rows.sort(key=lambda r: (offsets[id(r.span)], r.member is not None))
        plans.append(SegmentPlan(segment, tuple(rows)))
    return Schedule(meeting, tuple(plans))


# --- views of a schedule -------------------------------------------------------------------

def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="minutes") if dt.second == 0 else dt.isoformat()


def iso_utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def span_text(start: datetime, end: datetime) -> str:
    """`15:00–17:00 CEST`, or with the end's abbreviation too when a clock change falls inside."""
    a, b = abbreviation(start), abbreviation(end)
    if a == b:
        return f"{start:%H:%M}–{end:%H:%M} {a}"
    return f"{start:%H:%M} {a}–{end:%H:%M} {b}"


