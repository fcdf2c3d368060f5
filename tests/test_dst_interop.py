"""The interop matrix of clock-change nights: every parser × every file kind × every scenario.

Scenarios: a segment across the spring gap, just after it, in the first and in the second pass
of the autumn repeated hour, across the autumn change, ending at 24:00, written with explicit
offsets, and ordinary days of two years, in a Geneva meeting and a New York one. File kinds: the
feed, each segment's file, each member's invitation, each member's .eml (its calendar part),
after `som build` and again after a cancellation. Views: the files as written (where
icalendar and `ical` use their own zone database for a known TZID, as the probe below proves)
and with every TZID renamed (every parser must use the file's VTIMEZONE, as Outlook does).
Parsers: ical.js, libical, vobject, ical, icalendar, recurring-ical-events (each file fresh),
and vobject and icalendar reading all files of the meeting in one process with their zone
caches kept.

Beside the calendars, the same instants are checked in the schedule's JSON (with offsets and in
UTC) and CSV (each member's offset and local times), and the checklist is checked to hold dates
only.

Expected instants: the wall time and offset written in the meeting file, turned into UTC by
arithmetic and confirmed by GNU date (tests/oracle.py), which must show that instant in the
meeting's zone as the same wall time and abbreviation.
"""

from __future__ import annotations

import csv
import datetime as dt
import email
import io
import email.policy
import json
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from agenda.cli import som
from tests import oracle, parsers

UTC = dt.timezone.utc
EPOCH = {"SOURCE_DATE_EPOCH": "1735732800"}  # 2025-01-01T12:00:00Z
LATER = {"SOURCE_DATE_EPOCH": "1740000000"}  # 2025-02-19


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    toml: str  # the segment's time lines in the meeting file
    start: tuple[str, str, int]  # wall time, abbreviation GNU date shows, offset in minutes
    end: tuple[str, str, int]

    def expected(self, zone: str) -> tuple[dt.datetime, dt.datetime]:
        out = []
        for wall, abbr, minutes in (self.start, self.end):
            instant = (dt.datetime.fromisoformat(wall) - dt.timedelta(minutes=minutes)).replace(tzinfo=UTC)
            shown = oracle.local_of_utc(instant, zone)
            assert shown == (dt.datetime.fromisoformat(wall), abbr, minutes), (self.id, shown)
            out.append(instant)
        return out[0], out[1]


ZURICH = [
    Case("gap", "Across the spring gap", 'date = 2025-03-30\ntime = "01:00-04:00"',
         ("2025-03-30T01:00", "CET", 60), ("2025-03-30T04:00", "CEST", 120)),
    Case("aftergap", "Just after the gap", 'date = 2025-03-30\ntime = "03:00-04:00 CEST"',
         ("2025-03-30T03:00", "CEST", 120), ("2025-03-30T04:00", "CEST", 120)),
    Case("first", "First pass", 'date = 2025-10-26\ntime = "02:00-02:45 CEST"',
         ("2025-10-26T02:00", "CEST", 120), ("2025-10-26T02:45", "CEST", 120)),
    Case("second", "Second pass", 'date = 2025-10-26\ntime = "02:30-03:30 CET"',
         ("2025-10-26T02:30", "CET", 60), ("2025-10-26T03:30", "CET", 60)),
    Case("across", "Across the autumn change", 'date = 2025-10-26\ntime = "01:30-04:00"',
         ("2025-10-26T01:30", "CEST", 120), ("2025-10-26T04:00", "CET", 60)),
    Case("midnight", "Ending at 24:00", 'date = 2025-10-25\ntime = "22:00-24:00"',
         ("2025-10-25T22:00", "CEST", 120), ("2025-10-26T00:00", "CEST", 120)),
    Case("explicit", "Explicit offsets", "start = 2026-10-25T02:15:00+02:00\nend = 2026-10-25T02:15:00+01:00",
         ("2026-10-25T02:15", "CEST", 120), ("2026-10-25T02:15", "CET", 60)),
    Case("usual", "An ordinary day", 'date = 2025-09-23\ntime = "15:00-17:00"',
         ("2025-09-23T15:00", "CEST", 120), ("2025-09-23T17:00", "CEST", 120)),
    Case("winter", "A winter day next year", 'date = 2026-01-20\ntime = "10:00-12:00"',
         ("2026-01-20T10:00", "CET", 60), ("2026-01-20T12:00", "CET", 60)),
]

