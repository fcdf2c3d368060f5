"""`som holidays`: the days off a calendar lists, so a secretariat can check them against the
circular: a duty station's calendar by name, or the one a member follows (its country's public
holidays for a member without one, or for a year the calendar does not cover)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from agenda.model.errors import SomError, UnknownName, did_you_mean
from agenda.model.holidays import DayOff, HolidayCalendar, days_off
from agenda.model.meeting import Directory, Member


@dataclass(frozen=True)
class Listing:
    """One calendar's days off, for one year or all the years it covers."""

    title: str  # "UN Headquarters New York", or "national: US-NY"
    name: str | None  # the calendar's name; None for a country's public holidays
    year: int | None
    days: tuple[DayOff, ...]
    notes: str | None = None
    member: Member | None = None
    national_note: str | None = None  # when a member's calendar does not cover the year

    @property
    def official(self) -> list[DayOff]:
        return [d for d in self.days if not d.floating]

    @property
    def floating(self) -> list[DayOff]:
        return [d for d in self.days if d.floating]

    @property
    def projected(self) -> list[DayOff]:
        return [d for d in self.days if d.projected]


@dataclass(frozen=True)
class Overview:
    """Every calendar a directory knows, and which members follow it."""

    directory: Directory
    rows: tuple[tuple[HolidayCalendar, tuple[Member, ...]], ...]
    national: tuple[Member, ...]


def _days(calendar: HolidayCalendar, year: int | None) -> tuple[DayOff, ...]:
    return tuple(DayOff(h.date, h.name, calendar.title, calendar.name, h.source, h.projected, h.floating)
                 for h in calendar.holidays if year is None or h.date.year == year)


def calendar_listing(directory: Directory, name: str, year: int | None) -> Listing:
    calendar = directory.calendar(name)
    if calendar is None:
        names = [c.name for c in directory.calendars]
        raise UnknownName("calendar", name, kind="holiday calendar", among=f"the directory {directory.name}",
                          hint=did_you_mean(name, names) or f"calendars: {', '.join(names) or 'none'}")
    days = _days(calendar, year)
    if year is not None and not days:
        years = sorted(calendar.years)
        raise SomError(f"the calendar `{name}` has no dates in {year}",
                       hint=f"it covers {years[0]}–{years[-1]}" if years else None)
    return Listing(calendar.title, calendar.name, year, days, calendar.notes)


def member_listing(directory: Directory, key: str, year: int) -> Listing:
    member = directory.find(key)
    if member is None:
        raise UnknownName("member", key, kind="member", among=f"the directory {directory.name}",
                          hint=did_you_mean(key, [m.acronym for m in directory.members]
                                            + [m.id for m in directory.members])
                          or "see `som members` for ids and acronyms")
    national = "national: " + member.country + (f"-{member.subdivision}" if member.subdivision else "")
    calendar = member.calendar
    if calendar is not None and year in calendar.years:
        return Listing(calendar.title, calendar.name, year, _days(calendar, year), calendar.notes, member)
    found = days_off(member, (year,))
    if found is None:
        raise SomError(f"no holidays known for {member.acronym} in {year}: it follows no duty-station calendar "
                       f"and the `holidays` package has no calendar for {member.country}")
    note = None
    if calendar is not None:
        years = sorted(calendar.years)
        note = (f"{calendar.title} ({calendar.name}) has no dates for {year} (it covers {years[0]}–{years[-1]}): "
                f"{member.acronym}'s country's public holidays are shown and used instead")
    return Listing(national, None, year, tuple(found.values()), None, member, note)


def overview(directory: Directory) -> Overview:
    rows = tuple((c, tuple(m for m in directory.members if m.calendar is c)) for c in directory.calendars)
    return Overview(directory, rows, tuple(m for m in directory.members if m.calendar is None))


def weekday(day: date) -> str:
    return f"{day:%a}"
