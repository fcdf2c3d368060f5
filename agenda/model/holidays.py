"""Days a member, or the UN as a whole, does not meet: public holidays, duty-station calendars
and the days kept free of meetings.

Public holidays come from the `holidays` package by the country and subdivision the member
directory gives. The days kept free of meetings are those the General Assembly asks UN bodies to
keep free of meetings (resolution 69/250, paragraphs 4 and 5, repeated every year since
53/208): Orthodox Good Friday, Eid al-Fitr and Eid al-Adha, which all bodies observe, and Yom
Kippur, which bodies at Headquarters and where it is observed are invited to avoid. Their dates
move with lunar or Julian calendars; each comes with a sentence saying where it was taken from.

The Day of Vesak (paragraph 6) is left out: the countries `holidays` knows do not agree on it
(1 May or 31 May in 2026), so any single date would be a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache


@dataclass(frozen=True)
class UnHoliday:
    date: date
    name: str
    source: str  # where the date comes from, for the message
    certain: bool = True  # False: the day after an Eid, which the UN may observe instead


def _language(cls_obj) -> str | None:
    """English names where the package has them (it defaults to e.g. German for CH)."""
    default = getattr(cls_obj, "default_language", None)
    if default and default.startswith("en"):
        return default
    supported = getattr(cls_obj, "supported_languages", ()) or ()
    return "en_US" if "en_US" in supported else default


@lru_cache(maxsize=256)
def public_holidays(country: str, subdivision: str | None, years: tuple[int, ...]) -> dict[date, str] | None:
    """{date: name} of public holidays; None when `holidays` has no calendar for the country.

    Cached per (country, subdivision, years): a plan with fifty members in twenty countries
    builds twenty calendars, not fifty.
    """
    import holidays

    try:
        probe = holidays.country_holidays(country, subdiv=subdivision, years=())
        calendar = holidays.country_holidays(country, subdiv=subdivision, years=years,
                                             language=_language(probe))
    except (NotImplementedError, KeyError):
        return None
    return {day: name for day, name in sorted(calendar.items())}


def _first_days(calendar: dict[date, str], prefix: str) -> list[date]:
    """First day of each run of days whose name starts with `prefix` (an Eid lasts several days)."""
    days = sorted(d for d, name in calendar.items()
                  if any(part.strip().startswith(prefix) and "Eve" not in part for part in name.split(";")))
    return [d for d in days if d - timedelta(days=1) not in days]


@lru_cache(maxsize=32)
def un_holidays(years: tuple[int, ...]) -> dict[date, tuple[UnHoliday, ...]]:
    """The days kept free of meetings (resolution 69/250) of the given years, by date."""
    import holidays
    from dateutil.easter import EASTER_ORTHODOX, easter

    found: list[UnHoliday] = []
    israel = holidays.country_holidays("IL", years=years, language="en_US")
    for day, name in israel.items():
        if "Yom Kippur" in name:
            found.append(UnHoliday(day, "Yom Kippur",
                                   "date from the Hebrew calendar as the `holidays` package computes it for Israel"))
    for year in years:
        found.append(UnHoliday(easter(year, EASTER_ORTHODOX) - timedelta(days=2), "Orthodox Good Friday",
                               "date from the Orthodox (Julian) Easter computus in python-dateutil"))
    # Türkiye fixes its Eid dates years ahead from the computed (Umm al-Qura-like) lunar
    # calendar; where the new moon is sighted a day later, the UN observes the next day.
    turkey = holidays.country_holidays("TR", years=years, language="en_US")
    for prefix in ("Eid al-Fitr", "Eid al-Adha"):
        for day in _first_days(dict(turkey.items()), prefix):
            source = ("expected date from the computed Islamic calendar as the `holidays` package gives it "
                      "for Türkiye; the UN announces the day it observes, which may be the day after")
            found.append(UnHoliday(day, prefix, source))
            found.append(UnHoliday(day + timedelta(days=1), prefix, source, certain=False))
    by_date: dict[date, list[UnHoliday]] = {}
    for holiday in found:
        if holiday.date.year in years:
            by_date.setdefault(holiday.date, []).append(holiday)
    return {d: tuple(v) for d, v in sorted(by_date.items())}


UN_RESOLUTION = "General Assembly resolution 69/250"
# What users read for the days above. "Floating holiday" means something else at the duty
# stations (the one day each staff member chooses: `OfficialHoliday.floating`), so these days
# are never called that.
KEPT_FREE = "a day the General Assembly asks to keep free of meetings (resolution 69/250)"
KEPT_FREE_SHORT = "a day kept free of meetings"


# --- duty-station calendars (calendars/holidays/*.toml, or a directory's [[calendar]]) -------

@dataclass(frozen=True)
class OfficialHoliday:
    """One date of a duty station's list of official holidays."""

    date: date
    name: str
    source: str  # the circular's symbol, or the publisher and date; "projected: <rule>" when projected
    projected: bool = False  # no published list for the year: worked out from the duty station's rules
    floating: bool = False  # one of the days each staff member may choose: some staff are away
    line: int | None = None


