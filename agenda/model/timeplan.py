"""Zones, time labels, local times that do not exist or happen twice, conversion and working hours.

The rules (docs/rules-of-time.md): a zone is an IANA name kept as a ZoneInfo; CEST,
CET or UTC+2 are labels that are checked against the zone on the date, never stored. No
Click and no rich here: callers get values or a SomError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agenda.model.errors import BadValue, MissingPart, SomError, ZoneAssumed
from agenda.model.hours import working_hours_status  # the one working-hours rule
from agenda.model.meeting import MONDAY_TO_FRIDAY

UTC = timezone.utc

# Abbreviations that people write after a time, with their offset in minutes. Only the
# unambiguous ones: IST, CST or AST mean different offsets in different places, so they
# are accepted only where the zone itself uses that name on the date.
FIXED_LABELS = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0,
    "WET": 0, "WEST": 60, "BST": 60, "IST": None, "CET": 60, "CEST": 120, "MEZ": 60, "MESZ": 120,
    "EET": 120, "EEST": 180, "MSK": 180, "WAT": 60, "CAT": 120, "EAT": 180, "SAST": 120,
    "EST": -300, "EDT": -240, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AKST": -540, "AKDT": -480, "HST": -600, "NST": -210, "NDT": -150,
    "JST": 540, "KST": 540, "HKT": 480, "SGT": 480, "AEST": 600, "AEDT": 660, "ACST": 570,
    "ACDT": 630, "AWST": 480, "NZST": 720, "NZDT": 780, "PKT": 300, "ICT": 420, "WIB": 420,
}
# Offsets that define an instant by themselves; named abbreviations are checked against a zone.
_OFFSET_LABEL = re.compile(r"^(?:UTC|GMT|UT)?\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)

# Well-known places whose zone is named after another city (the zone database names one
# city per zone): what people type, mapped to the IANA zone that covers them.
CITY_ZONES = {
    "geneva": "Europe/Zurich", "bern": "Europe/Zurich", "gland": "Europe/Zurich",
    "washington": "America/New_York", "new york": "America/New_York",
    "montreal": "America/Toronto", "ottawa": "America/Toronto", "bonn": "Europe/Berlin",
    "the hague": "Europe/Amsterdam", "hague": "Europe/Amsterdam", "milan": "Europe/Rome",
    "beijing": "Asia/Shanghai", "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata", "bombay": "Asia/Kolkata", "calcutta": "Asia/Kolkata",
    "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles",
    "boston": "America/New_York", "rio de janeiro": "America/Sao_Paulo",
    "brasilia": "America/Sao_Paulo", "canberra": "Australia/Sydney", "wellington": "Pacific/Auckland",
    "abu dhabi": "Asia/Dubai", "islamabad": "Asia/Karachi", "nur-sultan": "Asia/Almaty",
    "saigon": "Asia/Ho_Chi_Minh", "hanoi": "Asia/Bangkok", "kyiv": "Europe/Kyiv",
    # as French notices name them
    "genève": "Europe/Zurich", "geneve": "Europe/Zurich", "berne": "Europe/Zurich", "genf": "Europe/Zurich",
    "new york": "America/New_York", "washington": "America/New_York", "pékin": "Asia/Shanghai",
    "londres": "Europe/London", "bruxelles": "Europe/Brussels", "vienne": "Europe/Vienna",
    "rome": "Europe/Rome", "nairobi": "Africa/Nairobi", "bangkok": "Asia/Bangkok",
}


# --- zones -------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _all_zone_names() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


def _is_abbreviation_zone(name: str) -> bool:
    """Legacy IANA entries such as CET, EST5EDT or MST are labels, not places."""
    return name.upper() in FIXED_LABELS and name.upper() not in ("UTC", "GMT") or bool(
        re.fullmatch(r"[A-Z]{3,4}\d[A-Z]{3,4}", name))


@lru_cache(maxsize=512)
def resolve_zone(name: str) -> ZoneInfo:
    """An IANA zone by name, or a SomError that suggests the closest real names."""
    if not isinstance(name, str) or not name.strip():
        raise SomError("empty time zone", hint="write an IANA name such as `Europe/Zurich`")
    name = name.strip()
    if _is_abbreviation_zone(name):
        raise SomError(f"`{name}` is a time label, not a time zone",
                       hint="write the IANA name of a place, such as `Europe/Zurich` for Geneva")
    try:
        if ".." in name or name.startswith("/"):
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise SomError(f"unknown time zone `{name}`", hint=_zone_hint(name)) from None


def _zone_hint(name: str) -> str:
    suggestions: list[str] = []
    city = name.rsplit("/", 1)[-1].replace("_", " ").strip().lower()
    if city in CITY_ZONES:
        suggestions.append(CITY_ZONES[city])
    names = sorted(_all_zone_names())
    by_lower = {n.lower(): n for n in names}
    if name.lower() in by_lower:
        suggestions.append(by_lower[name.lower()])
    import difflib

    for close in difflib.get_close_matches(name, names, n=3, cutoff=0.7):
        suggestions.append(close)
    by_city = {n.rsplit("/", 1)[-1].lower(): n for n in names}
    for close in difflib.get_close_matches(city.replace(" ", "_"), list(by_city), n=2, cutoff=0.8):
        suggestions.append(by_city[close])
    unique = list(dict.fromkeys(suggestions))[:3]
    if unique:
        return "did you mean " + " or ".join(f"`{s}`" for s in unique) + "?"
    return "write an IANA name such as `Europe/Zurich` (see `timedatectl list-timezones`)"


def zone_label(zone: ZoneInfo, city: str | None = None) -> str:
    """How a person names a zone: the given city, else the zone's own city."""
    if city:
        return city
    return zone.key.rsplit("/", 1)[-1].replace("_", " ")


