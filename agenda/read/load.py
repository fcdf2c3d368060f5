"""TOML meeting files and member directories → the model, with every check and its file:line.

tomli gives values but no line numbers, so `LineIndex` scans the text once for the line of
every table and key; a check that fails points at the line the user has to edit.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, replace
from contextlib import contextmanager
from functools import cached_property, lru_cache
from datetime import date, datetime, time, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Iterator, Literal, overload
from zoneinfo import ZoneInfo

from agenda.model.ids import EMAIL, SAFE_ID, WINDOWS_RESERVED
from agenda.model.errors import SomError, did_you_mean
from agenda.model.holidays import HolidayCalendar, OfficialHoliday
from agenda.model.meeting import (DEFAULT_HOURS, LANGUAGES, MONDAY_TO_FRIDAY, SEGMENT_STATUSES, AgendaItem, Directory,
                          Meeting, Member, Person, Segment, Task)
from agenda.model.timeplan import (Label, date_from_match, format_offset, localize, match_date, parse_clock, parse_date,
                             parse_time_range, resolve_zone, segment_instants, zone_label)

# tomli rather than the standard library's tomllib (the same parser, older): tomli ships compiled
# wheels, which read a 40,000-member directory in 0.30 s where tomllib takes 0.93 s.
import tomli

BUNDLED_MEETING = "som29"
BUNDLED_DIRECTORY = "un-entities"

FIRST_YEAR, LAST_YEAR = 1970, 2200  # past the zone database and date arithmetic's edges there is nothing to plan
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")  # what calendars, Word and mail choke on
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# --- reading files -------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """A TOML file as read: its text, its values and a name to show in messages."""

    name: str  # as shown to the user
    path: Path | None  # None for bundled files inside an installed package
    text: str
    data: dict


def _bundled_folder():
    """calendars/ travels in the installed package as `agenda.calendars`; in a source checkout
    that is not installed, it is the folder next to the package."""
    try:
        return resources.files("agenda.calendars")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "calendars"


def bundled_file(name: str):
    return _bundled_folder().joinpath(f"{name}.toml")


def bundled_names() -> list[str]:
    return sorted(p.name[:-5] for p in _bundled_folder().iterdir() if p.name.endswith(".toml"))


# Limits on what som reads (docs/meeting-file.md#limits): far above any real meeting, low enough
# that a runaway input is refused at once rather than read for minutes.
FILE_LIMIT = 64 * 2**20  # bytes of a meeting file, member directory or notice (100,000 members: 16 MB)
TITLE_LIMIT = 300  # characters of a title
EXTENDS_LIMIT = 16  # member directories, each extending the next
MEMBERS_LIMIT = 200_000  # members in one directory (the benchmarks load 100,000)


# The files a load read, each with the SHA-256 of the bytes it read (files_read()): a re-run of
# `som invite` with nothing changed is known by them (agenda/app/rerun.py).
_READERS: list[list[tuple[str, str]]] = []


@contextmanager
def files_read() -> Iterator[list[tuple[str, str]]]:
    """Within: every file read_text_file() reads, as (path, SHA-256 of its bytes), in order."""
    seen: list[tuple[str, str]] = []
    _READERS.append(seen)
    try:
        yield seen
    finally:
        _READERS.remove(seen)


def read_text_file(path: Path, *, what: str = "meeting file") -> str:
    """A text file the user named, as UTF-8, or a SomError that says what is wrong with it."""
    hint = {"meeting file": "check the path, or leave it out to use the bundled SOM29 meeting"}.get(
        what, "check the path")
    try:
        with open(path, "rb") as f:  # never more than the limit: /dev/zero or a runaway file is refused
            raw = f.read(FILE_LIMIT + 1)
        if len(raw) > FILE_LIMIT:
            raise SomError(f"{path} is larger than {FILE_LIMIT // 2**20} MB, the limit for a {what}",
                           hint="name the right file (a meeting file is a few KB)")
    except FileNotFoundError:
        raise SomError(f"{path}: no such file", hint=hint) from None
    except IsADirectoryError:
        raise SomError(f"{path} is a folder, not a {what}", hint="name a file") from None
    except OSError as exc:
        raise SomError(f"{path}: cannot read ({exc.strerror})") from None
    if _READERS:  # the digest of the bytes read, not of the file later: it may change meanwhile
        digest = hashlib.sha256(raw).hexdigest()
        for seen in _READERS:
            seen.append((os.fspath(path), digest))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SomError("not UTF-8 text", file=path, line=line,
                       hint="save it as UTF-8 text (copy the text out of a PDF or Word file)") from None


def read_source(path: Path | None, *, bundled: str | None = None, what: str = "meeting file") -> Source:
    if path is None:
        assert bundled is not None  # every caller that gives no path names a bundled file
        resource = bundled_file(bundled)
        try:
            text = resource.read_text(encoding="utf-8")
        except (FileNotFoundError, OSError):
            raise SomError(f"no bundled file `{bundled}`",
                           hint=did_you_mean(bundled, bundled_names()) or f"bundled: {', '.join(bundled_names())}") from None
        return _parse(f"calendars/{bundled}.toml (bundled)", None, text)
    return _parse(str(path), path, read_text_file(path, what=what))


def _parse(name: str, path: Path | None, text: str) -> Source:
    try:
        data = tomli.loads(text)
    except RecursionError:
        raise SomError("TOML nested too deep", file=name, hint="a meeting file nests tables a few levels at most") from None
    except tomli.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(m.group(1)) if m else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)", "", message)
        raise SomError(f"TOML syntax: {message[:1].lower()}{message[1:]}", file=name, line=line,
                       hint=_dotted_title_hint(text, line) or "see https://toml.io for the syntax; quote text values") from None
    return Source(name, path, text, data)


def _dotted_title_hint(text: str, line: int | None) -> str | None:
    """`title = "…"` and `title.fr = "…"` in one table: TOML says only "cannot overwrite a value"."""
    lines = text.splitlines()
    if line is None or not 0 < line <= len(lines) or not re.match(r"\s*title\s*[.=]", lines[line - 1]):
        return None
    dotted = re.search(r"(?m)^\s*title\s*\.\s*([A-Za-z]+)\s*=", text)
    return f'write a translation beside the title: title_{dotted.group(1)} = "…"' if dotted else None


class LineIndex:
    """The line of every `[table]`, `[[array]]` entry and `key =` in a TOML text."""

    _ARRAY = re.compile(r"^\s*\[\[\s*([^\]]+?)\s*\]\]")
    _TABLE = re.compile(r"^\s*\[\s*([^\]\[]+?)\s*\]")
    _KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*\s*=""")

    def __init__(self, text: str):
        self.text = text  # scanned on the first question: only errors and agenda lines ask

    @cached_property
    def lines(self) -> dict[tuple, int]:
        text = self.text
        lines: dict[tuple, int] = {}
        counts: dict[tuple, int] = {}
        current: tuple = ()
        in_multiline = None
        for number, line in enumerate(text.splitlines(), 1):
            if in_multiline:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            if (m := self._ARRAY.match(line)):
                names = [n.strip().strip('"') for n in m.group(1).split(".")]
                current = self._resolve(names, counts, new_entry=True)
                lines.setdefault(current, number)
            elif (m := self._TABLE.match(line)):
                names = [n.strip().strip('"') for n in m.group(1).split(".")]
                current = self._resolve(names, counts, new_entry=False)
                lines.setdefault(current, number)
            elif (m := self._KEY.match(line)):
                key = m.group(1).strip("\"'")
                lines.setdefault(current + (key,), number)
                for quote in ('"""', "'''"):
                    if line.count(quote) % 2 == 1:
                        in_multiline = quote
        return lines

    def _resolve(self, names: list[str], counts: dict[tuple, int], *, new_entry: bool) -> tuple:
        path: tuple = ()
        for depth, name in enumerate(names):
            path += (name,)
            last = depth == len(names) - 1
            if last and new_entry:
                counts[path] = counts.get(path, -1) + 1
                path += (counts[path],)
            elif path in counts:
                path += (counts[path],)
        return path

    def line(self, path: tuple) -> int | None:
        while path:
            for candidate in (path, path + (0,)):  # a key, or the first [[table]] of that name
                if candidate in self.lines:
                    return self.lines[candidate]
            path = path[:-1]
        return None


