"""Read .ics files with five independent iCalendar parsers and compare what they see.

ical.js (Thunderbird) and libical (Evolution) run in one subprocess per call, however
many files; vobject, ical (Home Assistant) and icalendar run in this process.
Every function returns VEVENTs in file order, then VTODOs in file order (a VTODO's
end_utc is its DUE). A time a parser could not place (floating, or a TZID it could not
resolve) has start_utc/end_utc None; an all-day value is a datetime.date.
A missing parser raises ParserUnavailable with one line that names it and says what to
run; tests/conftest.py turns it into a one-line test failure (never a skip).
"""

import datetime as dt
import importlib
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent
INTEROP = HERE / "interop"
# Where each outside parser is looked for; tests point these elsewhere to see the message.
NODE = shutil.which("node")  # runs ical.js
NODE_MODULES = INTEROP / "node_modules"  # npm ci puts ical.js there
SYSTEM_PYTHON = "/usr/bin/python3"  # the Debian python that has python3-gi, for libical
LIBICAL_MISSING = 3  # the exit status of interop/libical_dump.py when gi or ICalGLib is missing
INSTALL_HINT = "run `make test` or `bash scripts/install-test-deps.sh`"
PIP_HINT = "run `make test` (it installs the test extras, `pip install -e '.[test]'`, into .venv)"
UTC = dt.timezone.utc

When = dt.datetime | dt.date | None


@dataclass(frozen=True)
class Instant:
    uid: str | None
    summary: str | None
    start_utc: When
    end_utc: When
    sequence: int | None
    status: str | None


class ParserUnavailable(RuntimeError):
    """A parser is not installed; the message is one line: which parser, where, what to run."""


class ParserFailed(RuntimeError):
    pass


class Disagreement(AssertionError):
    pass


# -- ical.js and libical, through their dump scripts ------------------------------------

def _shown(path) -> str:
    """A path as the message shows it: relative to the repository when inside it."""
    path = Path(path)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _run_dump(name: str, argv: list[str], paths) -> dict:
    keys = [str(p) for p in paths]
    if not keys:
        return {}
    run = subprocess.run(argv + keys, capture_output=True, text=True, check=False)
    if name == "libical" and run.returncode == LIBICAL_MISSING:
        reason = " ".join(run.stderr.split()) or "gi or ICalGLib 3.0 missing"
        raise ParserUnavailable(f"libical is not installed (GObject introspection for {argv[0]}: {reason}): "
                                f"{INSTALL_HINT}")
    if run.returncode != 0:
        raise ParserFailed(f"{name} dump failed with status {run.returncode}:\n{run.stderr.strip()}")
    out = json.loads(run.stdout)
    return {p: out[str(p)] for p in paths}


def icaljs_dump(paths) -> dict:
    """Raw ical.js view of each file: {path: {"calendar": {...}, "components": [...]}}."""
    if NODE is None or not Path(NODE).exists():
        where = "`node` is not on PATH" if NODE is None else f"{NODE} does not exist"
        raise ParserUnavailable(f"ical.js cannot run: Node.js is not installed ({where}): install Node.js "
                                f"(apt-get install nodejs), then {INSTALL_HINT}")
    if not (NODE_MODULES / "ical.js").exists():
        raise ParserUnavailable(f"ical.js is not installed ({_shown(NODE_MODULES)}): {INSTALL_HINT}")
    return _run_dump("ical.js", [NODE, str(INTEROP / "icaljs_dump.mjs")], paths)


def postalmime_dump(paths) -> dict:
    """A second MIME parser (postal-mime, Node): {path: {"subject", "text", "html"}} of each .eml."""
    if NODE is None or not Path(NODE).exists() or not (NODE_MODULES / "postal-mime").exists():
        raise ParserUnavailable(f"postal-mime is not installed ({_shown(NODE_MODULES)}): {INSTALL_HINT}")
    return _run_dump("postal-mime", [NODE, str(INTEROP / "postalmime_dump.mjs")], paths)


