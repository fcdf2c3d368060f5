"""`som import-report`: a meeting report or notice written in prose → a meeting file.

What it reads (and only that; whatever it cannot place it reports as a warning):

- segments: a date ("26th September 2023", "the 12th of November 2024", "Tuesday, 29 October
  2024", "Oct 10, 2023", 2023-10-10) with a time range next to it in the same paragraph or
  list line ("15:00 – 17:00 CEST", "2 pm – 3.30 pm CET", "from 15:00 to 17:00 CET (Geneva
  time)", "14:00-15:30"); its title from a label before it ("Technical Segment:") or the
  nearest "... Segment/Meeting/Session" phrase; labelled fields next to it (Venue, Location,
  Platform, Distribution, Symbol, Chair), a platform ("via Zoom") and a link;
- the meeting: its number and title ("29th Senior Officials Meeting"), the issuing body (the
  capitalised lines at the top), the home zone from "(Geneva time)" or the zone given;
- document symbols (EMG SOM29/midterm, EMGSOM29/midterm/02, UNEP/EA.6/1): the one by the
  segment's date is its symbol, the others go to the agenda item whose text names them;
- agenda items: a numbered list under an "Agenda" heading, or the numbered section headings
  of a report, with sub-items (a), (b)... and timings "(15 min)".

Times are checked like every time in a meeting file: a CEST label on a November date is an
error naming the right label. Nothing is invented: no organizer address unless the text has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from agenda.model.errors import SomError, ZoneAssumed
from agenda.model.ids import slug
from agenda.model.timeplan import (CITY_TIME, DATE_PATTERN, TIME_RANGE_SCAN, TimeRange, city_zone, date_from_match,
                             find_city_time, parse_date, resolve_zone, segment_instants, time_range_from_match,
                             zone_label)

DEFAULT_ZONE = "Europe/Zurich"  # the EMG secretariat's, when the text names no city

FIELD_LABELS = ("date and time", "date", "time", "venue", "location", "place", "platform", "distribution",
                "symbol", "document symbol", "chair", "chaired by", "when", "where",
                # French notices
                "lieu", "salle", "président", "présidente", "présidence", "cote", "heure", "horaire", "plateforme")
# Labels that only end the value before them ("Where: Zoom  Link: https://...").
OTHER_LABELS = ("link", "join", "joining link", "registration", "register", "contact", "e-mail", "email", "phone",
                "dial-in", "meeting id", "passcode", "password", "language", "languages", "interpretation", "subject",
                "online", "lien", "en ligne", "inscription", "objet")
_FIELD = re.compile(r"(?<![\w])(" + "|".join(sorted((re.escape(f) for f in FIELD_LABELS + OTHER_LABELS), key=len,
                                                     reverse=True))
                    + r")\s*:\s*", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_SYMBOL = re.compile(r"(?<![\w/.])(?:[A-Z]{2,}[ \t](?=[A-Z]))?[A-Z][A-Za-z0-9.()-]*(?:/[A-Za-z0-9.()-]+)+")
_DAY_RANGE = re.compile(r"(?<![\w/-])(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|—|to|and)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?"
                        r"(?:\s+of)?\s+(?P<month>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?),?\s+"
                        r"(?P<year>\d{4})(?![\w-])", re.IGNORECASE)
_TITLE_WORDS = r"(?:Segment|Meeting|Session|Consultation|Dialogue|Workshop|Briefing|Retreat|Conference)"
_TITLE_PHRASE = re.compile(rf"((?:(?:[A-Z][\w’'-]*|of|on|for|and|the)\s+){{0,5}}{_TITLE_WORDS})\b")
_FRENCH_TITLE = re.compile(r"\b((?:[Ss]egment|[Ss]éance|[Ss]ession|[Rr]éunion)[ \t]+(?:de[ \t]+haut[ \t]+niveau|technique|préparatoire|"
                           r"plénière|ministérielle|ministériel|spéciale|extraordinaire|informelle))\b")
_OF_THE_NAME = re.compile(r"\b((?:[a-z-]+[ \t]+)?(?:review|meeting|session|consultation|briefing|retreat|call)[ \t]+of[ \t]+"
                          r"the[ \t]+[A-Z][\w-]*(?:[ \t]+(?:[A-Z][\w-]*|on|and|of|for|the))*[ \t]+[A-Z][\w-]*)\b")
_ON_TOPIC = re.compile(r"\b((?:[A-Z][\w-]*[ \t]+)*(?:Consultation|Dialogue|Briefing|Workshop|Retreat|Webinar)[ \t]+"
                       r"(?:on|for)[ \t]+[^,.;:()]+?)(?=[ \t]+(?:on|in|at|from|will|which)[ \t]|[ \t]*[,.;:(]|[ \t]*$)")
_PLAIN_TITLE = re.compile(r"\b((?:[\w-]+\s+)?(?:meeting|call|review|session|briefing|consultation|segment|workshop|"
                          r"webinar|dialogue))\b", re.IGNORECASE)
_VENUE = re.compile(r"\b(?:in|at|dans\s+la|à\s+la|au)\s+((?:the\s+)?(?:Conference\s+Room|Room|Hall|Palais des Nations|Headquarters|"
                    r"[Ss]alle)\b"
                    r"[^.;\n]*?)(?=,?\s+and\b|,?\s+online\b|,?\s+(?:from|de)\s+\d|[.;\n]|$)")
# A place after the time on a segment's line: "..., 14:00–16:00 CET, Room XII, Palais des Nations"
_TRAILING_PLACE = re.compile(r"(?:\d\d|\b(?:CET|CEST|UTC|GMT|EST|EDT|EAT|WAT|CAT)|[Tt]ime\)|Genève\))\s*,\s*((?:Conference\s+Room|Room|[Ss]alle|Palais\s+des\s+Nations|[Oo]nline|"
                             r"[Ee]n\s+ligne)\b[^;\n]*?)\.?\s*$")
_MEETING_LINK = re.compile(r"https?://(?:[\w-]+\.)*(?:teams\.microsoft\.com|teams\.live\.com|zoom\.us|zoomgov\.com|"
                           r"webex\.com|meet\.google\.com|interprefy\.\w+|kudoway\.com)/", re.IGNORECASE)
_LEAD_LABEL = re.compile(r"^\s*(?:[-*•]\s*)?(?P<title>[^:|\n]{3,90}?)\s*(?::(?!\d)|\||–|—|\s-\s)\s*")
_MEETING_TITLE = re.compile(
    r"\b(?P<number>\d{1,3})(?:(?:st|nd|rd|th)[ \t]+(?P<words>(?:[A-Z][\w-]*[ \t]+){0,5}(?:Meeting|Session|Conference)"
    r"(?:[ \t]+of(?:[ \t]+the)?(?:[ \t]+[A-Z][\w-]*){1,6}){0,2})"
    # French: "31e réunion des hauts fonctionnaires du Groupe ...", to the end of the line
    r"|(?:e|ème|re)[ \t]+(?P<fr>(?:réunion|session|séance|conférence)\b[^\n.:;,]{0,100}))")
_PLATFORM = re.compile(r"\b(?:via|on|through|using)\s+(?P<p>Zoom|(?:MS|Microsoft)\s+Teams|Webex|WebEx|Google\s+Meet|"
                       r"Interprefy|KUDO|Skype)\b")
_ITEM = re.compile(r"^\s{0,3}(?:[-*•]\s*)?(?:item\s+|point\s+)?(?P<n>\d{1,2})[.:)]\s+(?P<t>\S.*)$", re.IGNORECASE)
_SUBITEM = re.compile(r"^\s*(?:[-*•]\s*)?(?:\((?P<a>[a-z]|[ivx]{1,4})\)|(?P<b>[a-z])\))\s+(?P<t>\S.*)$")
_AGENDA_HEADING = re.compile(
    r"^\s*(?:#+\s*)?(?:(?:provisional|draft|annotated)\s+)?(?:agenda|ordre\s+du\s+jour(?:\s+(?:provisoire|annoté))*)\b"
    r"(?:[^a-z]*|\s*(?:\(|[:–—-]|for\s+the|of\s+the|du|de\s+la|pour\s+l[ae])\s*(?P<seg>[^()\n]{3,80}?)\s*\)?\s*:?\s*)$",
    re.IGNORECASE)
_SEGMENT_WORDS = re.compile(r"\b(?:segment|session|meeting|séance|réunion|briefing|dialogue|consultation|workshop)\b",
                            re.IGNORECASE)
# Titles before a name: "Ms. Jane Doe" is one value, not a sentence that ends after "Ms".
_HONORIFIC_END = re.compile(r"(?:^|\s)(?:Ms|Mr|Mrs|Dr|Prof|H\.E|S\.E|Mme|M|Amb|St|No|Rm)$")
_GREETING = re.compile(r"^(?:dear|chers?|madame|monsieur|kind(?:est)? regards|best regards|regards|sincerely|yours|"
                       r"with best|cordialement|veuillez agréer|subject|objet)\b", re.IGNORECASE)
_MINUTES = re.compile(r"\s*[(\[]\s*(\d{1,3})\s*(?:min|mins|minutes|′)\s*[)\]]\s*$", re.IGNORECASE)
_LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)]|\([a-z]{1,4}\))\s+")
_SINGLE_TIME = re.compile(r"(?<![\w:.])\d{1,2}(?:[:.h]\d{2}\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?)(?![\w:])", re.IGNORECASE)
_CHAIRED_BY = re.compile(r"\bchaired by\s+((?:\b(?:Ms|Mr|Mrs|Dr|Prof|H\.E)\.\s|[^.\n])+)")
_TIME_OR_DATE_WORDS = re.compile(r"^(?:subject|date|time|from|to)\s*:", re.IGNORECASE)
_SMALL_WORDS = {"of", "the", "and", "for", "on", "in", "to", "a", "an"}
_FRENCH_SMALL = {"de", "du", "des", "la", "le", "les", "et", "à", "d", "l"}
# Words of a segment's title that say what it is rather than which one: not used for its id.
_GENERIC = {"segment", "session", "meeting", "séance", "réunion"}


@dataclass
class Item:
    title: str
    line: int
    minutes: int | None = None
    documents: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    items: list["Item"] = field(default_factory=list)


@dataclass
class ReadSegment:
    title: str
    day: date
    rng: TimeRange
    written: str
    line: int
    unit: int  # index of the paragraph or list line it was read from
    location: str | None = None
    online_url: str | None = None
    symbol: str | None = None
    distribution: str | None = None
    chair: str | None = None
    items: list[Item] = field(default_factory=list)
    id: str = ""


@dataclass
class ReadMeeting:
    id: str
    title: str
    body: str | None
    zone: str
    segments: list[ReadSegment]
    online_url: str | None = None
    organizer_email: str | None = None
    organizer_name: str | None = None


@dataclass(frozen=True)
class ReadReport:
    meeting: ReadMeeting
    warnings: tuple[SomError, ...]  # what was not read, or was read with a guess: str() of each says it


@dataclass
class _Unit:
    """A paragraph, or one line of a list: the span in which a date and a time belong together."""

    text: str
    start: int  # offset of the first character in the cleaned text
    line: int
    lines: list[int]  # line number of each line in it
    widths: list[int]  # characters each line takes in `text` (with the joining space)


# --- text ---------------------------------------------------------------------------------

def _clean(text: str) -> str:
    """Markdown emphasis and odd spaces out; one line per line; no characters TOML cannot hold."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = re.sub(r"[\u00a0\u2007\u202f]", " ", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?!\w)", r"\1", text)
    text = re.sub(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?!\w)", r"\1", text)
    return "".join(c if c in "\n\t" or (ord(c) >= 32 and not 0x7f <= ord(c) < 0xa0 and not 0xd800 <= ord(c) < 0xe000)
                   else " " for c in text)