def format_offset(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def utc_offset(dt: datetime) -> timedelta:
    """The UTC offset of an aware datetime; a time in a ZoneInfo (or UTC) always has one."""
    offset = dt.utcoffset()
    if offset is None:
        raise ValueError(f"{dt.isoformat()} has no UTC offset")
    return offset


def abbreviation(dt: datetime) -> str:
    """The zone's own abbreviation (CEST, EAT) or, where it has none, the offset (+0545)."""
    name = dt.tzname() or ""
    if re.fullmatch(r"[+-]\d{2,4}", name):
        return format_offset(dt.utcoffset())
    return name


# --- labels --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Label:
    """A time label as written (`CEST`, `UTC+02:00`) and the offset it stands for, if fixed."""

    text: str
    offset: timedelta | None  # None: a name whose offset depends on the place (IST)

    @property
    def is_offset(self) -> bool:
        """UTC, GMT, Z and UTC±hh:mm say the instant themselves; names are checked against a zone."""
        return self.text.upper() in ("UTC", "GMT", "Z", "UT") or bool(_OFFSET_LABEL.match(self.text))


def parse_label(text: str) -> Label:
    raw = text.strip()
    upper = raw.upper()
    if upper in FIXED_LABELS:
        fixed = FIXED_LABELS[upper]
        return Label(upper, None if fixed is None else timedelta(minutes=fixed))
    m = _OFFSET_LABEL.match(raw)
    if m:
        sign, hours, minutes = m.groups()
        total = int(hours) * 60 + int(minutes or 0)
        if int(hours) > 14 or int(minutes or 0) >= 60:
            raise SomError(f"`{raw}` is not a UTC offset", hint="offsets run from UTC-12:00 to UTC+14:00")
        if sign in "-−":
            total = -total
        return Label(format_offset(timedelta(minutes=total)), timedelta(minutes=total))
    raise SomError(f"unknown time label `{raw}`",
                   hint="write CET, CEST, UTC, or an offset such as UTC+02:00")


LABEL_PATTERN = (r"(?:(?:UTC|GMT|UT)\s*[+\-−]\s*\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|"
                 + "|".join(sorted((k for k in FIXED_LABELS if len(k) > 1), key=len, reverse=True))
                 + r"|Z)")


def _zone_abbreviations(zone: ZoneInfo, year: int) -> dict[str, timedelta]:
    """The names the zone uses over a year, with their offsets (CET and CEST for Geneva)."""
    names: dict[str, timedelta] = {}
    day = datetime(year, 1, 1, 12, tzinfo=zone)
    for month in range(1, 13):
        dt = day.replace(month=month)
        names[abbreviation(dt)] = utc_offset(dt)
    return names


def check_label(local: datetime, label: Label, *, place: str, written: str) -> None:
    """Raise if `label` is not what `local`'s zone is on that date, naming the right label."""
    zone = local.tzinfo
    assert isinstance(zone, ZoneInfo)  # localize, the one caller, passes a time in its zone
    actual_offset = local.utcoffset()
    actual = abbreviation(local)
    if label.text == actual or (label.offset is not None and label.offset == actual_offset
                                and (label.is_offset or label.text not in _zone_abbreviations(zone, local.year))):
        return
    if label.offset is None:
        raise SomError(f"`{written}`: {place} is on {actual} ({format_offset(actual_offset)}) on "
                       f"{local:%d %B %Y}, and `{label.text}` means different offsets in different places",
                       hint=f"write {actual}")
    as_labelled = (local.replace(tzinfo=None) - label.offset).replace(tzinfo=UTC).astimezone(zone)
    raise SomError(
        f"`{written}`: {place} is on {actual} ({format_offset(actual_offset)}) on {local:%d %B %Y}, "
        f"not {label.text}; {local:%H:%M} {format_offset(label.offset)} is {as_labelled:%H:%M} {abbreviation(as_labelled)}",
        hint=f"write {local:%H:%M} {actual} if the local time is right, or {as_labelled:%H:%M} {abbreviation(as_labelled)} if the label is")


# --- local times ---------------------------------------------------------------------------

def localize(day: date, clock: time, zone: ZoneInfo, *, label: Label | None = None,
             place: str | None = None, written: str | None = None) -> datetime:
    """The instant at `clock` on `day` in `zone`.

    A wall time that does not exist (spring forward) or happens twice (fall back) is an error
    that shows both readings, unless a label picks one of the two.
    """
    place = place or zone_label(zone)
    written = written or f"{day.isoformat()} {clock:%H:%M}"
    first = datetime.combine(day, clock, tzinfo=zone)
    second = first.replace(fold=1)
    exists = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == first.replace(tzinfo=None)
    readings = [first, second]
    if not exists:
        # zoneinfo reads a skipped time with the offset before (fold=0) or after (fold=1) the jump
        shown = " or ".join(
            f"{r.astimezone(UTC).astimezone(zone):%H:%M %Z} ({r.astimezone(UTC):%H:%M} UTC) if read as "
            f"{format_offset(r.utcoffset())}" for r in readings)
        raise SomError(f"`{written}`: {clock:%H:%M} does not exist in {place} on {day:%d %B %Y} "
                       f"(the clocks go forward); it would be {shown}",
                       hint="pick a time outside the hour the clocks skip")
    if first.utcoffset() != second.utcoffset():
        if label is not None and label.offset is not None:
            for reading in readings:
                if reading.utcoffset() == label.offset:
                    return reading
        shown = " or ".join(f"{r:%H:%M} {abbreviation(r)} ({r.astimezone(UTC):%H:%M} UTC)" for r in readings)
        raise SomError(f"`{written}`: {clock:%H:%M} happens twice in {place} on {day:%d %B %Y} "
                       f"(the clocks go back): {shown}",
                       hint=f"add the label, e.g. `{clock:%H:%M} {abbreviation(second)}`, or pick another time")
    if label is not None:
        check_label(first, label, place=place, written=written)
    return first


# --- reading times of day ------------------------------------------------------------------

# "15:00", "3.30 pm", "15h30", and as Geneva writes them in French and in English minutes of
# meetings: "15 h 00", "15 h", "15.00 hrs" (three groups: hour, minute, meridiem).
_CLOCK = (r"(\d{1,2})(?:(?:[:.]|\s?h\s?)(\d{2})|\s?h(?![\w]))?\s*(a\.?m\.?|p\.?m\.?)?"
          r"(?:\s*(?:hrs|hours|heures)(?![\w]))?")
_DASH = r"\s*(?:-|–|—|‒|to|until|till|and|à|et)\s*"
_RANGE = re.compile(
    rf"^\s*(?:from\s+|between\s+|de\s+|entre\s+)?{_CLOCK}{_DASH}{_CLOCK}\s*({LABEL_PATTERN})?\s*(?:\((?P<paren>[^)]*)\))?\s*$",
    re.IGNORECASE)
_SINGLE = re.compile(rf"^\s*(?:at\s+|à\s+)?{_CLOCK}\s*({LABEL_PATTERN})?\s*$", re.IGNORECASE)


def _clock(hour: str, minute: str | None, meridiem: str | None, *, allow_24: bool = False) -> time:
    h, m = int(hour), int(minute or 0)
    if meridiem:
        if not 1 <= h <= 12:
            raise ValueError(f"{h} {meridiem} is not a time")
        pm = meridiem.lower().startswith("p")
        h = h % 12 + (12 if pm else 0)
    if m >= 60 or h > 24 or (h == 24 and (m or not allow_24)):
        raise ValueError("not a time of day")
    return time(0, 0) if h == 24 else time(h, m)


@dataclass(frozen=True)
class TimeRange:
    start: time
    end: time
    end_next_day: bool  # "22:00-24:00"
    label: Label | None
    paren: str | None  # "(Geneva time)": checked by the caller against the home city


def parse_time_range(text: str) -> TimeRange:
    """`15:00-17:00 CEST`, `15:00 – 17:00`, `3pm-5pm CEST`, `2 pm – 3.30 pm`, `from 15:00 to 17:00 CET`."""
    m = _RANGE.match(text or "")
    if not m:
        raise SomError(f"cannot read the time `{text}`",
                       hint='write it like "15:00-17:00 CEST", "3pm-5pm" or "2 pm – 3.30 pm"')
    h1, m1, mer1, h2, m2, mer2, label_text = m.groups()[:7]
    try:
        if mer2 and not mer1:
            # "2-3.30 pm": the second meridiem applies to both unless that puts the start after the end
            mer1 = mer2
            if _clock(h1, m1, mer1) > _clock(h2, m2, mer2):
                mer1 = "am"
        start = _clock(h1, m1, mer1)
        end = _clock(h2, m2, mer2, allow_24=True)
    except ValueError:
        raise SomError(f"`{text}` is not a time of day", hint="hours run 0-23 (or 1-12 with am/pm), minutes 0-59") from None
    next_day = end == time(0)  # an end at 00:00 or 24:00 is the midnight after the start
    label = parse_label(label_text) if label_text else None
    return TimeRange(start, end, next_day, label, m.group("paren"))


def parse_clock(text: str) -> tuple[time, Label | None]:
    """A single time of day with an optional label: `15:00`, `3pm CEST`."""
    m = _SINGLE.match(text or "")
    if not m:
        raise SomError(f"cannot read the time `{text}`", hint='write it like "15:00" or "3pm CEST"')
    h, mi, mer, label_text = m.groups()
    try:
        clock = _clock(h, mi, mer)
    except ValueError:
        raise SomError(f"`{text}` is not a time of day", hint="hours run 0-23, minutes 0-59") from None
    return clock, parse_label(label_text) if label_text else None


def segment_instants(day: date, rng: TimeRange, zone: ZoneInfo, *, place: str,
                     written: str) -> tuple[datetime, datetime]:
    """Start and end instants of a segment written as a time range on a date in the home zone."""
    start = localize(day, rng.start, zone, label=rng.label, place=place, written=written)
    end_day = day + timedelta(days=1) if rng.end_next_day else day
    end = localize(end_day, rng.end, zone, label=rng.label if not rng.end_next_day else None,
                   place=place, written=written)
    if end.astimezone(UTC) <= start.astimezone(UTC):  # instants: same-tzinfo datetimes compare as wall times
        raise SomError(f"`{written}`: the end is not after the start",
                       hint="write the start first; a segment cannot cross midnight unless it ends at 24:00")
    return start, end


# --- reading instants ("WHEN") -------------------------------------------------------------

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WHEN_LABEL = re.compile(rf"[\s,]*\(?\s*({LABEL_PATTERN})\s*\)?\s*(?:\(([^)]*)\))?\s*\.?\s*$", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|(?<![\w/])\d{1,2}/\d{1,2}(?![\w/])")
_NOISE = re.compile(r"\b(?:on|the|at|from|le|à)\b", re.IGNORECASE)


@dataclass(frozen=True)
class When:
    instant: datetime  # aware
    zone: ZoneInfo | None  # the zone it was read in, when it was read as a wall time in a zone
    label: Label | None
    assumed: str | None = None  # what was filled in that the text did not say (the year, the week)


# "Geneva time", "(Geneva time)", "Tokyo local time", "heure de Genève", "(heure locale de Genève)":
# a city that names the zone. The city is capitalised, as people write it.
_CITY_WORD = r"[A-Z][\w'’.-]*"
CITY_TIME = re.compile(
    rf"\(?[ \t]*(?:(?P<en>{_CITY_WORD}(?:[ \t]{_CITY_WORD}){{0,2}})[ \t]+(?:local[ \t]+)?[Tt]ime"
    rf"|heure[ \t]+(?:locale[ \t]+)?(?:de[ \t]+|d['’][ \t]*)(?P<fr>{_CITY_WORD}(?:[ \t-]{_CITY_WORD}){{0,2}}))"
    rf"(?![\w])[ \t]*\)?")


def city_zone(city: str) -> str | None:
    """The IANA zone of a city as people name it: CITY_ZONES, else a zone named after it."""
    key = city.strip().lower()
    if key in CITY_ZONES:
        return CITY_ZONES[key]
    wanted = city.strip().replace(" ", "_").replace("-", "_").lower()
    for name in sorted(_all_zone_names()):
        if "/" in name and not name.startswith(("Etc/", "SystemV/")) and name.rsplit("/", 1)[-1].lower() == wanted:
            return name
    return None


@dataclass(frozen=True)
class CityTime:
    start: int
    end: int
    city: str  # as written, without words before it that are not part of its name ("CEST Geneva" → Geneva)
    zone: str | None  # None: no zone is known for it


def find_city_time(text: str) -> CityTime | None:
    """The first "<city> time" / "heure de <city>" in the text, with the zone it names."""
    for m in CITY_TIME.finditer(text):
        group = "en" if m.group("en") else "fr"
        words = m.group(group).split()
        for k in range(len(words)):  # "CEST Geneva time": the longest tail that is a city
            city = " ".join(words[k:])
            zone = city_zone(city)
            if zone:
                start = m.start() if k == 0 else m.start(group) + m.group(group).index(city)
                return CityTime(start, m.end(), city, zone)
        if group == "fr" or len(words) == 1:
            return CityTime(m.start(), m.end(), m.group(group), None)
    return None


def _next_occurrence(month: int, day: int, today: date) -> date:
    """The first month-day on or after today (29 February: the next leap year's)."""
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise ValueError("no such day")


def _fill_in_date(text: str, written: str, *, today: date | None, year: int | None,
                  week: date | None) -> tuple["re.Match[str]", date, str] | None:
    """The date a year-less date or a weekday alone names, with what was assumed; None if neither."""
    m = _DAY_MONTH.search(text)
    if m is not None:
        month = _month_number(m.group("month1") or m.group("month2"))
        day_number = int(m.group("day1") or m.group("day2"))
        shown = f"{day_number} {_MONTHS[month - 1].capitalize()}"
        try:
            if year is not None:
                day = date(year, month, day_number)
                assumed = f"no year written: read as {day:%d %B %Y}, in the year given"
            elif today is not None:
                day = _next_occurrence(month, day_number, today)
                assumed = f"no year written: read as {day:%d %B %Y}, the next {shown} from today ({today.isoformat()})"
            else:
                raise MissingPart(f"`{written}` has no year", parameter="year", example="2025",
                                  advice="write the year")
        except ValueError:
            raise SomError(f"`{written}` is not a date", hint="check the day of the month") from None
        if m.group("weekday") and day.weekday() != _weekday_number(m.group("weekday")):
            raise SomError(f"`{written}`: {day:%d %B %Y} (no year written; {assumed.split(': ', 1)[1]}) is a "
                           f"{day:%A}, not a {_WEEKDAYS[_weekday_number(m.group('weekday'))].capitalize()}",
                           hint="write the year")
        return m, day, assumed
    m = _WEEKDAY_ONLY.search(text)
    if m is not None:
        index = _weekday_number(m.group("weekday"))
        if week is None:
            raise MissingPart(f"`{written}` names a weekday but no date", parameter="week", example="2025-09-22",
                              advice="write the date")
        day = week - timedelta(days=week.weekday()) + timedelta(days=index)
        return m, day, f"a weekday alone: read as {day:%A %d %B %Y}, in the week given"
    return None


def _parse_date_time(text: str, *, today: date | None = None, year: int | None = None,
                     week: date | None = None) -> tuple[datetime, Label | None, str | None]:
    """A naive date and time from prose, the label written with the time ("3 pm CEST on 26
    September 2023") and what was assumed: a date as parse_date reads it and a time of day as
    parse_clock reads it, in either order. A date without its year is read in `year`, else at its
    next occurrence from `today`; a weekday alone in `week` (any day of it). Without those, a
    missing part is an error, never a default."""
    if _NUMERIC_DATE.search(text):
        raise SomError(f"`{text}`: a numeric date such as 10/11/2024 is read as 10 November in Geneva and "
                       f"11 October in New York", hint='write the month as a word ("10 November 2024") or as 2024-11-10')
    unreadable = SomError(f"cannot read `{text}` as a date and time",
                          hint='write it like "26 September 2023 15:00 CEST" or "2023-09-26 15:00"')
    cleaned = " ".join(_NOISE.sub(" ", text).split()).strip(" ,").removesuffix(".")
    cleaned = re.sub(r"(?<![\w-])(\d{4}-\d{2}-\d{2})T(?=\d)", r"\1 ", cleaned)  # 2023-09-26T15:00 CEST
    cleaned = re.sub(r"\b(\d{1,2})h\b", r"\1:00", cleaned)  # 15h
    cleaned = re.sub(r"\b(\d{1,2}:\d{2}):\d{2}(?:[.,]\d+)?\b", r"\1", cleaned)  # seconds are dropped
    # the first date that is not the minutes of a time ("00 September 2023" in "15:00 September 2023")
    m = next((m for m in DATE_PATTERN.finditer(cleaned) if cleaned[m.start() - 1: m.start()] not in (":", ".")), None)
    assumed = None
    if m is None:
        if not cleaned or not _partial_date_time(cleaned):
            raise unreadable
        partial = _fill_in_date(cleaned, text, today=today, year=year, week=week)
        if partial is None:
            raise SomError(f"`{text}` has no full date", hint='give day, month and year, e.g. "26 September 2023 15:00"')
        m, day, assumed = partial
    before, after = cleaned[: m.start()].strip(" ,-"), cleaned[m.end():].strip(" ,-")
    if before and after:
        raise unreadable
    if assumed is None:
        try:
            day = date_from_match(m, written=text, check_weekday=False)
        except SomError:
            raise unreadable from None
    if not (before or after):
        raise SomError(f"`{text}` has no time of day", hint='add the time, e.g. "26 September 2023 15:00 CEST"')
    if before and re.fullmatch(r"\d{1,2}", before):
        raise unreadable  # "15 26 September 2023": a bare number before a date is no time of day
    try:
        clock, label = parse_clock(before or after)
    except SomError:
        raise unreadable from None
    if assumed is None:
        date_from_match(m, written=text)  # last, as before: a weekday that is not the date's
    return datetime.combine(day, clock), label, assumed


PLANNED_YEARS = (1900, 2200)  # the years of an instant som works out (`som convert --year` takes the same)


def parse_when(text: str, zone: ZoneInfo, *, zone_given: bool = True, place: str | None = None,
               today: date | None = None, year: int | None = None, week: date | None = None) -> When:
    """One instant from `2023-09-26 15:00`, `2023-09-26T15:00+02:00`, `26th September 2023, 15:00 CEST`,
    `3pm CEST on 26 Sept` (the year: `year`, else the next from `today`), `Tuesday 15:00 Geneva
    time` (in `week`), `mardi 23 septembre 2025, 15 h 00 (heure de Genève)`.

    A wall time is read in `zone`, or in the zone of the city the text names ("Tokyo time"),
    which must then agree with `zone` when the user named it (`zone_given`). An offset (UTC, Z,
    +02:00) says the instant by itself and is checked against the zone only when one was named;
    a named label (CEST) is always checked against the zone. What the text did not say and was
    filled in is in When.assumed.
    """
    text = (text or "").strip()
    if not text:
        raise SomError("no date and time given", hint='write it like "26 September 2023 15:00 CEST"')
    place = place or zone_label(zone)
    written = text
    named = find_city_time(text)
    if named is not None:
        if named.zone is None:
            raise ZoneAssumed(f"`{written}` names {named.city} time, and som knows no time zone of that name",
                              reason="place", hint="name the zone it is written in")
        if zone_given and named.zone != zone.key:
            raise SomError(f"`{written}` says it is {named.city} time ({named.zone}), but the zone given is {zone.key}",
                           hint="leave out one of the two")
        zone, place, zone_given = resolve_zone(named.zone), named.city, True
        text = (text[: named.start] + " " + text[named.end:]).strip(" ,")
    when = _parse_when(text, written, zone, zone_given=zone_given, place=place, today=today, year=year, week=week)
    if not PLANNED_YEARS[0] <= when.instant.year <= PLANNED_YEARS[1]:
        raise SomError(f"`{written[:40]}`: som works out times from {PLANNED_YEARS[0]} to {PLANNED_YEARS[1]}",
                       hint="check the year")
    return when


def _parse_when(text: str, written: str, zone: ZoneInfo, *, zone_given: bool, place: str,
                today: date | None, year: int | None, week: date | None) -> When:
    iso = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::\d{2})?)\s*(Z|[+-]\d{2}:?\d{2})?", text)
    assumed = None
    if iso:
        try:
            naive = datetime.combine(parse_date(iso.group(1), iso_only=True), time.fromisoformat(f"{iso.group(2):0>5}"))
        except (SomError, ValueError):
            raise SomError(f"`{text}` is not a date and time", hint="write YYYY-MM-DD HH:MM, e.g. 2023-09-26 15:00") from None
        label = parse_label(iso.group(3)) if iso.group(3) else None
    else:
        m = _WHEN_LABEL.search(text)
        label, body = None, text
        if m and re.search(r"\d", text[: m.start()]):
            candidate = m.group(1)
            # a bare "Z" or a number-like tail is only a label after a time such as 15:00
            if not (candidate.upper() == "Z" and not re.search(r"\d\s*$", text[: m.start(1)])):
                label, body = parse_label(candidate), text[: m.start()]
                _check_paren_place(m.group(2), place, text)
        naive, label_with_time, assumed = _parse_date_time(body, today=today, year=year, week=week)
        if label_with_time is not None:
            if label is not None:
                raise SomError(f"cannot read the time zone in `{body}`",
                               hint="write the label after the time, e.g. 15:00 CEST")
            label = label_with_time
    if label is not None and label.is_offset and label.offset is not None and not zone_given:
        instant = (naive - label.offset).replace(tzinfo=UTC)
        return When(instant, None, label, assumed)
    if label is not None and label.offset is not None and label.text not in _zone_abbreviations(zone, naive.year) \
            and not label.is_offset and not zone_given:
        users = zones_using(label.text, naive)
        raise ZoneAssumed(f"`{text}`: {place} does not use {label.text}", reason="label",
                          example=users[0] if users else None,
                          hint="name the zone it is written in" + (f", e.g. {users[0]}" if users else ""))
    local = localize(naive.date(), naive.time(), zone, label=label, place=place, written=text)
    return When(local, zone, label, assumed)