# --- checked access to TOML values ---------------------------------------------------------

class Node:
    """A TOML table being validated: knows its path, its line and the file, for messages."""

    def __init__(self, source: Source, index: LineIndex, data: Any, path: tuple, what: str):
        self.source, self.index, self.data, self.path, self.what = source, index, data, path, what
        if not isinstance(data, dict):
            raise self.error(f"{what} must be a table")

    def line(self, key: str | None = None) -> int | None:
        return self.index.line(self.path + ((key,) if key else ()))

    def error(self, message: str, key: str | None = None, hint: str | None = None) -> SomError:
        return SomError(message, file=self.source.name, line=self.line(key), hint=hint)

    def check_keys(self, allowed: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or "allowed keys: " + ", ".join(f"`{k}`" for k in allowed)
                raise self.error(f"unknown key `{key}` in {self.what}", key, hint)

    def get(self, key: str, kind: type | tuple, *, required: bool = False, default: Any = None) -> Any:
        if key not in self.data:
            if required:
                raise self.error(f"{self.what} has no `{key}`", hint=f"add `{key} = ...`")
            return default
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds) \
                or isinstance(value, datetime) and datetime not in kinds:
            raise self.error(f"`{key}` in {self.what} must be {_kind_name(kinds)}, not {_kind_name((type(value),))}", key)
        if isinstance(value, str) and not value.strip() and required:
            raise self.error(f"`{key}` in {self.what} is empty", key)
        return value

    # A required text is never None: `get` raises when the key is missing, not text, or blank.
    @overload
    def text(self, key: str, *, required: Literal[True]) -> str: ...
    @overload
    def text(self, key: str, *, required: bool = False) -> str | None: ...

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.get(key, str, required=required)
        if isinstance(value, str) and (control := CONTROL.search(value)):
            raise self.error(f"`{key}` in {self.what} holds a control character "
                             f"({control.group()!r})", key, "remove it; only line breaks and tabs are kept")
        if key.startswith("title") and isinstance(value, str) and len(value.strip()) > TITLE_LIMIT:
            raise self.error(f"`{key}` in {self.what} is {len(value.strip())} characters long, more than "
                             f"{TITLE_LIMIT}", key, "shorten it; put the rest in notes")
        return value.strip() if isinstance(value, str) and value.strip() else None

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.get(key, (list, str), default=[])
        if isinstance(value, str):
            value = [value]
        if not all(isinstance(v, str) for v in value):
            raise self.error(f"`{key}` in {self.what} must be a list of text values", key)
        return tuple(v.strip() for v in value if v.strip())

    def tables(self, key: str, what: str) -> list["Node"]:
        """The tables of an array; `what` names each, with {n} for its number ("item {n} of ...")."""
        value = self.get(key, list, default=[])
        if "{n}" not in what:
            what += " #{n}"
        return [Node(self.source, self.index, item, self.path + (key, i), what.format(n=i + 1))
                for i, item in enumerate(value)]

    def ident(self, key: str, kind: str) -> str:
        value = self.text(key, required=True)
        check_id(value, kind, error=lambda m, h: self.error(m, key, h))
        return value

    # Likewise a required zone: its name is a required text, and a name that is no zone raises.
    @overload
    def zone(self, key: str, *, required: Literal[True] = True) -> ZoneInfo: ...
    @overload
    def zone(self, key: str, *, required: bool) -> ZoneInfo | None: ...

    def zone(self, key: str, *, required: bool = True) -> ZoneInfo | None:
        name = self.text(key, required=required)
        if name is None:
            return None
        try:
            return resolve_zone(name)
        except SomError as exc:
            raise self.error(f"{exc.message} in {self.what}", key, exc.hint) from None