def _units(lines: list[str]) -> list[_Unit]:
    units: list[_Unit] = []
    current: list[tuple[int, str]] = []
    offset = 0
    offsets = []
    for line in lines:
        offsets.append(offset)
        offset += len(line) + 1

    def flush():
        if current:
            text = " ".join(t.strip() for _, t in current)
            units.append(_Unit(text, offsets[current[0][0] - 1], current[0][0], [n for n, _ in current],
                               [len(t.strip()) + 1 for _, t in current]))
            current.clear()

    for number, line in enumerate(lines, 1):
        if not line.strip() or set(line.strip()) <= set("-=_*#|\t "):
            flush()
            continue
        if _LIST_LINE.match(line) or _SUBITEM.match(line) or _ITEM.match(line) or _AGENDA_HEADING.match(line) \
                or "|" in line or _labelled_segment_line(line):
            flush()
            current.append((number, line))
            flush()
            continue
        current.append((number, line))
    flush()
    return units


def _labelled_segment_line(line: str) -> bool:
    """`Technical Segment: Tuesday, 23 September 2025, 15:00-17:00`: one segment a line, even when
    the next line is another one (a paragraph would join them and give both the first label)."""
    label = _LEAD_LABEL.match(line)
    if label is None or label.group("title").strip().lower() in FIELD_LABELS:
        return False
    return bool(DATE_PATTERN.search(line, label.end()))


