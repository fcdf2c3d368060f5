"""A schedule as table rows and the JSON payload of `som schedule`.

The table and Markdown may be written in another language (`lang`): headings, column names,
the working-hours words and the summary from the catalogs, the date and counts from CLDR; the
local times keep their zone abbreviations (CEST, EAT), which CLDR does not give for every zone.
The JSON and CSV are for programs: their keys and values stay English.
"""

from __future__ import annotations

from collections import Counter

from agenda.model.meeting import Meeting, Segment
from agenda.model.timeplan import UTC, format_day_offset, format_offset
from agenda.plan.schedule import Schedule, SegmentPlan, iso, iso_utc, span_text
from agenda.render.language import Words


def N_(message: str) -> str:
    """Marks a phrase for the catalogs where it is named, translated where it is used."""
    return message


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


def segment_heading(meeting: Meeting, segment: Segment, lang: str = "en") -> str:
    if lang != "en":
        return _heading_in(Words(lang), meeting, segment)
    mark = "CANCELLED: " if segment.status == "cancelled" else ""
    return (f"{mark}{segment.title} — {segment.start:%a %d %b %Y} {span_text(segment.start, segment.end)} "
            f"{meeting.city} ({segment.start.astimezone(UTC):%H:%M}–{segment.end.astimezone(UTC):%H:%M} UTC)")


def _heading_in(words: Words, meeting: Meeting, segment: Segment) -> str:
    """`segment_heading` in another language: CLDR's date and spans, the translated title."""
    title = segment.title_in(words.lang)
    if segment.status == "cancelled":
        title = words.say("CANCELLED: {title}", title=title)
    utc = words.clock_span(segment.start.astimezone(UTC), segment.end.astimezone(UTC))
    return f"{title} — {words.day(segment.start)} {span_text(segment.start, segment.end)} {meeting.city} ({utc} UTC)"


def _hours_counts(plan: SegmentPlan) -> tuple[int, Counter]:
    """Members, and how many are inside, partly, outside working hours: one pass over the rows."""
    counts = Counter(r.span.working_hours for r in plan.rows if r.member is not None)
    return sum(counts.values()), counts


def hours_summary(plan: SegmentPlan, lang: str = "en") -> str:
    if lang != "en":
        return _summary_in(Words(lang), plan)
    total, counts = _hours_counts(plan)
    if plan.segment.status == "cancelled":
        return "cancelled: the segment will not be held"
    if not total:
        return ""
    inside, partly, outside = counts["inside"], counts["partly"], counts["outside"]
    return (f"{inside} of {total} members inside working hours"
            + (f", {partly} partly" if partly else "") + (f", {outside} outside" if outside else ""))


def _summary_in(words: Words, plan: SegmentPlan) -> str:
    total, counts = _hours_counts(plan)
    if plan.segment.status == "cancelled":
        return words.say("cancelled: the segment will not be held")
    if not total:
        return ""
    text = words.say("{inside} of {total} members inside working hours", inside=words.number(counts["inside"]),
                     total=words.number(total))
    if counts["partly"]:
        text += words.say(", {partly} partly", partly=words.number(counts["partly"]))
    if counts["outside"]:
        text += words.say(", {outside} outside", outside=words.number(counts["outside"]))
    return text


# Segment and zone lead so that tables can leave them out (the title names the segment, the
# city the zone) and fit 80 columns; CSV keeps them.
SCHEDULE_COLUMNS = ("Segment", "Zone", "Acronym", "City", "UTC offset", "Local time", "Day", "Working hours")
_COLUMN_WORDS = (N_("Segment"), N_("Zone"), N_("Acronym"), N_("City"), N_("UTC offset"), N_("Local time"), N_("Day"),
                 N_("Working hours"))
# A row's working hours, as the table says them (JSON and CSV keep the English value).
HOURS_WORDS = {"inside": N_("inside"), "partly": N_("partly"), "outside": N_("outside"), "cancelled": N_("cancelled")}


def schedule_columns(lang: str = "en") -> tuple[str, ...]:
    if lang == "en":
        return SCHEDULE_COLUMNS
    words = Words(lang)
    return tuple(words.say(c) for c in _COLUMN_WORDS)


TABLE_SKIPS = 2


def schedule_rows(plan: SegmentPlan, lang: str = "en") -> list[tuple[str, ...]]:
    # A cancelled segment keeps its times (people ask "when was it?") but is judged by nobody's
    # working hours: the column says cancelled, in every format, CSV included.
    cancelled = plan.segment.status == "cancelled"
    texts: dict[int, tuple[str, str, str, str]] = {}  # by span: members share spans (build_schedule)
    rows: list[tuple[str, ...]] = []
    segment = plan.segment.id
    # the working hours as the table says them (in English: as they are)
    said: dict[str, str] = {}
    if lang != "en":
        words = Words(lang)
        said = {k: words.say(v) for k, v in HOURS_WORDS.items()}
    for r in plan.rows:
        span = r.span
        tail = texts.get(id(span))
        if tail is None:
            hours = "cancelled" if cancelled else span.working_hours or ""
            tail = texts[id(span)] = (format_offset(span.start.utcoffset()), span_text(span.start, span.end),
                                      format_day_offset(span.day_offset), said.get(hours, hours))
        rows.append((segment, span.zone.key, r.member.acronym if r.member else "", r.city) + tail)
    return rows
