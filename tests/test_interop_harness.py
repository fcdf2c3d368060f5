"""Proves the interop harness: hand-written RFC 5545 samples read by five real parsers,
checked against GNU date (tests/oracle.py), never against a parser's own output."""

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import oracle, parsers
from tests.parsers import Instant

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = parsers.INTEROP / "samples"
UTC = dt.timezone.utc

# (file, [(local start, local end, IANA zone) per component, in file order])
WALL_TIMES = {
    "zurich.ics": [("2023-09-26 15:00", "2023-09-26 17:00", "Europe/Zurich")],
    "utc.ics": [("2023-11-20 16:00", "2023-11-20 17:30", "UTC")],
    "kathmandu.ics": [("2024-03-10 09:00", "2024-03-10 10:30", "Asia/Kathmandu")],
    "santiago.ics": [("2024-01-15 10:00", "2024-01-15 11:30", "America/Santiago"),
                     ("2024-07-15 10:00", "2024-07-15 11:30", "America/Santiago")],
    "request.ics": [("2023-10-31 14:00", "2023-10-31 15:00", "UTC")],
    "broken-request.ics": [("2023-10-31 14:00", "2023-10-31 15:00", "UTC")],
}
ZONED = ["zurich.ics", "kathmandu.ics", "santiago.ics"]


def expected(name):
    """[(start_utc, end_utc)] of a sample, from GNU date."""
    pairs = [(s, z) for s, _, z in WALL_TIMES[name]] + [(e, z) for _, e, z in WALL_TIMES[name]]
    utc = oracle.utc_of_local_many(pairs)
    n = len(WALL_TIMES[name])
    return list(zip(utc[:n], utc[n:]))


def span(instants):
    return [(i.start_utc, i.end_utc) for i in instants]


def renamed(tmp_path, name, data=None):
    path = tmp_path / f"renamed-{name}"
    path.write_bytes(parsers.rename_tzids(data or (SAMPLES / name).read_bytes()))
    return path


def test_oracle_matches_hand_checked_facts():
    # CEST is UTC+2 in late September; EDT is UTC-4 until 5 November 2023.
    assert oracle.utc_of_local("2023-09-26 15:00", "Europe/Zurich") == dt.datetime(2023, 9, 26, 13, tzinfo=UTC)
    assert oracle.utc_of_local("2023-10-31 10:00", "America/New_York") == dt.datetime(2023, 10, 31, 14, tzinfo=UTC)
    assert oracle.local_of_utc(dt.datetime(2023, 9, 26, 13, tzinfo=UTC), "Europe/Zurich") == (
        dt.datetime(2023, 9, 26, 15), "CEST", 120)
    assert oracle.local_of_utc(dt.datetime(2024, 3, 10, 3, 15, tzinfo=UTC), "Asia/Kathmandu")[2] == 345


def test_oracle_refuses_gaps_and_unknown_zones():
    assert oracle.utc_of_local_many([("2023-03-26 02:30", "Europe/Zurich"),
                                     ("2023-03-26 03:30", "Europe/Zurich")]) == [
        None, dt.datetime(2023, 3, 26, 1, 30, tzinfo=UTC)]
    with pytest.raises(ValueError):
        oracle.utc_of_local("2023-03-26 02:30", "Europe/Zurich")
    with pytest.raises(oracle.OracleError):
        oracle.utc_of_local("2023-09-26 15:00", "Europe/Atlantis")


@pytest.mark.parametrize("name", sorted(WALL_TIMES))
def test_all_five_parsers_read_the_sample_at_the_oracle_instants(name):
    seen = parsers.all_parsers_agree(SAMPLES / name)
    assert set(seen) == {"ical.js", "libical", "vobject", "ical", "icalendar"}
    assert span(seen["libical"]) == expected(name)


def test_zurich_sample_is_13z_to_15z():
    [event] = parsers.icaljs([SAMPLES / "zurich.ics"])[SAMPLES / "zurich.ics"]
    assert event == Instant("zurich-20230926@interop.som.invalid", "Design review",
                            dt.datetime(2023, 9, 26, 13, tzinfo=UTC),
                            dt.datetime(2023, 9, 26, 15, tzinfo=UTC), 0, "CONFIRMED")


@pytest.mark.parametrize("name", ZONED)
def test_renamed_tzids_are_read_from_the_files_own_vtimezone(tmp_path, name):
    path = renamed(tmp_path, name)
    assert b"TZID=X-Custom-" in path.read_bytes()
    data = path.read_bytes()
    want = expected(name)
    assert span(parsers.icaljs([path])[path]) == want
    assert span(parsers.libical([path])[path]) == want
    assert span(parsers.vobject_instants(data)) == want
    assert span(parsers.icalendar_instants(data)) == want
    if name != "kathmandu.ics":
        # ical 14.3.1 never applies an observance that has no RRULE or RDATE (the DTSTART
        # onset alone is ignored), so this hand-written one-observance zone reads as UTC+0
        # there; som's own fixed-offset zones carry an RDATE for that reason.
        assert span(parsers.ical_instants(data)) == want