def _check_paren_place(paren: str | None, place: str, text: str) -> None:
    if paren and place.lower() not in paren.lower() and "time" in paren.lower():
        raise ZoneAssumed(f"`{text}` says it is {paren.strip()}, but it is read as {place} time", reason="place",
                          hint="name the zone it is written in")


def zones_using(abbrev: str, when: datetime) -> list[str]:
    """A few well-known zones that call themselves `abbrev` on that date (for hints)."""
    out = []
    for name in ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
                 "Europe/London", "Europe/Zurich", "Europe/Helsinki", "Africa/Nairobi", "Asia/Tokyo",
                 "Australia/Sydney", "Pacific/Auckland", "America/St_Johns"):
        zone = ZoneInfo(name)
        if abbreviation(when.replace(tzinfo=zone)) == abbrev:
            out.append(name)
    return out


# --- local views and working hours ---------------------------------------------------------

@dataclass(frozen=True)
class LocalSpan:
    """A segment as seen in one zone."""

    zone: ZoneInfo
    start: datetime
    end: datetime
    abbreviation: str
    day_offset: int  # local start date minus the home-zone start date
    working_hours: str | None  # inside | partly | outside, when hours are known


def local_span(start: datetime, end: datetime, zone: ZoneInfo, *, home_date: date,
               hours: tuple[time, time] | None = None,
               workdays: frozenset[int] = MONDAY_TO_FRIDAY) -> LocalSpan:
    ls, le = start.astimezone(zone), end.astimezone(zone)
    status = working_hours_status(ls, le, hours, workdays) if hours is not None else None
    return LocalSpan(zone, ls, le, abbreviation(ls), (ls.date() - home_date).days, status)