def libical_dump(paths) -> dict:
    """Raw libical view of each file, with parse_errors, restriction_ok, restriction_problems."""
    if not Path(SYSTEM_PYTHON).exists():
        raise ParserUnavailable(f"libical is not installed ({SYSTEM_PYTHON} does not exist; libical is read through "
                                f"its GObject introspection for the system python3): {INSTALL_HINT}")
    return _run_dump("libical", [SYSTEM_PYTHON, str(INTEROP / "libical_dump.py")], paths)


def _when(value: str | None) -> When:
    if value is None:
        return None
    if len(value) == 10:
        return dt.date.fromisoformat(value)
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _instants(name: str, dumped: dict) -> dict:
    result = {}
    for path, view in dumped.items():
        if "error" in view:
            raise ParserFailed(f"{name} could not read {path}: {view['error']}")
        result[path] = [
            Instant(c["uid"], c["summary"], _when(c["start_utc"]), _when(c["end_utc"]),
                    c["sequence"], c["status"])
            for c in view["components"]
        ]
    return result


def icaljs(paths) -> dict[object, list[Instant]]:
    return _instants("ical.js", icaljs_dump(paths))


def libical(paths) -> dict[object, list[Instant]]:
    return _instants("libical", libical_dump(paths))


def libical_restriction_check(paths) -> dict[object, tuple[bool, list[str]]]:
    """libical's iTIP check per METHOD: (ok, problems); parse errors count as problems."""
    result = {}
    for path, view in libical_dump(paths).items():
        if "error" in view:
            result[path] = (False, [view["error"]])
        else:
            problems = view["parse_errors"] + view["restriction_problems"]
            result[path] = (view["restriction_ok"] and not view["parse_errors"], problems)
    return result


# -- the Python parsers -----------------------------------------------------------------

def _module(parser: str, name: str):
    """Import a Python parser's module, or say in one line that it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ParserUnavailable(f"{parser} is not installed (`import {name}` fails in {_shown(sys.executable)}: "
                                f"{exc}): {PIP_HINT}") from None


def _utc(value) -> When:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return None if value.tzinfo is None else value.astimezone(UTC)
    return value


def _int(value) -> int | None:
    return None if value is None else int(value)


def vobject_instants(data: bytes) -> list[Instant]:
    vobject = _module("vobject", "vobject")
    vobject_icalendar = _module("vobject", "vobject.icalendar")

    # vobject keeps the first VTIMEZONE (or pytz zone) it saw for a TZID for the life of
    # the process; without a reset, one file's zone would silently serve the next file.
    tzid_map = vars(vobject_icalendar)["__tzidMap"]
    saved = dict(tzid_map)
    try:
        return _vobject_instants(vobject.readOne(data.decode("utf-8")))
    finally:
        tzid_map.clear()
        tzid_map.update(saved)


def _vobject_instants(cal) -> list[Instant]:
    def field(comp, name):
        return getattr(comp, name).value if hasattr(comp, name) else None

    out = []
    for ev in cal.contents.get("vevent", []):
        start = field(ev, "dtstart")
        end = field(ev, "dtend")
        if end is None and start is not None and hasattr(ev, "duration"):
            end = start + ev.duration.value
        out.append(Instant(field(ev, "uid"), field(ev, "summary"), _utc(start), _utc(end),
                           _int(field(ev, "sequence")), field(ev, "status")))
    for todo in cal.contents.get("vtodo", []):
        out.append(Instant(field(todo, "uid"), field(todo, "summary"), _utc(field(todo, "dtstart")),
                           _utc(field(todo, "due")), _int(field(todo, "sequence")),
                           field(todo, "status")))
    return out


def ical_instants(data: bytes) -> list[Instant]:
    """Home Assistant's strict parser; raises ical.exceptions.CalendarParseError on RFC violations."""
    IcsCalendarStream = _module("ical", "ical.calendar_stream").IcsCalendarStream

    cal = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))

    def status(comp):
        return None if comp.status is None else str(comp.status.value)

    out = [Instant(ev.uid, ev.summary, _utc(ev.dtstart), _utc(ev.end), ev.sequence, status(ev))
           for ev in cal.events]
    out += [Instant(t.uid, t.summary, _utc(t.dtstart), _utc(t.due), t.sequence, status(t))
            for t in cal.todos]
    return out


