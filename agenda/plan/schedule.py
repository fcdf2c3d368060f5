"""Each segment in the home zone, in UTC, and in every member's (or any named) zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from agenda.model.errors import SomError, did_you_mean
from agenda.model.meeting import Meeting, Member, Segment
from agenda.model.timeplan import UTC, LocalSpan, abbreviation, format_day_offset, format_offset, local_span, zone_label


@dataclass(frozen=True)
class LocalRow:
    member: Member | None  # None for a zone asked for with --tz
    city: str
    span: LocalSpan


@dataclass(frozen=True)
class SegmentPlan:
    segment: Segment
    rows: tuple[LocalRow, ...]

    @property
    def member_rows(self) -> list[LocalRow]:
        return [r for r in self.rows if r.member is not None]

    def count(self, status: str) -> int:
        return sum(1 for r in self.member_rows if r.span.working_hours == status)


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
    plans = []
    for segment in select_segments(meeting, segment_ids):
        home_date = segment.start.date()
        rows = [LocalRow(None, zone_label(z), local_span(segment.start, segment.end, z, home_date=home_date))
                for z in zones]
        if members:
            rows += [LocalRow(m, m.city, local_span(segment.start, segment.end, m.zone, home_date=home_date,
                                                    hours=m.hours, workdays=m.workdays))
                     for m in meeting.members]
        rows.sort(key=lambda r: (r.span.start.utcoffset(), r.member is not None, r.member.acronym.casefold()
                                 if r.member else r.span.zone.key))
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


def schedule_json(schedule: Schedule) -> dict:
    m = schedule.meeting
    return {
        "meeting": {"id": m.id, "title": m.title, "timezone": m.zone_name},
        "segments": [{
            "id": p.segment.id,
            "title": p.segment.title,
            "start": iso(p.segment.start),
            "end": iso(p.segment.end),
            "start_utc": iso_utc(p.segment.start),
            "end_utc": iso_utc(p.segment.end),
            "local": [{
                "member": r.member.id if r.member else None,
                "acronym": r.member.acronym if r.member else None,
                "city": r.city,
                "zone": r.span.zone.key,
                "start": iso(r.span.start),
                "end": iso(r.span.end),
                "abbreviation": r.span.abbreviation,
                "day_offset": r.span.day_offset,
                "working_hours": r.span.working_hours,
            } for r in p.rows],
        } for p in schedule.segments],
    }


def segment_heading(meeting: Meeting, segment: Segment) -> str:
    return (f"{segment.title} — {segment.start:%a %d %b %Y} {span_text(segment.start, segment.end)} "
            f"{meeting.city} ({segment.start.astimezone(UTC):%H:%M}–{segment.end.astimezone(UTC):%H:%M} UTC)")


def hours_summary(plan: SegmentPlan) -> str:
    total = len(plan.member_rows)
    if not total:
        return ""
    inside, partly, outside = plan.count("inside"), plan.count("partly"), plan.count("outside")
    return (f"{inside} of {total} members inside working hours"
            + (f", {partly} partly" if partly else "") + (f", {outside} outside" if outside else ""))


# Segment and zone lead so that tables can leave them out (the title names the segment, the
# city the zone) and fit 80 columns; CSV keeps them.
SCHEDULE_COLUMNS = ("Segment", "Zone", "Acronym", "City", "UTC offset", "Local time", "Day", "Working hours")
TABLE_SKIPS = 2


def schedule_rows(plan: SegmentPlan) -> list[list[str]]:
    return [[plan.segment.id, r.span.zone.key, r.member.acronym if r.member else "", r.city,
             format_offset(r.span.start.utcoffset()), span_text(r.span.start, r.span.end),
             format_day_offset(r.span.day_offset), r.span.working_hours or ""] for r in plan.rows]