def format_day_offset(days: int) -> str:
    return "" if days == 0 else f"{days:+d}".replace("-", "−")


# --- dates and durations in prose (import-report, suggest) ----------------------------------

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
# English and French (Geneva's notices are often in French: "mardi 23 septembre 2025").
_MONTH_RE = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
             r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
             r"janv(?:ier)?|f[ée]v(?:r(?:ier)?)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[ûu]t|"
             r"sept(?:embre)?|oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?)\.?")
_WEEKDAY_RE = (r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|"
               r"fri(?:day)?|sat(?:urday)?|sun(?:day)?|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\.?")
_FRENCH_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
# The French months whose first three letters are not the English ones' (juin and juillet share "jui").
_FRENCH_MONTHS = {"fév": 2, "fev": 2, "avr": 4, "mai": 5, "juin": 6, "juil": 7, "aoû": 8, "aou": 8, "déc": 12}
_ORDINAL = r"(?:st|nd|rd|th|er)?"
# One date as secretariats write it: "26th September 2023", "the 12th of November 2024",
# "Tuesday, 29 October 2024", "Oct 10, 2023", "October 10th, 2023", "26-Sep-2023", "2023-10-10". Numeric
# day/month orders (10/11/2024) are left out on purpose: they read differently in Geneva and
# New York, and a wrong guess would move a meeting by a month.
DATE_PATTERN = re.compile(
    rf"(?<![\w/-])(?:(?P<weekday>{_WEEKDAY_RE}),?\s+)?(?:"
    rf"(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?:the\s+)?(?P<day1>\d{{1,2}}){_ORDINAL}(?:(?P<dash>-)|(?:\s+of)?\s+)(?P<month1>{_MONTH_RE})(?(dash)-|,?\s+)"
    rf"(?P<year1>\d{{4}})"
    rf"|(?P<month2>{_MONTH_RE})\s+(?:the\s+)?(?P<day2>\d{{1,2}}){_ORDINAL},?\s+(?P<year2>\d{{4}})"
    rf")(?![\w-])",
    re.IGNORECASE)