def test_renaming_forces_every_parser_onto_each_files_own_definition(tmp_path):
    # A Zurich zone with a wrong summer offset (+05:00): once renamed, no parser may fall
    # back to its zone database, nor reuse the right zone of the same name read from an
    # earlier file (vobject and icalendar cache zones by TZID unless parsers.py resets them).
    wrong = (SAMPLES / "zurich.ics").read_bytes().replace(b"+0200", b"+0500")
    good_path, wrong_path = renamed(tmp_path, "zurich.ics"), renamed(tmp_path, "wrong.ics", wrong)
    right = oracle.utc_of_local("2023-09-26 15:00", "Europe/Zurich")
    want = {good_path: [right], wrong_path: [right - dt.timedelta(hours=3)]}
    for read in (parsers.icaljs, parsers.libical):
        for order in ([good_path, wrong_path], [wrong_path, good_path]):
            assert {p: [i.start_utc for i in v] for p, v in read(order).items()} == want
    for parse in parsers.PY_PARSERS.values():
        for path in (good_path, wrong_path, good_path):
            assert [i.start_utc for i in parse(path.read_bytes())] == want[path]


def test_unresolvable_tzid_is_reported_not_guessed(tmp_path):
    text = (SAMPLES / "zurich.ics").read_bytes()
    no_zone = text[:text.index(b"BEGIN:VTIMEZONE")] + text[text.index(b"BEGIN:VEVENT"):]
    with_zone, without_zone = renamed(tmp_path, "zurich.ics"), renamed(tmp_path, "nozone.ics", no_zone)
    # One ical.js run over both files: the first file's zone must not serve the second.
    js = parsers.icaljs([with_zone, without_zone])
    assert js[with_zone][0].start_utc is not None
    assert js[without_zone][0].start_utc is None
    assert parsers.libical([without_zone])[without_zone][0].start_utc is None
    assert parsers.libical_dump([without_zone])[without_zone]["components"][0]["start_zone"] == (
        "unresolved:X-Custom-Europe/Zurich")


def test_one_subprocess_reads_many_files(tmp_path):
    paths = []
    for i in range(200):
        paths.append(tmp_path / f"copy-{i}.ics")
        shutil.copyfile(SAMPLES / "zurich.ics", paths[-1])
    want = expected("zurich.ics")
    for read in (parsers.icaljs, parsers.libical):
        result = read(paths)
        assert list(result) == paths
        assert all(span(v) == want for v in result.values())


def test_restriction_check_passes_good_samples_and_fails_a_request_without_people():
    results = parsers.libical_restriction_check(sorted(SAMPLES.glob("*.ics")))
    bad = {p.name: problems for p, (ok, problems) in results.items() if not ok}
    assert list(bad) == ["broken-request.ics"]
    assert any("ATTENDEE" in p for p in bad["broken-request.ics"])
    assert any("ORGANIZER" in p for p in bad["broken-request.ics"])


def test_restriction_check_reports_libicals_parse_errors(tmp_path):
    text = (SAMPLES / "request.ics").read_bytes().replace(b"SUMMARY:", b"BAD;=:x\r\nSUMMARY:")
    (tmp_path / "bad.ics").write_bytes(text)
    ok, problems = parsers.libical_restriction_check([tmp_path / "bad.ics"])[tmp_path / "bad.ics"]
    assert not ok
    assert any(p.startswith("PROPERTY-PARSE-ERROR") for p in problems)


@pytest.mark.parametrize("name", sorted(WALL_TIMES))
def test_samples_and_their_renamed_copies_have_clean_lines(tmp_path, name):
    assert parsers.check_lines((SAMPLES / name).read_bytes()) == []
    assert parsers.check_lines(renamed(tmp_path, name).read_bytes()) == []


def test_check_lines_finds_each_kind_of_problem():
    assert parsers.check_lines(b"BEGIN:VCALENDAR\nEND:VCALENDAR\r\n") == ["line 1 ends with LF, not CRLF"]
    assert parsers.check_lines(b"END:VCALENDAR") == ["line 1 ends with nothing, not CRLF"]
    assert parsers.check_lines(b"SUMMARY:" + b"x" * 68 + b"\r\n") == ["line 1 has 76 octets, over 75"]
    line = ("SUMMARY:" + "é" * 40).encode()  # 8 + 80 octets: octet 75 is inside an é
    split = line[:75] + b"\r\n " + line[75:] + b"\r\n"
    assert "line 1 has a fold that splits a UTF-8 character" in parsers.check_lines(split)
    assert parsers.check_lines(b"SUMMARY:\xff\r\n") == ["line 1 has bytes that are not UTF-8"]