def _line_of(unit: _Unit, position: int) -> int:
    """The line number of a character position inside a unit's joined text."""
    seen = 0
    for number, width in zip(unit.lines, unit.widths):
        if position < seen + width:
            return number
        seen += width
    return unit.lines[-1]


def _title_case(text: str) -> str:
    words = text.lower().split()
    small = _SMALL_WORDS | {"de", "du", "des", "la", "le", "les", "et"}
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _strip_symbol(symbol: str) -> str:
    symbol = symbol.rstrip(".,;:")
    while symbol.endswith(")") and symbol.count(")") > symbol.count("("):
        symbol = symbol[:-1]
    return symbol


def _symbols(text: str) -> list[tuple[int, str]]:
    hidden = _URL.sub(lambda m: " " * len(m.group(0)), text)
    hidden = _EMAIL.sub(lambda m: " " * len(m.group(0)), hidden)
    out = []
    for m in _SYMBOL.finditer(hidden):
        symbol = _strip_symbol(m.group(0))
        if re.search(r"\d", symbol) and not re.fullmatch(r"[\d/.-]+", symbol):
            out.append((m.start(), symbol))
    return out


# --- the reader -----------------------------------------------------------------------------

class _Reader:
    def __init__(self, text: str, name: str, zone: str | None):
        self.name = name
        self.text = _clean(text)
        self.lines = self.text.split("\n")
        self.units = _units(self.lines)
        self.warnings: list[SomError] = []
        self.zone_name = zone
        self.zone_given = zone is not None

    def warn(self, line: int | None, message: str | SomError) -> None:
        self.warnings.append(message.at(self.name, line) if isinstance(message, SomError) else
                             SomError(message, file=self.name, line=line))

    def error(self, line: int | None, message: str, hint: str | None = None) -> SomError:
        return SomError(message, file=self.name, line=line, hint=hint)

    # -- zone

    def home_zone(self) -> tuple[str, str | None]:
        """The zone the times are written in, and the city the text names for it."""
        if self.zone_name is not None:  # the zone was given (zone_given)
            return resolve_zone(self.zone_name).key, None
        for m in CITY_TIME.finditer(self.text):
            named = find_city_time(m.group(0))
            if named is not None and named.zone:
                return named.zone, named.city
        # "will be held in New York on ..., from 8.00 to 10.00 am local time": the city of the sentence
        for m in re.finditer(r"\bin\s+([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\b(?:[^.]|\.(?=\d)){0,120}?\blocal\s+time\b", self.text):
            zone = city_zone(m.group(1))
            if zone:
                return zone, m.group(1)
        return DEFAULT_ZONE, None

    # -- segments

    def segments(self, zone: str, city: str) -> list[ReadSegment]:
        found: list[ReadSegment] = []
        loose_dates: list[tuple[int, str, date]] = []
        for index, unit in enumerate(self.units):
            dates = self._dates(unit)
            ranges = [(m, r) for m in TIME_RANGE_SCAN.finditer(unit.text) if (r := time_range_from_match(m))]
            used: set[int] = set()
            for i, (start, end, written_date, day) in enumerate(dates):
                next_start = dates[i + 1][0] if i + 1 < len(dates) else len(unit.text)
                prev_end = dates[i - 1][1] if i else 0
                if i + 1 < len(dates) and dates[i + 1][0] == start:  # "26-27 September": both days share the time
                    next_start = len(unit.text) if i + 2 >= len(dates) else dates[i + 2][0]
                after = [k for k, (rm, _) in enumerate(ranges) if end <= rm.start() < next_start]
                before = [k for k, (rm, _) in enumerate(ranges) if prev_end <= rm.start() and rm.end() <= start
                          and k not in used]
                pick = after[0] if after else (before[-1] if before else None)
                line = _line_of(unit, start)
                if pick is None:
                    loose_dates.append((line, written_date, day))
                    continue
                used.add(pick)
                rm, rng = ranges[pick]
                written = f"{written_date}, {rm.group(0).strip()}"
                if rng.paren and re.search(_TITLE_WORDS, rng.paren):  # "14:00-15:30 CEST (Senior Segment)"
                    title = _segment_part(rng.paren)
                    rng = replace(rng, paren=None)
                else:
                    title = self.segment_title(unit, start, rm.end(), index, day, line)
                found.append(ReadSegment(title, day, rng, written, line, index))
            for k, (rm, _) in enumerate(ranges):
                if k not in used:
                    self.warn(_line_of(unit, rm.start()), f"time `{rm.group(0).strip()}` has no date next to it: not read")
        if not found:
            if not loose_dates:
                raise self.error(None, "no date in the text",
                                 hint='a notice must give each meeting a date and time, e.g. "26 September 2023, '
                                      '15:00-17:00 CEST"')
            line, written, _ = loose_dates[0]
            raise self.error(line, f"`{written}` has no time next to it, and no other date has one",
                             hint='write the time after the date, e.g. "26 September 2023, 15:00-17:00 CEST"')
        seen_days = {s.day for s in found}
        for line, written, day in loose_dates:
            if day not in seen_days:
                single = self._single_time_near(line)
                reason = f"has a start time ({single}) but no end" if single else "has no time next to it"
                self.warn(line, f"`{written}` {reason}: not made a segment")
        found.sort(key=lambda s: (s.day, s.rng.start, s.line))
        return found

    def _dates(self, unit: _Unit) -> list[tuple[int, int, str, date]]:
        """(start, end, as written, date) of every date in a unit; "26-27 September 2023" gives
        both days at the position of the range, with a warning."""
        out = []
        spans = [(m.start(), m.end()) for m in _DAY_RANGE.finditer(unit.text)]
        for m in DATE_PATTERN.finditer(unit.text):
            if any(a <= m.start() < b for a, b in spans):
                continue
            try:
                day = date_from_match(m)
            except SomError as exc:
                raise self.error(_line_of(unit, m.start()), exc.message, exc.hint) from None
            out.append((m.start(), m.end(), m.group(0).strip(), day))
        for m in _DAY_RANGE.finditer(unit.text):
            first, last = int(m.group("d1")), int(m.group("d2"))
            line = _line_of(unit, m.start())
            try:
                month = parse_date(f"1 {m.group('month')} {m.group('year')}")
                days = [month.replace(day=d) for d in range(first, last + 1)]
            except (SomError, ValueError):
                raise self.error(line, f"`{m.group(0).strip()}` is not a range of dates", "check the days") from None
            if not 1 <= len(days) <= 7:
                raise self.error(line, f"`{m.group(0).strip()}` is not a range of a few days", "check the days")
            self.warn(line, f"`{m.group(0).strip()}` spans {len(days)} days: read as one sitting a day at the same "
                            f"time; check the times of each day")
            out += [(m.start(), m.end(), m.group(0).strip(), d) for d in days]
        return sorted(out, key=lambda x: (x[0], x[3]))

    def _single_time_near(self, line: int) -> str | None:
        m = _SINGLE_TIME.search(self.lines[line - 1])
        return m.group(0) if m else None

    def segment_title(self, unit: _Unit, position: int, after: int, index: int, day: date, line: int) -> str:
        before = unit.text[:position].lstrip(" |")
        # "... 15:00-17:00 CEST on 26 September 2023 (Technical Segment)"
        following = re.match(rf"[\s,]*(?:\d{{4}}[\s,]*)?\(([^()]*{_TITLE_WORDS}[^()]*)\)", unit.text[max(after, position):])
        if following is None:
            tail = unit.text[position:]
            following = re.match(rf"[^()]{{0,40}}?\d{{4}}\s*\(([^()]*{_TITLE_WORDS}[^()]*)\)", tail)
        if following:
            return _segment_part(following.group(1))
        # "Technical Segment: 26th September 2023" or "Technical briefing | Oct 10, 2023"
        label = _LEAD_LABEL.match(before)
        if label and not _FIELD.fullmatch(label.group(0).strip() + " ") and not DATE_PATTERN.search(label.group("title")):
            title = label.group("title").strip(" -–—*")
            # "Meeting of the IMG" above "Date: Thursday, 3 December 2026": the label is the field's
            title = re.sub(r"\s+(?:date\s+and\s+time|date|when|time|heure)$", "", title, flags=re.IGNORECASE)
            if title.lower() not in FIELD_LABELS and re.search(r"[A-Za-z]{3}", title):
                return _segment_part(title)
        topic = list(_ON_TOPIC.finditer(before))
        if topic:  # "a Consultation on the 2027 workplan on Tuesday, ..."
            return _segment_part(topic[-1].group(1))
        french = list(_FRENCH_TITLE.finditer(before))
        if french:  # "au Segment technique de la 30e réunion"
            return _segment_part(french[-1].group(1))
        phrases = [m.group(1).strip() for m in _TITLE_PHRASE.finditer(before)]
        phrases = [_trim_phrase(p) for p in phrases if _trim_phrase(p)]
        if phrases:
            segment_like = [p for p in phrases if re.search(r"Segment|Session|Briefing|Consultation|Dialogue|Workshop", p)]
            return _segment_part((segment_like or phrases)[0])
        named = list(_OF_THE_NAME.finditer(before))
        if named:  # "the midterm review of the Issue Management Group on Human Rights and Environment"
            return _segment_part(named[0].group(1))
        plain = [_trim_phrase(m.group(1)) for m in _PLAIN_TITLE.finditer(before)]
        plain = [p for p in plain if len(p.split()) > 1
                 and p.split()[0].lower() not in ("this", "that", "next", "each", "every", "our", "will", "is", "be")]
        if plain:
            document = self.document_title()
            if document and document.lower().startswith(plain[-1].lower()):
                return document  # "The resumed meeting will be held" under "Resumed meeting of the Task Force ..."
            return _segment_part(plain[-1])
        for back in range(index - 1, max(index - 3, -1), -1):
            heading = self.units[back].text.strip()
            if len(heading) <= 120 and not heading.endswith((".", ":", ",")) and not DATE_PATTERN.search(heading) \
                    and not heading.isupper() \
                    and re.search(r"[A-Za-z]{3}", heading) and not _LIST_LINE.match(heading) \
                    and not _GREETING.match(heading) and not _AGENDA_HEADING.match(heading):
                return _segment_part(_subject(heading))
        document = self.document_title()
        if document:  # a notice of one meeting: its title is the meeting's
            return _segment_part(document)
        self.warn(line, f"no title for the meeting on {day:%d %B %Y}: called it `Meeting on {day:%d %B %Y}`")
        return f"Meeting on {day:%d %B %Y}"

    def table_fields(self, index: int) -> dict[str, str]:
        """A table row's cells under the head row's names: `| Technical Segment | ... | Room XXIV |`."""
        row = self.units[index].text
        if "|" not in row:
            return {}
        head = next((u.text for u in reversed(self.units[:index]) if "|" in u.text and not re.search(r"\d", u.text)
                     and re.search(r"[A-Za-z]", u.text)), None)
        if head is None:
            return {}
        names = [c.strip().lower() for c in head.strip().strip("|").split("|")]
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        return {name: cell for name, cell in zip(names, cells) if cell}

    def document_title(self) -> str | None:
        """The subject of an e-mail, else the first line after the capitalised heading of the body,
        when it reads as a title (no date, no time, no sentence)."""
        lines = [line.strip() for line in self.lines if line.strip()]
        subject = next((line for line in lines[:3] if re.match(r"(?:subject|objet)\s*:", line, re.IGNORECASE)), None)
        if subject:
            return _subject(subject)
        first = next((line for line in lines if not line.isupper()), lines[0] if lines else "")
        last_word = first.split()[-1].lower() if first.split() else ""
        if len(first) <= 100 and not first.endswith((".", ",", ";", ":")) and not DATE_PATTERN.search(first) \
                and not _DAY_RANGE.search(first) and not TIME_RANGE_SCAN.search(first) \
                and not _TIME_OR_DATE_WORDS.search(first) and last_word not in _SMALL_WORDS \
                and not _GREETING.match(first) and not _AGENDA_HEADING.match(first):
            return _title_case(first) if first.isupper() else first
        return None

    def fill_segment(self, segment: ReadSegment) -> None:
        unit = self.units[segment.unit]
        fields = _english_fields(_fields(unit.text))
        for name, cell in self.table_fields(segment.unit).items():
            fields.setdefault({"room": "venue", "salle": "venue", "lieu": "venue", "président": "chair",
                               "document": "symbol", "cote": "symbol"}.get(name, name), cell)
        segment.location = fields.get("venue") or fields.get("location") or fields.get("place") or \
            fields.get("platform") or fields.get("where")
        trailing = _TRAILING_PLACE.search(unit.text)
        if not segment.location and trailing and not re.search(r"\bvia\b", trailing.group(1)):
            segment.location = trailing.group(1).strip()
        if not segment.location:
            venue = _VENUE.search(unit.text)
            platform = _PLATFORM.search(unit.text)
            parts = [venue.group(1).strip(" ,") if venue else None,
                     re.sub(r"\s+", " ", platform.group("p")) if platform else None]
            if all(parts):
                segment.location = f"{parts[0]}; online: {parts[1]}"
            else:
                segment.location = parts[0] or parts[1]
        segment.distribution = fields.get("distribution")
        segment.chair = fields.get("chair") or fields.get("chaired by")
        urls = _URL.findall(unit.text)
        if urls:
            segment.online_url = urls[0].rstrip(".,;")
        symbols = [s for _, s in _symbols(unit.text)]
        if fields.get("symbol") or fields.get("document symbol"):
            segment.symbol = fields.get("symbol") or fields.get("document symbol")
        elif symbols:
            segment.symbol = symbols[0]

    # -- agenda

    def agendas(self, segments: list[ReadSegment]) -> list[tuple[ReadSegment, list[Item], int, int]]:
        """Each agenda with the segment it belongs to, its heading's line and its last line. An
        agenda heading that names a segment ("Provisional agenda (Technical Segment)", "Ordre du
        jour provisoire du segment de haut niveau") gives its list to that segment; one that names
        none, to the segment written last before it; with no heading, a report's numbered section
        headings are the agenda of its own meeting."""
        headings = []
        for n, line in enumerate(self.lines, 1):
            m = _AGENDA_HEADING.match(line)
            if m and (m.group("seg") is None or _SEGMENT_WORDS.search(m.group("seg"))):
                headings.append((n, m.group("seg")))
        if not headings:
            owner, items, last = self.agenda(segments, 1, len(self.lines), None)
            return [(owner, items, 0, last)] if owner is not None else []
        out = []
        for i, (n, named) in enumerate(headings):
            stop = headings[i + 1][0] - 1 if i + 1 < len(headings) else len(self.lines)
            owner, items, last = self.agenda(segments, n + 1, stop, named)
            if owner is not None:
                out.append((owner, items, n, last))
        return out

    def agenda(self, segments: list[ReadSegment], start: int, stop: int,
               named: str | None) -> tuple[ReadSegment | None, list[Item], int]:
        """Agenda items from line `start` to `stop` and the segment they belong to; the last line of
        the agenda. `named`: the segment its heading names; start 1: no heading (a report)."""
        items: list[Item] = []
        current: Item | None = None
        in_list_mode = start > 1
        last_line = start
        for number in range(start, stop + 1):
            line = self.lines[number - 1]
            m = _ITEM.match(line)
            sub = _SUBITEM.match(line)
            if m and (in_list_mode or _is_heading(m.group("t"))):
                title, minutes = _item_title(m.group("t"))
                current = Item(title, number, minutes)
                items.append(current)
                last_line = number
            elif sub and current is not None:
                title, minutes = _item_title(sub.group("t"))
                current.items.append(Item(title, number, minutes))
                last_line = number
            elif current is not None and line.strip():
                if in_list_mode and not _LIST_LINE.match(line) and not line.startswith((" ", "\t")) \
                        and self._ends_list(number):
                    break
                current.notes.append(line.strip())
                last_line = number
        if not in_list_mode and len(items) < 2:
            return None, [], 0
        if not items:
            return None, [], 0
        first_line = items[0].line
        owner = _named_segment(named, segments) if named else None
        for segment in segments if owner is None else ():
            if segment.line < first_line and (owner is None or segment.line > owner.line):
                owner = segment
        owner = owner or min(segments, key=lambda s: s.line)
        return owner, items, last_line

    def _ends_list(self, number: int) -> bool:
        """In a notice, a paragraph after a blank line that is not part of the list ends the agenda."""
        return number >= 2 and not self.lines[number - 2].strip()

    # -- the meeting

    def meeting(self, segments: list[ReadSegment], zone: str) -> ReadMeeting:
        # "the 35th Meeting" in a heading and "The 35th Senior Officials Meeting" below: the fuller one
        found = list(_MEETING_TITLE.finditer(self.text))
        m = next((x for x in found if len(x.group(0).split()) > 2), found[0] if found else None)
        number = None
        if m:
            number = m.group("number")
            title = f"{m.group(0).strip()}"
            title = re.sub(r"\s+", " ", title)
        else:
            title = None
        body = self.body()
        symbols = [s.symbol for s in segments if s.symbol] + [d for s in segments for d in _all_documents(s.items)]
        symbol_root = next((root for root in map(_symbol_root, symbols) if root), None)
        if symbol_root:
            meeting_id = slug(symbol_root, "meeting")
        elif number and title:
            initials = "".join(w[0] for w in re.findall(r"[A-Z][\w-]*", title[len(number):]) if w[0].isupper())
            acronym = _acronym(body, self.text)
            meeting_id = slug("-".join(p for p in (acronym, f"{initials}{number}") if p), "meeting")
        else:
            meeting_id = slug(Path(self.name).stem, "meeting")
        if title is None:
            title = self.document_title() or segments[0].title
            self.warn(None, f"no meeting number and title such as \"29th Senior Officials Meeting\": titled it "
                            f"`{title}`")
        emails = _EMAIL.findall(self.text)
        organizer_name = None
        if emails:
            if (name := re.search(r"\b((?:[A-Z][\w-]*[ \t]+){1,3}Secretariat)\b", self.text)):
                organizer_name = re.sub(r"^The\s+", "", name.group(1))
        return ReadMeeting(meeting_id, title, body, zone, segments,
                           organizer_email=emails[0] if emails else None, organizer_name=organizer_name)

    def body(self) -> str | None:
        caps: list[str] = []
        for line in self.lines:
            stripped = line.strip()
            if not stripped:
                if caps:
                    continue
                continue
            if [s for _, s in _symbols(stripped)] == [stripped]:  # the notice's symbol, in the header
                continue
            if stripped.isupper() and len(stripped) <= 80 and re.search(r"[A-Z]{3}", stripped) \
                    and not re.search(r"\bAGENDA\b|NOTICE|INVITATION|REPORT|MEMORANDUM|\bAVIS\b|CONVOCATION|ORDRE DU JOUR|"
                                      r"RAPPORT|NOTE\b", stripped):
                caps.append(stripped)
                continue
            break
        return _title_case(" ".join(caps)) if caps else None