def icalendar_instants(data: bytes) -> list[Instant]:
    icalendar = _module("icalendar", "icalendar")

    # icalendar caches a custom TZID's VTIMEZONE process-wide, first file wins;
    # use_zoneinfo() (its default provider) starts from an empty cache.
    icalendar.use_zoneinfo()
    cal = icalendar.Calendar.from_ical(data)

    def decoded(comp, name):
        return comp.decoded(name) if name in comp else None

    def text(comp, name):
        return None if name not in comp else str(comp[name])

    out = []
    for ev in cal.walk("VEVENT"):
        start = decoded(ev, "DTSTART")
        end = decoded(ev, "DTEND")
        if end is None and start is not None and "DURATION" in ev:
            end = start + ev.decoded("DURATION")
        out.append(Instant(text(ev, "UID"), text(ev, "SUMMARY"), _utc(start), _utc(end),
                           _int(decoded(ev, "SEQUENCE")), text(ev, "STATUS")))
    for todo in cal.walk("VTODO"):
        out.append(Instant(text(todo, "UID"), text(todo, "SUMMARY"), _utc(decoded(todo, "DTSTART")),
                           _utc(decoded(todo, "DUE")), _int(decoded(todo, "SEQUENCE")),
                           text(todo, "STATUS")))
    return out


PY_PARSERS = {"vobject": vobject_instants, "ical": ical_instants, "icalendar": icalendar_instants}


def recurring_instants(data: bytes) -> list[Instant]:
    """recurring-ical-events (on icalendar): what calendar front ends built on it list between
    two dates. It misreads an event that mixes `DTSTART;TZID=…` with `DTEND:…Z`."""
    icalendar = _module("icalendar", "icalendar")
    recurring = _module("recurring-ical-events", "recurring_ical_events")
    icalendar.use_zoneinfo()
    cal = icalendar.Calendar.from_ical(data)
    out = []
    for ev in recurring.of(cal).between(dt.datetime(1970, 1, 1), dt.datetime(2100, 1, 1)):
        out.append(Instant(str(ev["UID"]), str(ev.get("SUMMARY")), _utc(ev["DTSTART"].dt),
                           _utc(ev["DTEND"].dt) if "DTEND" in ev else None,
                           _int(ev.get("SEQUENCE")), str(ev["STATUS"]) if "STATUS" in ev else None))
    return out


def vobject_cached(datas: list[bytes]) -> list[list[Instant]]:
    """vobject reading several files in one process, as Radicale does, with its zone cache kept
    from file to file: the first VTIMEZONE seen for a TZID serves every later file (Outlook
    caches zones by TZID the same way). Files whose VTIMEZONEs differ for one TZID are misread."""
    vobject = _module("vobject", "vobject")
    vobject_icalendar = _module("vobject", "vobject.icalendar")
    tzid_map = vars(vobject_icalendar)["__tzidMap"]
    saved = dict(tzid_map)
    tzid_map.clear()  # start like a fresh process, keep the cache across these files
    try:
        return [_vobject_instants(vobject.readOne(d.decode("utf-8"))) for d in datas]
    finally:
        tzid_map.clear()
        tzid_map.update(saved)


def icalendar_cached(datas: list[bytes]) -> list[list[Instant]]:
    """icalendar reading several files in one process: a custom TZID's VTIMEZONE is cached
    process-wide, the first file's wins (see icalendar_instants, which resets it per file)."""
    icalendar = _module("icalendar", "icalendar")
    icalendar.use_zoneinfo()
    out = []
    for data in datas:
        cal = icalendar.Calendar.from_ical(data)
        out.append([Instant(str(ev["UID"]) if "UID" in ev else None, str(ev["SUMMARY"]) if "SUMMARY" in ev else None,
                            _utc(ev.decoded("DTSTART")), _utc(ev.decoded("DTEND")) if "DTEND" in ev else None,
                            _int(ev.decoded("SEQUENCE")) if "SEQUENCE" in ev else None,
                            str(ev["STATUS"]) if "STATUS" in ev else None)
                    for ev in cal.walk("VEVENT")])
    icalendar.use_zoneinfo()
    return out