NEW_YORK = [
    Case("gap", "Across the spring gap", 'date = 2025-03-09\ntime = "01:30-03:30"',
         ("2025-03-09T01:30", "EST", -300), ("2025-03-09T03:30", "EDT", -240)),
    Case("first", "First pass", 'date = 2025-11-02\ntime = "01:10-01:50 EDT"',
         ("2025-11-02T01:10", "EDT", -240), ("2025-11-02T01:50", "EDT", -240)),
    Case("second", "Second pass", 'date = 2025-11-02\ntime = "01:10-01:50 EST"',
         ("2025-11-02T01:10", "EST", -300), ("2025-11-02T01:50", "EST", -300)),
    Case("midnight", "Ending at 24:00", 'date = 2025-11-01\ntime = "23:00-24:00"',
         ("2025-11-01T23:00", "EDT", -240), ("2025-11-02T00:00", "EDT", -240)),
    Case("explicit", "Explicit offsets", "start = 2025-11-02T01:30:00-04:00\nend = 2025-11-02T01:30:00-05:00",
         ("2025-11-02T01:30", "EDT", -240), ("2025-11-02T01:30", "EST", -300)),
    Case("usual", "An ordinary day", 'date = 2025-06-10\ntime = "09:00-11:00"',
         ("2025-06-10T09:00", "EDT", -240), ("2025-06-10T11:00", "EDT", -240)),
]

MEETINGS = {"dst-geneva": ("Europe/Zurich", "Geneva", ZURICH), "dst-newyork": ("America/New_York", "New York", NEW_YORK)}

DIRECTORY = """name = "offices"

[[member]]
id = "geneva"
acronym = "GVA"
name = "Geneva Office"
city = "Geneva"
country = "CH"
timezone = "Europe/Zurich"
emails = ["gva@example.org"]

[[member]]
id = "newyork"
acronym = "NYC"
name = "New York Office"
city = "New York"
country = "US"
timezone = "America/New_York"
emails = ["nyc@example.org"]

[[member]]
id = "tokyo"
acronym = "TYO"
name = "Tokyo Office"
city = "Tokyo"
country = "JP"
timezone = "Asia/Tokyo"
emails = ["tyo@example.org"]
"""


