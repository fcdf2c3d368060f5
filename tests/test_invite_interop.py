"""Every file `som invite` writes, read by ical.js, libical, vobject, ical and icalendar, gives
the UTC instants GNU date gives for the wall times in the meeting file; again with every TZID
renamed so the parsers must use the file's own VTIMEZONE; libical's restriction_check passes;
lines are CRLF and at most 75 octets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from agenda.cli import som
from tests import oracle, parsers, som29
from tests.invite_scenarios import SCENARIOS, Scenario
from tests.test_ics import folds_inside_an_escape

ROOT = Path(__file__).resolve().parent.parent
EPOCH = {"SOURCE_DATE_EPOCH": "1693569600"}  # 2023-09-01T12:00:00Z


def invite(*args: str, env=EPOCH):
    result = CliRunner().invoke(som, ["invite", *args], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def read_everywhere(paths: list[Path]) -> dict[str, dict[Path, list]]:
    """Each parser's view of each file: {parser: {path: [Instant]}}."""
    seen = {"ical.js": parsers.icaljs(paths), "libical": parsers.libical(paths)}
    for name, parse in parsers.PY_PARSERS.items():
        seen[name] = {p: parse(p.read_bytes()) for p in paths}
    return seen


def problems(paths: list[Path], expected: dict[str, tuple]) -> list[str]:
    found = []
    for parser, views in read_everywhere(paths).items():
        for path, instants in views.items():
            if not instants:
                found.append(f"{parser}: no event in {path.name}")
            for i in instants:
                want = expected.get(i.uid)
                got = (i.start_utc, i.end_utc)
                if want is None:
                    found.append(f"{parser}: unknown UID {i.uid} in {path.name}")
                elif got != want:
                    found.append(f"{parser}: {path.name} {i.uid} at {got[0]}–{got[1]}, GNU date says {want[0]}–{want[1]}")
    return found


def renamed_copies(paths: list[Path], folder: Path) -> list[Path]:
    folder.mkdir()
    out = []
    for n, path in enumerate(paths):
        copy = folder / f"{n:03d}-{path.name}"
        copy.write_bytes(parsers.rename_tzids(path.read_bytes()))
        out.append(copy)
    return out


def check_folder(out: Path, expected: dict[str, tuple], tmp_path: Path) -> list[Path]:
    paths = sorted(out.rglob("*.ics"))
    assert paths
    assert problems(paths, expected) == []
    renamed = renamed_copies(paths, tmp_path / "renamed")
    assert any(b"X-Custom-" in p.read_bytes() for p in renamed) or not any(b"TZID" in p.read_bytes() for p in paths)
    assert problems(renamed, expected) == []
    restriction = parsers.libical_restriction_check(paths)
    assert {p.name: r for p, r in restriction.items() if not r[0]} == {}
    for path in paths + renamed:
        assert parsers.check_lines(path.read_bytes()) == [], path
    for path in paths:  # the renamed copies are folded by the test's rename, not by som
        assert folds_inside_an_escape(path.read_bytes()) == [], path
    return paths


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_every_file_lands_at_the_gnu_date_instant_in_every_parser(tmp_path, scenario: Scenario):
    meeting = scenario.write(tmp_path / "in")
    out = tmp_path / "out"
    invite(str(meeting), "-o", str(out))
    paths = check_folder(out, scenario.expected(), tmp_path)
    # feed + one per segment + one per segment for each office that has an address
    with_mail = sum(1 for o in scenario.offices if o[6])
    assert len(paths) == 1 + len(scenario.segments) * (1 + with_mail)


def test_a_cancelled_segment_reads_right_everywhere_and_libical_accepts_the_cancel(tmp_path):
    scenario = next(s for s in SCENARIOS if s.name == "text")
    meeting = scenario.write(tmp_path / "in")
    out = tmp_path / "out"
    invite(str(meeting), "-o", str(out))
    invite(str(meeting), "-o", str(out), "--cancel", "plain", env={"SOURCE_DATE_EPOCH": "1694000000"})
    paths = check_folder(out, scenario.expected(), tmp_path)
    cancels = [p for p in paths if b"METHOD:CANCEL" in p.read_bytes()]
    assert len(cancels) == sum(1 for o in scenario.offices if o[6])
    views = parsers.libical(cancels)
    for path in cancels:
        [event] = views[path]
        assert (event.uid, event.sequence, event.status) == ("plain.text@som", 1, "CANCELLED")
    feed = parsers.icaljs([out / "text.ics"])[out / "text.ics"]
    assert {(e.uid, e.status, e.sequence) for e in feed} == {("special.text@som", "CONFIRMED", 0),
                                                            ("plain.text@som", "CANCELLED", 1)}