def _kind_name(kinds: tuple) -> str:
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
             list: "a list", dict: "a table", date: "a date (YYYY-MM-DD)", datetime: "a date and time",
             time: "a time of day"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def check_id(value: str, kind: str, *, error=None) -> None:
    """Ids go into file names and UIDs: lower-case letters, digits, '.', '_' and '-'."""
    problem = None
    if not SAFE_ID.match(value):
        problem = f"{kind} id `{value}` is not a safe name"
    elif value.split(".")[0] in WINDOWS_RESERVED:
        problem = f"{kind} id `{value}` is a name Windows reserves for devices"
    if problem:
        hint = "use lower-case letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
        if error:
            raise error(problem, hint)
        raise SomError(problem, hint=hint)


# --- member directories --------------------------------------------------------------------

MEMBER_KEYS = ("id", "acronym", "name", "city", "country", "subdivision", "timezone", "emails",
               "hours", "workdays", "holidays", "language")
NATIONAL = "national"  # `holidays = "national"`: the country's public holidays, no duty-station calendar


def load_directory(ref: str | Path | None = None, *, base: Path | None = None,
                   _seen: tuple = ()) -> Directory:
    """A member directory: a bundled name (`un-entities`) or a TOML path (relative to `base`).

    A directory may say `extends = "un-entities"` and list only what it adds or changes
    (e-mail addresses of focal points, other working hours), by member id.
    """
    ref = ref or BUNDLED_DIRECTORY
    is_path = isinstance(ref, Path) or "/" in str(ref) or "\\" in str(ref) or str(ref).endswith(".toml")
    if is_path:
        path = Path(ref)
        if base is not None and not path.is_absolute():
            path = base / path
        source = read_source(path, what="member directory")
    else:
        source = read_source(None, bundled=str(ref))
    # The same file reached by another path (`../d/x.toml` from d/) is the same directory: compare
    # resolved paths, or the loop goes on until the path is too long for the system.
    key = os.path.realpath(source.path) if source.path is not None else source.name
    if key in _seen:
        raise SomError(f"member directory {source.name[:80]} extends itself", hint="remove the `extends` loop")
    if len(_seen) >= EXTENDS_LIMIT:
        raise SomError(f"member directory {source.name[:80]} extends a chain of more than {EXTENDS_LIMIT} directories",
                       hint="extend the bundled directory, or one of your own that does")
    index = LineIndex(source.text)
    root = Node(source, index, source.data, (), "the member directory")
    root.check_keys(("name", "extends", "calendar", "member"))
    inherited: dict[str, Member] = {}
    parent_name = None
    calendars: dict[str, HolidayCalendar] = dict(bundled_calendars())
    if (parent := root.text("extends")):
        try:
            parent_dir = load_directory(parent, base=source.path.parent if source.path else None,
                                        _seen=_seen + (key,))
        except SomError as exc:
            raise exc.at(source.name, root.line("extends")) from None
        inherited, parent_name = dict(parent_dir.by_id()), parent_dir.name
        calendars.update({c.name: c for c in parent_dir.calendars})
    own: dict[str, Node] = {}
    for node in root.tables("calendar", "[[calendar]]"):
        calendar = _directory_calendar(node)
        if calendar.name in own:
            raise node.error(f"calendar `{calendar.name}` is defined twice (first at line "
                             f"{own[calendar.name].line('name')})", "name", "keep one [[calendar]] per name")
        own[calendar.name] = node
        calendars[calendar.name] = calendar
    if own:  # members inherited from the parent follow an overridden calendar of the same name
        inherited = {k: (replace(m, calendar=calendars[m.calendar.name]) if m.calendar is not None
                         and m.calendar.name in own else m) for k, m in inherited.items()}
    members: dict[str, Member] = dict(inherited)
    seen_here: dict[str, Node] = {}
    count = len(root.data["member"]) if isinstance(root.data.get("member"), list) else 0
    if count > MEMBERS_LIMIT:
        raise SomError(f"member directory {source.name[:80]} lists {count:,} members, more than {MEMBERS_LIMIT:,}",
                       file=source.name, hint="split it: one directory per meeting's members")
    for node in root.tables("member", "[[member]]"):
        member = _member(node, inherited, parent_name, calendars)
        if member.id in seen_here:
            raise node.error(f"member id `{member.id}` appears twice (first at line "
                             f"{seen_here[member.id].line('id')})", "id", "give each member its own id")
        seen_here[member.id] = node
        members[member.id] = member
    if not members:
        raise SomError("the member directory has no [[member]] entries", file=source.name,
                       hint="add [[member]] tables, or `extends = \"un-entities\"`")
    name = root.text("name") or (str(ref) if not is_path else Path(ref).stem)
    return Directory(name, tuple(members.values()), source.path, tuple(calendars[k] for k in sorted(calendars)))