def _title_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[\w-]+", text.lower())} - _SMALL_WORDS - _FRENCH_SMALL - _GENERIC - {"provisional"}


def _named_segment(named: str, segments: list[ReadSegment]) -> ReadSegment | None:
    """The segment whose title shares the most words with `named` ("Technical Segment", "segment technique")."""
    wanted = _title_words(named)
    scored = [(len(wanted & _title_words(s.title)), -s.line, s) for s in segments]
    best = max(scored, key=lambda x: (x[0], x[1]), default=None)
    return best[2] if best is not None and best[0] > 0 else None


def _symbol_root(symbol: str) -> str | None:
    """The meeting part of a document symbol: `EMG/SOM.30/TS/2` → `EMG/SOM.30`, `EMG SOM29/midterm` → `EMG SOM29`."""
    parts = symbol.split("/")
    for i, part in enumerate(parts):
        if re.search(r"\d", part):
            return "/".join(parts[: i + 1]) if i < len(parts) - 1 or i == 0 else None
    return None


def _all_documents(items: list["Item"]) -> list[str]:
    out = []
    for item in items:
        out += item.documents + _all_documents(item.items)
    return out


def _fields(text: str) -> dict[str, str]:
    """`Venue: MS Teams Distribution: EMG Members` → {"venue": "MS Teams", "distribution": ...}."""
    out: dict[str, str] = {}
    matches = list(_FIELD.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end():end]
        value = value.split("\t")[0]
        value = _URL.sub("", value)
        value = _first_sentence(value)
        value = value.strip(" ,;.|–—-")
        key = m.group(1).lower()
        if value and key not in out:
            out[key] = value
    return out


