"""The 24-hour bands: one row per member city, the same instants in every column, the segment's
span drawn across all rows at once, as world meeting planners draw them. Inline SVG, readable
in print and without colour: night is dark with light digits, working hours a light tint with
a dot under the digit, holidays (the members' duty-station calendar, else their country's
public holidays: the days `som check` warns of) hatched and named in the row's label
("holiday: …" only on a local day the segment touches, else with the day, "Mon 9 Oct: …"), the
segment a thick outline; a legend says so. Used by the page (agenda.render.page), `schedule.svg` and
`som suggest` (agenda.render.suggest.suggestion_svg).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import escape
from zoneinfo import ZoneInfo

from agenda.model.holidays import closing_days
from agenda.model.hours import local_fit
from agenda.model.meeting import Member
from agenda.model.timeplan import UTC, abbreviation, format_offset, local_days
from agenda.render.agenda_doc import SEMICOLONS
from agenda.render.language import RIGHT_TO_LEFT, Words

LABEL = 178  # width of the row labels
CELL = 26  # one hour
BAND = 22  # height of a band
ROW = 27  # band and gap
HEAD = 44  # title and the hours axis
LEGEND = 40
WIDTH = LABEL + 24 * CELL + 8

NIGHT_FILL, NIGHT_TEXT = "#1f2933", "#ffffff"
WORK_FILL = "#cfe8d4"
OTHER_FILL = "#ffffff"
LINE = "#5b6770"


# Up to this many members, each band names its city's members; above it, it says how many: the
# acronyms of 10,000 members made every band some 45 lines tall. The page's members table
# follows the same limit (render/page.py).
MEMBERS_LISTED = 1000


def _sayer(words: Words | None):
    """Our phrases in `words`' language; English (None) is the message ids themselves, so the
    English bands keep their bytes."""
    if words is None:
        return lambda message, **values: message.format(**values)
    say = words.say
    return lambda message, **values: _isolated(say(message, **values), words)


def _isolated(text: str, words: Words | None) -> str:
    """Right-to-left text isolated (FSI … PDI) in the bands' left-to-right lines, so that the
    bidi algorithm keeps its digits and brackets in its own order."""
    return f"\u2068{text}\u2069" if words is not None and words.lang in RIGHT_TO_LEFT else text


def _weekday(day: date, words: Words | None) -> str:
    """`Tue`, or CLDR's abbreviated weekday (`mar.`)."""
    return words.date_form(day, "EEE") if words is not None else f"{day:%a}"


def _day(day: date, words: Words | None) -> str:
    """`Mon 9 Oct`, or CLDR's month-and-day with weekday in that language."""
    return _isolated(words.skeleton(day, "MMMEd"), words) if words is not None else f"{day:%a} {day.day} {day:%b}"


@dataclass(frozen=True)
class City:
    """One band: the members who share a city, a zone, a working week and a holiday calendar."""

    city: str
    zone: ZoneInfo
    members: tuple[Member, ...]
    home: bool = False

    @property
    def hours(self) -> tuple[time, time]:
        return self.members[0].hours

    @property
    def workdays(self) -> frozenset[int]:
        return self.members[0].workdays


@dataclass(frozen=True)
class Span:
    """What is drawn across the bands: a segment, or a candidate of `som suggest`."""

    key: str  # unique within a document: prefixes the SVG's ids
    title: str
    start: datetime  # aware, home zone
    end: datetime
    cancelled: bool = False


def cities(members: tuple[Member, ...], home_zone: ZoneInfo, home_city: str | None, at: datetime) -> list[City]:
    """Members grouped into bands, west to east by their offset at `at`, the home city first of
    its offset."""
    groups: dict[tuple, list[Member]] = {}
    for m in members:
        groups.setdefault((m.city, m.zone.key, m.hours, m.workdays, m.country, m.subdivision, m.calendar),
                          []).append(m)
    out = [City(key[0], ZoneInfo(key[1]), tuple(ms), home=(key[0] == home_city and key[1] == home_zone.key))
           for key, ms in groups.items()]
    out.sort(key=lambda c: (at.astimezone(c.zone).utcoffset(), not c.home, c.city.casefold()))
    return out


def window_start(span: Span) -> datetime:
    """The first instant drawn (UTC): local midnight of the segment's home day, moved later by
    whole hours when the segment would run past the 24 columns."""
    midnight = datetime.combine(span.start.date(), time(0), tzinfo=span.start.tzinfo).astimezone(UTC)
    end = span.end.astimezone(UTC)
    while end > midnight + timedelta(hours=24):
        midnight += timedelta(hours=1)
    return midnight