def _member(node: Node, inherited: dict[str, Member], parent_name: str | None,
            calendars: dict[str, HolidayCalendar]) -> Member:
    member_id = node.ident("id", "member")
    node.what = f"[[member]] `{member_id}`"
    node.check_keys(MEMBER_KEYS)
    base = inherited.get(member_id)
    required = base is None
    new_fields = ("acronym", "name", "city", "country", "timezone")
    if base is None and inherited and any(k not in node.data for k in new_fields):
        # Most likely a changed member whose id is misspelt, not a new member.
        hint = did_you_mean(member_id, list(inherited))
        raise node.error(f"no member `{member_id}` in {parent_name}", "id",
                         (hint + " " if hint else "") + "(a new member needs " + ", ".join(new_fields) + ")")

    def field(key, current):
        value = node.text(key, required=required)
        return current if value is None else value

    acronym = field("acronym", base.acronym if base else None)
    name = field("name", base.name if base else None)
    city = field("city", base.city if base else None)
    country = field("country", base.country if base else None)
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise node.error(f"country `{country}` of {node.what} is not an ISO 3166 code", "country",
                         "write two capital letters, e.g. CH or KE")
    subdivision = node.text("subdivision") if "subdivision" in node.data else (base.subdivision if base else None)
    zone = node.zone("timezone", required=required)
    if zone is None:
        assert base is not None  # a new member's timezone is required: node.zone raised
        zone = base.zone
    emails = node.strings("emails") if "emails" in node.data else (base.emails if base else ())
    for email in emails:
        if not EMAIL.match(email):
            raise node.error(f"`{email}` is not an e-mail address ({node.what})", "emails",
                             "write it like focal.point@example.org")
    hours = base.hours if base else DEFAULT_HOURS
    if "hours" in node.data:
        hours = _hours(node)
    workdays = base.workdays if base else MONDAY_TO_FRIDAY
    if "workdays" in node.data:
        workdays = _workdays(node)
    calendar = base.calendar if base else None
    if "holidays" in node.data:
        wanted = node.text("holidays", required=True) or ""
        if wanted == NATIONAL:
            calendar = None
        elif wanted in calendars:
            calendar = calendars[wanted]
        else:
            raise node.error(f"no holiday calendar `{wanted}` for {node.what}", "holidays",
                             did_you_mean(wanted, list(calendars) + [NATIONAL])
                             or f"calendars: {', '.join(sorted(calendars))}, or \"{NATIONAL}\"; "
                                "or define it in a [[calendar]] table")
    language = _language(node) if "language" in node.data else (base.language if base else None)
    return Member(member_id, acronym, name, city, country, zone, subdivision, emails, hours, workdays, calendar,
                  language)