# French labels, read as the English ones
_FIELD_ALIASES = {"lieu": "venue", "salle": "venue", "président": "chair", "présidente": "chair",
                  "présidence": "chair", "cote": "symbol", "plateforme": "platform"}


def _english_fields(fields: dict[str, str]) -> dict[str, str]:
    out = dict(fields)
    for french, english in _FIELD_ALIASES.items():
        if french in fields:
            out.setdefault(english, fields[french])
    return out


def _first_sentence(value: str) -> str:
    """The value up to the end of its sentence; "Ms. Jane Doe" and "H.E. Mr. X" stay whole."""
    for m in re.finditer(r"(?<=[a-z)])\.\s", value):
        if not _HONORIFIC_END.search(value[: m.start()]):
            return value[: m.start()]
    return value


def _subject(line: str) -> str:
    """`Subject: Invitation - Technical Segment` → `Technical Segment`."""
    line = re.sub(r"^(?:subject|objet)\s*:\s*", "", line, flags=re.IGNORECASE)
    return re.sub(r"^(?:invitation|reminder|rappel|convocation)\s*(?:[-–—:]\s*|\s+to\s+(?:the\s+)?|\s+à\s+)", "", line,
                  flags=re.IGNORECASE).strip()


def _segment_part(title: str) -> str:
    """`Midterm Technical Segment of the 29th Senior Officials Meeting` → `Midterm Technical Segment`."""
    title = re.sub(r"\s+", " ", title).strip(" ,;:-–—")
    m = re.match(r"^(.*?\b(?:Segment|Session|Briefing|Consultation|Dialogue|Workshop))\s+of\s+the\s+", title)
    if m:
        title = m.group(1)
    m = re.match(r"^(.*?\b(?:[Ss]egment|[Ss]éance|[Ss]ession)\b.*?)\s+(?:de\s+la|du|de)\s+\d{1,3}(?:e|ème)\s", title)
    if m:  # "Segment de haut niveau de la 32e réunion" → "Segment de haut niveau"
        title = m.group(1)
    title = re.sub(r"^(?:the|a|an)\s+", "", title, flags=re.IGNORECASE)
    return title[:1].upper() + title[1:]


