"""`som check`: what is wrong with a plan, for whom, and what to do about it.

Each check looks at the segments as loaded (instants in the home zone, members with zone,
country, hours and workdays) and returns findings; nothing here prints. A member appears at
most once per segment among `night`, `weekend` and `out-of-hours` (in that order), so that
one problem is not reported three times.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, time, timedelta
from typing import Iterable, Protocol
from zoneinfo import ZoneInfo

from agenda.model.items import planned_minutes
from agenda.model.holidays import KEPT_FREE, days_off, observed_by_calendars, un_holidays
from agenda.model.meeting import Meeting, Member, Segment
from agenda.model.hours import GENEVA, in_geneva_slot, why_outside
from agenda.model.timeplan import UTC, abbreviation, local_days, utc_offset
from agenda.plan.checklist import Phrase

SEVERITIES = ("error", "warning", "info")
CODES = ("holiday", "night", "out-of-hours", "weekend", "dst-divergence", "overlap", "order",
         "overrun", "geneva-slot", "deadline", "cancelled")
# A difference between two zones that holds for at least this share of the year is one of
# their seasons (Geneva–Sydney: 8 h in the northern summer, 10 h in the southern one); any
# other is the few weeks when one has changed its clocks and the other has not.
SEASON_SHARE = 0.25


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    segment: str | None
    date: date | None
    members: tuple[Member, ...]
    message: str
    # the message as a phrase with its values apart, where the meeting page words it in its own
    # language (a day kept free of meetings); `message` is then its English
    phrase: Phrase | None = None


@dataclass(frozen=True)
class CheckResult:
    meeting: Meeting
    findings: tuple[Finding, ...]
    today: date

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


class DeadlineTask(Protocol):
    """What `deadline_findings` needs of a task (`agenda.plan.checklist.ChecklistTask` has it)."""

    title: str
    segment: str | None
    due: date | None
    owner: str | None
    done: bool


# --- helpers -------------------------------------------------------------------------------

def _names(members: Iterable[Member]) -> str:
    names = [m.acronym for m in members]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _span(start: datetime, end: datetime) -> str:
    a, b = abbreviation(start), abbreviation(end)
    day = "" if start.date() == end.date() or end.time() == time(0) else f" (+{(end.date() - start.date()).days})"
    return f"{start:%H:%M}–{end:%H:%M}{day} {a}" if a == b else f"{start:%H:%M} {a}–{end:%H:%M} {b}"


def _hours_text(hours: tuple[time, time]) -> str:
    return f"{hours[0]:%H:%M}–{hours[1]:%H:%M}"


def _active(meeting: Meeting) -> list[Segment]:
    return [s for s in meeting.segments if s.status != "cancelled"]


def _when(segment: Segment) -> str:
    return f"{segment.start:%d %b %Y} {_span(segment.start, segment.end)}"


# --- per-member checks: night, weekend, out-of-hours, holidays -----------------------------

def hours_findings(meeting: Meeting, segment: Segment) -> list[Finding]:
    night: list[tuple[Member, datetime, datetime]] = []
    weekend: list[tuple[Member, datetime, datetime]] = []
    outside: list[tuple[Member, datetime, datetime]] = []
    lists = {"night": night, "weekend": weekend, "hours": outside}
    for member in meeting.members:
        reason = why_outside(member, segment.start, segment.end)
        if reason is not None:
            lists[reason].append((member, segment.start.astimezone(member.zone), segment.end.astimezone(member.zone)))
    findings = []
    if segment.start.weekday() >= 5:
        findings.append(Finding("warning", "weekend", segment.id, segment.date, (),
                                f"{segment.title} is on a {segment.start:%A} in {meeting.city}, the home zone: "
                                f"move it to a weekday"))
    if night:
        findings.append(Finding("error", "night", segment.id, segment.date, tuple(m for m, _, _ in night),
                                f"{segment.title} falls between 00:00 and 06:00 for {len(night)} member"
                                f"{'s' if len(night) > 1 else ''}: {_grouped(night)}; move it "
                                f"(`som suggest` ranks slots by members' hours)"))
    if weekend:
        findings.append(Finding("warning", "weekend", segment.id, segment.date, tuple(m for m, _, _ in weekend),
                                f"{segment.title} is on a non-working day for {len(weekend)} member"
                                f"{'s' if len(weekend) > 1 else ''}: {_grouped(weekend, weekday=True)}"))
    if outside:
        findings.append(Finding("warning", "out-of-hours", segment.id, segment.date, tuple(m for m, _, _ in outside),
                                f"{segment.title} is outside the working hours of {len(outside)} member"
                                f"{'s' if len(outside) > 1 else ''}: {_grouped(outside, hours=True)}"))
    return findings


def _grouped(rows: list[tuple[Member, datetime, datetime]], *, weekday: bool = False, hours: bool = False) -> str:
    """`Tokyo 22:00–00:00 JST (UNU); New York 08:00–09:30 EDT (UNDP, UNICEF)`, earliest zone first."""
    groups: dict[tuple, list[Member]] = {}
    for member, ls, le in rows:
        key = (ls.utcoffset(), member.city, _span(ls, le), ls.strftime("%A") if weekday else "",
               _hours_text(member.hours) if hours else "")
        groups.setdefault(key, []).append(member)
    parts = []
    for (_, city, span, day, hours_text), members in sorted(groups.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
        where = f"{city} {day + ' ' if day else ''}{span}"
        extra = f", hours {hours_text}" if hours_text else ""
        parts.append(f"{where} ({_names(members)}{extra})")
    return "; ".join(parts)


# The meeting page says these in its language: the catalogs hold them (render/page.py names them).
KEPT_FREE_ON = "{day} is {holiday}, " + KEPT_FREE + " — source: {source}"
MAYBE_KEPT_FREE_ON = ("{day} may be {holiday}: it is the day after the expected date, and " + KEPT_FREE
                      + " if the UN observes it then — source: {source}")


def holiday_findings(meeting: Meeting, segment: Segment) -> list[Finding]:
    """Members whose local day is a holiday: an official holiday of their duty station's
    calendar (naming it and its source, "projected" when no list was published), a floating
    holiday there (info: some staff may be away), or a public holiday of their country. Then,
    for the meeting as a whole (no members), a day the General Assembly asks to keep free of
    meetings; the possible day after an Eid only when no member's duty-station calendar settles
    which day it is. Each source follows a dash: sources hold parentheses of their own."""
    findings = []
    years = tuple(sorted({segment.start.year - 1, segment.start.year, segment.start.year + 1}))
    by_holiday: dict[tuple, list[Member]] = {}
    unknown: dict[str, list[Member]] = {}
    for member in meeting.members:
        calendar = days_off(member, years)
        if calendar is None:
            unknown.setdefault(member.country, []).append(member)
            continue
        ls, le = segment.start.astimezone(member.zone), segment.end.astimezone(member.zone)
        for day in local_days(ls, le):
            if day in calendar:
                by_holiday.setdefault((day, calendar[day]), []).append(member)
    for (day, off), members in sorted(by_holiday.items(), key=lambda kv: (kv[0][0], kv[0][1].where, kv[0][1].name)):
        verb = "is" if len(members) == 1 else "are"
        if off.floating:
            findings.append(Finding(
                "info", "holiday", segment.id, segment.date, tuple(members),
                f"{day:%a %d %b %Y} is {off.name}, a floating holiday at {off.where}: staff of "
                f"{_names(members)} who chose it as theirs will be away from {segment.title} — source: {off.source}"))
        elif off.official:
            findings.append(Finding(
                "warning", "holiday", segment.id, segment.date, tuple(members),
                f"{day:%a %d %b %Y} is {off.name}, an official holiday at {off.where}, where "
                f"{_names(members)} {verb} headquartered: expect them to be absent, or move {segment.title}"
                f" — source: {off.source}"))
        else:
            findings.append(Finding(
                "warning", "holiday", segment.id, segment.date, tuple(members),
                f"{day:%a %d %b %Y} is {off.name}, a public holiday in {off.where}, where {_names(members)} "
                f"{verb} headquartered: expect them to be absent, or move {segment.title}"))
    for country, members in sorted(unknown.items()):
        findings.append(Finding("info", "holiday", segment.id, segment.date, tuple(members),
                                f"the `holidays` package has no calendar for {country}: public holidays of "
                                f"{_names(members)} were not checked"))
    return findings + kept_free_findings(meeting, segment)


def kept_free_findings(meeting: Meeting, segment: Segment) -> list[Finding]:
    """The meeting's own holiday findings (no members): the segment's home day is one the
    General Assembly asks to keep free of meetings (resolution 69/250), or may be."""
    findings = []
    home_day = segment.start.date()
    for holiday in un_holidays(tuple(sorted({home_day.year}))).get(home_day, ()):
        if not holiday.certain and _settled(meeting, holiday):
            continue  # a member's duty station lists this Eid on the day or the day before: no guessing
        phrase = Phrase(KEPT_FREE_ON if holiday.certain else MAYBE_KEPT_FREE_ON,
                        (("day", f"{home_day:%a %d %b %Y}"), ("holiday", holiday.name), ("source", holiday.source)))
        findings.append(Finding("warning", "holiday", segment.id, segment.date, (), phrase.english, phrase))
    return findings


def _settled(meeting: Meeting, holiday) -> bool:
    """Whether a duty-station calendar of a member lists `holiday` (the possible day after an
    Eid) on that day or on the expected day before it: that calendar says which day it is."""
    calendars = {id(c): c for c in (getattr(m, "calendar", None) for m in meeting.members) if c is not None}
    return observed_by_calendars(calendars.values(), holiday) is not None


# --- zones whose difference is unusual ----------------------------------------------------

def _year_offsets(zone: ZoneInfo, year: int) -> tuple[int, ...]:
    """The zone's UTC offset in minutes at 12:00 UTC on every day of the year."""
    return _year_offsets_by_name(zone.key, year)