def test_som29_with_member_addresses(tmp_path):
    """The bundled SOM29 meeting, with a directory that extends the bundled one and adds addresses."""
    folder = tmp_path / "in"
    folder.mkdir()
    focal = {"unep": ["focal.unep@example.org", "deputy.unep@example.org"], "undp": ["focal.undp@example.org"],
             "unu": ["focal.unu@example.org"], "eclac": ["focal.eclac@example.org"]}
    (folder / "focal.toml").write_text('name = "focal-points"\nextends = "un-entities"\n' + "".join(
        f'\n[[member]]\nid = "{member}"\nemails = {json.dumps(emails)}\n' for member, emails in focal.items()),
        encoding="utf-8")
    text = (ROOT / "calendars" / "som29.toml").read_text(encoding="utf-8")
    assert 'members = "un-entities"' in text
    (folder / "som29.toml").write_text(text.replace('members = "un-entities"', 'members = "focal.toml"'), encoding="utf-8")
    out = tmp_path / "out"
    invite(str(folder / "som29.toml"), "-o", str(out))
    # The report's times, Geneva: 16 May, 26 September 2023 15:00–17:00, 10 October 14:00–15:30.
    wall = {"midterm": ("2023-05-16 15:00", "2023-05-16 17:00"), "technical": ("2023-09-26 15:00", "2023-09-26 17:00"),
            "senior": ("2023-10-10 14:00", "2023-10-10 15:30")}
    expected = {f"{k}.emg-som29@som": (oracle.utc_of_local(a, "Europe/Zurich"), oracle.utc_of_local(b, "Europe/Zurich"))
                for k, (a, b) in wall.items()}
    paths = check_folder(out, expected, tmp_path)
    # the feed; per segment, its own file and one for each member in focal
    assert len(paths) == 1 + len(som29.SEGMENTS) * (1 + len(focal))


def test_bundled_som29_without_addresses(tmp_path):
    out = tmp_path / "out"
    result = invite("-o", str(out))
    without, everyone = len(som29.WITHOUT_EMAIL), len(som29.MEMBERS)
    assert f"{without} of {everyone} members have no e-mail address" in result.output
    expected = {"technical.emg-som29@som": (oracle.utc_of_local("2023-09-26 15:00", "Europe/Zurich"),
                                            oracle.utc_of_local("2023-09-26 17:00", "Europe/Zurich")),
                "midterm.emg-som29@som": (oracle.utc_of_local("2023-05-16 15:00", "Europe/Zurich"),
                                          oracle.utc_of_local("2023-05-16 17:00", "Europe/Zurich")),
                "senior.emg-som29@som": (oracle.utc_of_local("2023-10-10 14:00", "Europe/Zurich"),
                                         oracle.utc_of_local("2023-10-10 15:30", "Europe/Zurich"))}
    paths = check_folder(out, expected, tmp_path)
    assert sorted(p.name for p in paths) == ["emg-som29-midterm.ics", "emg-som29-senior.ics",
                                             "emg-som29-technical.ics", "emg-som29.ics"]


def test_the_check_catches_a_wrong_vtimezone(tmp_path):
    """The comparison above can fail: a VTIMEZONE with a wrong summer offset is caught once the
    TZIDs are renamed (before, parsers that use their own zone database read it right)."""
    scenario = next(s for s in SCENARIOS if s.name == "divergence")
    out = tmp_path / "out"
    invite(str(scenario.write(tmp_path / "in")), "-o", str(out))
    path = out / "divergence-autumn.ics"
    broken = tmp_path / "broken.ics"
    broken.write_bytes(parsers.rename_tzids(path.read_bytes().replace(b"TZOFFSETTO:+0100", b"TZOFFSETTO:+0300")))
    found = problems([broken], scenario.expected())
    assert {line.split(":")[0] for line in found} == {"ical.js", "libical", "vobject", "ical", "icalendar"}


def test_a_zone_that_cannot_be_written_compactly_falls_back_to_utc(tmp_path):
    scenario = next(s for s in SCENARIOS if s.name == "mexico")
    out = tmp_path / "out"
    invite(str(scenario.write(tmp_path / "in")), "-o", str(out))
    feed = (out / "mexico.ics").read_bytes().decode()
    # 2022-06-01 10:00 CDT is 15:00Z, 2023-06-01 10:00 CST is 16:00Z (hand-checked, and GNU
    # date agrees in the test above): one of the two is written in UTC.
    starts = [line for line in feed.split("\r\n") if line.startswith("DTSTART") and "VTIMEZONE" not in line]
    event_starts = [s for s in starts if "TZID=" in s or s.endswith("Z")]
    assert sum(s.endswith("Z") for s in event_starts) == 1
    assert sum("TZID=America/Mexico_City" in s for s in event_starts) == 1