def _trim_phrase(phrase: str) -> str:
    """Leading small words off a title phrase: `of the Technical Segment` → `Technical Segment`."""
    words = phrase.split()
    while words and words[0].lower() in _SMALL_WORDS:
        words.pop(0)
    return " ".join(words)


def _is_heading(text: str) -> bool:
    text = text.strip()
    return len(text) <= 160 and not text.endswith((".", ";", ",")) and bool(re.match(r"[A-Z]", text))


def _item_title(text: str) -> tuple[str, int | None]:
    m = _MINUTES.search(text)
    minutes = int(m.group(1)) if m and 0 < int(m.group(1)) <= 1440 else None
    if m:
        text = text[: m.start()]
    return text.strip().rstrip(":").strip(), minutes


def _acronym(body: str | None, text: str) -> str | None:
    if body:
        words = [w for w in body.split() if w.lower() not in _SMALL_WORDS | _FRENCH_SMALL
                 and w.lower() not in ("united", "nations", "unies")]
        acronym = "".join(w[0] for w in words).upper()
        if len(acronym) >= 2 and re.search(rf"\b{acronym}\b", text):
            return acronym.lower()
    return None


# --- placing documents and building the result -------------------------------------------

def _place_documents(reader: _Reader, segments: list[ReadSegment], agendas: list[tuple[list[Item], int]]) -> None:
    placed = {s.symbol for s in segments if s.symbol}
    item_lines: list[tuple[int, int, Item]] = []
    for items, agenda_end in agendas:
        for i, item in enumerate(items):
            end = items[i + 1].line - 1 if i + 1 < len(items) else agenda_end
            item_lines.append((item.line, end, item))
    first_segment = min(s.line for s in segments)
    for number, line in enumerate(reader.lines, 1):
        for _, symbol in _symbols(line):
            if symbol in placed:
                continue
            holder = next((it for a, b, it in item_lines if a <= number <= b), None)
            if holder is not None:
                if symbol not in holder.documents:
                    holder.documents.append(symbol)
                continue
            segment = next((s for s in segments if number in reader.units[s.unit].lines), None)
            if segment is not None and segment.symbol is None:
                segment.symbol = symbol
                placed.add(symbol)
                continue
            labelled = re.match(r"\s*(?:document\s+)?(?:symbol|cote)\b[^:]{0,40}:\s*" + re.escape(symbol) + r"\s*$",
                                reader.lines[number - 1], re.IGNORECASE)
            if segment is None and (labelled or number < first_segment and reader.lines[number - 1].strip() == symbol):
                # the notice's own symbol, alone on a line of its header: the document of every segment
                for each in segments:
                    each.symbol = each.symbol or symbol
                placed.add(symbol)
                continue
            reader.warn(number, f"document symbol `{symbol}` is not next to a segment or an agenda item: not placed")
            placed.add(symbol)


