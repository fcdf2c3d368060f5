"""A schedule as table rows and the JSON payload of `som schedule`."""

from __future__ import annotations

from collections import Counter

from agenda.model.meeting import Meeting, Segment
from agenda.model.timeplan import UTC, format_day_offset, format_offset
from agenda.plan.schedule import Schedule, SegmentPlan, iso, iso_utc, span_text


def schedule_json(schedule: Schedule) -> dict:
    m = schedule.meeting
    return {
        "meeting": {"id": m.id, "title": m.title, "timezone": m.zone_name},
        "segments": [{
            "id": p.segment.id,
            "title": p.segment.title,
            "status": p.segment.status,
            "start": iso(p.segment.start),
            "end": iso(p.segment.end),
            "start_utc": iso_utc(p.segment.start),
            "end_utc": iso_utc(p.segment.end),
            "local": _local_json(p),
        } for p in schedule.segments],
    }


def _local_json(plan: SegmentPlan) -> list[dict]:
    times: dict[int, tuple[str, str]] = {}  # by span, shared by members (build_schedule)
    out = []
    for r in plan.rows:
        span = r.span
        if id(span) not in times:
            times[id(span)] = (iso(span.start), iso(span.end))
        start, end = times[id(span)]
        out.append({
            "member": r.member.id if r.member else None,
            "acronym": r.member.acronym if r.member else None,
            "city": r.city,
            "zone": span.zone.key,
            "start": start,
            "end": end,
            "abbreviation": span.abbreviation,
            "day_offset": span.day_offset,
            "working_hours": span.working_hours,
        })
    return out


def segment_heading(meeting: Meeting, segment: Segment) -> str:
    mark = "CANCELLED: " if segment.status == "cancelled" else ""
    return (f"{mark}{segment.title} — {segment.start:%a %d %b %Y} {span_text(segment.start, segment.end)} "
            f"{meeting.city} ({segment.start.astimezone(UTC):%H:%M}–{segment.end.astimezone(UTC):%H:%M} UTC)")


def hours_summary(plan: SegmentPlan) -> str:
    total = sum(1 for r in plan.rows if r.member is not None)
    if plan.segment.status == "cancelled":
        return "cancelled: the segment will not be held"
    if not total:
        return ""
    counts = Counter(r.span.working_hours for r in plan.rows if r.member is not None)
    inside, partly, outside = counts["inside"], counts["partly"], counts["outside"]
    return (f"{inside} of {total} members inside working hours"
            + (f", {partly} partly" if partly else "") + (f", {outside} outside" if outside else ""))


# Segment and zone lead so that tables can leave them out (the title names the segment, the
# city the zone) and fit 80 columns; CSV keeps them.
SCHEDULE_COLUMNS = ("Segment", "Zone", "Acronym", "City", "UTC offset", "Local time", "Day", "Working hours")


TABLE_SKIPS = 2


def schedule_rows(plan: SegmentPlan) -> list[tuple[str, ...]]:
    # A cancelled segment keeps its times (people ask "when was it?") but is judged by nobody's
    # working hours: the column says cancelled, in every format, CSV included.
    cancelled = plan.segment.status == "cancelled"
    texts: dict[int, tuple[str, str, str, str]] = {}  # by span: members share spans (build_schedule)
    rows: list[tuple[str, ...]] = []
    segment = plan.segment.id
    for r in plan.rows:
        span = r.span
        tail = texts.get(id(span))
        if tail is None:
            tail = texts[id(span)] = (format_offset(span.start.utcoffset()), span_text(span.start, span.end),
                                      format_day_offset(span.day_offset),
                                      "cancelled" if cancelled else span.working_hours or "")
        rows.append((segment, span.zone.key, r.member.acronym if r.member else "", r.city) + tail)
    return rows