# A date without its year ("26 Sept", "Tuesday 23 September", "mardi 23 septembre", "Sep 26"),
# and a weekday alone ("Tuesday"): read only with a year or a week to put them in.
_DAY_MONTH = re.compile(
    rf"(?<![\w/-])(?<!\d\s)(?:(?P<weekday>{_WEEKDAY_RE}),?\s+)?(?:(?:the|le)\s+)?(?:"
    rf"(?P<day1>\d{{1,2}}){_ORDINAL}(?:\s+of)?\s+(?P<month1>{_MONTH_RE})"
    rf"|(?P<month2>{_MONTH_RE})\s+(?:the\s+)?(?P<day2>\d{{1,2}}){_ORDINAL})(?![\w-])"
    # not when a year follows ("26 September 23 15:00": 23 is a year, or 23:00; refused as such)
    rf"(?!,?\s+(?:\d{{4}}(?!\d)|\d{{2}}(?![\d:.h])(?!\s*(?:h|[ap]\.?m\.?)(?!\w))))",
    re.IGNORECASE)
_WEEKDAY_ONLY = re.compile(rf"(?<![\w-])(?P<weekday>{_WEEKDAY_RE})(?![\w-])", re.IGNORECASE)


def _month_number(word: str) -> int:
    word = word.rstrip(".").lower()
    for prefix, number in _FRENCH_MONTHS.items():
        if word.startswith(prefix):
            return number
    return next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(word[:3]))