def _language(node: Node) -> str:
    """`language = "fr"`: one of the UN's six languages, as its ISO 639-1 code."""
    value = node.text("language", required=True)
    if value not in LANGUAGES:
        six = "languages: " + ", ".join(LANGUAGES)
        raise node.error(f"language `{value}` of {node.what} is not one som writes", "language",
                         f"write `{value.lower()}`, in lower case; {six}" if value.lower() in LANGUAGES else six)
    return value


def _hours(node: Node) -> tuple[time, time]:
    text = node.text("hours", required=True)
    try:
        rng = parse_time_range(text)
    except SomError as exc:
        raise node.error(f"`hours` of {node.what}: {exc.message}", "hours", 'write it like "09:00-18:00"') from None
    if rng.label is not None or rng.end <= rng.start:
        raise node.error(f"`hours` of {node.what} must be local times, start before end", "hours",
                         'write it like "08:30-17:30"')
    return rng.start, rng.end


def _workdays(node: Node) -> frozenset[int]:
    days = node.strings("workdays")
    out = set()
    for day in days:
        key = day[:3].lower()
        if key not in WEEKDAY_NAMES:
            raise node.error(f"`{day}` in `workdays` of {node.what} is not a weekday", "workdays",
                             'write e.g. ["Sun", "Mon", "Tue", "Wed", "Thu"]')
        out.add(WEEKDAY_NAMES.index(key))
    if not out:
        raise node.error(f"`workdays` of {node.what} is empty", "workdays")
    return frozenset(out)


# --- holiday calendars ---------------------------------------------------------------------

CALENDAR_KEYS = ("name", "title", "duty_station", "notes", "holiday")
HOLIDAY_KEYS = ("date", "name", "source", "projected", "floating")
HOLIDAYS_FOLDER = "holidays"


def bundled_calendar_names() -> list[str]:
    folder = _bundled_folder().joinpath(HOLIDAYS_FOLDER)
    try:
        return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))
    except (FileNotFoundError, NotADirectoryError):
        return []


@lru_cache(maxsize=1)
def bundled_calendars() -> dict[str, HolidayCalendar]:
    """calendars/holidays/*.toml, by name (read once)."""
    out = {}
    for name in bundled_calendar_names():
        text = _bundled_folder().joinpath(HOLIDAYS_FOLDER).joinpath(f"{name}.toml").read_text(encoding="utf-8")
        calendar = parse_calendar(_parse(f"calendars/{HOLIDAYS_FOLDER}/{name}.toml (bundled)", None, text))
        if calendar.name != name:
            raise SomError(f"the calendar is named `{calendar.name}` but its file `{name}.toml`",
                           file=f"calendars/{HOLIDAYS_FOLDER}/{name}.toml", hint="make the two agree")
        out[name] = calendar
    return out


def load_calendar_file(path: Path) -> HolidayCalendar:
    """A holiday calendar file of the secretariat's (the format of calendars/holidays/*.toml)."""
    return parse_calendar(read_source(path, what="holiday calendar"))


def parse_calendar(source: Source) -> HolidayCalendar:
    index = LineIndex(source.text)
    return _calendar(Node(source, index, source.data, (), "the holiday calendar"))


def _calendar(node: Node, *, name: str | None = None) -> HolidayCalendar:
    node.check_keys(CALENDAR_KEYS)
    name = name or node.ident("name", "calendar")
    node.what = f"calendar `{name}`"
    holidays: list[OfficialHoliday] = []
    seen: dict[tuple, OfficialHoliday] = {}
    for item in node.tables("holiday", f"holiday {{n}} of {node.what}"):
        holiday = _holiday(item)
        key = (holiday.date, holiday.name.casefold())
        if key in seen:
            raise item.error(f"{holiday.name} on {holiday.date} appears twice in {node.what} (first at line "
                             f"{seen[key].line})", "date", "keep one")
        seen[key] = holiday
        holidays.append(holiday)
    if not holidays:
        raise node.error(f"{node.what} has no [[holiday]] dates", hint="add [[holiday]] tables with date, name "
                         "and source")
    return HolidayCalendar(name, node.text("title") or name, tuple(sorted(holidays, key=lambda h: h.date)),
                           node.text("duty_station"), node.text("notes"), node.source.name)