def gi_less_python(folder):
    """A python3 that cannot import gi: this one without its site-packages (-S)."""
    wrapper = folder / "python3"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def missing(read) -> str:
    with pytest.raises(parsers.ParserUnavailable) as exc:
        read()
    message = str(exc.value)
    assert "\n" not in message, message
    return message


def test_each_missing_parser_is_named_in_one_line(tmp_path, monkeypatch):
    sample = SAMPLES / "utc.ics"
    monkeypatch.setattr(parsers, "NODE_MODULES", tmp_path / "node_modules")
    assert missing(lambda: parsers.icaljs([sample])) == (
        f"ical.js is not installed ({tmp_path / 'node_modules'}): run `make test` or `bash scripts/install-test-deps.sh`")
    monkeypatch.setattr(parsers, "NODE", None)
    assert missing(lambda: parsers.icaljs([sample])).startswith(
        "ical.js cannot run: Node.js is not installed (`node` is not on PATH): install Node.js")
    monkeypatch.setattr(parsers, "NODE", str(tmp_path / "node"))
    assert missing(lambda: parsers.icaljs([sample])).startswith(
        f"ical.js cannot run: Node.js is not installed ({tmp_path / 'node'} does not exist)")

    monkeypatch.setattr(parsers, "SYSTEM_PYTHON", str(tmp_path / "no-python"))
    message = missing(lambda: parsers.libical([sample]))
    assert message.startswith(f"libical is not installed ({tmp_path / 'no-python'} does not exist")
    assert message.endswith(parsers.INSTALL_HINT)
    monkeypatch.setattr(parsers, "SYSTEM_PYTHON", str(gi_less_python(tmp_path)))
    assert missing(lambda: parsers.libical_restriction_check([sample])) == (
        f"libical is not installed (GObject introspection for {tmp_path / 'python3'}: No module named 'gi'): "
        "run `make test` or `bash scripts/install-test-deps.sh`")

    data = sample.read_bytes()
    for name, module in [("vobject", "vobject"), ("ical", "ical.calendar_stream"), ("icalendar", "icalendar")]:
        monkeypatch.setitem(sys.modules, module, None)  # what `import` does when it is not installed
        message = missing(lambda: parsers.PY_PARSERS[name](data))
        assert message.startswith(f"{name} is not installed (`import {module}` fails in "), message
        assert message.endswith(parsers.PIP_HINT)


def test_a_missing_parser_fails_the_test_with_one_line_not_a_skip(tmp_path):
    """Real interop tests, in a pytest of their own whose harness looks for ical.js in a folder
    without it and runs libical with a python3 without gi: each fails with the line only."""
    (tmp_path / "hide_parsers.py").write_text(
        "def pytest_configure(config):\n"
        "    from tests import parsers\n"
        f"    parsers.NODE_MODULES = parsers.Path({str(tmp_path / 'node_modules')!r})\n"
        f"    parsers.SYSTEM_PYTHON = {str(gi_less_python(tmp_path))!r}\n")
    tests = ["tests/test_interop_harness.py::test_zurich_sample_is_13z_to_15z",
             "tests/test_interop_harness.py::test_restriction_check_reports_libicals_parse_errors"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]))
    env.pop("PYTEST_ADDOPTS", None)  # the output format this test reads is pytest's default
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "hide_parsers", "-p", "no:cacheprovider", *tests],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    out = run.stdout.splitlines()
    assert run.returncode == 1 and "2 failed" in out[-1] and "skipped" not in out[-1], run.stdout
    icaljs = (f"ical.js is not installed ({tmp_path / 'node_modules'}): "
              "run `make test` or `bash scripts/install-test-deps.sh`")
    libical = (f"libical is not installed (GObject introspection for {tmp_path / 'python3'}: No module named 'gi'): "
               "run `make test` or `bash scripts/install-test-deps.sh`")
    # The FAILURES section: each test's header line, then its message, and nothing else.
    failures = out[out.index(next(line for line in out if " FAILURES " in line)) + 1:
                   out.index(next(line for line in out if " short test summary info " in line))]
    assert len(failures) == 4 and failures[1::2] == [icaljs, libical], run.stdout
    assert " test_zurich_sample_is_13z_to_15z " in failures[0]
    assert " test_restriction_check_reports_libicals_parse_errors " in failures[2]
