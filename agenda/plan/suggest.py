"""`som suggest`: candidate start times for a new segment, best first.

Ranking (lexicographic; `score` encodes it as one number, higher is better):

1. fewest members at night (any part of the segment between 00:00 and 06:00 local, outside
   the member's own working hours);
2. most members inside working hours (a workday that is not a holiday for them — an official
   holiday of their duty station's calendar, or their country's public holiday — and
   the whole segment within their hours);
3. the smallest "worst local hour": the furthest any member's local time reaches before their
   day opens or after it closes, in minutes (0 when everyone is inside);
4. inside one of UN Geneva's meeting slots (10:00–13:00 or 15:00–18:00 Geneva time);
5. the earlier start.

Days that are a weekend in the home zone or a day the General Assembly asks to keep free of
meetings (resolution 69/250; including the possible day after an Eid) are not proposed, and the
suggestion names each of them (`left_out`). Start times are wall-clock multiples of the step in the
home zone; a start that does not exist or happens twice there (clock changes) is skipped.
Night, inside and the worst local hour are `agenda.model.hours.fit`, the rule `som check` and
`som schedule` use too.

Speed: members are grouped into profiles (zone, hours, workdays, country, subdivision), UTC
offsets are computed once per zone and day (not per member and candidate), holidays once per
(country, subdivision, duty-station calendar); the inner loop looks `fit` up by local minutes (it
keeps its answers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agenda.model.holidays import KEPT_FREE, closing_days, observed_by_calendars, un_holidays
from agenda.model.errors import BadValue, ConflictingChoices, SomError, UnknownName, did_you_mean
from agenda.model.meeting import Meeting, Member
from agenda.model.hours import (DAY_MINUTES, GENEVA, HOLIDAY, WEEKEND, WORKDAY, close_minute, fit,
                                in_geneva_slot_minutes, local_minutes, minute_of, why_outside)
from agenda.model.timeplan import PLANNED_YEARS, UTC, parse_date, utc_offset

DAY = 86400
MAX_CANDIDATES = 200_000
MAX_DAYS = 366


@dataclass(frozen=True)
class Request:
    first: date  # home-zone dates, both included
    last: date
    duration: timedelta
    step: timedelta
    top: int = 10


@dataclass(frozen=True)
class Outside:
    member: Member
    start: datetime  # local
    end: datetime
    reason: str  # "hours", "night", "weekend", "holiday"
    holiday: str | None = None


@dataclass(frozen=True)
class Slot:
    rank: int
    start: datetime  # home zone
    end: datetime
    inside: int
    total: int
    night: int
    worst_minutes: int
    geneva_slot: bool
    score: int
    outside: tuple[Outside, ...]

    @property
    def holidays(self) -> list[Outside]:
        return [o for o in self.outside if o.reason == "holiday"]


@dataclass(frozen=True)
class LeftOut:
    """A day with no candidate start, and why."""

    date: date  # home zone
    reason: str  # "weekend", "kept free of meetings" or "possibly kept free of meetings"
    holiday: str | None = None  # for a day kept free of meetings: which (Eid al-Adha...)


@dataclass(frozen=True)
class Suggestion:
    meeting: Meeting
    request: Request
    members: tuple[Member, ...]
    candidates: int
    slots: tuple[Slot, ...]
    left_out: tuple[LeftOut, ...] = ()


# --- reading the request ----------------------------------------------------------------

def parse_between(text: str) -> tuple[date, date]:
    """`2024-09-02..2024-09-27` (both days included)."""
    raw = (text or "").strip()
    parts = raw.split("..")
    if len(parts) != 2:
        raise BadValue("between", text, "is not a range of dates",
                       hint="write it like 2024-09-02..2024-09-27 (first and last day, both included)")
    days = []
    for part in parts:
        try:
            days.append(parse_date(part, iso_only=True))
        except SomError:
            raise BadValue("between", text, "is not a date", part=part.strip(),
                           hint="write the dates as YYYY-MM-DD, e.g. 2024-09-02..2024-09-27") from None
    first, last = days
    if last < first:
        raise BadValue("between", text, f"is reversed: {last} is before {first}",
                       hint=f"write {last}..{first}")
    if (last - first).days >= MAX_DAYS:
        raise BadValue("between", text, "spans more than a year", hint="ask for a year or less at a time")
    return first, last


def select_members(meeting: Meeting, wanted: tuple[str, ...]) -> tuple[Member, ...]:
    """Members named by id or acronym (repeatable, or comma-separated); all when none are named."""
    names = [w.strip() for item in wanted for w in item.split(",") if w.strip()]
    if not names:
        return meeting.members
    chosen: list[Member] = []
    for name in names:
        found = meeting.directory.find(name)
        if found is None:
            choices = [m.acronym for m in meeting.members] + [m.id for m in meeting.members]
            raise UnknownName("members", name, kind="member", among=f"the directory {meeting.directory.name}",
                              hint=did_you_mean(name, choices) or "see `som members` for ids and acronyms")
        if found not in chosen:
            chosen.append(found)
    return tuple(chosen)


# --- candidates ---------------------------------------------------------------------------

def left_out_days(request: Request, members: tuple[Member, ...]) -> tuple[LeftOut, ...]:
    """The days `candidate_starts` skips, in order: weekends in the home zone, then the days kept
    free of meetings. The possible day after an Eid is "possibly" kept free unless a member's
    duty-station calendar lists the Eid on it (`observed_by_calendars`); it is left out either way."""
    years = tuple(range(request.first.year, request.last.year + 1))
    avoid = un_holidays(years)
    calendars = {id(c): c for c in (getattr(m, "calendar", None) for m in members) if c is not None}
    out = []
    for n in range((request.last - request.first).days + 1):
        day = request.first + timedelta(days=n)
        if day.weekday() >= 5:
            out.append(LeftOut(day, "weekend"))
        elif day in avoid:
            names = " and ".join(dict.fromkeys(h.name for h in avoid[day]))
            certain = any(h.certain or observed_by_calendars(calendars.values(), h) for h in avoid[day])
            out.append(LeftOut(day, "kept free of meetings" if certain else "possibly kept free of meetings", names))
    return tuple(out)


def candidate_starts(zone: ZoneInfo, request: Request) -> list[int]:
    """UTC epoch seconds of every proposed start, in order."""
    step = int(request.step.total_seconds())
    if step <= 0 or step % 60:
        raise SomError("the step must be a whole number of minutes above zero", hint="write it like 15m or 30m")
    years = tuple(range(request.first.year, request.last.year + 1))
    avoid = set(un_holidays(years))
    days = (request.last - request.first).days + 1
    if days * (DAY // step + 1) > MAX_CANDIDATES:
        raise ConflictingChoices(f"{days} days at a {step // 60}-minute step is too many start times to rank",
                                 choices=("step", "between"), hint="use a longer step or fewer days")
    starts: list[int] = []
    for n in range(days):
        day = request.first + timedelta(days=n)
        if day.weekday() >= 5 or day in avoid:
            continue
        midnight = datetime.combine(day, time(0))
        for offset in range(0, DAY, step):
            wall = midnight + timedelta(seconds=offset)
            first = wall.replace(tzinfo=zone)
            second = wall.replace(tzinfo=zone, fold=1)
            if first.utcoffset() != second.utcoffset():
                continue  # happens twice: never propose an ambiguous time
            instant = first.astimezone(UTC)
            if instant.astimezone(zone).replace(tzinfo=None) != wall:
                continue  # does not exist (the clocks skip it)
            starts.append(int(instant.timestamp()))
    return starts


def zone_offsets(zone: ZoneInfo, instants: list[int]) -> list[int]:
    """UTC offset in seconds at each instant (sorted). Zones change offset at most once a day,
    so a run of instants within a day whose ends agree all share that offset."""
    out: list[int] = [0] * len(instants)
    i, n = 0, len(instants)
    while i < n:
        j = i
        limit = instants[i] + DAY // 2
        while j + 1 < n and instants[j + 1] <= limit:
            j += 1
        a = int(utc_offset(datetime.fromtimestamp(instants[i], zone)).total_seconds())
        b = int(utc_offset(datetime.fromtimestamp(instants[j], zone)).total_seconds())
        if a == b:
            out[i:j + 1] = [a] * (j - i + 1)
        else:
            for k in range(i, j + 1):
                out[k] = int(utc_offset(datetime.fromtimestamp(instants[k], zone)).total_seconds())
        i = j + 1
    return out


# --- ranking ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Profile:
    zone: ZoneInfo
    open: int  # minutes after local midnight
    close: int
    workdays: frozenset[int]
    holidays: frozenset[int]  # local days as days since 1970-01-01
    members: tuple[Member, ...]


def _profiles(members: tuple[Member, ...], years: tuple[int, ...]) -> list[_Profile]:
    groups: dict[tuple, list[Member]] = {}
    for m in members:
        groups.setdefault((m.zone.key, m.hours, m.workdays, m.country, m.subdivision, m.calendar), []).append(m)
    epoch = date(1970, 1, 1)
    profiles = []
    for (key, hours, workdays, *_), group in groups.items():
        calendar = closing_days(group[0], years)
        profiles.append(_Profile(ZoneInfo(key), minute_of(hours[0]), close_minute(hours), workdays,
                                 frozenset((d - epoch).days for d in calendar), tuple(group)))
    return profiles


def score_of(inside: int, night: int, worst: int, geneva: bool, total: int) -> int:
    """The ranking as one number: each member at night outweighs all members inside, each
    member inside outweighs any worst hour, each minute of it outweighs the Geneva slot."""
    return 6000 * (inside - (total + 1) * night) - 2 * worst + (1 if geneva else 0)


def rank(meeting: Meeting, members: tuple[Member, ...], request: Request) -> Suggestion:
    if request.duration <= timedelta(0):
        raise BadValue("duration", request.duration, "is zero", hint="give a length above zero", example="2h")
    if request.top < 1:
        raise BadValue("top", request.top, "must be at least 1")
    if not PLANNED_YEARS[0] <= request.first.year <= request.last.year <= PLANNED_YEARS[1]:
        # past these, the zone rules and date arithmetic (a day before 1 January of year 1) run out
        raise BadValue("between", f"{request.first}..{request.last}",
                       f"is outside the years som plans, {PLANNED_YEARS[0]} to {PLANNED_YEARS[1]}",
                       hint="check the years")
    starts = candidate_starts(meeting.zone, request)
    if not starts:
        raise ConflictingChoices(f"no start time to propose between {request.first} and {request.last}: every day "
                                 f"is a weekend in {meeting.city} or {KEPT_FREE}", choices=("between",),
                                 hint="widen the range of days")
    duration = int(request.duration.total_seconds())
    ends = [s + duration for s in starts]
    years = tuple(range(request.first.year - 1, request.last.year + 2))
    n = len(starts)
    inside = [0] * n
    night = [0] * n
    worst = [0] * n
    local_views: dict[str, tuple[list[int], list[int], list[int]]] = {}
    for profile in _profiles(members, years):
        key = profile.zone.key
        if key not in local_views:
            local_views[key] = _local_view(profile.zone, starts, ends)
        days, start_mins, end_mins = local_views[key]
        size = len(profile.members)
        open_, close, workdays, holidays = profile.open, profile.close, profile.workdays, profile.holidays
        kinds: dict[int, str] = {}  # local day -> WORKDAY, WEEKEND or HOLIDAY
        for day in range(min(days), max(days) + 3):
            kinds[day] = WEEKEND if (day + 3) % 7 not in workdays else HOLIDAY if day in holidays else WORKDAY
        for i in range(n):
            start_min, end_min, day = start_mins[i], end_mins[i], days[i]
            touched = (kinds[day],) if end_min <= DAY_MINUTES else \
                tuple(kinds[day + k] for k in range((end_min - 1) // DAY_MINUTES + 1))
            judged = fit(start_min, end_min, open_, close, touched)
            if judged.reach > worst[i]:
                worst[i] = judged.reach
            if judged.reason == "night":
                night[i] += size
            elif judged.status == "inside":
                inside[i] += size
    gva_start, gva_end = zone_offsets(GENEVA, starts), zone_offsets(GENEVA, ends)
    total = len(members)
    keyed = []
    for i in range(n):
        geneva = _in_geneva_slot(starts[i] + gva_start[i], ends[i] + gva_end[i])
        keyed.append((score_of(inside[i], night[i], worst[i], geneva, total), -starts[i], i, geneva))
    keyed.sort(reverse=True)
    slots = []
    of_kind = _kinds(members)
    for rank_no, (score, _, i, geneva) in enumerate(keyed[: request.top], 1):
        start = datetime.fromtimestamp(starts[i], meeting.zone)
        end = datetime.fromtimestamp(ends[i], meeting.zone)
        slots.append(Slot(rank_no, start, end, inside[i], total, night[i], worst[i], geneva, score,
                          tuple(_outside(members, of_kind, start, end, years))))
    return Suggestion(meeting, request, members, n, tuple(slots), left_out_days(request, members))


def _local_view(zone: ZoneInfo, starts: list[int], ends: list[int]):
    """For one zone, per candidate: local day (days since 1970-01-01), start and end in minutes
    after that day's midnight (the end may pass 1440). Computed once per zone, shared by every
    member in it."""
    start_off, end_off = zone_offsets(zone, starts), zone_offsets(zone, ends)
    local_starts = [s + o for s, o in zip(starts, start_off)]
    days = [t // DAY for t in local_starts]
    start_mins = [(t - d * DAY) // 60 for t, d in zip(local_starts, days)]
    end_mins = [(e + o - d * DAY) // 60 for e, o, d in zip(ends, end_off, days)]
    for i in range(len(starts)):
        if end_off[i] < start_off[i]:  # the clocks go back during it (rare): as local_minutes says
            start_mins[i], end_mins[i] = local_minutes(datetime.fromtimestamp(starts[i], zone),
                                                       datetime.fromtimestamp(ends[i], zone))
    return days, start_mins, end_mins


def _in_geneva_slot(local_start: int, local_end: int) -> bool:
    """slots.in_geneva_slot for Geneva wall-clock epoch seconds."""
    day = local_start // DAY
    return in_geneva_slot_minutes((local_start - day * DAY) // 60, (local_end - day * DAY) // 60)


def _kinds(members: tuple[Member, ...]) -> tuple[list[Member], list[int]]:
    """Members who share a zone, hours, workdays and holiday calendar (by the thousand) are of
    one kind: the first member of each kind, and each member's kind, found once for all slots."""
    index: dict[tuple, int] = {}
    first: list[Member] = []
    of = []
    for m in members:
        key = (m.zone.key, m.hours, m.workdays, m.country, m.subdivision, m.calendar)
        kind = index.get(key)
        if kind is None:
            kind = index[key] = len(first)
            first.append(m)
        of.append(kind)
    return first, of


def _outside(members: tuple[Member, ...], kinds: tuple[list[Member], list[int]], start: datetime, end: datetime,
             years) -> list[Outside]:
    """Who is not inside working hours for one slot, and why (for the top slots only), in the
    members' order. Judged once per kind of member (`_kinds`)."""
    first, of = kinds
    judged: list[tuple[datetime, datetime, str, str | None] | None] = []
    for m in first:
        calendar = closing_days(m, years)
        reason = why_outside(m, start, end, {d: off.name for d, off in calendar.items()})
        ls = start.astimezone(m.zone)
        judged.append(None if reason is None else
                      (ls, end.astimezone(m.zone), reason, calendar[ls.date()].label if reason == "holiday" else None))
    return [Outside(m, *verdict) for m, kind in zip(members, of) if (verdict := judged[kind]) is not None]


# --- views --------------------------------------------------------------------------------