@lru_cache(maxsize=512)
def _year_offsets_by_name(key: str, year: int) -> tuple[int, ...]:
    zone = ZoneInfo(key)
    day = datetime(year, 1, 1, 12, tzinfo=UTC)
    days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    return tuple(int(utc_offset((day + timedelta(days=i)).astimezone(zone)).total_seconds() // 60)
                 for i in range(days))


def usual_differences(a: ZoneInfo, b: ZoneInfo, year: int) -> tuple[int, ...]:
    """Differences (minutes, offset of a minus offset of b) that are usual between two zones:
    the most common one over the year and any other that holds for a season."""
    counts = Counter(x - y for x, y in zip(_year_offsets(a, year), _year_offsets(b, year)))
    days = sum(counts.values())
    common = counts.most_common(1)[0][0]
    return tuple(sorted({common} | {d for d, n in counts.items() if n >= SEASON_SHARE * days}))


def _hours(minutes: int) -> str:
    minutes = abs(minutes)
    return f"{minutes // 60} h" + (f" {minutes % 60} min" if minutes % 60 else "")


def _relation(minutes: int) -> str:
    if minutes == 0:
        return "the same time"
    return f"{_hours(minutes)} {'ahead' if minutes > 0 else 'behind'}"


def dst_findings(meeting: Meeting, segment: Segment) -> list[Finding]:
    """Zones whose difference on the segment's day is not one of their usual ones.

    One finding per zone whose clocks are out of step (the one in the most such pairs: Santiago
    against Europe, New York, Beirut and London), naming each zone it is out of step with, the
    actual and the usual differences, and only the members in that zone.
    """
    instant = segment.start
    year = instant.astimezone(UTC).year
    # Zones that keep the same time all year (Rome, Paris, Vienna...) are one group.
    groups: dict[tuple, list[ZoneInfo]] = {}
    zones = sorted({m.zone.key for m in meeting.members} | {meeting.zone.key}, key=lambda k: (k != meeting.zone.key, k))
    for zone in zones:
        z = ZoneInfo(zone)
        key = (_year_offsets(z, year), instant.astimezone(z).utcoffset())
        groups.setdefault(key, []).append(z)
    home_first = sorted(groups.values(), key=lambda zs: (zs[0].key != meeting.zone.key, zs[0].key))
    index = {id(g): n for n, g in enumerate(home_first)}
    pairs: dict[tuple[int, int], tuple[int, ...]] = {}  # (i, j) -> usual differences of j minus i
    for i, one in enumerate(home_first):
        for j in range(i + 1, len(home_first)):
            usual = usual_differences(home_first[j][0], one[0], year)
            if _difference(instant, home_first[j][0], one[0]) not in usual:
                pairs[(i, j)] = usual
    members_of = {n: tuple(m for m in meeting.members if m.zone.key in {z.key for z in g})
                  for n, g in enumerate(home_first)}
    findings = []
    while pairs:
        count = Counter(n for pair in pairs for n in pair)
        # The zone out of step with the most others; on a tie, not the home zone, then fewer members.
        odd = min(count, key=lambda n: (-count[n], n == 0, len(members_of[n]), n))
        parts, wrong = [], []
        others = sorted((j if i == odd else i, usual, 1 if i == odd else -1)
                        for (i, j), usual in pairs.items() if odd in (i, j))
        for other, usual, sign in others:  # usual is j minus i: turned to "other minus odd"
            actual = _difference(instant, home_first[other][0], home_first[odd][0])
            usual_here = sorted((sign * u for u in usual), key=abs)
            wrong.append(min(abs(actual - u) for u in usual_here))
            parts.append(f"{_zone_names(home_first[other])} {_relation(actual)} "
                         f"(usually {' or '.join(_relation(u) for u in usual_here)})")
        pairs = {k: v for k, v in pairs.items() if odd not in k}
        members = members_of[odd]
        who = f" ({_members_cell(members)})" if members else ""
        off = _hours(max(wrong))
        findings.append(Finding(
            "warning", "dst-divergence", segment.id, segment.date, members,
            f"on {instant:%d %b %Y} {_zone_names(home_first[odd])}{who} is {off} out of step with "
            f"{_plural(len(parts), 'zone')} (one has changed its clocks, the other not yet): "
            f"{'; '.join(parts)}. Anyone converting by the usual difference is {off} wrong, so give local "
            f"times (`som schedule`) in the invitation"))
    return findings


def _difference(instant: datetime, a: ZoneInfo, b: ZoneInfo) -> int:
    return int((utc_offset(instant.astimezone(a)) - utc_offset(instant.astimezone(b))).total_seconds() // 60)


def _zone_names(zones: list[ZoneInfo]) -> str:
    names = [z.key for z in zones]
    return names[0] if len(names) == 1 else f"{names[0]} (with {', '.join(names[1:])})"


# --- the plan as a whole: overlap, order, overrun, Geneva slots ----------------------------

def overlap_findings(meeting: Meeting) -> list[Finding]:
    findings = []
    # In UTC: datetimes sharing a tzinfo compare and subtract on the wall clock
    spans = {s.id: (s.start.astimezone(UTC), s.end.astimezone(UTC)) for s in _active(meeting)}
    segments = sorted(_active(meeting), key=lambda s: spans[s.id][0])
    for i, a in enumerate(segments):
        for b in segments[i + 1:]:
            (a_start, a_end), (b_start, b_end) = spans[a.id], spans[b.id]
            if b_start < a_end and a_start < b_end:
                minutes = int((min(a_end, b_end) - max(a_start, b_start)).total_seconds() // 60)
                findings.append(Finding("error", "overlap", b.id, b.date, (),
                                        f"{b.title} ({_when(b)}) overlaps {a.title} ({_when(a)}) by "
                                        f"{minutes} min: move one of them"))
    return findings


def _kind(segment: Segment) -> str | None:
    words = f"{segment.id} {segment.title}".lower()
    if "senior" in words:
        return "senior"
    if "technical" in words:
        return "technical"
    return None


def order_findings(meeting: Meeting) -> list[Finding]:
    findings = []
    segments = _active(meeting)
    for senior in (s for s in segments if _kind(s) == "senior"):
        later = [t for t in segments if _kind(t) == "technical" and t.start >= senior.start]
        for technical in later:
            findings.append(Finding("error", "order", senior.id, senior.date, (),
                                    f"{senior.title} ({senior.start:%d %b %Y}) comes before {technical.title} "
                                    f"({technical.start:%d %b %Y}), which prepares it: hold the technical "
                                    f"segment first"))
    return findings


def overrun_findings(meeting: Meeting, segment: Segment) -> list[Finding]:
    planned = planned_minutes(segment.items)
    if planned.minutes <= segment.minutes:
        return []
    least = "" if planned.complete else "at least "
    unknown = "" if planned.complete else " (some items have no minutes)"
    return [Finding("error", "overrun", segment.id, segment.date, (),
                    f"the agenda items of {segment.title} add up to {least}{planned.minutes} min{unknown}, "
                    f"{planned.minutes - segment.minutes} min more than its {segment.minutes}-min slot "
                    f"({_span(segment.start, segment.end)}): shorten items or lengthen the segment")]


def geneva_slot_findings(meeting: Meeting, segment: Segment) -> list[Finding]:
    if in_geneva_slot(segment.start, segment.end):
        return []
    ls, le = segment.start.astimezone(GENEVA), segment.end.astimezone(GENEVA)
    return [Finding("info", "geneva-slot", segment.id, segment.date, (),
                    f"{segment.title} runs {_span(ls, le)} Geneva time, outside UN Geneva's meeting slots "
                    f"(10:00–13:00 and 15:00–18:00), around which rooms and interpretation are planned")]


# --- deadlines: the checklist's tasks ------------------------------------------------------

def checklist_tasks(meeting: Meeting, today: date) -> list:
    """The preparation checklist (template counted back from each segment, with the meeting
    file's [[task]] overrides, moved off weekends and Geneva holidays): `agenda.plan.checklist`."""
    from agenda.plan.checklist import build_checklist

    return list(build_checklist(meeting, today).tasks)


def deadline_findings(tasks: Iterable[DeadlineTask], today: date,
                      segment_dates: dict[str, date] | None = None) -> list[Finding]:
    """Overdue tasks (`agenda.plan.checklist.task_status`, the rule the checklist shows).

    An error while its segment is still ahead. Once the segment has taken place, its
    preparation is past and left out, and follow-ups (summary, report) still open are warnings.
    """
    from agenda.plan.checklist import task_status

    segment_dates = segment_dates or {}
    findings = []
    for task in tasks:
        held = segment_dates.get(task.segment) if task.segment else None
        if task.due is None or task_status(task.due, task.done, today, held) != "overdue":
            continue
        days = (today - task.due).days
        owner = f" ({task.owner})" if task.owner else ""
        severity = "warning" if held is not None and held < today else "error"
        findings.append(Finding(severity, "deadline", task.segment, task.due, (),
                                f"“{task.title}”{owner} was due on {task.due:%a %d %b %Y}, {days} day"
                                f"{'s' if days != 1 else ''} before {today:%d %b %Y}, and is not done: do it, "
                                f"or mark it done in the meeting file ([[task]] with done = true)"))
    return findings


# --- all together ---------------------------------------------------------------------------

def check_meeting(meeting: Meeting, *, today: date, tasks: Iterable[DeadlineTask] | None = None) -> CheckResult:
    findings: list[Finding] = []
    for segment in _active(meeting):
        findings += holiday_findings(meeting, segment)
        findings += hours_findings(meeting, segment)
        findings += dst_findings(meeting, segment)
        findings += overrun_findings(meeting, segment)
        findings += geneva_slot_findings(meeting, segment)
    for segment in meeting.segments:
        if segment.status == "cancelled":  # said once, so that silence is not read as "all fine"
            findings.append(Finding("info", "cancelled", segment.id, segment.date, (),
                                    f"{segment.title} ({_when(segment)}) is cancelled: its hours, holidays, "
                                    f"agenda and tasks are not checked"))
    findings += overlap_findings(meeting)
    findings += order_findings(meeting)
    dates = {s.id: s.date for s in _active(meeting)}
    findings += deadline_findings(checklist_tasks(meeting, today) if tasks is None else tasks, today, dates)
    # keyed by segment id; a finding about the whole meeting has none and sorts last
    order: dict[str | None, int] = {s.id: i for i, s in enumerate(sorted(meeting.segments, key=lambda s: s.start))}
    findings.sort(key=lambda f: (order.get(f.segment, len(order)), SEVERITIES.index(f.severity),
                                 CODES.index(f.code)))
    return CheckResult(meeting, tuple(findings), today)


# --- views ----------------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _members_cell(members: tuple[Member, ...], limit: int = 6) -> str:
    names = [m.acronym for m in members]
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" +{len(names) - limit} more"
    return ", ".join(names)
