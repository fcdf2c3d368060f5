"""When a meeting time is good for someone: night hours, UN Geneva's meeting slots and whether a
member is inside working hours. `fit` is the one working-hours rule: `som schedule` (inside,
partly, outside), `som check` (night, weekend, out-of-hours) and `som suggest` (the ranking)
all judge by it.

Times are minutes after the local midnight of the start; an end after midnight passes 1440.
A member's hours open and close on one day (the loader refuses hours past midnight).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from agenda.model.meeting import Member

GENEVA = ZoneInfo("Europe/Zurich")
# UN Geneva plans rooms and interpretation around these two slots (Geneva time).
GENEVA_SLOTS = ((time(10, 0), time(13, 0)), (time(15, 0), time(18, 0)))
NIGHT_END = time(6, 0)  # 00:00 up to this time is night
DAY_MINUTES = 24 * 60


def minute_of(t: time) -> int:
    return t.hour * 60 + t.minute


GENEVA_SLOT_MINUTES = tuple((minute_of(a), minute_of(b)) for a, b in GENEVA_SLOTS)
NIGHT_END_MINUTE = minute_of(NIGHT_END)


def close_minute(hours: tuple[time, time]) -> int:
    """The close of working hours; a close at 00:00 is the end of the day."""
    return DAY_MINUTES if hours[1] == time(0) else minute_of(hours[1])


def local_minutes(local_start: datetime, local_end: datetime) -> tuple[int, int]:
    """Start and end of a local span as minutes after the start's local midnight (wall clock).

    When the clocks go back during the span, the wall clock runs over the stretch before the
    change twice (01:30 EDT to 01:30 EST is an hour): the span then covers from the earlier of
    its start and that stretch to the later of its end and the change.
    """
    start = minute_of(local_start.time())
    elapsed = local_end.replace(tzinfo=None) - local_start.replace(tzinfo=None)
    end = start + int(elapsed.total_seconds() // 60)
    before, after = local_start.utcoffset(), local_end.utcoffset()
    if before is not None and after is not None and after < before:
        change = start + _minutes_to_change(local_start, local_end)  # wall time, old offset
        start, end = min(start, change - int((before - after).total_seconds() // 60)), max(end, change)
    return start, end


def _minutes_to_change(local_start: datetime, local_end: datetime) -> int:
    """Minutes from the start to the first instant at the end's UTC offset (the zone's change)."""
    zone, offset = local_start.tzinfo, local_start.utcoffset()
    lo, hi = int(local_start.timestamp()), int(local_end.timestamp())
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zone).utcoffset() == offset:
            lo = mid
        else:
            hi = mid
    return (hi - int(local_start.timestamp())) // 60


def in_geneva_slot_minutes(start_minute: int, end_minute: int) -> bool:
    return any(a <= start_minute and end_minute <= b for a, b in GENEVA_SLOT_MINUTES)


def in_geneva_slot(start: datetime, end: datetime) -> bool:
    """The whole span inside one of UN Geneva's meeting slots, in Geneva time."""
    return in_geneva_slot_minutes(*local_minutes(start.astimezone(GENEVA), end.astimezone(GENEVA)))


# --- the working-hours rule ----------------------------------------------------------------

WORKDAY, WEEKEND, HOLIDAY = "workday", "weekend", "holiday"


@dataclass(frozen=True)
class Fit:
    """How a span fits a member's working hours."""

    status: str  # inside: all of it in working time; partly: some of it; outside: none
    reason: str | None  # None when inside, else the first of "night", "weekend", "holiday", "hours"
    reach: int  # minutes it reaches before its first day's opening or after the close (0: within)


def _overlap(start: int, end: int, a: int, b: int) -> int:
    return max(0, min(end, b) - max(start, a))


@lru_cache(maxsize=1 << 16)
def fit(start_minute: int, end_minute: int, open_minute: int, close_minute: int,
        days: tuple[str, ...]) -> Fit:
    """The rule. The span runs from `start_minute` to `end_minute` (see `local_minutes`); `days`
    says what each local day it touches is for the member (WORKDAY, WEEKEND or HOLIDAY), the
    start's day first; the hours run from `open_minute` to `close_minute` of each day.

    Working time is the hours of each workday. Night is 00:00-06:00 of every day outside the
    member's hours: declared hours win over the generic night, so a member who works
    00:00-08:00 is not at night at 01:00 (and on a day off that hour is their day, not their
    night: a weekend). The reason names the start's day for weekend and holiday.
    """
    covered, night = 0, False
    for n, kind in enumerate(days):
        midnight = n * DAY_MINUTES
        if kind == WORKDAY:
            covered += _overlap(start_minute, end_minute, midnight + open_minute, midnight + close_minute)
        # 00:00-06:00 less the hours: before the opening, and after a close before 06:00
        dark = ((midnight, midnight + min(NIGHT_END_MINUTE, open_minute)),
                (midnight + close_minute, midnight + NIGHT_END_MINUTE))
        night = night or any(_overlap(start_minute, end_minute, a, b) for a, b in dark)
    if covered >= end_minute - start_minute:
        status = "inside"
    else:
        status = "partly" if covered else "outside"
    if night:
        reason: str | None = "night"
    elif days[0] != WORKDAY:
        reason = days[0]
    else:
        reason = None if status == "inside" else "hours"
    return Fit(status, reason, max(0, open_minute - start_minute, end_minute - close_minute))


def day_kind(day: date, workdays: frozenset[int], holidays: dict[date, str] | None = None) -> str:
    if day.weekday() not in workdays:
        return WEEKEND
    return HOLIDAY if holidays and day in holidays else WORKDAY


def local_fit(local_start: datetime, local_end: datetime, hours: tuple[time, time], workdays: frozenset[int],
              holidays: dict[date, str] | None = None) -> Fit:
    """`fit` for a span in the member's local time (holidays: their public holidays, if known)."""
    start_minute, end_minute = local_minutes(local_start, local_end)
    first = local_start.date()
    days = tuple(day_kind(first + timedelta(days=n), workdays, holidays)
                 for n in range(max(0, end_minute - 1) // DAY_MINUTES + 1))
    return fit(start_minute, end_minute, minute_of(hours[0]), close_minute(hours), days)


def working_hours_status(local_start: datetime, local_end: datetime, hours: tuple[time, time],
                         workdays: frozenset[int]) -> str:
    """inside: all of the span is in working time; partly: some of it; outside: none (`som schedule`)."""
    return local_fit(local_start, local_end, hours, workdays).status


def why_outside(member: Member, start: datetime, end: datetime,
                holidays: dict[date, str] | None = None) -> str | None:
    """None when the member is inside working hours for the span, else the first reason of
    "night", "weekend", "holiday" (only when `holidays` is given) and "hours"."""
    return local_fit(start.astimezone(member.zone), end.astimezone(member.zone), member.hours, member.workdays,
                     holidays).reason