def _holiday(node: Node) -> OfficialHoliday:
    node.check_keys(HOLIDAY_KEYS)
    day = node.get("date", date, required=True)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise node.error(f"{node.what} is in {day.year}; som plans meetings from {FIRST_YEAR} to {LAST_YEAR}",
                         "date", "check the year")
    title = node.text("name", required=True) or ""
    node.what = f"{title} ({day.isoformat()})"
    source = node.text("source")
    if source is None:
        raise node.error(f"{node.what} has no source", "source",
                         'say where the date comes from: the circular\'s symbol, or the publisher and date '
                         '(source = "ST/IC/2023/25"), or "projected: <the rule>"')
    return OfficialHoliday(day, title, source, node.get("projected", bool, default=False),
                           node.get("floating", bool, default=False), node.line())


def _directory_calendar(node: Node) -> HolidayCalendar:
    """A [[calendar]] of a member directory: inline holidays, or `file = "path.toml"`."""
    if "file" not in node.data:
        return _calendar(node)
    node.check_keys(("name", "file"))
    name = node.ident("name", "calendar")
    path = Path(node.text("file", required=True) or "")
    if node.source.path is not None and not path.is_absolute():
        path = node.source.path.parent / path
    try:
        calendar = load_calendar_file(path)
    except SomError as exc:
        if exc.where.file is None:
            exc.at(node.source.name, node.line("file"))
        raise
    return replace(calendar, name=name)


# --- meetings ------------------------------------------------------------------------------

# A translated title sits beside the title: `title_fr = "…"`. (TOML's `title.fr = "…"` would make
# `title` a table, and every file, tool and reader that takes `title` as text would break.)
TITLE_KEYS = tuple(f"title_{code}" for code in LANGUAGES)
MEETING_KEYS = ("id", "title", "timezone", "city", "body", "location", "online_url", "organizer", "members",
                "language") + TITLE_KEYS
SEGMENT_KEYS = ("id", "title", "date", "time", "start", "end", "location", "online_url", "symbol",
                "distribution", "chair", "status", "notes", "item") + TITLE_KEYS
ITEM_KEYS = ("title", "lead", "minutes", "documents", "notes", "item") + TITLE_KEYS
TASK_KEYS = ("title", "segment", "due", "owner", "done")


def load_meeting(path: Path | str | None = None) -> Meeting:
    """A meeting file, validated; without a path, the bundled SOM29 meeting."""
    source = read_source(Path(path)) if path is not None else read_source(None, bundled=BUNDLED_MEETING)
    index = LineIndex(source.text)
    root = Node(source, index, source.data, (), "the meeting file")
    root.check_keys(("meeting", "segment", "task"))
    if "meeting" not in source.data:
        raise SomError("the file has no [meeting] table", file=source.name, line=1,
                       hint="start it with [meeting], then id, title and timezone")
    head = Node(source, index, source.data["meeting"], ("meeting",), "[meeting]")
    _check_title_keys(head)
    head.check_keys(MEETING_KEYS)
    meeting_id = head.ident("id", "meeting")
    language = _language(head) if "language" in head.data else "en"
    zone = head.zone("timezone")
    base = source.path.parent if source.path else None
    try:
        directory = load_directory(head.text("members") or BUNDLED_DIRECTORY, base=base)
    except SomError as exc:
        if exc.where.file is None:
            exc.at(source.name, head.line("members"))
        raise
    city = head.text("city") or _home_city(zone, directory)
    organizer = _organizer(head)

    segments: list[Segment] = []
    seen: set[str] = set()  # a set, not a search of the list: 5,000 segments took seconds
    for node in root.tables("segment", "[[segment]]"):
        segment = _segment(node, zone, city, directory)
        if segment.id in seen:
            raise node.error(f"segment id `{segment.id}` appears twice", "id", "give each segment its own id")
        seen.add(segment.id)
        segments.append(segment)
    if not segments:
        raise SomError("the meeting has no [[segment]]", file=source.name,
                       hint="add a [[segment]] with id, title, date and time")
    tasks = tuple(_task(node, segments) for node in root.tables("task", "[[task]]"))
    return Meeting(
        id=meeting_id, title=_title(head), zone=zone, directory=directory,
        segments=tuple(segments), location=head.text("location"), online_url=_url(head, "online_url"),
        organizer=organizer, body=head.text("body"), tasks=tasks, city=city, source=source.path,
        language=language, titles=_titles(head))


def _check_title_keys(node: Node) -> None:
    """`title_de`: a translation into a language som does not write, said as such (not "unknown key")."""
    for key in node.data:
        if key.startswith("title_") and key not in TITLE_KEYS:
            code = key[len("title_"):]
            raise node.error(f"`{key}` in {node.what}: `{code}` is not a language som writes", key,
                             "languages: " + ", ".join(LANGUAGES))


def _title(node: Node) -> str:
    if isinstance(node.data.get("title"), dict):  # `title.fr = "…"` made `title` a table
        raise node.error(f"`title` in {node.what} must be text, not a table", "title",
                         'write a translation beside the title: title_fr = "…"')
    return node.text("title", required=True)