def _weekday_number(word: str) -> int:
    """Monday is 0, as date.weekday() counts: `Tue`, `Tuesday`, `mardi`."""
    word = word.rstrip(".").lower()
    if word in _FRENCH_WEEKDAYS:
        return _FRENCH_WEEKDAYS.index(word)
    return next(i for i, name in enumerate(_WEEKDAYS) if name.startswith(word[:3]))


def date_from_match(m: "re.Match[str]", *, written: str | None = None, check_weekday: bool = True) -> date:
    """The date a DATE_PATTERN match names; a SomError for 31 September or a wrong weekday.

    `written` is the text the messages quote (the match itself by default); check_weekday=False
    leaves the weekday to a later call, for a caller that has other things to say first.
    """
    written = written or m.group(0).strip()
    try:
        if m.group("iso"):
            day = date.fromisoformat(m.group("iso"))
        elif m.group("day1"):
            day = date(int(m.group("year1")), _month_number(m.group("month1")), int(m.group("day1")))
        else:
            day = date(int(m.group("year2")), _month_number(m.group("month2")), int(m.group("day2")))
    except ValueError:
        raise SomError(f"`{written}` is not a date", hint="check the day of the month") from None
    weekday = m.group("weekday")
    if weekday and check_weekday:
        index = _weekday_number(weekday)
        if day.weekday() != index:
            raise SomError(f"`{written}`: {day:%d %B %Y} is a {day:%A}, not a {_WEEKDAYS[index].capitalize()}",
                           hint="check the date")
    return day


