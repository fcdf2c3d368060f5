"""`som import-report`: the SOM29 report and notices of several wordings, round-tripped through
`som schedule --format json`, with the instants checked against GNU `date` (tests/oracle.py).

Expected fields were read off each text by hand; expected instants come from GNU date.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from agenda.cli import som
from agenda.model.errors import SomError
from agenda.read.load import load_meeting
from agenda.app.import_report import import_report
from agenda.render.tomltext import toml_string
from agenda.model.timeplan import parse_date
from tests.oracle import utc_of_local

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

NOTICES = Path(__file__).parent / "notices"


def run(*args):
    """Click 8.2+ keeps stdout and stderr apart in the result (and both in `output`)."""
    return CliRunner().invoke(som, [str(a) for a in args])


def imported(tmp_path, notice, *extra):
    """import-report NOTICE -o file, then `som schedule file --format json`: (meeting, schedule, stderr)."""
    out = tmp_path / f"{Path(notice).stem}.toml"
    result = run("import-report", NOTICES / notice, "-o", out, *extra)
    assert result.exit_code == 0, result.output + (result.stderr or "")
    schedule = run("schedule", out, "--format", "json", "--no-members")
    assert schedule.exit_code == 0, schedule.output
    return load_meeting(out), json.loads(schedule.stdout), result.stderr


def utc(local: str, zone: str) -> str:
    return utc_of_local(local, zone).strftime("%Y-%m-%dT%H:%MZ")


def instants(schedule) -> list[tuple[str, str, str]]:
    return [(s["id"], s["start_utc"], s["end_utc"]) for s in schedule["segments"]]


# --- the SOM29 report -----------------------------------------------------------------------

def test_som29_report(tmp_path):
    meeting, schedule, stderr = imported(tmp_path, "som29-report.txt")
    assert meeting.id == "emg-som29"
    assert meeting.title == "29th Senior Officials Meeting"
    assert meeting.body == "United Nations Environment Management Group"
    assert meeting.zone_name == "Europe/Zurich" and meeting.organizer is None
    assert instants(schedule) == [
        ("midterm", utc("2023-05-16 15:00", "Europe/Zurich"), utc("2023-05-16 17:00", "Europe/Zurich")),
        ("technical", utc("2023-09-26 15:00", "Europe/Zurich"), utc("2023-09-26 17:00", "Europe/Zurich")),
        ("senior", utc("2023-10-10 14:00", "Europe/Zurich"), utc("2023-10-10 15:30", "Europe/Zurich")),
    ]
    midterm = meeting.segment("midterm")
    assert midterm.title == "Midterm Technical Segment"
    assert (midterm.location, midterm.symbol, midterm.distribution) == ("MS Teams", "EMG SOM29/midterm", "EMG Members")
    assert midterm.chair == "EMG Secretary, Ms. Ligia Noronha"
    assert [i.title for i in midterm.items] == [
        "Introduction",
        "Overview of progress made by the EMG in response to SOM28 decisions and future plans",
        "Preparation for the 29th meeting of the EMG Senior Officials",
        "Any Other Business and Closure of the meeting"]
    overview = midterm.items[1]
    assert overview.documents == ("EMGSOM29/midterm/02",)
    assert len(overview.items) == 7  # (a) to (g)
    assert overview.items[0].title == "IMG on Biodiversity"
    assert overview.items[6].title.startswith("Strengthening UN system-wide support")
    # The announced segments have no venue, agenda or symbol in the report: none is invented.
    for sid in ("technical", "senior"):
        s = meeting.segment(sid)
        assert (s.location, s.symbol, s.items) == (None, None, ())
    assert [s.title for s in meeting.segments[1:]] == ["Technical Segment", "Senior Segment"]
    assert "no organizer e-mail" in stderr


def test_som29_report_gives_the_bundled_meetings_instants(tmp_path):
    _, schedule, _ = imported(tmp_path, "som29-report.txt")
    bundled = json.loads(run("schedule", "--format", "json", "--no-members").stdout)
    assert instants(schedule) == instants(bundled)


def test_stdout_when_no_output_file():
    result = run("import-report", NOTICES / "som29-report.txt")
    assert result.exit_code == 0
    data = tomllib.loads(result.stdout)
    assert [s["id"] for s in data["segment"]] == ["midterm", "technical", "senior"]
    assert data["segment"][1]["date"] == date(2023, 9, 26) and data["segment"][1]["time"] == "15:00-17:00 CEST"


# --- notices of our own, in several wordings ------------------------------------------------

def test_invitation_in_prose_with_a_provisional_agenda(tmp_path):
    # "on the 12th of November 2024, 2 pm – 3.30 pm CET, via Zoom"; Europe is on CET since 27 October.
    meeting, schedule, stderr = imported(tmp_path, "technical-invitation.txt")
    assert instants(schedule) == [("technical", utc("2024-11-12 14:00", "Europe/Zurich"),
                                   utc("2024-11-12 15:30", "Europe/Zurich"))]
    assert meeting.title == "30th Senior Officials Meeting" and meeting.id == "emg-som-30"
    segment = meeting.segments[0]
    assert (segment.title, segment.location) == ("Technical Segment", "Zoom")
    assert [(i.title, i.minutes) for i in segment.items] == [
        ("Opening and adoption of the agenda", 10), ("Progress of the EMG workstreams", 45),
        ("Draft decisions for the Senior Segment, document EMG/SOM.30/TS/2", 30), ("Any other business", 5)]
    assert [i.title for i in segment.items[1].items] == ["Issue Management Group on Biodiversity", "Nexus Dialogue Series"]
    assert segment.items[2].documents == ("EMG/SOM.30/TS/2",)
    assert (meeting.organizer.name, meeting.organizer.email) == ("EMG Secretariat", "emg.secretariat@example.org")
    # What it did not read, it says: the registration deadline, a document named after the
    # agenda, and a link that is not a meeting link.
    assert "`5 November 2024` has no time next to it" in stderr
    assert "EMG/SOM.30/TS/1" in stderr and "https://example.org/register/som30-ts" in stderr
    assert segment.online_url is None


def test_notice_with_labelled_fields(tmp_path):
    # "Tuesday, 29 October 2024 / from 15:00 to 17:00 CET (Geneva time)": two days after Europe
    # left summer time.
    meeting, schedule, _ = imported(tmp_path, "senior-fields.txt")
    assert instants(schedule) == [("senior", utc("2024-10-29 15:00", "Europe/Zurich"),
                                   utc("2024-10-29 17:00", "Europe/Zurich"))]
    segment = meeting.segments[0]
    assert segment.title == "Senior Segment"
    assert segment.location == "Palais des Nations, Room XII, Geneva"
    assert (segment.symbol, segment.distribution) == ("EMG/SOM.30/SS/1", "Heads of EMG member entities")
    assert [i.title for i in segment.items] == [
        "Opening of the session by the Chair", "Adoption of the decisions prepared by the Technical Segment",
        "Date and venue of the 31st meeting", "Closure"]
    assert meeting.title == "30th Meeting of the EMG Senior Officials"
    assert meeting.body == "United Nations Environment Management Group"


def test_schedule_table_with_us_dates_and_no_labels(tmp_path):
    # "Oct 10, 2023 | 14:00-15:30" and "Nov 14, 2023 | 9:00 am - 10:30 am", "All times are Geneva
    # time": CEST in October, CET in November.
    meeting, schedule, stderr = imported(tmp_path, "schedule-table.txt")
    assert instants(schedule) == [
        ("technical", utc("2023-10-10 14:00", "Europe/Zurich"), utc("2023-10-10 15:30", "Europe/Zurich")),
        ("consultation", utc("2023-11-14 09:00", "Europe/Zurich"), utc("2023-11-14 10:30", "Europe/Zurich"))]
    assert [s.title for s in meeting.segments] == ["Technical briefing on plastics",
                                                   "Consultation with Resident Coordinators"]
    assert meeting.title == "EMG Nexus Dialogue Series - schedule of the autumn sessions"
    assert "`December 2023` names no day" in stderr


def test_notice_in_nairobi_time(tmp_path):
    # "Wednesday 6 March 2024, 10.00–12.00 EAT (Nairobi time)": the home zone is Nairobi's.
    meeting, schedule, stderr = imported(tmp_path, "nairobi-hybrid.txt")
    assert meeting.zone_name == "Africa/Nairobi"
    assert instants(schedule) == [
        ("midterm", utc("2024-03-06 10:00", "Africa/Nairobi"), utc("2024-03-06 12:00", "Africa/Nairobi")),
        ("follow-up", utc("2024-04-03 14:00", "Africa/Nairobi"), utc("2024-04-03 15:00", "Africa/Nairobi"))]
    assert meeting.segments[0].location == "Conference Room 2, UN Gigiri; online: Microsoft Teams"
    assert meeting.organizer.email == "img.hre@example.org"
    assert "UNEP/IMG-HRE/2023/4" in stderr


@pytest.mark.parametrize("text, local, zone", [
    ("Technical Segment: 26th September 2023, 15:00 – 17:00 CEST", ("2023-09-26 15:00", "2023-09-26 17:00"), None),
    ("The Senior Segment will be held on the 12th of November 2024, 2 pm – 3.30 pm CET.",
     ("2024-11-12 14:00", "2024-11-12 15:30"), None),
    ("Senior Segment — Tuesday, 29 October 2024, from 15:00 to 17:00 CET (Geneva time)",
     ("2024-10-29 15:00", "2024-10-29 17:00"), None),
    ("Technical Segment: Oct 10, 2023 14:00-15:30", ("2023-10-10 14:00", "2023-10-10 15:30"), None),
    ("A briefing on 5 March 2024, 09:00-10:00 (New York time), by video link.",
     ("2024-03-05 09:00", "2024-03-05 10:00"), "America/New_York"),
])
def test_the_wordings_of_the_issue(text, local, zone):
    result = import_report(text, name="notice.txt")
    meeting = result.meeting
    assert meeting.zone == (zone or "Europe/Zurich")
    assert len(meeting.segments) == 1
    [s] = _load(result.toml).segments
    assert (s.start, s.end) == (utc_of_local(local[0], meeting.zone), utc_of_local(local[1], meeting.zone))


def test_titles_after_the_time_and_a_time_before_the_date():
    text = ("EMG Senior Officials will meet at 15:00-17:00 CEST on 26 September 2023 (Technical Segment) and on "
            "10 October 2023, 14:00-15:30 CEST (Senior Segment).")
    meeting = import_report(text).meeting
    assert [(s.id, s.title, s.day) for s in meeting.segments] == [
        ("technical", "Technical Segment", date(2023, 9, 26)), ("senior", "Senior Segment", date(2023, 10, 10))]
    assert [(f"{s.rng.start:%H:%M}", f"{s.rng.end:%H:%M}") for s in meeting.segments] == [("15:00", "17:00"),
                                                                                          ("14:00", "15:30")]


def test_a_range_of_days_is_one_sitting_a_day_with_a_warning():
    result = import_report("Technical Segment: 26-27 September 2023, 10:00-13:00 CEST", name="n.txt")
    assert [(s.id, s.day) for s in result.meeting.segments] == [("technical", date(2023, 9, 26)),
                                                                ("technical-2", date(2023, 9, 27))]
    assert any("spans 2 days" in w for w in result.warnings)
    assert [s.start for s in _load(result.toml).segments] == [utc_of_local("2023-09-26 10:00", "Europe/Zurich"),
                                                              utc_of_local("2023-09-27 10:00", "Europe/Zurich")]


def test_fields_end_at_the_next_label():
    text = "Webinar on circularity\n\nWhen: 3 June 2024, 15.00-16.30 CEST\nWhere: Zoom\nLink: https://zoom.us/j/123"
    [segment] = import_report(text).meeting.segments
    assert (segment.title, segment.location, segment.online_url) == ("Webinar on circularity", "Zoom",
                                                                     "https://zoom.us/j/123")


def test_a_bare_word_is_no_title():
    result = import_report("The meeting will take place on Thursday 14 March 2024 from 10:00 to 12:00 (CET) in Room "
                         "XXV, Palais des Nations.", name="n.txt")
    [segment] = result.meeting.segments
    assert segment.title == "Meeting on 14 March 2024" and segment.location == "Room XXV, Palais des Nations"
    assert any("no title for the meeting on 14 March 2024" in w for w in result.warnings)


def _load(toml: str):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.toml"
        path.write_text(toml, encoding="utf-8")
        return load_meeting(path)


def test_timezone_option(tmp_path):
    notice = tmp_path / "ny.txt"
    notice.write_text("Briefing: 5 March 2024, 09:00-10:00 EST\n", encoding="utf-8")
    # Read as Geneva time, EST does not fit: an error that says how to fix it.
    result = run("import-report", notice)
    assert result.exit_code == 2
    assert "--timezone" in result.stderr
    result = run("import-report", notice, "--timezone", "America/New_York")
    assert result.exit_code == 0, result.stderr
    segment = _load(result.stdout).segments[0]
    assert segment.start == utc_of_local("2024-03-05 09:00", "America/New_York")


# --- bad input ---------------------------------------------------------------------------

def test_a_cest_label_in_november_names_the_right_label():
    result = run("import-report", NOTICES / "wrong-label.txt")
    assert result.exit_code == 2
    err = result.stderr
    assert "wrong-label.txt:3:" in err and "Geneva is on CET" in err and "not CEST" in err
    assert "Traceback" not in err


def test_a_notice_with_no_date_exits_2():
    result = run("import-report", NOTICES / "no-date.txt")
    assert result.exit_code == 2
    assert "no date in the text" in result.stderr


def test_a_date_without_any_time_exits_2():
    with pytest.raises(SomError, match="has no time next to it"):
        import_report("The Technical Segment will meet on 26 September 2023.")


def test_a_wrong_weekday_is_an_error():
    with pytest.raises(SomError, match="is a Tuesday, not a Monday") as info:
        import_report("\nSenior Segment: Monday, 29 October 2024, 15:00-17:00 CET", name="n.txt")
    assert info.value.where.line == 2


def test_missing_file_and_existing_output(tmp_path):
    assert run("import-report", tmp_path / "nope.txt").exit_code == 2
    out = tmp_path / "m.toml"
    out.write_text("mine", encoding="utf-8")
    result = run("import-report", NOTICES / "senior-fields.txt", "-o", out)
    assert result.exit_code == 2 and "exists" in result.stderr
    assert out.read_text(encoding="utf-8") == "mine"
    assert run("import-report", NOTICES / "senior-fields.txt", "-o", out, "--force").exit_code == 0
    assert load_meeting(out).segments[0].id == "senior"


def test_not_utf8(tmp_path):
    notice = tmp_path / "latin1.txt"
    notice.write_bytes("Séance: 5 March 2024, 10:00-11:00".encode("latin-1"))
    result = run("import-report", notice)
    assert result.exit_code == 2 and "not UTF-8" in result.stderr


# --- escaping and the date reader -----------------------------------------------------------

def test_titles_with_quotes_and_backslashes_round_trip():
    result = import_report('Segment "Alpha" \\ Beta: 5 March 2024, 10:00-11:00 CET')
    assert _load(result.toml).segments[0].title == 'Segment "Alpha" \\ Beta'


@given(st.text())
def test_toml_string_round_trips(value):
    expected = "".join("\ufffd" if 0xd800 <= ord(c) < 0xe000 else c for c in value)
    assert tomllib.loads(f"v = {toml_string(value)}")["v"] == expected


@pytest.mark.parametrize("text, day", [
    ("26th September 2023", date(2023, 9, 26)), ("the 12th of November 2024", date(2024, 11, 12)),
    ("Tuesday, 29 October 2024", date(2024, 10, 29)), ("Oct 10, 2023", date(2023, 10, 10)),
    ("October 10th, 2023", date(2023, 10, 10)), ("2023-10-10", date(2023, 10, 10)),
    ("Sept 26 2023", date(2023, 9, 26)), ("1 Feb. 2024", date(2024, 2, 1)), ("Thu. 29 Feb 2024", date(2024, 2, 29)),
])
def test_parse_date(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text, message", [
    ("31 September 2023", "is not a date"), ("29 February 2023", "is not a date"),
    ("Monday, 29 October 2024", "is a Tuesday"), ("10/10/2023", "cannot read the date"), ("", "cannot read"),
])
def test_parse_date_errors(text, message):
    with pytest.raises(SomError, match=message):
        parse_date(text)


# --- fuzzing: nothing but SomError escapes --------------------------------------------------

FRAGMENTS = ["Technical Segment:", "Senior Segment", "26th September 2023", "the 12th of November 2024",
             "Tuesday, 29 October 2024", "Oct 10, 2023", "Monday, 29 October 2024", "31 September 2023",
             "15:00 – 17:00 CEST", "2 pm – 3.30 pm CET", "from 15:00 to 17:00 CET (Geneva time)", "14:00-15:30",
             "(New York time)", "23:00-24:00", "02:30-03:00", "Venue:", "Date:", "Time:", "Symbol: EMG/SOM.30/1",
             "1.", "2)", "(a)", "- ", "Agenda", "https://teams.microsoft.com/l/x", "a@example.org", "29th",
             "Meeting of the EMG", "\n", "\n\n", "|", "\t", "**", "Nairobi time", "EST", "IST", "UTC+05:45",
             "in October 2024", "(15 min)", "2024-03-31", "02:00-03:00 CET", "26 March 2023, 02:30-03:30",
             # French, and what issue #15 added
             "Segment technique :", "mardi 23 septembre 2025", "1er octobre 2025", "de 15 h 00 à 17 h 00",
             "(heure de Genève)", "heure de Tokyo", "15.00 hrs - 17.00 hrs", "Lieu :", "Présidente : Mme X",
             "Ordre du jour provisoire (segment technique)", "Provisional agenda (Senior Segment)", "Point 1.",
             "Chair: Ms. Jane Doe", "Subject: Invitation - Briefing", "Objet :", "| Room |", "local time",
             "in New York", "EMG/SOM.31/INF/1", "Kind regards,", "Atlantis time"]


@pytest.mark.fuzz
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=25))
def test_fuzz_report_fragments(parts):
    text = " ".join(parts)
    try:
        result = import_report(text, name="fuzz.txt")
    except SomError:
        return
    assert result.meeting.segments  # and import_report has loaded its own TOML back


@pytest.mark.fuzz
@given(st.text(max_size=300))
def test_fuzz_report_text(text):
    try:
        import_report(text, name="fuzz.txt")
    except SomError:
        pass


def test_output_som_wrote_is_replaced_without_force(tmp_path):
    out = tmp_path / "m.toml"
    assert run("import-report", NOTICES / "senior-fields.txt", "-o", out).exit_code == 0
    first = out.read_bytes()
    assert run("import-report", NOTICES / "senior-fields.txt", "-o", out).exit_code == 0
    assert out.read_bytes() == first
    out.write_text(out.read_text(encoding="utf-8") + "# my edit\n", encoding="utf-8")
    result = run("import-report", NOTICES / "senior-fields.txt", "-o", out)
    assert result.exit_code == 2 and "was changed since som wrote it" in result.stderr
    assert out.read_text(encoding="utf-8").endswith("# my edit\n")


# --- the notice of issue #15: two segment lines, an agenda per segment, a symbol in the header,
# a chair with a title, a closing paragraph --------------------------------------------------

def test_two_segment_lines_one_under_the_other(tmp_path):
    meeting, schedule, stderr = imported(tmp_path, "som31-two-segments.txt")
    assert instants(schedule) == [
        ("technical", utc("2025-09-23 15:00", "Europe/Zurich"), utc("2025-09-23 17:00", "Europe/Zurich")),
        ("senior", utc("2025-10-09 14:00", "Europe/Zurich"), utc("2025-10-09 15:30", "Europe/Zurich")),
    ]
    technical, senior = meeting.segments
    assert (technical.title, senior.title) == ("Technical Segment", "Senior Segment")
    # each "Provisional agenda (... Segment)" list goes to the segment it names
    assert [i.title for i in technical.items] == ["Opening of the meeting", "Progress of the EMG workstreams",
                                                  "Draft decisions for the Senior Segment"]
    assert [i.title for i in senior.items] == ["Opening by the Chair", "Adoption of the decisions", "Closure"]
    # the symbol of the notice is not glued to the body
    assert meeting.body == "United Nations Environment Management Group"
    assert technical.symbol == senior.symbol == "EMG/SOM.31/INF/1"
    # "Ms." is a title before the name, not the end of a sentence
    assert technical.chair == senior.chair == "Ms. Jane Doe, Head of the EMG Secretariat"
    # the closing paragraph is not the last item's notes: it is a warning, and a comment of the file
    assert all(not i.notes for s in meeting.segments for i in s.items)
    closing = ("not read, kept here: `Focal points are kindly requested to confirm participation by 16 September "
               "2025 to emg@example.org.`")
    assert f"som31-two-segments.txt:28: {closing}" in stderr
    written = (tmp_path / "som31-two-segments.toml").read_text(encoding="utf-8")
    assert f"#   {NOTICES / 'som31-two-segments.txt'}:28: {closing}" in written


def test_the_written_file_starts_with_what_was_guessed():
    result = import_report("Technical Segment: 23 September 2025, 15:00-17:00\n\nSee you there, and bring snacks.\n",
                           name="n.txt")
    head = result.toml.split("[meeting]")[0]
    assert "n.txt:1: `23 September 2025, 15:00-17:00` has no time label" in head
    assert "n.txt:3: not read, kept here: `See you there, and bring snacks.`" in head


def test_a_french_notice():
    text = ("Segment technique : mardi 23 septembre 2025, de 15 h 00 à 17 h 00 (heure de Genève)\n"
            "Lieu : Palais des Nations, salle XXIV\n")
    [segment] = import_report(text, name="avis.txt").meeting.segments
    assert (segment.id, segment.title, segment.day) == ("technique", "Segment technique", date(2025, 9, 23))
    assert (f"{segment.rng.start:%H:%M}", f"{segment.rng.end:%H:%M}") == ("15:00", "17:00")
    assert segment.location == "Palais des Nations, salle XXIV"
