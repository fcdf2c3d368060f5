"""Clock-change nights: a segment's length, overruns and planned item starts count elapsed time.

Expected instants come from GNU `date` (tests/oracle.py); the minutes are worked out by hand
from them and written next to each case.
"""

from __future__ import annotations

import json

from tests.oracle import utc_of_local
from tests.planfiles import write_meeting

# Zurich, 26 Oct 2025: 03:00 CEST becomes 02:00 CET. 01:30 CEST → 04:00 CET is 3 h 30 elapsed.
AUTUMN = {"id": "night", "title": "Night Segment", "date": "2025-10-26", "time": "01:30-04:00",
          "items": [{"title": "Long item", "minutes": 120}, {"title": "Second item", "minutes": 60}]}
# Zurich, 30 Mar 2025: 02:00 CET becomes 03:00 CEST. 01:00 CET → 04:00 CEST is 2 h elapsed.
SPRING = {"id": "spring", "title": "Spring Segment", "date": "2025-03-30", "time": "01:00-04:00",
          "items": [{"title": "Opening", "minutes": 75}, {"title": "Close", "minutes": 45}]}


def _minutes(day: str, start: str, end: str) -> int:
    a, b = utc_of_local(f"{day} {start}", "Europe/Zurich"), utc_of_local(f"{day} {end}", "Europe/Zurich")
    return int((b - a).total_seconds() // 60)


def test_the_oracle_agrees_with_the_hand_count():
    assert _minutes("2025-10-26", "01:30", "04:00") == 210
    assert _minutes("2025-03-30", "01:00", "04:00") == 120


def test_a_segment_over_the_autumn_change_is_its_elapsed_length(tmp_path, run):
    path = write_meeting(tmp_path, [AUTUMN], members="un-entities")
    result = run("check", path, "--today", "2025-01-01", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert not [f for f in findings if f["code"] == "overrun"], findings  # 180 planned in 210
    agenda = run("agenda", path, "--format", "md").stdout
    assert "overruns" not in agenda
    # 120 min after 01:30 CEST (23:30 UTC) is 01:30 UTC = 02:30 CET, the second pass
    assert "02:30 CET" in agenda


def test_an_overrun_over_the_autumn_change_counts_210_minutes(tmp_path, run):
    segment = {**AUTUMN, "items": [{"title": "Too long", "minutes": 240}]}
    path = write_meeting(tmp_path, [segment], members="un-entities")
    findings = json.loads(run("check", path, "--today", "2025-01-01", "--format", "json").stdout)["findings"]
    overrun = [f for f in findings if f["code"] == "overrun"]
    assert len(overrun) == 1 and "30 min more than its 210-min slot" in overrun[0]["message"], overrun


def test_an_item_never_starts_in_the_spring_gap(tmp_path, run):
    path = write_meeting(tmp_path, [SPRING], members="un-entities")
    agenda = run("agenda", path, "--format", "md").stdout
    # 75 min after 01:00 CET (00:00 UTC) is 01:15 UTC = 03:15 CEST; 02:15 does not exist that day
    assert "03:15 CEST" in agenda and "02:15" not in agenda
    assert "overruns" not in agenda  # 120 planned in 120 elapsed
    findings = json.loads(run("check", path, "--today", "2025-01-01", "--format", "json").stdout)["findings"]
    assert not [f for f in findings if f["code"] == "overrun"]


def test_an_explicit_offset_end_one_hour_after_its_start_is_accepted(tmp_path, run):
    segment = {"id": "repeat", "title": "Repeated Hour", "start": "2026-10-25T02:15:00+02:00",
               "end": "2026-10-25T02:15:00+01:00"}
    path = tmp_path / "m.toml"
    write_meeting(tmp_path, [], members="un-entities", name="m.toml")
    text = path.read_text() + ('\n[[segment]]\nid = "repeat"\ntitle = "Repeated Hour"\n'
                               "start = 2026-10-25T02:15:00+02:00\nend = 2026-10-25T02:15:00+01:00\n")
    path.write_text(text)
    result = run("schedule", path, "--no-members", "--format", "json")
    assert result.exit_code == 0, result.output
    seg = json.loads(result.stdout)["segments"][0]
    assert (seg["start_utc"], seg["end_utc"]) == ("2026-10-25T00:15Z", "2026-10-25T01:15Z")
    assert segment["start"] and utc_of_local("2026-10-25 02:15", "Europe/Zurich") is not None


def test_an_explicit_offset_end_before_its_start_is_still_refused(tmp_path, run):
    path = tmp_path / "m.toml"
    write_meeting(tmp_path, [], members="un-entities", name="m.toml")
    path.write_text(path.read_text() + ('\n[[segment]]\nid = "back"\ntitle = "Backwards"\n'
                                        "start = 2026-10-25T02:15:00+01:00\nend = 2026-10-25T02:45:00+02:00\n"))
    result = run("schedule", path, "--no-members")
    assert result.exit_code == 2 and "not after its start" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# --- explicit offsets on the autumn night, fuzzed ------------------------------------------------

from hypothesis import given, strategies as st  # noqa: E402

from tests.oracle import local_of_utc_many  # noqa: E402

QUARTERS = st.integers(4, 16)  # 01:00 to 04:00 on 26 Oct 2025, in quarter hours
OFFSETS = st.sampled_from([60, 120])  # +01:00 (CET) or +02:00 (CEST)


@given(start_q=QUARTERS, start_off=OFFSETS, end_q=QUARTERS, end_off=OFFSETS)
def test_explicit_offsets_on_the_autumn_night_are_read_as_instants(tmp_path_factory, start_q, start_off, end_q,
                                                                   end_off):
    """Any start and end written with an offset that night: loaded as the instants they name when
    Geneva shows that wall time at that offset and the end is later (GNU date says which), else
    one line on stderr and exit 2."""
    import datetime as dt

    from click.testing import CliRunner

    from agenda.cli import som

    UTC = dt.timezone.utc
    walls = [dt.datetime(2025, 10, 26) + dt.timedelta(minutes=15 * q) for q in (start_q, end_q)]
    offs = [start_off, end_off]
    instants = [(w - dt.timedelta(minutes=o)).replace(tzinfo=UTC) for w, o in zip(walls, offs)]
    shown = local_of_utc_many([(i, "Europe/Zurich") for i in instants])
    valid = all(s[0] == w and s[2] == o for s, w, o in zip(shown, walls, offs))
    folder = tmp_path_factory.mktemp("night")
    write_meeting(folder, [], members="un-entities", name="m.toml")
    path = folder / "m.toml"
    text = "".join(f"{w:%Y-%m-%dT%H:%M:%S}+{o // 60:02d}:00" for w, o in zip(walls, offs))
    path.write_text(path.read_text() + '\n[[segment]]\nid = "night"\ntitle = "Night"\n'
                    f"start = {text[:25]}\nend = {text[25:]}\n")
    result = CliRunner().invoke(som, ["schedule", str(path), "--no-members", "--format", "json"])
    if valid and instants[1] > instants[0]:
        assert result.exit_code == 0, result.output
        seg = json.loads(result.stdout)["segments"][0]
        assert (seg["start_utc"], seg["end_utc"]) == tuple(f"{i:%Y-%m-%dT%H:%MZ}" for i in instants)
    else:
        assert result.exit_code == 2, (walls, offs, result.output)
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