def match_date(text: str, *, iso_only: bool = False) -> "re.Match[str] | None":
    """The DATE_PATTERN match of the whole text, or None; iso_only: YYYY-MM-DD and nothing else."""
    m = DATE_PATTERN.fullmatch((text or "").strip())
    if m is None or (iso_only and (not m.group("iso") or m.group("weekday"))):
        return None
    return m


def parse_week(text: str) -> date:
    """The week a weekday written alone falls in (`week`): any day of it, as YYYY-MM-DD; its Monday."""
    m = match_date(text, iso_only=True)
    try:
        day = date_from_match(m) if m else None
    except SomError:
        day = None
    if day is None:
        raise BadValue("week", text.strip(), "is not a date", hint="write a day of the week as YYYY-MM-DD",
                       example="2025-09-22")
    return day - timedelta(days=day.weekday())


def parse_date(text: str, *, iso_only: bool = False) -> date:
    """One date in any of the wordings DATE_PATTERN reads (iso_only: YYYY-MM-DD only)."""
    m = match_date(text, iso_only=iso_only)
    if not m:
        raise SomError(f"cannot read the date `{text}`",
                       hint='write it like "26 September 2023", "Oct 10, 2023" or 2023-09-26')
    return date_from_match(m)


# What is left of a date with a part missing ("26 September", "September 2023", "Tuesday"),
# with or without a time of day: read only to say that the date is not full.
_DATE_WORD = re.compile(
    rf"(?<!\w)(?:{_WEEKDAY_RE}|(?P<month>{_MONTH_RE})|(?P<day>\d{{1,2}}){_ORDINAL}|(?P<year>\d{{4}})|of)(?!\w)",
    re.IGNORECASE)


def _partial_date(text: str) -> bool:
    """Whether `text` is nothing but date words, and misses the day, the month or the year."""
    words = list(_DATE_WORD.finditer(text))
    if re.sub(r"[\s,]", "", _DATE_WORD.sub("", text)):
        return False
    return not all(any(w.group(part) for w in words) for part in ("day", "month", "year"))


