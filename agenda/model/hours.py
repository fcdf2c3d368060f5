"""When a meeting time is good for someone: night hours, UN Geneva's meeting slots and whether a
member is inside working hours. `som check` and `som suggest` both judge by these rules.

Times are minutes after the local midnight of the start; an end after midnight passes 1440.
`suggest.rank` applies the same rules to many candidates at once in plain integer arithmetic,
with the constants below.
"""

from __future__ import annotations

from datetime import date, datetime, time
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
    """Start and end of a local span as minutes after the start's local midnight (wall clock)."""
    start = minute_of(local_start.time())
    elapsed = local_end.replace(tzinfo=None) - local_start.replace(tzinfo=None)
    return start, start + int(elapsed.total_seconds() // 60)


def at_night(start_minute: int, end_minute: int) -> bool:
    """Any of the span between 00:00 and 06:00: it starts before 06:00 or runs past midnight
    (a span is at most a day long)."""
    return start_minute < NIGHT_END_MINUTE or end_minute > DAY_MINUTES


def in_geneva_slot_minutes(start_minute: int, end_minute: int) -> bool:
    return any(a <= start_minute and end_minute <= b for a, b in GENEVA_SLOT_MINUTES)


def in_geneva_slot(start: datetime, end: datetime) -> bool:
    """The whole span inside one of UN Geneva's meeting slots, in Geneva time."""
    return in_geneva_slot_minutes(*local_minutes(start.astimezone(GENEVA), end.astimezone(GENEVA)))


def why_outside(member: Member, start: datetime, end: datetime,
                holidays: dict[date, str] | None = None) -> str | None:
    """None when the member is inside working hours for the span, else the first reason of
    "night", "weekend", "holiday" (only when `holidays` is given) and "hours"."""
    ls, le = start.astimezone(member.zone), end.astimezone(member.zone)
    start_minute, end_minute = local_minutes(ls, le)
    if at_night(start_minute, end_minute):
        return "night"
    if ls.weekday() not in member.workdays:
        return "weekend"
    if holidays and ls.date() in holidays:
        return "holiday"
    if start_minute < minute_of(member.hours[0]) or end_minute > close_minute(member.hours):
        return "hours"
    return None
