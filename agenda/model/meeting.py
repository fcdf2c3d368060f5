"""The meeting as loaded and validated: frozen dataclasses, zones already resolved.

Nothing here parses text or prints; `load.py` builds these, everything else reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from datetime import date, datetime, time, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from agenda.model.holidays import HolidayCalendar

MONDAY_TO_FRIDAY = frozenset(range(5))  # datetime.weekday(): Monday is 0
DEFAULT_HOURS = (time(9, 0), time(18, 0))
SEGMENT_STATUSES = ("confirmed", "tentative", "cancelled")


# The UN's six official languages, as ISO 639-1 codes: what `language = "…"` may say.
LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")


def read_languages(text: str, *, parameter: str = "languages") -> tuple[str, ...]:
    """`en,fr` → ("en", "fr"): languages som writes, in the order given, each once."""
    from agenda.model.errors import BadValue, did_you_mean

    out: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if part not in LANGUAGES:
            close = did_you_mean(part.lower(), LANGUAGES)
            raise BadValue(parameter, text, "is not a language som writes", part=part if part != text else None,
                           hint="; ".join(x for x in (close, "languages: " + ", ".join(LANGUAGES)) if x))
        if part not in out:
            out.append(part)
    return tuple(out)


class Titled:
    """A title and its translations (`title_fr = "…"` in the meeting file), as (language, text) pairs."""

    title: str
    titles: tuple[tuple[str, str], ...]

    def title_in(self, lang: str) -> str:
        """The title in `lang` when the meeting file gives it, else the title as written."""
        return next((text for code, text in self.titles if code == lang), self.title)


@dataclass(frozen=True)
class Member:
    """A member entity at its duty station."""

    id: str
    acronym: str
    name: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    zone: ZoneInfo
    subdivision: str | None = None  # ISO 3166-2 suffix, as the `holidays` package wants it
    emails: tuple[str, ...] = ()
    hours: tuple[time, time] = DEFAULT_HOURS
    workdays: frozenset[int] = MONDAY_TO_FRIDAY
    calendar: HolidayCalendar | None = None  # the duty station's official holidays; None: national ones
    language: str | None = None  # what the member reads (`fr`); None: the meeting's language

    @property
    def holidays_name(self) -> str:
        """What `som members` shows: the calendar's name, or "national: US-NY"."""
        if self.calendar is not None:
            return self.calendar.name
        return "national: " + self.country + (f"-{self.subdivision}" if self.subdivision else "")

    @property
    def zone_name(self) -> str:
        return self.zone.key


@dataclass(frozen=True)
class Directory:
    """A member directory: bundled (`un-entities`) or a file of the secretariat's."""

    name: str
    members: tuple[Member, ...]
    source: Path | None = None
    calendars: tuple[HolidayCalendar, ...] = ()  # every calendar a member may name: bundled, inherited, own

    def calendar(self, name: str) -> HolidayCalendar | None:
        return next((c for c in self.calendars if c.name == name), None)

    def by_id(self) -> dict[str, Member]:
        return {m.id: m for m in self.members}

    @cached_property
    def _lookup(self) -> dict[str, Member]:
        lookup: dict[str, Member] = {}
        for m in reversed(self.members):  # the first member wins a clash, as a scan would
            lookup[m.acronym.casefold()] = m
        for m in reversed(self.members):
            lookup[m.id.casefold()] = m
        return lookup

    def find(self, key: str) -> Member | None:
        """A member by id or acronym, case-insensitively (ids first)."""
        return self._lookup.get(key.casefold())


@dataclass(frozen=True)
class AgendaItem(Titled):
    title: str
    lead: str | None = None  # member id
    minutes: int | None = None
    documents: tuple[str, ...] = ()
    notes: str | None = None  # what the report says of the item's content
    items: tuple["AgendaItem", ...] = ()  # sub-items (a), (b), ...
    line: int | None = None
    titles: tuple[tuple[str, str], ...] = ()  # translations: (("fr", "…"), ...)


@dataclass(frozen=True)
class Segment(Titled):
    """One sitting of the meeting: a start and end instant in the home zone."""

    id: str
    title: str
    start: datetime  # aware, in the meeting's home zone
    end: datetime
    location: str | None = None  # None: the meeting's location
    online_url: str | None = None
    symbol: str | None = None  # document symbol, e.g. "EMG SOM29/midterm"
    distribution: str | None = None
    chair: str | None = None
    status: str = "confirmed"
    notes: str | None = None
    items: tuple[AgendaItem, ...] = ()
    line: int | None = None
    titles: tuple[tuple[str, str], ...] = ()  # translations: (("fr", "…"), ...)

    @property
    def date(self) -> date:
        return self.start.date()

    @property
    def minutes(self) -> int:
        """Elapsed minutes. Both ends share one tzinfo, and Python subtracts such datetimes on
        the wall clock: 01:30–04:00 on the night the clocks go back would be 150, not 210."""
        return int((self.end.astimezone(timezone.utc) - self.start.astimezone(timezone.utc)).total_seconds() // 60)


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class Task:
    """A preparation task from the meeting file; `due` is an ISO date or an offset like '-3 days'."""

    title: str
    segment: str | None = None
    due: date | None = None
    due_offset_days: int | None = None
    owner: str | None = None
    done: bool = False
    line: int | None = None


@dataclass(frozen=True)
class Meeting(Titled):
    id: str
    title: str
    zone: ZoneInfo  # home zone: every time in the file is written in it
    directory: Directory
    segments: tuple[Segment, ...]
    location: str | None = None
    online_url: str | None = None
    organizer: Person | None = None
    body: str | None = None  # the issuing body, e.g. "United Nations Environment Management Group"
    tasks: tuple[Task, ...] = ()
    city: str | None = None  # how people name the home zone: "Geneva" for Europe/Zurich
    source: Path | None = None
    language: str = "en"  # the meeting's language, for members whose entry names none
    titles: tuple[tuple[str, str], ...] = ()  # translations of the title: (("fr", "…"), ...)

    @property
    def zone_name(self) -> str:
        return self.zone.key

    def language_of(self, member: Member | None) -> str:
        """The language a member's invitation is written in: its own, or the meeting's."""
        return (member.language if member is not None else None) or self.language

    @property
    def members(self) -> tuple[Member, ...]:
        return self.directory.members

    def segment(self, segment_id: str) -> Segment | None:
        return next((s for s in self.segments if s.id == segment_id), None)

    def location_of(self, segment: Segment) -> str | None:
        return segment.location or self.location

    def online_url_of(self, segment: Segment) -> str | None:
        return segment.online_url or self.online_url

    @property
    def document_stamp(self) -> datetime:
        """The created date of a generated document when no clock is given: 1 January, 00:00
        UTC, of the year of the first segment, so re-running on the same meeting gives the same
        bytes (SOURCE_DATE_EPOCH, read by agenda.effects.clock, overrides it)."""
        first = min(s.start for s in self.segments)
        return datetime(first.year, 1, 1, tzinfo=timezone.utc)