def _partial_date_time(text: str) -> bool:
    """Whether `text` is date words with no full date, and at most one time of day."""
    if _partial_date(text):
        return True
    for clock in re.finditer(rf"(?<![\w:.]){_CLOCK}(?:\s*{LABEL_PATTERN})?(?![\w:])", text, re.IGNORECASE):
        before, after = text[: clock.start()].strip(" ,-"), text[clock.end():].strip(" ,-")
        if not (before and after) and _partial_date(before or after):
            try:
                parse_clock(clock.group(0))
            except SomError:
                continue
            return True
    return False


# A time range inside prose: at least one side carries minutes or am/pm, so that "10-12"
# (days, pages, items) is never taken for a time. The label may sit in parentheses, "(CEST)".
TIME_RANGE_SCAN = re.compile(
    rf"(?<![\w:.])(?:(?:from|between|de|entre)\s+)?{_CLOCK}{_DASH}{_CLOCK}(?![\w:])"
    rf"(?:\s*\(?\s*(?P<label>{LABEL_PATTERN})(?![\w+-])\s*\)?)?(?:\s*\((?P<paren>[^)\n]*)\))?",
    re.IGNORECASE)


def time_range_from_match(m: "re.Match[str]") -> TimeRange | None:
    """The TimeRange of a TIME_RANGE_SCAN match, or None when it is not clearly a time range."""
    h1, m1, mer1, h2, m2, mer2 = m.groups()[:6]
    if not (m1 or mer1 or m2 or mer2 or re.search(r"\d\s?h(?!\w)", m.group(0))):  # "15 h à 17 h" is French for times
        return None
    body = m.group(0)[: m.start("label") - m.start()] if m.group("label") else m.group(0)
    if m.group("paren") and not m.group("label"):
        body = body[: m.start("paren") - m.start() - 1]
    text = body.strip().rstrip("(").strip() + (f" {m.group('label')}" if m.group("label") else "")
    if m.group("paren"):
        text += f" ({m.group('paren')})"
    try:
        return parse_time_range(text)
    except SomError:
        return None


_DURATION = re.compile(
    r"^\s*(?:(?P<h>\d+(?:[.,]\d+)?)\s*(?:h|hrs?|hours?)\s*(?:(?P<hm>\d+)\s*(?:m|mins?|minutes?)?)?"
    r"|(?P<m>\d+)\s*(?:m|mins?|minutes?)"
    r"|(?P<ch>\d+):(?P<cm>\d{2}))\s*$", re.IGNORECASE)


def parse_duration(text: str, *, what: str = "duration") -> timedelta:
    """`2h`, `90m`, `1h30`, `1h30m`, `1.5h`, `1:30`, `2 hours`, `45 minutes`: whole minutes, above zero."""
    m = _DURATION.match(text or "")
    if not m:
        raise SomError(f"cannot read the {what} `{text}`", hint="write it like 2h, 90m, 1h30 or 1:30")
    if m.group("h") is not None:
        minutes = float(m.group("h").replace(",", ".")) * 60 + int(m.group("hm") or 0)
    elif m.group("m") is not None:
        minutes = int(m.group("m"))
    else:
        if int(m.group("cm")) >= 60:
            raise SomError(f"`{text}` is not a {what}", hint="minutes run 0-59: write 1:30 for an hour and a half")
        minutes = int(m.group("ch")) * 60 + int(m.group("cm"))
    if minutes != int(minutes):
        raise SomError(f"the {what} `{text}` is not a whole number of minutes", hint="write it like 1h30 or 90m")
    if minutes <= 0:
        raise SomError(f"the {what} `{text}` is zero", hint="give a length above zero, e.g. 2h")
    if minutes > 24 * 60:
        raise SomError(f"the {what} `{text}` is longer than a day", hint="split it into several segments")
    return timedelta(minutes=int(minutes))


# --- instants written by machines --------------------------------------------------------------
# Not people's text (DATE_PATTERN reads that) but the fixed forms that mail software and som's
# own records write. Each gives None for text not in its form: a message that cannot be dated
# is still read, and dated another way.

def parse_utc_stamp(text: str | None) -> datetime | None:
    """`2023-10-02T09:15:42Z` (or with an offset), as som's records keep instants."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_mail_date(text: str) -> datetime | None:
    """An e-mail date (RFC 5322: the Date header, the end of a Received header) as written:
    naive when it says its zone is unknown (`-0000`)."""
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def parse_mbox_date(text: str) -> datetime | None:
    """The date on an mbox From_ line: asctime (`Mon Oct  2 09:15:42 2023`), which is UTC by
    convention, or the RFC 5322 date some writers put there instead."""
    when = parse_mail_date(text.strip())
    if when is None:
        try:
            when = datetime.strptime(" ".join(text.split()), "%a %b %d %H:%M:%S %Y")
        except ValueError:
            return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def parse_imap_date(text: str) -> datetime | None:
    """An IMAP INTERNALDATE (RFC 3501: `02-Oct-2023 09:15:42 +0000`), in UTC."""
    try:
        return datetime.strptime(text.strip(), "%d-%b-%Y %H:%M:%S %z").astimezone(UTC)
    except ValueError:
        return None


def local_days(start: datetime, end: datetime) -> list[date]:
    """The local calendar days a span touches, in the zone of `start` and `end` (an end at
    midnight touches no new day): what a holiday check looks at, in check, the page and the bands."""
    last = (end - timedelta(microseconds=1)).date()
    days, day = [], start.date()
    while day <= last:
        days.append(day)
        day += timedelta(days=1)
    return days