def _holidays(city: City, instants: list[datetime]) -> dict[date, str]:
    """The city's holidays on the local days of the cells drawn (each cell judged at its middle)."""
    days = sorted({(i + timedelta(minutes=30)).astimezone(city.zone).date() for i in instants})
    calendar = closing_days(city.members[0], tuple(sorted({d.year for d in days})))
    return {d: calendar[d].name for d in days if d in calendar}


def _labelled(span: Span, rows: list[City], instants: list[datetime],
              words: Words | None = None) -> list[tuple[City, dict[date, str], list[tuple[str, bool]]]]:
    """The bands to draw, each with its holidays and the small lines under its city: the members
    (always: named, or counted above MEMBERS_LISTED), what tells apart two bands of one city, and the holidays. Bands of one city that
    differ only by their holiday calendar are one band when the calendars mark the same days in
    the 24 hours shown. A holiday is "holiday: …" only on a local day the meeting touches;
    a holiday elsewhere in the 24 hours is named with its day, so nobody reads the members as
    off during the meeting."""
    merged: dict[tuple, tuple[City, dict[date, str]]] = {}
    for city in rows:
        holidays = _holidays(city, instants)
        key = (city.city, city.zone.key, city.hours, city.workdays, tuple(sorted(holidays.items())))
        if key in merged:
            kept, _ = merged[key]
            city = City(kept.city, kept.zone, kept.members + city.members, home=kept.home or city.home)
        merged[key] = (city, holidays)
    same_city: dict[tuple[str, str], list[City]] = {}
    for city, _ in merged.values():
        same_city.setdefault((city.city, city.zone.key), []).append(city)
    say = _sayer(words)
    named = sum(len(city.members) for city in rows) <= MEMBERS_LISTED
    out = []
    for city, holidays in merged.values():
        lines = [(line, False) for line in _wrap([m.acronym for m in city.members], 34)] if named else \
            [(say("{n} members", n=len(city.members)), False)]
        siblings = same_city[(city.city, city.zone.key)]
        if len(siblings) > 1:
            lines.append((_apart(city, siblings, words), False))
        during = set(local_days(span.start.astimezone(city.zone), span.end.astimezone(city.zone)))
        on = sorted({name for d, name in holidays.items() if d in during})
        if on:
            lines.append((say("holiday: {names}", names=_semicolons(on, words)), True))
        lines += [(say("{day}: {holiday}", day=_day(d, words), holiday=name), True)
                  for d, name in sorted(holidays.items()) if d not in during]
        out.append((city, holidays, lines))
    return out


def _wrap(words: list[str], limit: int) -> list[str]:
    """The members' acronyms on as many lines as they need: a list cut short would hide who is there."""
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 2 + len(word) + 1 <= limit:  # + 1: the comma if another line follows
            lines[-1] += ", " + word
        else:
            if lines:
                lines[-1] += ","
            lines.append(word)
    return lines