def _shared_fields(reader: _Reader, segments: list[ReadSegment], agenda_lines: set[int]) -> set[int]:
    """Labelled lines in a paragraph of their own ("Chair: ...", "Venue: ...", "Lieu : ..."), in a
    notice that lists its segments elsewhere: they hold for every segment that has none of its own.
    The lines read, with the segments' own."""
    used = {n for s in segments for n in reader.units[s.unit].lines} | agenda_lines
    for unit in reader.units:
        if set(unit.lines) & used or not re.match(r"\s*(?:[-*•]\s*)?[\w ]{2,30}?\s*:", unit.text):
            continue
        fields = _english_fields(_fields(unit.text))
        if not fields:
            continue
        used |= set(unit.lines)
        location = fields.get("venue") or fields.get("location") or fields.get("place") or fields.get("where") \
            or fields.get("platform")
        chair = fields.get("chair") or fields.get("chaired by")
        symbol = fields.get("symbol") or fields.get("document symbol")
        for segment in segments:
            segment.location = segment.location or location
            segment.chair = segment.chair or chair
            segment.distribution = segment.distribution or fields.get("distribution")
            segment.symbol = segment.symbol or symbol
    return used


def _ids(segments: list[ReadSegment]) -> None:
    used: set[str] = set()
    for segment in segments:
        words = [w for w in re.split(r"[\s'’]+", segment.title) if w.lower() not in _SMALL_WORDS | _FRENCH_SMALL]
        which = [w for w in words if w.lower() not in _GENERIC]  # "Segment technique": technique
        base = slug((which or words)[0], "segment") if words else "segment"
        candidate, n = base, 2
        while candidate in used:
            candidate = f"{base}-{n}"
            n += 1
        used.add(candidate)
        segment.id = candidate