def meeting_file(folder: Path, meeting_id: str) -> Path:
    zone, city, cases = MEETINGS[meeting_id]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "offices.toml").write_text(DIRECTORY, encoding="utf-8")
    lines = ["[meeting]", f'id = "{meeting_id}"', 'title = "Clock-change nights"', f'timezone = "{zone}"',
             f'city = "{city}"', 'members = "offices.toml"',
             'organizer = { name = "EMG Secretariat", email = "emg.secretariat@example.org" }']
    for case in cases:
        lines += ["", "[[segment]]", f'id = "{case.id}"', f'title = "{case.title}"', case.toml]
    path = folder / "meeting.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def som_run(*args: str, env) -> None:
    result = CliRunner().invoke(som, [str(a) for a in args], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output


def calendar_files(pack: Path, scratch: Path, meeting_id: str) -> dict[str, Path]:
    """Every file of the pack that carries the meeting's events, by kind/name: .ics as they are,
    and the calendar part of each .eml written out as an .ics."""
    files = {}
    for path in sorted((pack / "invitations").rglob("*.ics")):
        kind = ("member" if "members" in path.parts else "feed" if path.name == f"{meeting_id}.ics"
                else "segment")
        files[f"{kind}:{path.relative_to(pack)}"] = path
    scratch.mkdir(parents=True, exist_ok=True)
    for n, path in enumerate(sorted((pack / "invitations").rglob("*.eml"))):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        [part] = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
        copy = scratch / f"{n:03d}-{path.stem}.ics"
        copy.write_bytes(part.get_payload(decode=True))
        files[f"eml:{path.relative_to(pack)}"] = copy
    return files


PARSERS = 8  # ical.js, libical, vobject, ical, icalendar, recurring-ical-events, and vobject and icalendar with zones cached


def read_all(files: dict[str, Path]) -> dict[str, dict[str, list[parsers.Instant]]]:
    paths = list(files.values())
    names = list(files)
    seen: dict[str, dict[str, list[parsers.Instant]]] = {}
    for parser, views in (("ical.js", parsers.icaljs(paths)), ("libical", parsers.libical(paths))):
        seen[parser] = {name: views[path] for name, path in files.items()}
    for parser, parse in parsers.PY_PARSERS.items():
        seen[parser] = {name: parse(path.read_bytes()) for name, path in files.items()}
    seen["recurring-ical-events"] = {name: parsers.recurring_instants(path.read_bytes()) for name, path in files.items()}
    datas = [p.read_bytes() for p in paths]
    seen["vobject, zones cached"] = dict(zip(names, parsers.vobject_cached(datas)))
    seen["icalendar, zones cached"] = dict(zip(names, parsers.icalendar_cached(datas)))
    return seen


def wrong_readings(files: dict[str, Path], expected: dict[str, tuple], tally: list[int]) -> list[str]:
    wrong = []
    for parser, views in read_all(files).items():
        for name, instants in views.items():
            if not instants:
                wrong.append(f"{parser}: no event in {name}")
            for i in instants:
                tally[0] += 1
                if (i.start_utc, i.end_utc) != expected.get(i.uid):
                    wrong.append(f"{parser}: {name} {i.uid} at {i.start_utc}–{i.end_utc}, "
                                 f"GNU date says {expected.get(i.uid)}")
    return wrong


def test_the_own_database_readers_really_use_their_own_database(tmp_path):
    """The probe behind the matrix's claim: with a known TZID, icalendar, `ical` and
    recurring-ical-events ignore a
    VTIMEZONE that is wrong (a summer offset of +05:00) and read the time right; with the TZID
    renamed, they follow the file. The others follow the file either way."""
    folder = tmp_path / "in"
    som_run("invite", meeting_file(folder, "dst-geneva"), "-o", tmp_path / "out", "--no-members", env=EPOCH)
    good = (tmp_path / "out" / "dst-geneva-usual.ics").read_bytes()
    assert b"TZID=Europe/Zurich" in good and b"TZOFFSETTO:+0200" in good
    bad = good.replace(b"TZOFFSETTO:+0200", b"TZOFFSETTO:+0500")
    want = ZURICH[7].expected("Europe/Zurich")
    for parse in (parsers.ical_instants, parsers.icalendar_instants, parsers.recurring_instants):
        [event] = parse(bad)
        assert (event.start_utc, event.end_utc) == want
        [renamed] = parse(parsers.rename_tzids(bad))
        assert (renamed.start_utc, renamed.end_utc) != want


def test_clock_change_nights_interop_matrix(tmp_path):
    """The whole matrix in one test: parsers × views × file kinds × scenarios, 0 wrong."""
    tally = [0]
    wrong: list[str] = []
    kinds: set[str] = set()
    files_read = 0
    for meeting_id, (zone, _, cases) in MEETINGS.items():
        expected = {f"{c.id}.{meeting_id}@som": c.expected(zone) for c in cases}
        meeting = meeting_file(tmp_path / meeting_id / "in", meeting_id)
        pack = tmp_path / meeting_id / "pack"
        rounds = [("build", ("build", meeting, "-o", pack), EPOCH),
                  ("cancel", ("invite", meeting, "-o", pack / "invitations", "--eml", "--cancel", "second"), LATER)]
        som_run("invite", meeting, "-o", pack / "invitations", "--eml", env=EPOCH)
        for label, args, env in rounds:
            som_run(*args, env=env)
            files = calendar_files(pack, tmp_path / meeting_id / f"eml-{label}", meeting_id)
            renamed_dir = tmp_path / meeting_id / f"renamed-{label}"
            renamed_dir.mkdir()
            renamed = {}
            for n, (name, path) in enumerate(files.items()):
                copy = renamed_dir / f"{n:03d}-{path.name}"
                copy.write_bytes(parsers.rename_tzids(path.read_bytes()))
                renamed[f"renamed {name}"] = copy
            assert any(b"X-Custom-" in p.read_bytes() for p in renamed.values())
            for view in (files, renamed):
                wrong += wrong_readings(view, expected, tally)
                files_read += len(view)
            kinds |= {name.split(":")[0] for name in files}
            for name, path in files.items():
                assert parsers.check_lines(path.read_bytes()) == [], name
                assert _one_form_per_event(path.read_bytes()) == [], name
            # the schedule's JSON: every start and end, with its offset and in UTC
            schedule = json.loads((pack / "schedule.json").read_text(encoding="utf-8"))
            for seg in schedule["segments"]:
                want = expected[f"{seg['id']}.{meeting_id}@som"]
                got = tuple(dt.datetime.fromisoformat(seg[k]).astimezone(UTC) for k in ("start", "end"))
                got_utc = tuple(dt.datetime.fromisoformat(seg[k].replace("Z", "+00:00")) for k in ("start_utc", "end_utc"))
                assert got == want and got_utc == want, seg["id"]
            # the schedule's CSV: each member row's offset and local times, as GNU date shows them
            rows = [r for r in csv.reader(io.StringIO((pack / "schedule.csv").read_text(encoding="utf-8")))][1:]
            assert len(rows) == len(cases) * 3
            for seg_id, zone_key, _, _, offset, local, *_ in rows:
                start, end = expected[f"{seg_id}.{meeting_id}@som"]
                (sw, sa, so), (ew, ea, _) = oracle.local_of_utc_many([(start, zone_key), (end, zone_key)])
                want = f"{sw:%H:%M}–{ew:%H:%M} {sa}" if sa == ea else f"{sw:%H:%M} {sa}–{ew:%H:%M} {ea}"
                sign = "+" if so >= 0 else "-"
                assert (offset, local) == (f"UTC{sign}{abs(so) // 60:02d}:{abs(so) % 60:02d}", want), (seg_id, zone_key)
            # the checklist holds dates only: no time of day that a reader could misplace
            for name in ("checklist.ics", "checklist-events.ics"):
                text = (pack / name).read_text(encoding="utf-8")
                assert "TZID" not in text and all(line.endswith("Z") for line in text.splitlines()
                                                  if line.startswith(("DTSTART:", "DUE:", "DTEND:")))
    assert kinds == {"feed", "segment", "member", "eml"}
    print(f"\ninterop matrix: {tally[0]} event readings ({files_read} files, renamed copies included, each read by "
          f"{PARSERS} parsers; {sum(len(m[2]) for m in MEETINGS.values())} scenarios in {len(MEETINGS)} meetings), {len(wrong)} wrong")
    assert wrong == [], "\n".join(wrong[:40]) + f"\n({len(wrong)} wrong of {tally[0]})"


def _one_form_per_event(data: bytes) -> list[str]:
    """Events whose DTSTART and DTEND are not written the same way (both TZID, or both UTC)."""
    text = data.decode("utf-8").replace("\r\n ", "")
    out = []
    for event in text.split("BEGIN:VEVENT")[1:]:
        lines = {line.split(":")[0].split(";")[0]: line for line in event.split("\r\n")
                 if line.startswith(("DTSTART", "DTEND"))}
        forms = {"TZID" if "TZID=" in line else "Z" if line.endswith("Z") else "other" for line in lines.values()}
        if len(forms) != 1 or "other" in forms:
            out.append(" / ".join(lines.values()))
    return out
