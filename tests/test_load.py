"""Meeting files and member directories: every bad input is one clear line and exit 2."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agenda.model.errors import SomError
from agenda.read.load import load_directory, load_meeting
from tests import oracle, som29

ROOT = Path(__file__).resolve().parent.parent


def error_of(runner, path) -> str:
    result = runner("schedule", path)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_bundled_som29_is_what_the_report_says():
    m = load_meeting(ROOT / "calendars" / "som29.toml")
    assert m.id == "emg-som29" and m.zone.key == "Europe/Zurich" and m.city == "Geneva"
    # The report: 16 May 2023 15:00-17:00 CEST; 26 Sep 15:00-17:00 CEST; 10 Oct 14:00-15:30 CEST.
    want = {"midterm": ("2023-05-16 15:00", "2023-05-16 17:00"),
            "technical": ("2023-09-26 15:00", "2023-09-26 17:00"),
            "senior": ("2023-10-10 14:00", "2023-10-10 15:30")}
    assert [s.id for s in m.segments] == list(want)
    for s in m.segments:
        start, end = want[s.id]
        assert s.start == oracle.utc_of_local(start, "Europe/Zurich")
        assert s.end == oracle.utc_of_local(end, "Europe/Zurich")
    midterm = m.segments[0]
    assert (midterm.symbol, midterm.distribution, midterm.location) == ("EMG SOM29/midterm", "EMG Members", "MS Teams")
    titles = [i.title for i in midterm.items]
    assert titles[0] == "Introduction" and titles[-1].startswith("Any other business")
    overview = midterm.items[1]
    assert overview.documents == ("EMGSOM29/midterm/02",)
    # the report's seven ongoing workstreams, (a) to (g)
    assert len(overview.items) == 7 and overview.items[0].title == "IMG on Biodiversity"
    assert "development banks" in m.segments[1].notes  # the topics proposed for 2024
    assert load_meeting().segments == m.segments  # the bundled copy is this file


def test_directory_matches_the_tsv():
    import csv

    rows = list(csv.DictReader((ROOT / "calendars" / "sources" / "un-entities.tsv").open(encoding="utf-8"),
                               delimiter="\t"))
    directory = load_directory()
    assert len(directory.members) == len(rows) == len(som29.MEMBERS) > 0  # loader, TSV, tomllib
    for row, member in zip(rows, directory.members):
        assert (member.acronym, member.name, member.city, member.country, member.subdivision or "",
                member.zone.key) == (row["acronym"], row["name"], row["city"], row["country"],
                                     row["subdivision"], row["timezone"])
        assert member.emails == ()
    assert len({m.id for m in directory.members}) == len(rows)


def test_the_directory_is_the_script_output_and_points_at_the_meeting_file_guide():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_directory", ROOT / "scripts" / "build_directory.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    text = (ROOT / "calendars" / "un-entities.toml").read_text(encoding="utf-8")
    assert text == script.render(script.read_rows())  # regenerated, not edited by hand
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    assert "README" not in header and "docs/meeting-file.md" in header
    assert "## Member directories" in (ROOT / "docs" / "meeting-file.md").read_text(encoding="utf-8")


def test_a_directory_can_extend_the_bundled_one(write):
    path = write("focal-points.toml", """
        extends = "un-entities"
        [[member]]
        id = "unep"
        emails = ["focal.point@unep.example.org"]
        hours = "08:30-17:00"
        [[member]]
        id = "new-body"
        acronym = "NB"
        name = "A New Body"
        city = "Kathmandu"
        country = "NP"
        timezone = "Asia/Kathmandu"
        workdays = ["Sun", "Mon", "Tue", "Wed", "Thu"]
    """)
    d = load_directory(path)
    assert len(d.members) == len(som29.MEMBERS) + 1  # the bundled ones (unep amended) and new-body
    unep = d.find("UNEP")
    assert unep.emails == ("focal.point@unep.example.org",) and unep.city == "Nairobi"
    assert unep.hours == (dt.time(8, 30), dt.time(17))
    assert d.find("nb").workdays == frozenset({6, 0, 1, 2, 3})


# --- bad input, through the CLI ----------------------------------------------------------------

def test_missing_file(runner):
    line = error_of(runner, "nowhere.toml")
    assert "nowhere.toml: no such file" in line


def test_toml_syntax_error_names_the_line(runner, meeting_file):
    path = meeting_file('title = "Segment One"', 'title = "Segment One')
    line = error_of(runner, path)
    assert f"{path}:8: TOML syntax" in line


def test_unknown_key_suggests_the_right_one(runner, meeting_file):
    path = meeting_file('time = "15:00-17:00 CEST"', 'tme = "15:00-17:00 CEST"')
    line = error_of(runner, path)
    assert f"{path}:10: unknown key `tme` in [[segment]] `one`" in line
    assert "did you mean `time`?" in line


def test_wrong_type(runner, meeting_file):
    path = meeting_file('title = "Segment One"', "title = 42")
    assert "`title` in [[segment]] `one` must be text, not a whole number" in error_of(runner, path)


def test_unknown_zone_suggests_iana_names(runner, meeting_file):
    path = meeting_file('timezone = "Europe/Zurich"', 'timezone = "Europe/Geneva"')
    line = error_of(runner, path)
    assert f"{path}:4: unknown time zone `Europe/Geneva`" in line and "`Europe/Zurich`" in line


def test_unknown_lead_suggests_acronyms(runner, meeting_file):
    path = meeting_file(extra="""
        [[segment.item]]
        title = "Opening"
        lead = "UNPE"
    """)
    line = error_of(runner, path)
    assert "unknown lead `UNPE`" in line and "`UNEP`" in line and f"{path}:14" in line


def test_duplicate_segment_ids(runner, meeting_file):
    path = meeting_file(extra="""
        [[segment]]
        id = "one"
        title = "Again"
        date = 2023-09-27
        time = "15:00-17:00"
    """)
    line = error_of(runner, path)
    assert "segment id `one` appears twice" in line and f"{path}:13" in line


def test_end_before_start(runner, meeting_file):
    path = meeting_file('"15:00-17:00 CEST"', '"17:00-15:00 CEST"')
    assert "the end is not after the start" in error_of(runner, path)


def test_bad_date(runner, meeting_file):
    path = meeting_file("date = 2023-09-26", 'date = "2023-09-31"')
    line = error_of(runner, path)
    assert "`date` of [[segment]] `one` is not a date: `2023-09-31`" in line and f"{path}:9" in line


def test_cest_in_november_names_cet(runner, meeting_file):
    path = meeting_file("date = 2023-09-26", "date = 2023-11-16")
    line = error_of(runner, path)
    # 16 Nov 2023: Geneva is on CET; 15:00 UTC+02:00 = 13:00 UTC = 14:00 CET.
    assert "Geneva is on CET (UTC+01:00)" in line and "15:00 UTC+02:00 is 14:00 CET" in line


def test_nonexistent_local_time(runner, meeting_file):
    path = meeting_file("date = 2023-09-26", "date = 2024-03-31", '"15:00-17:00 CEST"', '"02:30-04:00"')
    assert "02:30 does not exist in Geneva on 31 March 2024" in error_of(runner, path)


def test_ambiguous_local_time(runner, meeting_file):
    path = meeting_file("date = 2023-09-26", "date = 2023-10-29", '"15:00-17:00 CEST"', '"02:30-04:00"')
    line = error_of(runner, path)
    assert "happens twice" in line and "02:30 CEST (00:30 UTC)" in line and "02:30 CET (01:30 UTC)" in line


@pytest.mark.parametrize("bad_id", ["../x", "CON", "con", "a/b", "x" * 80, "Übung", "aux.txt"])
def test_unsafe_ids_are_refused(runner, meeting_file, bad_id):
    path = meeting_file('id = "one"', f'id = "{bad_id}"')
    assert "not a safe name" in error_of(runner, path) or "reserves" in error_of(runner, path)


def test_bad_email_names_the_member(runner, write, meeting_file):
    write("members.toml", """
        extends = "un-entities"
        [[member]]
        id = "unep"
        emails = ["not-an-address"]
    """)
    path = meeting_file('timezone = "Europe/Zurich"', 'timezone = "Europe/Zurich"\nmembers = "members.toml"')
    line = error_of(runner, path)
    assert "`not-an-address` is not an e-mail address ([[member]] `unep`)" in line


def test_start_and_end_keys(runner, meeting_file):
    path = meeting_file('time = "15:00-17:00 CEST"', 'start = "3pm CEST"\nend = "5 pm"')
    assert load_meeting(path).segments[0].start == oracle.utc_of_local("2023-09-26 15:00", "Europe/Zurich")
    path = meeting_file('date = 2023-09-26\ntime = "15:00-17:00 CEST"',
                        "start = 2023-09-26T15:00:00+02:00\nend = 2023-09-26T17:00:00", name="m2.toml")
    assert load_meeting(path).segments[0].end == oracle.utc_of_local("2023-09-26 17:00", "Europe/Zurich")


def test_not_utf8(runner, tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('[meeting]\ntitle = "Réunion"\n'.encode("latin-1"))
    assert "not UTF-8" in error_of(runner, path)


# --- fuzzing: nothing but SomError escapes the loaders ------------------------------------------

toml_keys = st.sampled_from(["id", "title", "timezone", "date", "time", "start", "end", "members", "lead",
                             "minutes", "status", "due", "emails", "hours", "x", "language", "title_fr",
                             "title_ar", "title_de", "title.fr", "title_"])
toml_values = st.one_of(st.text(max_size=20), st.integers(-5, 3000), st.booleans(),
                        st.sampled_from(['"15:00-17:00 CEST"', "2023-09-26", '"Europe/Zurich"', "[1, 2]",
                                         '"2023-02-30"', '"25:00"', "{a = 1}", '"../x"', '"24:00"', '"fr"',
                                         '"الجلسة"', '"开幕"', '"ar"', '"EN"']))
tables = st.sampled_from(["[meeting]", "[[segment]]", "[[segment.item]]", "[[task]]", "[[member]]", ""])


def _render(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return value


@pytest.mark.fuzz
@given(st.lists(st.tuples(tables, toml_keys, toml_values), max_size=12))
def test_fuzzed_meeting_files_fail_only_with_som_errors(tmp_path_factory, parts):
    folder = tmp_path_factory.mktemp("fuzz")
    lines = ['[meeting]\nid = "m"\ntitle = "T"\ntimezone = "Europe/Zurich"\n',
             '[[segment]]\nid = "s"\ntitle = "S"\ndate = 2023-09-26\ntime = "15:00-17:00"\n']
    for table, key, value in parts:
        lines.append(f"{table}\n{key} = {_render(value)}\n")
    path = folder / "m.toml"
    path.write_text("".join(lines), encoding="utf-8")
    try:
        load_meeting(path)
    except SomError as exc:
        assert str(exc)


@pytest.mark.fuzz
@given(st.text(max_size=300))
def test_fuzzed_text_fails_only_with_som_errors(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "m.toml"
    path.write_text(text, encoding="utf-8")
    for loader in (load_meeting, load_directory):
        try:
            loader(path)
        except SomError as exc:
            assert str(exc)


def test_control_characters_are_refused_with_the_line(runner, meeting_file):
    path = meeting_file('title = "Segment One"', 'title = "Segment\\u0007One"')
    line = error_of(runner, path)
    assert f"{path}:8: `title` in [[segment]] `one` holds a control character" in line


def test_years_outside_what_som_plans(runner, meeting_file):
    path = meeting_file("date = 2023-09-26", "date = 9999-12-31", '"15:00-17:00 CEST"', '"23:00-24:00"')
    assert "som plans meetings from 1970 to 2200" in error_of(runner, path)


def test_a_misspelt_member_id_in_an_extending_directory(runner, write):
    path = write("focal.toml", """
        extends = "un-entities"
        [[member]]
        id = "unpe"
        emails = ["focal.point@unep.example.org"]
    """)
    result = runner("members", path)
    assert result.exit_code == 2
    assert f"{path}:3: no member `unpe` in un-entities; did you mean `unep`" in result.stderr


def test_an_unknown_parent_directory_names_the_line(runner, write):
    path = write("focal.toml", 'name = "x"\nextends = "un-entitys"\n')
    result = runner("members", path)
    assert result.exit_code == 2 and f"{path}:2: no bundled file `un-entitys`" in result.stderr


def test_sub_items_are_named_by_number(runner, meeting_file):
    path = meeting_file(extra="""
        [[segment.item]]
        title = "Opening"
        [[segment.item]]
        title = "Two"
        [[segment.item.item]]
        title = "Two (a)"
        lead = "UNPD"
    """)
    assert "unknown lead `UNPD` in sub-item 1 of item 2 of [[segment]] `one`" in error_of(runner, path)


def test_an_address_with_a_line_break_is_not_an_address():
    from agenda.read.load import EMAIL

    assert EMAIL.match("a@example.org") and not EMAIL.match("a@example.org\n")


# --- languages -------------------------------------------------------------------------------

def test_a_member_and_the_meeting_may_name_their_language(write, meeting_file):
    write("members.toml", """
        extends = "un-entities"
        [[member]]
        id = "unep"
        language = "fr"
    """)
    path = meeting_file('timezone = "Europe/Zurich"',
                        'timezone = "Europe/Zurich"\nmembers = "members.toml"\nlanguage = "es"')
    meeting = load_meeting(path)
    unep, other = meeting.directory.find("unep"), meeting.directory.find("unops")
    assert unep.language == "fr" and other.language is None
    assert meeting.language == "es"
    assert meeting.language_of(unep) == "fr" and meeting.language_of(other) == "es"
    assert meeting.language_of(None) == "es"


def test_a_meeting_without_a_language_is_in_english(meeting_file):
    meeting = load_meeting(meeting_file('timezone = "Europe/Zurich"', 'timezone = "Europe/Zurich"'))
    assert meeting.language == "en" and meeting.language_of(meeting.members[0]) == "en"


def test_an_unknown_member_language_names_the_line_and_the_closest(runner, write):
    path = write("focal.toml", 'extends = "un-entities"\n[[member]]\nid = "unep"\nlanguage = "FR"\n')
    result = runner("members", path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    line = result.stderr.strip()
    assert f"{path}:4: language `FR` of [[member]] `unep` is not one som writes" in line
    assert "did you mean `fr`?" in line


def test_an_unknown_meeting_language_lists_the_six(runner, meeting_file):
    path = meeting_file('timezone = "Europe/Zurich"', 'timezone = "Europe/Zurich"\nlanguage = "german"')
    line = error_of(runner, path)
    assert f"{path}:5: language `german` of [meeting] is not one som writes" in line
    assert "en, fr, es, ar, zh, ru" in line


# --- translated titles -------------------------------------------------------------------------

def test_titles_may_be_translated_beside_the_title(meeting_file):
    path = meeting_file('title = "Test Meeting"', 'title = "Test Meeting"\ntitle_fr = "Réunion d’essai"',
                        'title = "Segment One"', 'title = "Segment One"\ntitle_es = "Primera sesión"\ntitle_ar = "الجلسة الأولى"',
                        extra="""
        [[segment.item]]
        title = "Opening"
        title_zh = "开幕"
        [[segment.item.item]]
        title = "Adoption of the agenda"
        title_ru = "Утверждение повестки дня"
    """)
    meeting = load_meeting(path)
    segment = meeting.segments[0]
    assert meeting.title_in("fr") == "Réunion d’essai" and meeting.title_in("es") == "Test Meeting"
    assert segment.title_in("es") == "Primera sesión" and segment.title_in("ar") == "الجلسة الأولى"
    assert segment.title_in("en") == "Segment One" and segment.title == "Segment One"
    item = segment.items[0]
    assert item.title_in("zh") == "开幕" and item.title_in("fr") == "Opening"
    assert item.items[0].title_in("ru") == "Утверждение повестки дня"


def test_a_title_in_a_language_som_does_not_write_names_the_line_and_the_six(runner, meeting_file):
    path = meeting_file('title = "Segment One"', 'title = "Segment One"\ntitle_de = "Erste Sitzung"')
    line = error_of(runner, path)
    assert f"{path}:9: `title_de` in [[segment]] `one`: `de` is not a language som writes" in line
    assert "en, fr, es, ar, zh, ru" in line


def test_a_dotted_title_is_refused_with_the_form_to_write(runner, meeting_file):
    path = meeting_file('title = "Test Meeting"', 'title.en = "Test Meeting"\ntitle.fr = "Réunion"')
    line = error_of(runner, path)
    assert f"{path}:3: `title` in [meeting] must be text, not a table" in line and 'title_fr = "…"' in line


@pytest.mark.parametrize("value, words", [
    ("42", "`title_fr` in [[segment]] `one` must be text, not a whole number"),
    ('""', "`title_fr` in [[segment]] `one` is empty"),
    ('"Un\\u0007"', "`title_fr` in [[segment]] `one` holds a control character"),
    ('"' + "x" * 301 + '"', "`title_fr` in [[segment]] `one` is 301 characters long"),
])
def test_a_bad_translated_title_is_one_line_with_the_line(runner, meeting_file, value, words):
    path = meeting_file('title = "Segment One"', f'title = "Segment One"\ntitle_fr = {value}')
    assert f"{path}:9: {words}" in error_of(runner, path)


def test_a_translation_into_the_meetings_own_language_wins_in_that_language(meeting_file):
    path = meeting_file('timezone = "Europe/Zurich"', 'timezone = "Europe/Zurich"\nlanguage = "fr"',
                        'title = "Segment One"', 'title = "Segment One"\ntitle_fr = "Première séance"')
    segment = load_meeting(path).segments[0]
    assert segment.title_in("fr") == "Première séance" and segment.title_in("en") == "Segment One"