def read_report(text: str, *, name: str = "report", zone: str | None = None) -> ReadReport:
    """The meeting a report or notice describes, and what was not read (agenda.app.import_report
    writes it as a meeting file)."""
    if not isinstance(text, str):
        raise SomError("the report is not text")
    reader = _Reader(text, name, zone)
    zone_name, city = reader.home_zone()
    zone_info = resolve_zone(zone_name)
    place = city or zone_label(zone_info, "Geneva" if zone_name == DEFAULT_ZONE else None)
    segments = reader.segments(zone_name, place)
    for segment in segments:
        named = find_city_time(segment.rng.paren) if segment.rng.paren else None
        if segment.rng.paren and place.lower() not in segment.rng.paren.lower() and \
                re.search(r"\btime\b|\bheure\b", segment.rng.paren.lower()) and (named is None or named.zone != zone_name):
            raise ZoneAssumed(f"`{segment.written}` names {segment.rng.paren.strip()}, but the times are read as "
                              f"{place} time", reason="city", file=reader.name, line=segment.line,
                              hint="name the zone of that city")
        try:
            segment_instants(segment.day, segment.rng, zone_info, place=place, written=segment.written)
        except SomError as exc:
            if not reader.zone_given and city is None:
                hint = f"{exc.hint}; or, if the times are not {place} time, name their zone" if exc.hint else \
                    f"name the zone if the times are not {place} time"
                raise ZoneAssumed(exc.message, reason="misfit", file=reader.name, line=segment.line, hint=hint,
                                  place=place, advice=exc.hint) from None
            raise reader.error(segment.line, exc.message, exc.hint) from None
        if segment.rng.label is None and city is None and not reader.zone_given:
            reader.warn(segment.line, ZoneAssumed(f"`{segment.written}` has no time label and the text names no "
                                                  f"city: read as {place} time ({zone_name})", reason="unlabelled",
                                                  hint="name the zone if it is not"))
    for segment in segments:
        reader.fill_segment(segment)
    agendas = reader.agendas(segments)
    for owner, items, _, _ in agendas:
        owner.items = owner.items + items
    # the chair of the report's own meeting: "chaired by ..." in the text
    if agendas and agendas[0][0].chair is None:
        m = _CHAIRED_BY.search(reader.text)
        if m:
            agendas[0][0].chair = m.group(1).strip()
    used = _shared_fields(reader, segments, {n for _, _, first, last in agendas for n in range(first, last + 1)})
    _place_documents(reader, segments, [(items, last) for _, items, _, last in agendas])
    _ids(segments)
    meeting = reader.meeting(segments, zone_name)
    urls = set(_URL.findall(reader.text))
    used_urls = {s.online_url for s in segments if s.online_url}
    loose = sorted(u.rstrip(".,;") for u in urls if u.rstrip(".,;") not in used_urls)
    joins = [u for u in loose if _MEETING_LINK.match(u)]
    if joins:
        if len(segments) == 1:
            segments[0].online_url = joins[0]
        else:
            meeting.online_url = joins[0]
            reader.warn(None, f"the link {joins[0]} is not next to one segment: written as the meeting's link, "
                              f"for every segment; move it if it belongs to one")
    for extra in loose:
        if extra not in joins[:1]:
            reader.warn(None, f"link {extra} is not a meeting link next to a segment: not read")
    _month_only(reader, segments)
    _unread(reader, used)
    if meeting.organizer_email is None:
        reader.warn(None, "the text gives no organizer e-mail address: add `organizer` to [meeting] before "
                          "`som invite`")
    return ReadReport(meeting, tuple(reader.warnings))


def _unread(reader: _Reader, used: set[int]) -> None:
    """Every paragraph nothing was read from is a warning that quotes it, so that it is never
    dropped in silence (the meeting file keeps the warnings as comments). Headings, the meeting's
    title, greetings and signatures are read as such."""
    title = _MEETING_TITLE.search(reader.text)
    title_line = reader.text.count("\n", 0, title.start()) + 1 if title else None
    for m in [*_CHAIRED_BY.finditer(reader.text), *CITY_TIME.finditer(reader.text)]:  # read as the chair, the zone
        used.add(reader.text.count("\n", 0, m.start()) + 1)
    first = next((n for n, line in enumerate(reader.lines, 1) if line.strip()), None)
    for unit in reader.units:
        if set(unit.lines) & used or title_line in unit.lines or unit.line == first:
            continue
        text = unit.text.strip()
        letters = re.sub(r"[^A-Za-zÀ-ÿ]", "", text)
        if _GREETING.match(text) or (letters and text.upper() == text) or [s for _, s in _symbols(text)] == [text] \
                or not letters:
            continue
        if len(text) <= 60 and not text.endswith((".", ":", ",")) and len(unit.lines) == 1 and \
                not re.search(r"\d|https?://|@", text):
            continue  # a heading ("Joining details", "Background")
        if "|" in text and not re.search(r"\d", text):
            continue  # the head row of a table
        if len(text) <= 80 and _EMAIL.search(text) and len(unit.lines) <= 3:
            continue  # a signature: a name and an address
        reader.warn(unit.line, f"not read, kept here: `{text}`")


_MONTH_YEAR = re.compile(r"\b(?:in|for|during|of)\s+(?:early\s+|mid-?\s*|late\s+)?"
                         r"(January|February|March|April|May|June|July|August|September|October|November|December)"
                         r"\s+(\d{4})\b")


def _month_only(reader: _Reader, segments: list[ReadSegment]) -> None:
    """"planned for December 2023": a meeting without a day, worth saying so unless one was read."""
    months = {(s.day.year, s.day.month) for s in segments}
    for number, line in enumerate(reader.lines, 1):
        for m in _MONTH_YEAR.finditer(line):
            month = ("january february march april may june july august september october november "
                     "december").split().index(m.group(1).lower()) + 1
            if (int(m.group(2)), month) not in months:
                reader.warn(number, f"`{m.group(1)} {m.group(2)}` names no day: not made a segment")