@dataclass(frozen=True, eq=False)  # compared by identity: cheap to hash in members and profiles
class HolidayCalendar:
    """The official holidays of a duty station (UN Headquarters New York, UN Geneva...)."""

    name: str  # "un-new-york", as a member directory names it
    title: str  # "UN Headquarters New York", as findings name it
    holidays: tuple[OfficialHoliday, ...]
    duty_station: str | None = None
    notes: str | None = None  # where sources disagree, what was projected and how
    origin: str | None = None  # the file it was read from, for messages

    @property
    def years(self) -> frozenset[int]:
        return frozenset(h.date.year for h in self.holidays)

    def in_year(self, year: int) -> tuple[OfficialHoliday, ...]:
        return tuple(h for h in self.holidays if h.date.year == year)

    def on(self, day: date) -> tuple[OfficialHoliday, ...]:
        return tuple(h for h in self.holidays if h.date == day)


@dataclass(frozen=True)
class DayOff:
    """A day a member may not meet, and which calendar says so."""

    date: date
    name: str
    where: str  # "UN Headquarters New York", or "New York (US-NY)" for a public holiday
    calendar: str | None = None  # the duty-station calendar's name; None: the country's public holidays
    source: str | None = None
    projected: bool = False
    floating: bool = False

    @property
    def official(self) -> bool:
        return self.calendar is not None

    @property
    def label(self) -> str:
        """A short name for tables: "Eid al-Adha (UN Headquarters New York)", "... (UN Geneva, projected)",
        or the public holiday's name."""
        if not self.official:
            return self.name
        return f"{self.name} ({self.where}{', projected' if self.projected else ''})"


def observed_by_calendars(calendars, holiday: UnHoliday) -> bool | None:
    """For the possible day after an Eid (`holiday.certain` False): True when one of the
    duty-station calendars lists that Eid on the day, False when they list it on the expected
    day before instead, None when none of them says. `som check` and `som suggest` word the day
    by this one rule."""
    before = holiday.date - timedelta(days=1)
    said: set[bool] = set()
    for calendar in calendars:
        for h in calendar.holidays:
            if h.name == holiday.name and not h.floating and h.date in (before, holiday.date):
                said.add(h.date == holiday.date)
    return True if True in said else False if said else None


def days_off(member, years: tuple[int, ...]) -> dict[date, DayOff] | None:
    """{date: DayOff} for a member over some years: its duty station's calendar for the years
    the calendar covers, its country's public holidays for the others. None when neither is
    known (no calendar and the `holidays` package has no calendar for the country)."""
    return days_off_for(getattr(member, "calendar", None), member.country, member.subdivision, member.city,
                        tuple(sorted(set(years))))


@lru_cache(maxsize=512)
def days_off_for(calendar: HolidayCalendar | None, country: str, subdivision: str | None, city: str,
              years: tuple[int, ...]) -> dict[date, DayOff] | None:
    covered = calendar.years if calendar is not None else frozenset()
    national_years = tuple(y for y in years if y not in covered)
    out: dict[date, DayOff] = {}
    if national_years:
        national = public_holidays(country, subdivision, national_years)
        if national is None and not covered:
            return None
        place = country + (f"-{subdivision}" if subdivision else "")
        for day, name in (national or {}).items():
            out[day] = DayOff(day, name, f"{city} ({place})")
    if calendar is not None:
        for h in calendar.holidays:
            if h.date.year in years and (h.date not in out or out[h.date].floating and not h.floating):
                out[h.date] = DayOff(h.date, h.name, calendar.title, calendar.name, h.source, h.projected,
                                     h.floating)
    return dict(sorted(out.items()))


def closing_days(member, years: tuple[int, ...]) -> dict[date, DayOff]:
    """The days off that close the member's office (floating holidays do not)."""
    return {d: off for d, off in (days_off(member, years) or {}).items() if not off.floating}