def _titles(node: Node) -> tuple[tuple[str, str], ...]:
    """The translations of a title, in the order of LANGUAGES. One in the meeting's own language
    is allowed (a meeting may switch its `language`): writing in that language, it wins."""
    return tuple((code, node.text(f"title_{code}", required=True)) for code in LANGUAGES if f"title_{code}" in node.data)


def _home_city(zone, directory: Directory) -> str:
    """How people name the home zone: the city most members in it sit in (Geneva, not Zurich)."""
    cities: dict[str, int] = {}
    for m in directory.members:
        if m.zone.key == zone.key:
            cities[m.city] = cities.get(m.city, 0) + 1
    if cities:
        return max(sorted(cities), key=lambda c: cities[c])
    return zone_label(zone)


def _organizer(head: Node) -> Person | None:
    value = head.get("organizer", dict)
    if value is None:
        return None
    node = Node(head.source, head.index, value, ("meeting", "organizer"), "`organizer`")
    node.check_keys(("name", "email"))
    email = node.text("email", required=True)
    if not EMAIL.match(email):
        raise node.error(f"`{email}` is not an e-mail address", "email", "write it like secretariat@example.org")
    return Person(node.text("name") or email, email)


def _url(node: Node, key: str) -> str | None:
    url = node.text(key)
    if url is not None and not re.match(r"^https?://\S+$", url):
        raise node.error(f"`{key}` in {node.what} must be an http(s) address", key, "write it like https://...")
    return url


def _segment(node: Node, zone, city: str, directory: Directory) -> Segment:
    segment_id = node.ident("id", "segment")
    node.what = f"[[segment]] `{segment_id}`"
    _check_title_keys(node)
    node.check_keys(SEGMENT_KEYS)
    start, end = _segment_times(node, zone, city)
    if not FIRST_YEAR <= start.year <= LAST_YEAR or not FIRST_YEAR <= end.year <= LAST_YEAR:
        raise node.error(f"{node.what} is in {start.year}; som plans meetings from {FIRST_YEAR} to {LAST_YEAR}",
                         "date", "check the year")
    status = node.text("status") or "confirmed"
    if status not in SEGMENT_STATUSES:
        raise node.error(f"status `{status}` of {node.what} is not one of {', '.join(SEGMENT_STATUSES)}", "status",
                         did_you_mean(status, SEGMENT_STATUSES))
    items = tuple(_item(n, directory, depth=1) for n in node.tables("item", f"item {{n}} of {node.what}"))
    return Segment(
        id=segment_id, title=_title(node), titles=_titles(node), start=start, end=end,
        location=node.text("location"), online_url=_url(node, "online_url"), symbol=node.text("symbol"),
        distribution=node.text("distribution"), chair=node.text("chair"), status=status,
        notes=node.text("notes"), items=items, line=node.line())


def _segment_times(node: Node, zone, city: str):
    has_time = "time" in node.data
    has_start_end = "start" in node.data or "end" in node.data
    if has_time and has_start_end:
        raise node.error(f"{node.what} has both `time` and `start`/`end`", "time", "keep one of the two")
    if not has_time and not has_start_end:
        raise node.error(f"{node.what} has no time", hint='add time = "15:00-17:00 CEST" (or start and end)')
    day = node.get("date", (date, str))
    if isinstance(day, str):
        try:
            day = parse_date(day, iso_only=True)
        except SomError:
            raise node.error(f"`date` of {node.what} is not a date: `{day}`", "date",
                             "write it as 2023-09-26 (no quotes)") from None

    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise node.error(f"{node.what} is in {day.year}; som plans meetings from {FIRST_YEAR} to {LAST_YEAR}",
                         "date", "check the year")

    def located(key):
        def wrap(exc: SomError) -> SomError:
            return node.error(f"{exc.message} ({node.what})", key, exc.hint)
        return wrap

    if has_time:
        if day is None:
            raise node.error(f"{node.what} has a `time` but no `date`", "date", "add date = 2023-09-26")
        text = node.text("time", required=True)
        try:
            rng = parse_time_range(text)
            if rng.paren and city.lower() not in rng.paren.lower():
                raise SomError(f"`{text}` names {rng.paren.strip()}, but times here are {city} time",
                               hint=f"write the time in {city} time")
            return segment_instants(day, rng, zone, place=city, written=text)
        except SomError as exc:
            raise located("time")(exc) from None
    start = _instant(node, "start", day, zone, city, located("start"))
    end = _instant(node, "end", day, zone, city, located("end"))
    if end.astimezone(timezone.utc) <= start.astimezone(timezone.utc):  # instants, not wall times
        raise node.error(f"the end of {node.what} is not after its start", "end", "check `start` and `end`")
    return start, end