def _apart(city: City, siblings: list[City], words: Words | None = None) -> str:
    """What sets a band apart from the other bands of its city: the holiday calendars, the
    working hours, the working week."""
    say = _sayer(words)
    parts = []
    calendars = sorted({m.holidays_name for m in city.members})
    if any(sorted({m.holidays_name for m in c.members}) != calendars for c in siblings):
        parts.append(" + ".join(calendars))
    if any(c.hours != city.hours for c in siblings):
        parts.append(say("hours {start}–{end}", start=f"{city.hours[0]:%H:%M}", end=f"{city.hours[1]:%H:%M}"))
    if any(c.workdays != city.workdays for c in siblings):
        monday = date(2024, 1, 1)  # a Monday: another language's weekday names come from a day of each
        names = [("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[d] if words is None else
                 _weekday(monday + timedelta(days=d), words) for d in sorted(city.workdays)]
        parts.append(say("works {days}", days=" ".join(names)))
    return _semicolons(parts, words)


def _semicolons(parts: list[str], words: Words | None) -> str:
    """`a; b` as the language separates a list (French ` ; `, Chinese `；`)."""
    return "; ".join(parts) if words is None else words.joined(parts, SEMICOLONS)


def schedule_title(title: str, words: Words | None = None) -> str:
    """The title of schedule.svg, every segment's bands in one file."""
    say = _sayer(words)
    return say("{title}: every segment in every member city", title=title)


def _x(instant: datetime, first: datetime) -> float:
    return LABEL + (instant - first).total_seconds() / 3600 * CELL


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _e(text: str) -> str:
    return escape(text, quote=True)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip(", ") + "…"


def span_label(span: Span, words: Words | None = None) -> str:
    a, b = abbreviation(span.start), abbreviation(span.end)
    zone = a if a == b else f"{a}/{b}"
    utc_start, utc_end = span.start.astimezone(UTC), span.end.astimezone(UTC)
    day = _isolated(words.skeleton(span.start.date(), "yMMMEd"), words) if words is not None else f"{span.start:%a %d %b %Y}"
    return (f"{day}, {span.start:%H:%M}–{span.end:%H:%M} {zone} "
            f"({utc_start:%H:%M}–{utc_end:%H:%M} UTC)")


def band_group(span: Span, rows: list[City], *, home_city: str | None, y: float = 0,
               words: Words | None = None) -> tuple[list[str], float]:
    """The SVG elements of one span over its bands, placed at `y`; returns (elements, height)."""
    say = _sayer(words)
    first = window_start(span)
    key = span.key
    out = [f'<g class="bands" transform="translate(0 {_num(y)})">',
           f'<text x="4" y="15" font-size="13" font-weight="bold">{_e(span.title)}'
           f'{say(" (cancelled)") if span.cancelled else ""}</text>',
           f'<text x="4" y="31" font-size="11">{_e(span_label(span, words))}'
           f'{", " + _e(home_city) if home_city else ""}</text>']
    top = HEAD
    instants = [first + timedelta(hours=i) for i in range(24)]
    ry = top
    for city, holidays, lines in _labelled(span, rows, instants, words):
        local = span.start.astimezone(city.zone)
        label_weight = ' font-weight="bold"' if city.home else ""
        out.append(f'<text x="4" y="{ry + 10}" font-size="11"{label_weight}>{_e(city.city)} '
                   f'<tspan font-size="9">{_e(format_offset(local.utcoffset()))}</tspan></text>')
        for n, (line, italic) in enumerate(lines):
            style = ' font-style="italic"' if italic else ""
            out.append(f'<text x="4" y="{ry + 20 + 9 * n}" font-size="8"{style}>{_e(_shorten(line, 34))}</text>')
        previous = None
        for i, instant in enumerate(instants):
            lt = instant.astimezone(city.zone)
            mid = (instant + timedelta(minutes=30)).astimezone(city.zone)
            holiday = mid.date() in holidays
            # The hour is judged at its middle minute by the rule schedule, check and suggest use.
            judged = local_fit(mid, mid + timedelta(minutes=1), city.hours, city.workdays, holidays)
            if judged.status == "inside":
                kind = "work"
            elif judged.reason == "night":
                kind = "night"
            else:
                kind = "other"
            fill = {"night": NIGHT_FILL, "work": WORK_FILL, "other": OTHER_FILL}[kind]
            cx = LABEL + i * CELL
            out.append(f'<rect x="{cx}" y="{ry}" width="{CELL - 1}" height="{BAND}" fill="{fill}" '
                       f'stroke="{LINE}" stroke-width="0.5"/>')
            if holiday:
                out.append(f'<rect x="{cx}" y="{ry}" width="{CELL - 1}" height="{BAND}" fill="url(#{key}-hatch)"/>')
            color = NIGHT_TEXT if kind == "night" else "#000000"
            new_day = previous is not None and lt.date() != previous
            previous = lt.date()
            if new_day:
                text, weight = _e(_weekday(lt.date(), words)), ' font-weight="bold"'
                out.append(f'<line x1="{cx}" y1="{ry - 2}" x2="{cx}" y2="{ry + BAND + 2}" stroke="#000000" '
                           f'stroke-width="2"/>')
            else:
                text, weight = (f"{lt.hour}" if lt.minute == 0 else f"{lt.hour}:{lt.minute:02d}"), ""
            size = 10 if len(text) <= 2 else 8
            if new_day and len(text) > 4:  # a long weekday name (Arabic's): smaller, to stay in its cell
                size = 6
            out.append(f'<text x="{cx + (CELL - 1) / 2:.1f}" y="{ry + 14}" font-size="{size}" text-anchor="middle" '
                       f'fill="{color}"{weight}>{text}</text>')
            if kind == "work":
                out.append(f'<circle cx="{cx + (CELL - 1) / 2:.1f}" cy="{ry + 19}" r="1.4" fill="#000000"/>')
        ry += max(ROW, 20 + 9 * (len(lines) - 1) + 7)
    bottom = ry
    x1, x2 = _x(span.start.astimezone(UTC), first), _x(span.end.astimezone(UTC), first)
    dash = ' stroke-dasharray="6 3"' if span.cancelled else ""
    out.append(f'<rect x="{_num(x1)}" y="{top - 5}" width="{_num(x2 - x1)}" height="{bottom - top + 3}" '
               f'fill="#ffd54f" fill-opacity="0.18" stroke="#000000" stroke-width="2.5"{dash}/>')
    out.append(f'<text x="{_num((x1 + x2) / 2)}" y="{top - 7}" font-size="9" text-anchor="middle" '
               f'font-weight="bold">{say("cancelled") if span.cancelled else say("meeting")}</text>')
    ly = bottom + 10
    out += _legend(key, ly, words)
    out.append("</g>")
    return out, ly + LEGEND - 10


def _width(text: str) -> int:
    """About how wide a legend's text is drawn at 10 px: a CJK character is about twice a Latin one."""
    wide = sum(1 for c in text if "\u2e80" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
    return int(len(text) * 5.4 + wide * 4.6)


def _legend(key: str, y: float, words: Words | None = None) -> list[str]:
    say = _sayer(words)
    items = [(say("night (00–06)"), NIGHT_FILL, None), (say("working hours"), WORK_FILL, "dot"),
             (say("awake, outside working hours or weekend"), OTHER_FILL, None), (say("holiday"), OTHER_FILL, "hatch")]
    out, x = [], 4
    for text, fill, mark in items:
        out.append(f'<rect x="{x}" y="{y}" width="14" height="12" fill="{fill}" stroke="{LINE}" stroke-width="0.5"/>')
        if mark == "hatch":
            out.append(f'<rect x="{x}" y="{y}" width="14" height="12" fill="url(#{key}-hatch)"/>')
        if mark == "dot":
            out.append(f'<circle cx="{x + 7}" cy="{y + 9}" r="1.4" fill="#000000"/>')
        out.append(f'<text x="{x + 18}" y="{y + 10}" font-size="10">{_e(text)}</text>')
        x += 24 + _width(text)
    out.append(f'<rect x="{x}" y="{y}" width="20" height="12" fill="#ffd54f" fill-opacity="0.18" stroke="#000000" '
               f'stroke-width="2.5"/>')
    out.append(f'<text x="{x + 24}" y="{y + 10}" font-size="10">{_e(say("the meeting"))}</text>')
    every = say("Each cell is one hour, the same instant in every row; digits are local hours, a weekday marks local midnight.")
    out.append(f'<text x="4" y="{y + 26}" font-size="9">{_e(every)}</text>')
    return out


def _defs(keys: list[str]) -> list[str]:
    out = ["<defs>"]
    for key in keys:
        out.append(f'<pattern id="{key}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
                   f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#808080" '
                   f'stroke-width="1.6"/></pattern>')
    out.append("</defs>")
    return out


def bands_svg(spans: list[tuple[Span, list[City]]], *, home_city: str | None, title: str,
              standalone: bool = False, label_id: str | None = None, words: Words | None = None) -> str:
    """One SVG with each span's bands stacked. `standalone`: a file of its own (XML declaration,
    namespace); else inline in HTML, labelled by `label_id`'s title. `words`: our words in that
    language (None: English)."""
    say = _sayer(words)
    body: list[str] = []
    y = 0.0
    for span, rows in spans:
        group, height = band_group(span, rows, home_city=home_city, y=y, words=words)
        body += group
        y += height + 16
    height = int(y)
    ident = label_id or "bands"
    cancelled = say(" (cancelled)")
    desc = (say("One row per member city: each cell is an hour, the same instant down the column, labelled with the local hour; dark cells are night, tinted cells with a dot are working hours, hatched cells holidays; the outlined block is the meeting.")
            + " " + " ".join(f"{s.title}{cancelled if s.cancelled else ''}: {span_label(s, words)}." for s, _ in spans))
    head = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
            f'height="{height}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
            f'font-family="DejaVu Sans, Verdana, Arial, sans-serif">',
            f'<title id="{ident}-title">{_e(title)}</title>', f'<desc id="{ident}-desc">{_e(desc)}</desc>']
    head += _defs([s.key for s, _ in spans])
    head.append(f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>')
    text = "\n".join(head + body + ["</svg>"]) + "\n"
    if standalone:
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + text
    return text