def all_parsers_agree(path) -> dict[str, list[Instant]]:
    """Every parser's instants for one file; raises Disagreement unless all five match."""
    data = Path(path).read_bytes()
    seen = {"ical.js": icaljs([path])[path], "libical": libical([path])[path]}
    for name, parse in PY_PARSERS.items():
        seen[name] = parse(data)
    reference = seen["ical.js"]
    if any(v != reference for v in seen.values()):
        lines = [f"parsers disagree on {path}:"]
        lines += [f"  {name:9} {instants}" for name, instants in seen.items()]
        raise Disagreement("\n".join(lines))
    return seen


# -- byte-level checks and rewrites ------------------------------------------------------

_FOLD = re.compile(rb"\r?\n[ \t]")
_TZID_PARAM = re.compile(rb'(;TZID=)(?:"([^"]*)"|([^;:,]*))', re.IGNORECASE)
_TZID_PROP = re.compile(rb"^(TZID(?:;[^:]*)?:)(.*)$", re.IGNORECASE)


def _fold(line: bytes) -> list[bytes]:
    """Split a content line into <=75-octet pieces without cutting a UTF-8 character."""
    pieces, limit = [], 75
    while len(line) > limit:
        cut = limit
        while cut > 0 and (line[cut] & 0xC0) == 0x80:  # never start a piece mid-character
            cut -= 1
        pieces.append(line[:cut])
        line = b" " + line[cut:]
    return pieces + [line]


def rename_tzids(data: bytes, prefix: str = "X-Custom-") -> bytes:
    """Prefix every TZID (VTIMEZONE's TZID and every TZID= parameter), so a parser must use
    the file's own VTIMEZONE instead of its built-in zone database. Output is CRLF, refolded."""
    p = prefix.encode("utf-8")

    def param(m):
        if m.group(2) is not None:
            return m.group(1) + b'"' + p + m.group(2) + b'"'
        return m.group(1) + p + m.group(3)

    out = []
    for line in _FOLD.sub(b"", data).splitlines():
        line = _TZID_PROP.sub(lambda m: m.group(1) + p + m.group(2), line)
        out.extend(_fold(_TZID_PARAM.sub(param, line)))
    return b"\r\n".join(out) + b"\r\n"


def check_lines(data: bytes) -> list[str]:
    """RFC 5545 3.1 problems: lines not ended by CRLF, lines over 75 octets, and folds that
    split a UTF-8 character (or bytes that are not UTF-8 at all). Lines count from 1."""
    parts = re.split(rb"(\r\n|\n|\r)", data)
    lines, endings = parts[0::2], parts[1::2] + [b""]
    if lines[-1] == b"":
        lines, endings = lines[:-1], endings[:-1]
    names = {b"\n": "LF", b"\r": "CR", b"": "nothing"}
    problems = []
    for n, (line, ending) in enumerate(zip(lines, endings), 1):
        if ending != b"\r\n":
            problems.append(f"line {n} ends with {names[ending]}, not CRLF")
        if len(line) > 75:
            problems.append(f"line {n} has {len(line)} octets, over 75")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {n} has {_why_undecodable(lines, n - 1)}")
    return problems


def _why_undecodable(lines: list[bytes], i: int) -> str:
    start = i
    while start > 0 and lines[start][:1] in (b" ", b"\t"):
        start -= 1
    end = i + 1
    while end < len(lines) and lines[end][:1] in (b" ", b"\t"):
        end += 1
    logical = lines[start] + b"".join(cont[1:] for cont in lines[start + 1:end])
    try:
        logical.decode("utf-8")
    except UnicodeDecodeError:
        return "bytes that are not UTF-8"
    return "a fold that splits a UTF-8 character"