def _instant(node: Node, key: str, day: date | None, zone, city: str, wrap) -> datetime:
    value = node.get(key, (str, time, datetime), required=True)
    try:
        if isinstance(value, datetime):
            label = None
            if value.tzinfo is not None:
                label = Label(format_offset(value.utcoffset()), value.utcoffset())
            return localize(value.date(), value.time().replace(tzinfo=None), zone, label=label, place=city,
                            written=value.isoformat())
        if day is None:
            raise SomError(f"`{key}` is a time of day but {node.what} has no `date`",
                           hint="add date = 2023-09-26, or write start = 2023-09-26T15:00:00")
        if isinstance(value, time):
            clock, label = value.replace(tzinfo=None), None
        else:
            clock, label = parse_clock(value)
        return localize(day, clock, zone, label=label, place=city, written=f"{day.isoformat()} {value}")
    except SomError as exc:
        raise wrap(exc) from None


def _item(node: Node, directory: Directory, depth: int) -> AgendaItem:
    _check_title_keys(node)
    node.check_keys(ITEM_KEYS)
    lead = node.text("lead")
    if lead is not None:
        member = directory.find(lead)
        if member is None:
            raise node.error(f"unknown lead `{lead}` in {node.what}", "lead",
                             did_you_mean(lead, [m.acronym for m in directory.members] + [m.id for m in directory.members])
                             or "use a member acronym or id from `som members`")
        lead = member.id
    minutes = node.get("minutes", int)
    if minutes is not None and not 0 < minutes <= 24 * 60:
        raise node.error(f"`minutes` of {node.what} must be between 1 and 1440", "minutes")
    if depth >= 3 and "item" in node.data:
        raise node.error("agenda items nest at most three deep", "item")
    items = tuple(_item(n, directory, depth + 1) for n in node.tables("item", f"sub-item {{n}} of {node.what}"))
    return AgendaItem(title=_title(node), titles=_titles(node), lead=lead, minutes=minutes,
                      documents=node.strings("documents"), notes=node.text("notes"), items=items,
                      line=node.line())


def _task(node: Node, segments: list[Segment]) -> Task:
    node.check_keys(TASK_KEYS)
    title = node.text("title", required=True)
    node.what = f"[[task]] `{title}`"
    segment = node.text("segment")
    if segment is not None and not any(s.id == segment for s in segments):
        raise node.error(f"unknown segment `{segment}` in {node.what}", "segment",
                         did_you_mean(segment, [s.id for s in segments]) or "use a segment id of this file")
    due_value = node.get("due", (str, date))
    due, offset = None, None
    if isinstance(due_value, date):
        due = due_value
    elif due_value is not None:
        due, offset = _due(node, due_value.strip())
    if offset is not None and segment is None:
        raise node.error(f"{node.what} has a relative `due` but no `segment`", "segment",
                         "name the segment it counts back from")
    done = node.get("done", bool, default=False)
    return Task(title, segment, due, offset, node.text("owner"), done, node.line())


# The minus sign is escaped: inside [...] an unescaped "+-−" is a range that takes in digits
# and letters, and "53 days" was read as "+3 days".
_RELATIVE = re.compile(r"^([+\-−]?)\s*(\d+)\s*(day|days|d|week|weeks|w)(?:\s+(before|after))?$", re.IGNORECASE)
MAX_OFFSET_DAYS = 3660  # ten years: anything longer is a typo, and date arithmetic would overflow
DUE_HINT = 'write an ISO date (2023-09-01) or an offset from the segment ("-3 days", "2 weeks before")'


def parse_due(text: str) -> tuple[date | None, int | None]:
    """A task's `due`: (an ISO date, None) or (None, days from the segment's date)."""
    text = text.strip()
    m = match_date(text, iso_only=True)
    if m:
        try:
            return date_from_match(m), None
        except SomError:
            raise SomError(f"`{text}` is not a date in the calendar", hint=DUE_HINT) from None
    m = _RELATIVE.match(text)
    if not m:
        raise SomError(f"`{text}` is neither a date nor an offset", hint=DUE_HINT)
    sign, number, unit, side = m.groups()
    if sign and side:
        raise SomError(f"`{text}` has both a sign and `{side}`", hint='write "-3 days" or "3 days before"')
    days = int(number) * (7 if unit.lower().startswith("w") else 1)
    if days > MAX_OFFSET_DAYS:
        raise SomError(f"`{text}` is more than ten years from the segment", hint=DUE_HINT)
    negative = sign in ("-", "−") or (side or "").lower() == "before"
    return None, -days if negative else days


def _due(node: Node, text: str) -> tuple[date | None, int | None]:
    try:
        return parse_due(text)
    except SomError as exc:
        raise node.error(f"`due` of {node.what}: {exc.message}", "due", exc.hint) from None
